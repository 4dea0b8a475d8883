"""System checks: misconfigurations of the site said before they bite."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_configuration(app_configs: Any, **kwargs: Any) -> list[Error | Warning]:
    problems: list[Error | Warning] = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        folder = settings.DATA_DIR
        if folder.exists() and not folder.is_dir():
            problems.append(
                Error(
                    f"ANTICIPE_DATA_DIR ({folder}) is not a folder.",
                    id="anticipe.E002",
                )
            )
    elif not engine.endswith(("postgresql", "postgis")):
        problems.append(
            Warning(
                f"Database engine {engine} is not tested with Anticipe.",
                hint="Use SQLite (no DATABASE_URL) or PostgreSQL (DATABASE_URL=postgres://...).",
                id="anticipe.W001",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend") and not settings.DEBUG:
        problems.append(
            Warning(
                "Invitations are printed on the console, not sent.",
                hint="Set ANTICIPE_EMAIL_URL=smtp://user:password@host:587 to send them.",
                id="anticipe.W002",
            )
        )
    return problems
