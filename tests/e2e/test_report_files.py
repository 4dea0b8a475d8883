"""The report's files in the browser: asked for on the desk's report page, made while the page
waits (htmx), downloaded; a file being made shows its progress and the list follows it until
the file is ready; screenshots of the desk and the report page on a phone and a
desktop (to look at them: ANTICIPE_E2E_SCREENSHOTS=folder)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from anticipe.examples import load_example
from anticipe.workshop.models import ReportFile
from anticipe.workshop.study_format import import_study
from anticipe.workshop.tasks import reports
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_report_is_made_and_downloaded_from_the_desk(open_page: Any, screenshots: Path) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    window = open_page("desktop")
    page = window.page
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "facilitator", "facilitator-pw-1")
    page.goto(f"/studies/{study.pk}/desk/")
    page.get_by_role("link", name="Make and download the report").click()
    expect(page.get_by_role("heading", name="The study's report")).to_be_visible()
    page.screenshot(path=str(screenshots / "report-1366-before.png"), full_page=True)
    page.get_by_role("button", name="Make the HTML file").click()
    link = page.get_by_role("link", name="Download the HTML file")
    expect(link).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        link.click()
    saved = Path(download.value.path())
    assert download.value.suggested_filename == "médiateur-numérique.html"
    assert "Médiateur numérique" in saved.read_text("utf-8")
    page.screenshot(path=str(screenshots / "report-1366-after.png"), full_page=True)
    page.goto(f"/studies/{study.pk}/desk/")
    page.screenshot(path=str(screenshots / "desk-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "desk-390.png"), full_page=True)
    page.goto(f"/studies/{study.pk}/report/")
    expect(page.get_by_role("button", name=re.compile("Make the PDF file"))).to_be_visible()
    page.screenshot(path=str(screenshots / "report-390.png"), full_page=True)
    # a file being made (by a worker): its progress, polled until it is ready
    ReportFile.objects.create(
        study=study,
        format="pdf",
        state=reports.exported(study)[1],
        status=ReportFile.Status.RUNNING,
        stage=ReportFile.Stage.ANALYSIS,
        percent=40,
    )
    page.reload()
    expect(page.locator("progress")).to_have_attribute("value", "40")
    page.screenshot(path=str(screenshots / "report-390-progress.png"), full_page=True)
    ReportFile.objects.filter(study=study, format="pdf").update(
        status=ReportFile.Status.READY, percent=100, stage="", content=b"%PDF-", size=5
    )
    expect(page.get_by_role("link", name="Download the PDF file")).to_be_visible()
    expect(page.locator("progress")).to_have_count(0)
