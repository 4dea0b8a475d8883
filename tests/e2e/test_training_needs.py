"""The training side of the example in the browser, on a desktop and on a phone (issue 15):
the facilitator imports a catalogue from a CSV file (a bad one first: problems by row and
column), sees the needs no module covers, downloads the table; both pages fit the screen
and axe-core finds no violation on them (screenshots: set ANTICIPE_E2E_SCREENSHOTS=folder to
look at them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from anticipe.examples import load_example
from anticipe.workshop.study_format import import_study
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import Walker, axe_script, signed_in

__all__ = ["axe_script"]  # the fixture, shared with the whole-site walk

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_training_pages_fit_a_desktop_and_a_phone(
    open_page: Any, screenshots: Path, tmp_path: Path
) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    bad = tmp_path / "bad.csv"
    bad.write_text("titre;couvre\nAtelier;C99\n", encoding="utf-8")
    good = tmp_path / "catalogue.csv"
    good.write_text(
        'titre;opérateur;durée;couvre\nAtelier;Centre A;12;"C12; DigComp 5.1:6"\n',
        encoding="utf-8",
    )
    desktop = None
    for kind, width in (("desktop", 1366), ("phone", 390)):
        page = open_page(kind).page
        log_in(page, "facilitator", "facilitator-pw-1")
        page.goto(f"/studies/{study.pk}/desk/")
        page.get_by_role("link", name="Training needs").first.click()
        expect(page.get_by_role("heading", name="Training needs", exact=True)).to_be_visible()
        expect(page.get_by_text("Simulated catalogue.")).to_be_visible()
        expect(page.locator("#need-C12")).to_contain_text("not covered")
        page.screenshot(path=str(screenshots / f"training-needs-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind}: {overflow}px wider than the screen"
        page.goto(f"/studies/{study.pk}/decisions/training/")
        page.screenshot(path=str(screenshots / f"training-catalogue-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind}: {overflow}px wider than the screen"
        if kind == "desktop":
            desktop = page
    # a bad list first: nothing imported, its problems by row and column; then a good one
    assert desktop is not None
    page = desktop
    page.get_by_label("Training catalogue (CSV or XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("“C99” is neither a competence of the study")
    page.screenshot(path=str(screenshots / "training-problems-1366.png"), full_page=True)
    page.get_by_label("Training catalogue (CSV or XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("The catalogue has 1 module.")).to_be_visible()
    page.goto(f"/studies/{study.pk}/results/training-needs/")
    expect(page.locator("#need-C12")).to_contain_text("M01 Atelier")


def test_the_training_pages_have_no_accessibility_violation(
    browser: Any, live_server: Any, axe_script: Path
) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    walker = Walker(browser, live_server.url, axe_script)
    try:
        client = signed_in(user)
        for phone in (False, True):
            page = walker.window(client, phone=phone)
            for url in (
                f"/studies/{study.pk}/results/training-needs/",
                f"/studies/{study.pk}/decisions/training/",
            ):
                walker.check(page, url, "facilitator" + (" (phone)" if phone else ""))
        assert walker.violations == []
        assert len(walker.checked) == 4
    finally:
        walker.close()
