"""The task that makes a report's file: its progress, its state, the jobs it takes over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from anticipe.workshop.models import ReportFile, Study
from anticipe.workshop.study_format import study_document
from anticipe.workshop.tasks import reports


def test_the_state_is_the_study_under_the_panels_codes_not_an_export(study: Study) -> None:
    """Two exports draw different pseudonyms; the state of the study is the same."""
    document = study_document(study)
    assert reports.exported(study)[1] == reports.document_state(document)
    assert reports.exported(study)[1] == reports.exported(study)[1]
    other = {**document, "language": "en" if document.get("language") == "fr" else "fr"}
    assert reports.document_state(other) != reports.document_state(document)


def test_the_task_records_its_progress(study: Study, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str, int]] = []
    record = reports._record

    def watch(file_id: int, **fields: Any) -> None:
        record(file_id, **fields)
        row = ReportFile.objects.get(pk=file_id)
        seen.append((row.status, row.stage, row.percent))

    monkeypatch.setattr(reports, "_record", watch)
    made = reports.request_report(study, ReportFile.Format.HTML)
    assert made.status == ReportFile.Status.READY
    assert seen[0] == ("running", "export", 0)
    analysis = [percent for status, stage, percent in seen if stage == "analysis"]
    assert analysis[0] == reports.ANALYSIS_START
    assert analysis[-1] == reports.WRITING_START  # the bootstrap moved the bar
    assert analysis == sorted(analysis)
    assert ("running", "writing", reports.WRITING_START) in seen
    assert seen[-1] == ("ready", "", 100)


def test_the_analysis_moves_the_bar_once_per_percent(study: Study, queued_only: Any) -> None:
    job = reports.request_report(study, ReportFile.Format.PDF)
    progress = reports._analysis_progress(job.pk)
    shown = []
    for done in (0, 1, 1, 2, 500, 1000):
        progress(done, 1000)
        shown.append(ReportFile.objects.get(pk=job.pk).percent)
    # 5 % at the start, 60 % when the 1,000 resamples are done; nothing below a percent
    assert shown == [0, 0, 0, 0, 32, 60]


def test_the_formats_of_a_state_share_one_analysis(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    analyse = reports.analyse_study
    monkeypatch.setattr(
        reports, "analyse_study", lambda *a, **k: calls.append(1) or analyse(*a, **k)
    )
    reports.request_report(study, ReportFile.Format.HTML)
    reports.request_report(study, ReportFile.Format.XLSX)
    assert len(calls) == 1
    assert ReportFile.objects.filter(study=study, status="ready").count() == 2


def test_a_job_asked_twice_is_enqueued_once(study: Study, queued_only: Any) -> None:
    first = reports.request_report(study, ReportFile.Format.PDF)
    second = reports.request_report(study, ReportFile.Format.PDF)
    assert first.pk == second.pk
    assert second.status == ReportFile.Status.QUEUED
    assert [r.args for r in queued_only.results] == [[first.pk]]


def test_a_lost_job_is_started_again_and_a_live_one_is_not(study: Study, queued_only: Any) -> None:
    job = reports.request_report(study, ReportFile.Format.DOCX)
    ReportFile.objects.filter(pk=job.pk).update(status=ReportFile.Status.RUNNING, percent=30)
    reports.request_report(study, ReportFile.Format.DOCX)
    assert len(queued_only.results) == 1  # running and heard from lately
    long_ago = timezone.now() - timedelta(minutes=11)
    ReportFile.objects.filter(pk=job.pk).update(updated_at=long_ago)
    again = reports.request_report(study, ReportFile.Format.DOCX)
    assert again.pk == job.pk
    assert (again.status, again.percent) == (ReportFile.Status.QUEUED, 0)
    assert len(queued_only.results) == 2


def test_a_study_changed_before_the_task_runs_fails_with_the_reason(
    study: Study, queued_only: Any
) -> None:
    job = reports.request_report(study, ReportFile.Format.XLSX)
    study.title = "Another job"
    study.save()
    assert reports.build_report_file.call(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.problem) == (ReportFile.Status.FAILED, ReportFile.Problem.CHANGED)
    assert job.content is None


def test_a_task_for_a_file_already_made_does_nothing(study: Study) -> None:
    made = reports.request_report(study, ReportFile.Format.HTML)
    assert reports.build_report_file.call(made.pk) == "nothing to do"
    assert reports.build_report_file.call(made.pk + 1000) == "nothing to do"
