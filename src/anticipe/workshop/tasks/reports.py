"""The study's report as files in the site: made in the background, kept per state of the study.

The files are those of ``anticipe report``: the study's export
(:func:`anticipe.workshop.study_format.export_study`, the study file the command line would
read), its analysis (:func:`anticipe.study.analysis.analyse_study`) and
:func:`anticipe.report.render_report`, the function the command calls.

A request asks for a file with :func:`request_report`: when no file or job exists for the
study's current state and format, it creates one :class:`~anticipe.workshop.models.ReportFile`
row (a unique constraint makes a second click, or a second server, find that row instead of
starting another job) and enqueues :func:`build_report_file`. The task records its stage and
percentage on the row as it goes, then the file's bytes. A failed job, or one not heard from
for a long time (its worker was stopped), can be started again.

The analysis is shared by the four formats of a state through Django's cache (shared by every
process when the cache is Redis).
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from anticipe.report import render_report
from anticipe.study.analysis import StudyAnalysis, analyse_study
from anticipe.study.errors import StudyInputError
from anticipe.study.study_file import Study as StudyDocument
from anticipe.workshop.models import ReportFile, Study
from anticipe.workshop.study_format import export_study, study_document

logger = logging.getLogger(__name__)

# The formats in the order the page offers them.
FORMATS: Final = (
    ReportFile.Format.PDF,
    ReportFile.Format.DOCX,
    ReportFile.Format.HTML,
    ReportFile.Format.XLSX,
)
# Changing how a report is made (not what it is made from) changes this: files made before
# are then made again.
STATE_VERSION: Final = "report-1"
ANALYSIS_SECONDS: Final = 24 * 60 * 60
# how much of the bar each stage fills: export 0-5, analysis 5-60, writing 60-100
ANALYSIS_START, WRITING_START = 5, 60

Progress = Callable[[int, int], None]


def document_state(document: Mapping[str, Any]) -> str:
    """The state of a study: a digest of its exported document (its language included)."""
    text = json.dumps(
        [STATE_VERSION, document.get("language"), document],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exported(study: Study) -> tuple[StudyDocument, str]:
    """The study's export and its state (:class:`StudyInputError` when the study cannot be
    exported).

    The state is the digest of the study's document under the panel's own codes: the
    export draws fresh pseudonyms each time (so two exports of one state differ), and a
    report shows no pseudonym."""
    document = export_study(study)
    return document, document_state(study_document(study))


@dataclass
class ReportFiles:
    """The report's files of a study's current state, as a page shows them."""

    study: Study
    state: str = ""
    problem: StudyInputError | None = None  # why the study cannot be exported
    files: dict[str, ReportFile | None] = field(default_factory=dict)

    @property
    def in_progress(self) -> bool:
        return any(f is not None and f.in_progress for f in self.files.values())


def report_files(study: Study) -> ReportFiles:
    """The files (or jobs) of each format for the study's current state (without their
    bytes)."""
    try:
        _document, state = exported(study)
    except StudyInputError as error:
        return ReportFiles(study=study, problem=error)
    found = {
        f.format: f for f in ReportFile.objects.defer("content").filter(study=study, state=state)
    }
    return ReportFiles(study=study, state=state, files={fmt: found.get(fmt) for fmt in FORMATS})


def ready_file(study: Study, format: str) -> ReportFile | None:
    """The file of the study's current state in `format`, with its bytes, if it is ready."""
    try:
        _document, state = exported(study)
    except StudyInputError:
        return None
    return ReportFile.objects.filter(
        study=study, format=format, state=state, status=ReportFile.Status.READY
    ).first()


def request_report(study: Study, format: str) -> ReportFile:
    """Start making the study's report in `format` for its current state, unless its file is
    ready or being made: returns the row, new or found. Raises :class:`StudyInputError` when
    the study cannot be exported."""
    _document, state = exported(study)
    try:
        with transaction.atomic():
            made = ReportFile.objects.create(study=study, format=format, state=state)
    except IntegrityError:
        found = ReportFile.objects.defer("content").get(study=study, format=format, state=state)
        if not (found.status == ReportFile.Status.FAILED or found.is_stale()):
            return found
        # take the failed or lost job over: of two requests, one updates the row
        taken = ReportFile.objects.filter(
            pk=found.pk, status=found.status, updated_at=found.updated_at
        ).update(
            status=ReportFile.Status.QUEUED,
            stage="",
            percent=0,
            problem="",
            updated_at=timezone.now(),
        )
        if not taken:
            found.refresh_from_db()
            return found
        made = found
    build_report_file.enqueue(made.pk)
    return ReportFile.objects.defer("content").get(pk=made.pk)


def _record(file_id: int, **fields: Any) -> None:
    """Record a job's progress (only while it is in progress)."""
    ReportFile.objects.filter(
        pk=file_id, status__in=(ReportFile.Status.QUEUED, ReportFile.Status.RUNNING)
    ).update(updated_at=timezone.now(), **fields)


def _analysis_progress(file_id: int) -> Progress:
    """The analysis' progress as the bar's percentage (one write per percent)."""
    shown = [ANALYSIS_START]

    def progress(done: int, total: int) -> None:
        percent = ANALYSIS_START + (WRITING_START - ANALYSIS_START) * done // max(total, 1)
        if percent > shown[0]:
            shown[0] = percent
            _record(file_id, percent=percent)

    return progress


def report_analysis(document: StudyDocument, state: str, progress: Progress) -> StudyAnalysis:
    """The analysis of a state, from the cache when another format computed it."""
    key = f"anticipe:report:analysis:{state}"
    analysis: StudyAnalysis | None = cache.get(key)
    if analysis is None:
        analysis = analyse_study(document, progress=progress)
        cache.set(key, analysis, ANALYSIS_SECONDS)
    return analysis


def render_file(document: StudyDocument, format: str, analysis: StudyAnalysis) -> bytes:
    """The report's file, written by the command line's function."""
    with tempfile.TemporaryDirectory(prefix="anticipe-report-") as folder:
        path = render_report(document, format, Path(folder) / f"report.{format}", analysis=analysis)
        return path.read_bytes()


class StudyChangedError(Exception):
    """The study's state is no longer the one the file was asked for."""


@task()
def build_report_file(file_id: int) -> str:
    """Make the file of a :class:`ReportFile` job; returns what became of it."""
    job = ReportFile.objects.defer("content").select_related("study").filter(pk=file_id).first()
    if job is None or not job.in_progress:
        return "nothing to do"
    _record(file_id, status=ReportFile.Status.RUNNING, stage=ReportFile.Stage.EXPORT, percent=0)
    try:
        document, state = exported(job.study)
        if state != job.state:
            raise StudyChangedError
        _record(file_id, stage=ReportFile.Stage.ANALYSIS, percent=ANALYSIS_START)
        analysis = report_analysis(document, state, _analysis_progress(file_id))
        _record(file_id, stage=ReportFile.Stage.WRITING, percent=WRITING_START)
        content = render_file(document, job.format, analysis)
    except Exception as error:
        problem = ReportFile.Problem.CHANGED
        if not isinstance(error, StudyChangedError):
            logger.exception("report file %s (%s) of study %s", file_id, job.format, job.study_id)
            problem = ReportFile.Problem.ERROR
        _record(file_id, status=ReportFile.Status.FAILED, stage="", problem=problem)
        return "failed"
    _record(
        file_id,
        status=ReportFile.Status.READY,
        stage="",
        percent=100,
        content=content,
        size=len(content),
    )
    # keep only the latest file of each study and format
    ReportFile.objects.filter(study=job.study_id, format=job.format).exclude(pk=file_id).exclude(
        status__in=(ReportFile.Status.QUEUED, ReportFile.Status.RUNNING)
    ).delete()
    return "ready"
