"""A self-assessment group's handout in the browser: the facilitator opens it from the group on
the desk, reads it on a wide screen (1366 px, to project) and on a phone (390 px: nothing wider
than the screen, the link broken to fit), prints it on one A4 page (Chromium's PDF, its pages
counted with pypdf; the link, the job and the group read back), with the longest job title and
group label the site takes; axe-core finds no violation on it, wide or narrow. Screenshots and
the PDF: set ANTICIPE_E2E_SCREENSHOTS=folder to look at them (`pdftoppm -png` for the PDF).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from anticipe.examples import load_example
from anticipe.workshop.models import RespondentGroup, SelfAssessment, Study
from anticipe.workshop.study_format import import_study
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import Walker, axe_script, signed_in, walker

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_script", "walker"]  # the accessibility walk's fixtures, used here

WIDE = {"width": 1366, "height": 900}


def overflow(page: Page) -> int:
    found: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return found


def printed(page: Page, path: Path) -> list[str]:
    """The page printed on A4 (the handout's stylesheet: its own margins, no navigation):
    the text of each page of the PDF."""
    data = page.pdf(format="A4", prefer_css_page_size=True)
    path.write_bytes(data)
    return [" ".join(str(p.extract_text()).split()) for p in PdfReader(io.BytesIO(data)).pages]


def test_a_groups_handout_fits_one_a4_page_and_reads_on_a_phone(
    open_page: Any, walker: Walker, screenshots: Path
) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    codes = list(study.competences.values_list("code", flat=True))
    SelfAssessment.objects.filter(study=study).update(published=True, competences=codes)
    group = RespondentGroup.objects.create(
        study=study, code="MARDI", label="Formation médiation numérique — groupe du mardi"
    )
    desk = open_page("desktop").page
    desk.set_viewport_size(WIDE)
    log_in(desk, "facilitator", "facilitator-pw-1")
    desk.goto(f"/studies/{study.pk}/self-assessment/")
    link = desk.locator("#group-MARDI .group-link a").get_attribute("href")
    assert link
    assert link.endswith(f"/self-assessment/{group.token}/")
    desk.locator("#group-MARDI").get_by_role("link", name="Handout to print or project").click()
    # the desk's link, written out, in the study's language (French), with the QR code
    expect(desk.locator(".handout-url")).to_have_text(link)
    expect(desk.get_by_role("heading", level=1)).to_have_text(study.title)
    expect(desk.get_by_role("img", name="Code QR du lien du groupe")).to_be_visible()
    expect(desk.get_by_text("Environ 14 min\u00a0: 42 compétences")).to_be_visible()
    expect(desk.get_by_role("button", name="Print")).to_be_visible()
    desk.screenshot(path=str(screenshots / "self-assessment-handout-1366.png"), full_page=True)
    assert overflow(desk) <= 0
    pages = printed(desk, screenshots / "self-assessment-handout-a4.pdf")
    assert len(pages) == 1, pages
    assert study.title in pages[0]
    assert "groupe du mardi" in pages[0]
    assert "Anticipe —" not in pages[0]  # no site footer, header or navigation
    assert "Retour" not in pages[0]
    assert "Back to" not in pages[0]
    assert re.sub(r"\s", "", link) in re.sub(r"\s", "", pages[0])  # broken over lines, maybe

    handout = desk.url
    phone = open_page("phone").page
    log_in(phone, "facilitator", "facilitator-pw-1")
    phone.goto(handout)
    expect(phone.locator(".handout-url")).to_have_text(link)
    phone.screenshot(path=str(screenshots / "self-assessment-handout-390.png"), full_page=True)
    assert overflow(phone) <= 0, f"{overflow(phone)}px wider than the phone"
    qr = phone.locator("svg.qr").bounding_box()
    assert qr is not None
    assert 250 <= qr["width"] <= 390, qr  # large, within the screen

    # the longest job title and group label the site takes: still one page
    Study.objects.filter(pk=study.pk).update(title=("Médiatrice numérique " * 10)[:200])
    RespondentGroup.objects.filter(pk=group.pk).update(label=("Groupe du mardi " * 13)[:200])
    desk.reload()
    pages = printed(desk, screenshots / "self-assessment-handout-a4-longest.pdf")
    assert len(pages) == 1, [p[:80] for p in pages]

    # axe-core, wide and narrow (the walker's windows bypass the CSP for axe's own script)
    client = signed_in(user)
    path = handout.removeprefix(walker.base_url)
    walker.check(walker.window(client), path, "facilitator")
    walker.check(walker.window(client, phone=True), path, "facilitator (phone)")
    assert walker.violations == [], "\n".join(walker.violations)
