"""The job's competence profile of the example in the browser, on a desktop and on a phone:
the chart per area and the competences table fit the screen, the simulated figures are
labelled (screenshots: set ANTICIPE_E2E_SCREENSHOTS=folder to look at them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from anticipe.examples import load_example
from anticipe.workshop.study_format import import_study
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_profile_fits_a_desktop_and_a_phone(open_page: Any, screenshots: Path) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    for kind, width in (("desktop", 1366), ("phone", 390)):
        page = open_page(kind).page
        log_in(page, "facilitator", "facilitator-pw-1")
        page.goto(f"/studies/{study.pk}/desk/")
        page.get_by_role("link", name="The job's competence profile").first.click()
        expect(page.get_by_role("heading", name="The job's competence profile")).to_be_visible()
        expect(
            page.get_by_text("The retained hypotheses come from simulated votes")
        ).to_be_visible()
        chart = page.locator("table.profile-chart").filter(has_text="2. Communication")
        expect(chart.locator('[data-key="profile.digcomp-2.2.2.2"]')).to_have_text("3")
        page.screenshot(path=str(screenshots / f"profile-{width}.png"), full_page=True)
        chart.screenshot(path=str(screenshots / f"profile-area-{width}.png"))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind}: {overflow}px wider than the screen"
        if kind == "desktop":  # in French too
            page.get_by_role("button", name="Français").click()
            heading = page.get_by_role("heading", name="Le profil de compétences du métier")
            expect(heading).to_be_visible()
            page.screenshot(path=str(screenshots / f"profile-fr-{width}.png"))
