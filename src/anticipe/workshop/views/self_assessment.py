"""The facilitator's self-assessment page: publish the questionnaire (the competences
asked), set the smallest group shown, make groups (each with its link and QR code), close a
group, and read each closed group's counts, or download them (CSV/XLSX: the page's numbers,
nothing more; refused with a 404 for a group the page shows no counts of).

Facilitators act; observers read the page once the study is published
(:func:`~anticipe.workshop.access.study_with_results`). Nobody sees a respondent's answers:
a group's counts appear once it is closed and when it has at least the minimum of
respondents (:mod:`anticipe.workshop.self_assessment`). The actions are allowed on a
published study (the self-assessment comes after the foresight), never on an archived one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe import presentation
from anticipe.study.self_assessment import profile_competences
from anticipe.workshop import downloads
from anticipe.workshop.access import StudyIsArchived, facilitated_study, study_with_results
from anticipe.workshop.forms.self_assessment import GroupForm, MinGroupSizeForm, PublishForm
from anticipe.workshop.models import AuditEvent, RespondentGroup, Study
from anticipe.workshop.qr import qr_svg
from anticipe.workshop.results.self_assessment_page import group_tables
from anticipe.workshop.self_assessment import (
    publish_snapshot,
    settings_of,
    settings_to_change,
    shown_group,
    shown_groups,
    study_questionnaire,
)
from anticipe.workshop.study_format import study_document

PAGE = "workshop/desk/self_assessment.html"


def managed_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user facilitates it (404 otherwise) and it is not archived (403)."""
    study = facilitated_study(request, study_id)
    if study.is_archived():
        raise StudyIsArchived
    return study


def group_link(request: HttpRequest, group: RespondentGroup) -> str:
    return request.build_absolute_uri(reverse("workshop:respond", args=[group.token]))


def page(
    request: HttpRequest,
    study: Study,
    *,
    publish_form: PublishForm | None = None,
    size_form: MinGroupSizeForm | None = None,
    group_form: GroupForm | None = None,
    status: int = 200,
) -> HttpResponse:
    settings = settings_of(study)
    facilitator = study.is_facilitated_by(request.user)
    language = get_language() or study.language
    groups: list[dict[str, Any]] = []
    # the published questions, read once for the page and its groups
    questions = (
        study_questionnaire(study, language, settings=settings) if settings.published else None
    )
    for view in shown_groups(study, language, questions):
        link = group_link(request, view.group)
        # the link only where it works (not for a closed or imported group, nor on an
        # archived study: the model's one rule)
        shown_link = settings.published and view.group.accepts_answers()
        rows = [
            {**c, "share_below_text": presentation.percent(c["share_below"], language)}
            for c in (view.results["competences"] if view.results else [])
        ]
        groups.append(
            {
                "view": view,
                "rows": rows,
                "link": link if shown_link and facilitator else "",
                "qr": qr_svg(link, _("QR code of the group's link"))
                if shown_link and facilitator
                else "",
            }
        )
    if publish_form is None and not settings.published:
        initial = profile_competences(study_document(study))
        publish_form = PublishForm(study=study, initial={"competences": initial})
    context = {
        "study": study,
        "facilitator": facilitator,
        "section": "self-assessment",
        "settings": settings,
        "questions": questions["questions"] if questions is not None else [],
        "publish_form": publish_form,
        "size_form": size_form or MinGroupSizeForm(instance=settings),
        "group_form": group_form or GroupForm(study=study),
        "groups": groups,
        "editable": facilitator and not study.is_archived(),
    }
    return render(request, PAGE, context, status=status)


@require_GET
def self_assessment(request: HttpRequest, study_id: int) -> HttpResponse:
    """The page: facilitators, and observers once the study is published."""
    return page(request, study_with_results(request, study_id))


@require_GET
def respondent_group_download(
    request: HttpRequest, study_id: int, group_id: int, fmt: str
) -> HttpResponse:
    """A group's counts as CSV or XLSX, for those who see the page (facilitators, and
    observers once the study is published): only a group whose counts the page shows
    (closed, with at least the smallest group), 404 for any other."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    study = study_with_results(request, study_id)
    view = shown_group(study, group_id, get_language() or study.language)
    if view is None:
        raise Http404
    tables = group_tables(view)
    name = f"study-{study.pk}-self-assessment-{view.group.code}"
    if fmt == "csv":
        return downloads.csv_response(name, tables)
    return downloads.xlsx_response(name, tables)


@require_POST
def self_assessment_publish(request: HttpRequest, study_id: int) -> HttpResponse:
    """Publish the questionnaire on the competences chosen, once: its snapshot is kept, and
    the questions then stay as published (there is no unpublishing: answers given are always
    read on the questions that were asked)."""
    study = managed_study(request, study_id)
    form = PublishForm(request.POST, study=study)
    with transaction.atomic():
        settings = settings_to_change(study)
        if settings.published:
            messages.info(request, _("The self-assessment is already published."))
            return redirect("workshop:self_assessment", study_id=study.pk)
        if not form.is_valid():
            return page(request, study, publish_form=form, status=400)
        publish_snapshot(study, settings, form.cleaned_data["competences"])
        settings.published = True
        settings.save(update_fields=["competences", "questionnaire", "published"])
        AuditEvent.record(
            study, request.user, "self_assessment_published", count=len(settings.competences)
        )
    messages.success(
        request, _("The self-assessment is published: make a group to share its link.")
    )
    return redirect("workshop:self_assessment", study_id=study.pk)


@require_POST
def self_assessment_min_group(request: HttpRequest, study_id: int) -> HttpResponse:
    """The smallest group whose counts are shown and exported."""
    study = managed_study(request, study_id)
    with transaction.atomic():
        settings = settings_to_change(study)
        form = MinGroupSizeForm(request.POST, instance=settings)
        if not form.is_valid():
            return page(request, study, size_form=form, status=400)
        form.save()
    AuditEvent.record(
        study, request.user, "self_assessment_min_group", size=settings.min_group_size
    )
    messages.success(request, _("The smallest group shown is saved."))
    return redirect("workshop:self_assessment", study_id=study.pk)


@require_POST
def respondent_group_add(request: HttpRequest, study_id: int) -> HttpResponse:
    """A new group of respondents, with its own link."""
    study = managed_study(request, study_id)
    form = GroupForm(request.POST, study=study)
    if not settings_of(study).published:
        form.add_error(None, _("Publish the self-assessment before making its groups."))
    if not form.is_valid():
        return page(request, study, group_form=form, status=400)
    group = form.save(commit=False)
    group.study = study
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:  # the same code made meanwhile, in another tab
        form.add_error(
            "code",
            _("The group “%(code)s” exists already: choose another code.") % {"code": group.code},
        )
        return page(request, study, group_form=form, status=400)
    AuditEvent.record(study, request.user, "respondent_group_added", code=group.code)
    messages.success(
        request,
        _("The group “%(code)s” is made: share its link or QR code.") % {"code": group.code},
    )
    return redirect("workshop:self_assessment", study_id=study.pk)


@require_POST
def respondent_group_close(request: HttpRequest, study_id: int, group_id: int) -> HttpResponse:
    """Close a group for good: nobody answers in it any more, and its counts can be shown."""
    study = managed_study(request, study_id)
    group = get_object_or_404(RespondentGroup, pk=group_id, study=study, imported=False)
    if not group.closed:
        group.closed = True
        group.save(update_fields=["closed"])
        AuditEvent.record(study, request.user, "respondent_group_closed", code=group.code)
    messages.success(request, _("The group “%(code)s” is closed.") % {"code": group.code})
    return redirect("workshop:self_assessment", study_id=study.pk)


_STUDY = "studies/<int:study_id>/self-assessment/"

urlpatterns: list[URLPattern] = [
    path(_STUDY, self_assessment, name="self_assessment"),
    path(_STUDY + "publish/", self_assessment_publish, name="self_assessment_publish"),
    path(_STUDY + "smallest-group/", self_assessment_min_group, name="self_assessment_min_group"),
    path(_STUDY + "groups/add/", respondent_group_add, name="respondent_group_add"),
    path(
        _STUDY + "groups/<int:group_id>/counts.<str:fmt>",
        respondent_group_download,
        name="respondent_group_download",
    ),
    path(
        _STUDY + "groups/<int:group_id>/close/",
        respondent_group_close,
        name="respondent_group_close",
    ),
]
