"""The facilitator's desk on a phone and the projector on a laptop screen, in the browser:
the desk's sections are one row that scrolls sideways with the current one in view (not a
screen of buttons above the page), and the projector shows a closed round's results above
the fold (screenshots: set ANTICIPE_E2E_SCREENSHOTS=folder to look at them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_desk_sections_are_one_row_on_a_phone(
    facilitator_on_example: Any, screenshots: Path
) -> None:
    page, study = facilitator_on_example("phone")
    page.goto(f"/studies/{study.pk}/results/training-needs/")
    expect(page.get_by_role("heading", name="Training needs", level=1)).to_be_visible()
    page.screenshot(path=str(screenshots / "desk-phone.png"))
    row = page.locator(".desk-nav ul").bounding_box()
    assert row is not None
    assert row["height"] < 70, f"the sections take {row['height']}px of the phone's height"
    current = page.locator('.desk-nav [aria-current="page"]').bounding_box()
    assert current is not None
    assert current["x"] >= 0
    assert current["x"] + current["width"] <= PHONE["width"]
    # the row scrolls, the page does not
    assert page.eval_on_selector(".desk-nav ul", "ul => ul.scrollWidth > ul.clientWidth")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the screen"


def test_the_projector_shows_the_hypotheses_above_the_fold(
    facilitator_on_example: Any, screenshots: Path
) -> None:
    page, study = facilitator_on_example("desktop")
    page.goto(f"/studies/{study.pk}/projector/")
    first = page.locator(".projector-hypotheses > li").first
    expect(first).to_contain_text("Most probable and most desirable")
    expect(page.get_by_text("Simulated answers.")).to_be_visible()  # the example's votes
    page.screenshot(path=str(screenshots / "projector-1366.png"))
    box = first.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 900, "the first key factor's result is below the fold"


def test_a_word_longer_than_the_screen_wraps_instead_of_widening_the_page(
    facilitator_on_example: Any, screenshots: Path
) -> None:
    """A pasted link or a row of underscores from Word, in an activity's content and in a
    factor's wording, on a phone: the page keeps the screen's width."""
    from anticipe.workshop.models import Activity

    page, study = facilitator_on_example("phone")
    long_word = "https://example.org/" + "x" * 3000
    Activity.objects.filter(study=study, code="1").update(description=long_word)
    study.factors.filter(code="A1").update(title="Travail_" + "_" * 380)  # its 400 at most
    for address in (f"/studies/{study.pk}/perimeter/", f"/studies/{study.pk}/factors/"):
        page.goto(address)
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=str(screenshots / f"long-word{address.count('/')}.png"))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{address}: {overflow}px wider than the screen"
