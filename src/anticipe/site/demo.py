"""``anticipe demo``: a ready-to-use local site with the example study.

Creates and migrates the SQLite database in the data folder, loads the example study
(once), creates (or resets) a facilitator account with a generated password, and serves
the site on http://127.0.0.1:8000.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEMO_USERNAME = "animateur"


@dataclass(frozen=True)
class DemoSite:
    username: str
    password: str
    study_id: int
    data_dir: Path


def configure(data_dir: Path | None = None) -> None:
    """Point Django at the site's settings, in development mode, before it starts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anticipe.site.settings")
    os.environ.setdefault("ANTICIPE_DEBUG", "1")
    if data_dir is not None:
        os.environ["ANTICIPE_DATA_DIR"] = str(data_dir)
    import django

    django.setup()


def prepare_demo() -> DemoSite:
    """Migrate, load the example study once, and (re)set the facilitator's password."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from anticipe.examples import load_example
    from anticipe.workshop.models import Study, StudyMember
    from anticipe.workshop.study_format import import_study, record_import

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Animateur", "last_name": "Démo"}
    )
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    study = (
        Study.objects.filter(members__user=user, members__role=StudyMember.Role.FACILITATOR)
        .order_by("id")
        .first()
    )
    if study is None:
        study = import_study(load_example(), owner=user)
        record_import(study, user, "example")
    return DemoSite(DEMO_USERNAME, password, study.pk, settings.DATA_DIR)


def serve(address: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the site (Django's development server, without auto-reload)."""
    from django.core.management import call_command

    call_command("runserver", f"{address}:{port}", use_reloader=False)
