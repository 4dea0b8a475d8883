"""Rules for the whole suite.

``uv run pytest`` runs everything (CI does); ``uv run pytest -m "not slow"`` runs the fast
set while working. Slow tests carry ``@pytest.mark.slow`` (PDF rendering, page walks of the
example study, page-weight walks, the big simulated study); every browser test (marked
``e2e``) is slow as well, whichever folder it is in.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("e2e") is not None and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def mail_server(settings: object) -> None:
    """Mail is delivered (the site's mail server), instead of the test's memory backend,
    which the site treats as "no mail server" (messages kept in the study's outbox)."""
    settings.EMAIL_BACKEND = "tests.mail_backend.DeliveringBackend"  # type: ignore[attr-defined]
