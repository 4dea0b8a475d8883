"""The report's files on the desk: asked for, made by a task, downloaded, the same files as
``anticipe report`` (the tasks run in-process: the tests' default backend)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.cli.main import main
from anticipe.study.study_file import dump_study
from anticipe.workshop.models import ReportFile, Study
from anticipe.workshop.study_format import export_study
from anticipe.workshop.tasks import reports
from tests.report.readback import (
    docx_document,
    docx_text,
    pdf_text,
    squash,
    workbook,
    workbook_values,
)
from tests.workshop.support import HTMX, published, text


def page(study: Study) -> str:
    return reverse("workshop:report", args=[study.pk])


def make(client: Client, study: Study, fmt: str, **extra: Any) -> Any:
    return client.post(reverse("workshop:report_make", args=[study.pk, fmt]), **extra)


def download(client: Client, study: Study, fmt: str) -> Any:
    return client.get(reverse("workshop:report_download", args=[study.pk, fmt]))


@pytest.mark.slow
def test_the_four_formats_download_and_read_back(example: Study, facilitator_client: Client):
    response = facilitator_client.get(page(example))
    assert text(response).count("Make the ") == 4
    title = example.title
    got = {}
    for fmt in reports.FORMATS:
        answer = make(facilitator_client, example, fmt, **HTMX)
        assert answer.status_code == 200
        assert f"Download the {ReportFile.Format(fmt).label} file" in text(answer)
        got[fmt] = download(facilitator_client, example, fmt)
        assert got[fmt].status_code == 200
        assert f".{fmt}" in got[fmt]["Content-Disposition"]
        assert got[fmt]["Content-Disposition"].startswith("attachment;")
    assert got["pdf"]["Content-Type"] == "application/pdf"
    assert got["html"]["Content-Type"] == "text/html; charset=utf-8"
    assert "wordprocessingml" in got["docx"]["Content-Type"]
    assert "spreadsheetml" in got["xlsx"]["Content-Type"]
    # each format holds the job and the key factors' titles
    facts = [title, *(f.current_title() for f in example.factors.key())]
    assert len(facts) > 3
    pdf, pages = pdf_text(got["pdf"].content)
    assert pages > 5
    docx = docx_text(docx_document(got["docx"].content))
    html = unescape(got["html"].content.decode())
    cells = "\n".join(workbook_values(workbook(got["xlsx"].content)))
    for fact in facts:
        assert squash(fact) in squash(pdf), fact
        # (French typography may put no-break spaces inside « » in the report's formats)
        assert squash(fact) in squash(docx), fact
        assert squash(fact) in squash(html), fact
        assert squash(fact) in squash(cells), fact
    # the file's name: the job's title as a slug and the format
    assert "m%C3%A9diateur-num%C3%A9rique.pdf" in got["pdf"]["Content-Disposition"]


@pytest.mark.slow
def test_the_files_are_those_of_the_command_line(
    example: Study, facilitator_client: Client, tmp_path: Path
) -> None:
    study_file = tmp_path / "study.json"
    study_file.write_text(dump_study(export_study(example)), "utf-8")
    for fmt in ("html", "xlsx"):
        output = tmp_path / f"cli.{fmt}"
        assert main(["report", str(study_file), "-o", str(output)]) == 0
        make(facilitator_client, example, fmt)
        site = download(facilitator_client, example, fmt).content
        if fmt == "html":
            assert site == output.read_bytes()
        else:  # the same sheets and cells (the workbook's metadata holds the time)
            ours, theirs = workbook(site), workbook(output.read_bytes())
            assert ours.sheetnames == theirs.sheetnames
            for mine, cli in zip(ours.worksheets, theirs.worksheets, strict=True):
                assert [[c.value for c in row] for row in mine.iter_rows()] == [
                    [c.value for c in row] for row in cli.iter_rows()
                ]


def test_a_second_click_while_a_job_runs_starts_no_second_job(
    study: Study, facilitator_client: Client, queued_only: Any
) -> None:
    first = make(facilitator_client, study, "pdf", **HTMX)
    second = make(facilitator_client, study, "pdf", **HTMX)
    assert len(queued_only.results) == 1
    assert ReportFile.objects.filter(study=study, format="pdf").count() == 1
    for answer in (first, second):
        body = text(answer)
        assert 'hx-trigger="every 2s"' in body  # the list polls itself while a file is made
        assert "Waiting for its turn" in body
        assert "Make the PDF file" not in body
    # a co-facilitator's click, from another browser, joins the same job
    make(facilitator_client, study, "pdf")
    assert len(queued_only.results) == 1


def test_progress_is_shown_while_a_file_is_made(
    study: Study, facilitator_client: Client, queued_only: Any
) -> None:
    make(facilitator_client, study, "docx")
    ReportFile.objects.filter(study=study).update(
        status=ReportFile.Status.RUNNING, stage=ReportFile.Stage.ANALYSIS, percent=40
    )
    body = text(facilitator_client.get(reverse("workshop:report_status", args=[study.pk])))
    assert re.search(r'<progress max="100" value="40"', body)
    assert "Computing the analysis · 40%" in body
    assert 'hx-trigger="every 2s"' in body
    # once made, the list stops polling and offers the file
    reports.build_report_file.call(ReportFile.objects.get(study=study).pk)
    body = text(facilitator_client.get(reverse("workshop:report_status", args=[study.pk])))
    assert "every 2s" not in body
    assert "Download the DOCX file" in body


def test_the_same_state_is_made_once_and_a_change_makes_a_new_file(
    study: Study, facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    render = reports.render_file
    monkeypatch.setattr(reports, "render_file", lambda *args: made.append(args[1]) or render(*args))
    make(facilitator_client, study, "html")
    first = download(facilitator_client, study, "html").content
    make(facilitator_client, study, "html")  # the same state: the file is there
    assert made == ["html"]
    assert download(facilitator_client, study, "html").content == first

    factor = study.factors.get(code="F1")
    factor.title = "A factor worded anew"
    factor.save()
    response = facilitator_client.get(page(study))
    assert "Make the HTML file" in text(response)  # the file of the former state is not offered
    assert download(facilitator_client, study, "html").status_code == 302
    make(facilitator_client, study, "html")
    assert made == ["html", "html"]
    again = download(facilitator_client, study, "html").content
    assert b"A factor worded anew" in again
    assert b"A factor worded anew" not in first
    # only the latest file of a format is kept
    assert ReportFile.objects.filter(study=study, format="html").count() == 1


def test_a_failed_file_says_so_and_can_be_made_again(
    study: Study, facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> bytes:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(reports, "render_file", broken)
    body = text(make(facilitator_client, study, "xlsx", **HTMX))
    assert "The file could not be made" in body
    assert "Make it again" in body
    assert download(facilitator_client, study, "xlsx").status_code == 302
    monkeypatch.undo()
    body = text(make(facilitator_client, study, "xlsx", **HTMX))
    assert "Download the XLSX file" in body
    assert ReportFile.objects.get(study=study, format="xlsx").status == "ready"


def test_a_download_before_the_file_is_made_goes_back_to_the_page(
    study: Study, facilitator_client: Client
) -> None:
    response = download(facilitator_client, study, "pdf")
    assert response.status_code == 302
    assert response["Location"] == page(study)
    follow = facilitator_client.get(page(study))
    assert "The PDF file of the report is not ready: make it first." in text(follow)


def test_a_study_that_cannot_be_exported_says_why(
    study: Study, facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anticipe.study.errors import StudyInputError

    def refuse(_study: Study) -> Any:
        raise StudyInputError("a factor's code is missing", field="factors[0].code")

    monkeypatch.setattr(reports, "export_study", refuse)
    body = text(facilitator_client.get(page(study)))
    assert "The report cannot be made yet:" in body
    assert "factors[0].code" in body
    assert make(facilitator_client, study, "pdf").status_code == 302
    assert not ReportFile.objects.exists()


def test_unknown_formats_are_not_found(study: Study, facilitator_client: Client) -> None:
    assert make(facilitator_client, study, "odt").status_code == 404
    assert download(facilitator_client, study, "odt").status_code == 404


def test_an_observer_makes_and_downloads_once_the_study_is_published(
    study: Study, observer_client: Client
) -> None:
    assert make(observer_client, study, "html").status_code == 403
    published(study)
    assert make(observer_client, study, "html").status_code == 302
    assert download(observer_client, study, "html").status_code == 200


def test_the_desk_links_to_the_report(
    study: Study, facilitator_client: Client, observer_client: Client
) -> None:
    report = page(study)
    assert report in text(facilitator_client.get(reverse("workshop:desk", args=[study.pk])))
    published(study)
    assert report in text(observer_client.get(reverse("workshop:desk", args=[study.pk])))
