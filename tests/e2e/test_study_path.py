"""The study page in the browser: the method's path of a new study, a study half-way
(a round open) and a finished one, at 390 px (phone) and 1366 px; no script or CSP error,
no sideways scrolling, one primary action; screenshots to look at
(ANTICIPE_E2E_SCREENSHOTS=folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from anticipe.examples import load_example
from anticipe.workshop.models import Action, Impact, Round, Study, StudyMember
from anticipe.workshop.study_format import import_study
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def studies(user: Any) -> dict[str, Study]:
    new = Study.objects.create(title="Soudeur", created_by=user)
    StudyMember.objects.create(study=new, user=user, role=StudyMember.Role.FACILITATOR)
    finished = import_study(load_example(), owner=user)
    mid = import_study(load_example(), owner=user)
    mid.rounds.exclude(step__in=["proposals", "factor_vote"]).delete()
    mid.factors.update(shortlisted=False, key_origin="", retained=None)
    Action.objects.filter(hypothesis__factor__study=mid).delete()
    Impact.objects.filter(hypothesis__factor__study=mid).delete()
    mid.rounds.filter(step="factor_vote").update(status=Round.Status.OPEN, closed_at=None)
    return {"new": new, "mid": mid, "finished": finished}


def test_the_study_page_shows_the_method_s_path(open_page: Any, screenshots: Path) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    made = studies(user)
    window = open_page("desktop")
    page = window.page
    log_in(page, "facilitator", "facilitator-pw-1")
    expected = {
        "new": "Describe the job's activities and tasks",
        "mid": "Follow the answers",
        "finished": "Make the report",
    }
    for name, study in made.items():
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"/studies/{study.pk}/")
            primary = page.locator("main .primary")
            assert primary.count() == 1, name
            assert primary.inner_text().startswith(expected[name]), name
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0, (name, width)
            page.screenshot(path=str(screenshots / f"study-{name}-{width}.png"), full_page=True)


def test_the_lifecycle_pages(open_page: Any, screenshots: Path) -> None:
    """Duplicate, delete (the study file offered first), archive: pages without script
    errors or sideways scrolling; the archived study leaves the home list."""
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    Round.objects.create(study=study, step="influence", iteration=2)  # a draft to delete
    window = open_page("desktop")
    page = window.page
    log_in(page, "facilitator", "facilitator-pw-1")
    for width, height in ((390, 844), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url in (
            ("duplicate", f"/studies/{study.pk}/duplicate/"),
            ("delete", f"/studies/{study.pk}/delete/"),
            ("rounds", f"/studies/{study.pk}/rounds/"),
        ):
            page.goto(url)
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0, (name, width)
            page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
    page.goto(f"/studies/{study.pk}/")
    page.get_by_role("button", name="Archive the study").click()  # confirmed (accepted)
    page.wait_for_url(f"**/studies/{study.pk}/")
    page.goto("/")
    assert "Médiateur numérique" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Show the archived study (1)").click()
    assert "Médiateur numérique" in page.locator("main").inner_text()
    page.screenshot(path=str(screenshots / "home-archived-1366.png"), full_page=True)
