"""A results page whose analysis is still being computed by a worker: it says so, polls (htmx,
no script of ours), and shows the results once the worker has stored them; screenshots on a
phone and a desktop (to look at them: ANTICIPE_E2E_SCREENSHOTS=folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import expect

from anticipe.examples import load_example
from anticipe.workshop.models import StructuralResult
from anticipe.workshop.study_format import import_study
from anticipe.workshop.tasks import results as results_tasks
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_page_waits_for_the_worker_then_shows_the_results(
    open_page: Any, screenshots: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    StructuralResult.objects.filter(study=study).delete()
    cache.clear()
    window = open_page("desktop")
    page = window.page
    log_in(page, "facilitator", "facilitator-pw-1")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/studies/{study.pk}/results/structural-analysis/")
    waiting = page.locator("#results-pending")
    expect(waiting).to_contain_text("being computed")
    page.screenshot(path=str(screenshots / "results-pending-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(screenshots / "results-pending-1366.png"), full_page=True)
    assert StructuralResult.objects.get(study=study).status == "queued"
    results_tasks.refresh_study_results.call(study.pk)  # the worker's turn
    expect(waiting).to_have_count(0, timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("MICMAC")
    page.screenshot(path=str(screenshots / "results-ready-1366.png"))
    assert window.unexpected_errors() == []
