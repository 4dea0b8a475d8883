"""The report's own texts: its cover, Part 1 and the facilitator's chapters, edited on one
page (GET shows them, read-only once the study is published; POST saves them, recorded in
the audit log). What is saved is the study file's ``report`` and ``synthesis``, which the
report lays out in the structure of the published studies."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anticipe.workshop.access import facilitated_study, refuse_if_published
from anticipe.workshop.forms.report import ReportTextsForm
from anticipe.workshop.models import AuditEvent


@require_http_methods(["GET", "POST"])
def report_chapters(request: HttpRequest, study_id: int) -> HttpResponse:
    """The form of the report's texts (GET), or saving them (POST)."""
    study = facilitated_study(request, study_id)
    if request.method == "POST":
        refuse_if_published(study)
    initial = ReportTextsForm.initial_for(study)
    data = request.POST if request.method == "POST" else None
    form = ReportTextsForm(data, initial=initial, study=study)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            study.report = form.report()
            study.synthesis = form.synthesis_sections()
            study.save(update_fields=["report", "synthesis", "updated_at"])
            if form.changed_data:
                AuditEvent.record(study, request.user, "report_edited", fields=form.changed_data)
        messages.success(request, _("The report's texts are saved."))
        return redirect("workshop:report_chapters", study_id=study.pk)
    if not study.decisions_are_open():
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "workshop/desk/report_chapters.html",
        {"study": study, "form": form, "section": "report", "facilitator": True},
    )
