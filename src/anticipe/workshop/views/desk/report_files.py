"""The study's report as files (PDF, DOCX, HTML, XLSX): the same files as ``anticipe report``.

Who: the study's facilitators, and its observers once the study is published (as the results
pages). Files are made in the background (:mod:`anticipe.workshop.tasks.reports`): the page
asks for a file (POST), shows how far its making is (htmx polls the list while a file is being
made) and offers the file once ready. Every download checks who asks.
"""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.study.errors import StudyInputError
from anticipe.workshop.models import ReportFile, Study
from anticipe.workshop.tasks.reports import (
    FORMATS,
    ReportFiles,
    ready_file,
    report_files,
    request_report,
)
from anticipe.workshop.views.desk.common import results_study
from anticipe.workshop.views.helpers import is_htmx
from anticipe.workshop.views.setup import study_file_name

CONTENT_TYPES = {
    ReportFile.Format.PDF: "application/pdf",
    ReportFile.Format.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ReportFile.Format.HTML: "text/html; charset=utf-8",
    ReportFile.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# what each format is for, as the page says it
USES = {
    ReportFile.Format.PDF: gettext_lazy("to print and to share"),
    ReportFile.Format.DOCX: gettext_lazy("to edit in a word processor"),
    ReportFile.Format.HTML: gettext_lazy("to read in a browser or put on a website"),
    ReportFile.Format.XLSX: gettext_lazy("every table, for a spreadsheet"),
}


def _format(format: str) -> ReportFile.Format:
    if format not in FORMATS:
        raise Http404
    return ReportFile.Format(format)


def _problem_text(problem: StudyInputError) -> str:
    """Why the study cannot be exported, in the page's language."""
    language = get_language()
    problems = getattr(problem, "errors", None) or [problem]
    return " ".join(f"{p.field or ''} {p.message_in(language)}".strip() for p in problems)


def _context(study: Study, files: ReportFiles) -> dict[str, object]:
    rows = [
        {
            "format": fmt,
            "label": ReportFile.Format(fmt).label,
            "use": USES[fmt],
            "file": files.files.get(fmt),
        }
        for fmt in FORMATS
    ]
    problem = _problem_text(files.problem) if files.problem else ""
    return {"study": study, "report": files, "rows": rows, "problem": problem}


@require_GET
def report_page(request: HttpRequest, study_id: int) -> HttpResponse:
    """The report's four files, each to make or to download."""
    study = results_study(request, study_id)
    context = _context(study, report_files(study))
    context.update(section="report", facilitator=study.is_facilitated_by(request.user))
    return render(request, "workshop/desk/report.html", context)


def _files_fragment(request: HttpRequest, study: Study) -> HttpResponse:
    return render(
        request, "workshop/desk/partials/report_files.html", _context(study, report_files(study))
    )


@require_GET
def report_status(request: HttpRequest, study_id: int) -> HttpResponse:
    """The list of files alone: what the page polls while a file is being made."""
    return _files_fragment(request, results_study(request, study_id))


@require_POST
def report_make(request: HttpRequest, study_id: int, format: str) -> HttpResponse:
    """Make the file of the study's current state in a format (nothing when it is ready or
    being made)."""
    study = results_study(request, study_id)
    with suppress(StudyInputError):  # the list says why the study cannot be exported
        request_report(study, _format(format))
    if is_htmx(request):
        return _files_fragment(request, study)
    return redirect("workshop:report", study_id=study.pk)


@require_GET
def report_download(request: HttpRequest, study_id: int, format: str) -> HttpResponse:
    """The file of the study's current state; back to the report's page when it is not
    ready."""
    study = results_study(request, study_id)
    fmt = _format(format)
    found = ready_file(study, fmt)
    if found is None or found.content is None:
        messages.info(
            request,
            _("The %(format)s file of the report is not ready: make it first.")
            % {"format": fmt.label},
        )
        return redirect("workshop:report", study_id=study.pk)
    response = HttpResponse(bytes(found.content), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, study_file_name(study, fmt))
    response["Cache-Control"] = "private, no-cache"
    return response
