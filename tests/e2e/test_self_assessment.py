"""From the study's competences to adapted services, in the browser (issue #15's walk): the
facilitator links competences to the European frameworks (removing a link and accepting the
suggestion again with a level, choosing another framework competence for one), publishes the
self-assessment on the example study and makes a group; three respondents open the group's link
on phones (390 px), answer one competence per screen, read their result and download it (the
PDF read back); the facilitator, who saw no counts while the group was open, closes it and
reads its gaps (smallest group shown: 3), then the training needs for that group (its share
below the level expected, the modules of the catalogue covering each need) and the report's PDF
with its frameworks chapter and ESCO's attribution sentence. Screenshots: set
ANTICIPE_E2E_SCREENSHOTS=folder to look at them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from anticipe.workshop.models import Respondent
from tests.e2e.conftest import log_in
from tests.e2e.test_framework_links import accept_and_correct, assert_corrected

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ASKED = ("C1", "C2", "C11")  # DigComp 2.5 level 5, DigCompEdu 5.1 level B1, no framework
# each respondent's levels, by question: (C1, C2, C11)
ANSWERS = (("3 – Intermediate", "B1 – Integrator", "2 – With help"),
           ("6 – Advanced", "A2 – Explorer", "I don't know"),
           ("2 – Foundation", "C1 – Leader", "4 – I can help others"))  # fmt: skip


def small_targets(page: Page) -> list[str]:
    """The tappable elements of the page smaller than 44 x 44 CSS px (the header's and
    footer's text links aside)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, main label')]
          .filter(e => e.offsetParent !== null)
          .map(e => [e, e.getBoundingClientRect()])
          .filter(([e, r]) => r.height < 44 || r.width < 44)
          .map(([e, r]) => `${e.textContent.trim().slice(0, 30)} ${r.width}x${r.height}`)"""
    )
    return found


def answer_all(page: Page, levels: tuple[str, ...], screenshots: Path, n: int) -> None:
    for number, level in enumerate(levels, start=1):
        expect(page.get_by_text(f"Question {number} of {len(levels)}")).to_be_visible()
        page.locator("label", has_text=level).first.click()
        expect(page.locator(".status .saved")).to_be_visible()
        if n == 0 and number == 1:
            page.screenshot(path=str(screenshots / "self-assessment-question-390.png"))
            assert small_targets(page) == []
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
        name = "Next" if number < len(levels) else "See my result"
        page.get_by_role("link", name=re.compile(name)).click()


def test_three_respondents_on_phones_and_the_groups_gaps(
    open_page: Any, facilitator_on_example: Any, screenshots: Path
) -> None:
    desk, study = facilitator_on_example("desktop")
    # the competences linked: suggestions accepted and corrected
    desk.goto(f"/studies/{study.pk}/decisions/impacts/")
    desk.get_by_role("link", name="Link the competences to the European frameworks").click()
    accept_and_correct(desk, study)
    assert_corrected(study)
    desk.goto(f"/studies/{study.pk}/desk/")
    desk.get_by_role("link", name="Self-assessment").first.click()
    expect(desk.get_by_role("heading", name="Self-assessment", exact=True)).to_be_visible()
    # the example's simulated group is there, labelled as such beside its figures
    expect(
        desk.locator("#group-SIM-1").get_by_text("simulated answers", exact=True)
    ).to_be_visible()
    desk.get_by_role("spinbutton", name="Smallest group shown").fill("3")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.get_by_text("The smallest group shown is saved.")).to_be_visible()
    for box in desk.locator("input[name=competences]").all():
        code = box.get_attribute("value")
        if (code in ASKED) != box.is_checked():
            box.set_checked(code in ASKED)
    desk.get_by_role("button", name="Publish the self-assessment").click()
    expect(desk.get_by_text("3 competences asked")).to_be_visible()
    desk.get_by_label("Code").fill("TRAIN-A")
    desk.get_by_label("Label").fill("Training group A")
    desk.get_by_role("button", name="Make the group").click()
    group = desk.locator("#group-TRAIN-A")
    expect(group.locator("svg.qr")).to_be_visible()
    link = group.locator(".group-link a").get_attribute("href")
    assert link

    for n, levels in enumerate(ANSWERS):
        phone = open_page("phone").page
        phone.goto(link)
        assert Respondent.objects.count() == n  # opening the link creates nothing
        phone.get_by_role("button", name="Start").click()
        answer_all(phone, levels, screenshots, n)
        expect(phone.get_by_role("heading", name="Your result")).to_be_visible()
        if n == 0:
            phone.screenshot(
                path=str(screenshots / "self-assessment-result-390.png"), full_page=True
            )
            # C1 at 3 < 5 and C11 at 2 < 3 are to work on, C2 at B1 is a strength
            gaps = phone.locator("section", has=phone.get_by_role("heading", name="To work on"))
            expect(gaps.locator("li")).to_have_count(2)
        with phone.expect_download() as download:
            phone.get_by_role("link", name="Download my result (PDF)").click()
        data = Path(download.value.path()).read_bytes()
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Your result" in text, text[:500]
        assert levels[0] in text, text[:500]
        # while the group is open, the facilitator sees no counts
        desk.reload()
        expect(group.get_by_text("Results are shown once the group is closed.")).to_be_visible()
        assert group.locator("[data-key^='below.']").count() == 0

    group.get_by_role("button", name="Close the group").click()
    expect(group.get_by_text("3 respondents")).to_be_visible()
    # C1 expects level 5: 3 and 2 are below, 6 is not
    expect(group.locator('[data-key="below.TRAIN-A.C1"]')).to_have_text(re.compile(r"^2 / 3"))
    expect(group.locator('[data-key="below.TRAIN-A.C2"]')).to_have_text(re.compile(r"^1 / 3"))
    expect(group.locator('[data-key="below.TRAIN-A.C11"]')).to_have_text(re.compile(r"^1 / 2"))
    group.screenshot(path=str(screenshots / "self-assessment-group-1366.png"))
    desk.screenshot(path=str(screenshots / "self-assessment-desk-1366.png"), full_page=True)
    narrow = open_page("phone").page
    log_in(narrow, "facilitator", "facilitator-pw-1")
    narrow.goto(f"/studies/{study.pk}/self-assessment/")
    narrow.screenshot(path=str(screenshots / "self-assessment-desk-390.png"), full_page=True)
    overflow = narrow.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the phone"

    # the training needs of the closed group: its share below the level expected, and the
    # modules of the (simulated) catalogue covering each need, or none
    desk.goto(f"/studies/{study.pk}/desk/")
    desk.get_by_role("link", name="Training needs").first.click()
    desk.get_by_label("Self-assessment group").select_option("TRAIN-A")
    desk.get_by_role("button", name="Show").click()
    expect(desk.locator('[data-key="below.C1"]')).to_have_text(re.compile(r"^6[67]"))  # 2 of 3
    expect(desk.locator("#need-C1")).to_contain_text("M01")  # names C1 itself
    expect(desk.locator("#need-C12")).to_contain_text("not covered")  # 5.1 only up to 4
    expect(desk.get_by_text("Simulated catalogue.")).to_be_visible()
    desk.screenshot(path=str(screenshots / "training-needs-group-1366.png"), full_page=True)
    # the report: the frameworks chapter, with ESCO's sentence (DigComp's competences carry
    # ESCO concepts), and the training needs with the group's column
    desk.goto(f"/studies/{study.pk}/report/")
    desk.get_by_role("button", name="Make the PDF file").click()
    pdf_link = desk.get_by_role("link", name="Download the PDF file")
    expect(pdf_link).to_be_visible(timeout=180_000)
    with desk.expect_download() as download:
        pdf_link.click()
    pages = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages
    report = " ".join(" ".join(str(p.extract_text()).split()) for p in pages)
    assert "Référentiels européens" in report
    assert "Ce service utilise la classification ESCO de la Commission européenne." in report
    assert "Besoins de formation" in report
    assert "TRAIN-A" in report or "Training group A" in report
