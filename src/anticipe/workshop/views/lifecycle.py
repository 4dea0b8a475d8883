"""A study's lifecycle: duplicate it (the template of the next job), archive and unarchive
it, delete it. Only the study's facilitators; every change is a POST; deleting is
confirmed by typing the study's title, after the page offers the study file to keep.

What a copy takes is :mod:`anticipe.workshop.study_copy`'s rule.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop.access import facilitated_study
from anticipe.workshop.forms.setup import DeleteStudyForm, DuplicateForm
from anticipe.workshop.models import AuditEvent, Study
from anticipe.workshop.study_copy import duplicate_study
from anticipe.workshop.views.helpers import posted

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET", "POST"])
def study_duplicate(request: HttpRequest, study_id: int) -> HttpResponse:
    """Make a new study from this one's perimeter and factors (hypotheses if asked)."""
    study = facilitated_study(request, study_id)
    form = DuplicateForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        copy = duplicate_study(study, request.user, hypotheses=form.cleaned_data["hypotheses"])
        messages.success(
            request,
            _("“%(title)s” is created from the perimeter and factors of “%(source)s”.")
            % {"title": copy.title, "source": study.title},
        )
        return redirect("workshop:study", study_id=copy.pk)
    return render(request, "workshop/setup/duplicate.html", {"study": study, "form": form})


@login_required
@require_POST
def study_archive(request: HttpRequest, study_id: int) -> HttpResponse:
    """Archive: the study becomes read-only and leaves the home page's list."""
    study = facilitated_study(request, study_id)
    if study.rounds.open().exists():
        messages.error(request, _("Close the open rounds before archiving the study."))
    elif not study.is_archived():
        with transaction.atomic():
            study.archived_at = timezone.now()
            study.save(update_fields=["archived_at", "updated_at"])
            AuditEvent.record(study, request.user, "study_archived")
        messages.success(request, _("The study is archived: it is read-only until unarchived."))
    return redirect("workshop:study", study_id=study.pk)


@login_required
@require_POST
def study_unarchive(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    if study.is_archived():
        with transaction.atomic():
            study.archived_at = None
            study.save(update_fields=["archived_at", "updated_at"])
            AuditEvent.record(study, request.user, "study_unarchived")
        messages.success(request, _("The study is no longer archived."))
    return redirect("workshop:study", study_id=study.pk)


@login_required
@require_http_methods(["GET", "POST"])
def study_delete(request: HttpRequest, study_id: int) -> HttpResponse:
    """Delete the study and everything in it, once its title is typed (the page offers the
    study file first)."""
    study = facilitated_study(request, study_id)
    form = DeleteStudyForm(*posted(request), study=study)
    if request.method == "POST" and form.is_valid():
        title, pk = study.title, study.pk
        with transaction.atomic():
            Study.objects.filter(pk=pk).delete()
        # its audit log goes with it: the server's log keeps who deleted what
        logger.info("study %s (%r) deleted by user %s", pk, title, request.user.pk)
        messages.success(request, _("The study “%(title)s” is deleted.") % {"title": title})
        return redirect("workshop:home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "workshop/setup/delete.html", {"study": study, "form": form}, status=status
    )


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/duplicate/", study_duplicate, name="study_duplicate"),
    path("studies/<int:study_id>/archive/", study_archive, name="study_archive"),
    path("studies/<int:study_id>/unarchive/", study_unarchive, name="study_unarchive"),
    path("studies/<int:study_id>/delete/", study_delete, name="study_delete"),
]
