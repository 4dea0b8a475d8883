"""The facilitator's study setup: create, import, edit, export and publish a study; its
perimeter (activities and tasks, Table 1 of the seed report), its change factors, its
members (co-facilitators and observers) and its audit log.

Every view fetches and authorises first (:mod:`anticipe.workshop.access`), then does one
thing. Lists that change in place (perimeter, factors, members) are htmx partials
(:class:`~anticipe.workshop.views.helpers.EditableList`): the page includes the partial,
and each endpoint renders the same partial alone for htmx (and redirects back to the page
without JavaScript).

Once a study is published its content is frozen: the perimeter, the factors and the job
cannot change until a facilitator reopens it (403,
:func:`~anticipe.workshop.access.editable_study`). Members, the audit log and the export
stay available.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.limits import MAX_IMPORTED_VALUES
from anticipe.study.messages import translate
from anticipe.study.study_file import dump_study, parse_study
from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study, visible_study
from anticipe.workshop.forms import setup as setup_forms
from anticipe.workshop.forms.setup import (
    ActivityForm,
    FactorForm,
    StudyForm,
    TaskEditForm,
    TaskForm,
)
from anticipe.workshop.models import Activity, AuditEvent, Factor, Study, StudyMember, Task
from anticipe.workshop.study_format import export_study, import_study, record_import
from anticipe.workshop.views.helpers import (
    EditableList,
    item_form_response,
    moved,
    next_position,
    posted,
)
from anticipe.workshop.views.study_path import path_rows

logger = logging.getLogger(__name__)

# -- the study ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def study_new(request: HttpRequest) -> HttpResponse:
    """Create a study; its creator becomes its facilitator."""
    form = StudyForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            study = form.save(commit=False)
            owner: Any = request.user  # signed in (login_required)
            study.created_by = owner
            study.save()
            StudyMember.objects.create(study=study, user=owner, role=StudyMember.Role.FACILITATOR)
            AuditEvent.record(study, request.user, "study_created", title=study.title)
        messages.success(request, _("The study is created. Describe the job's perimeter next."))
        return redirect("workshop:study", study_id=study.pk)
    return render(request, "workshop/setup/study_form.html", {"form": form, "study": None})


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    form = StudyForm(*posted(request), instance=study)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if form.changed_data:
                AuditEvent.record(study, request.user, "study_edited", fields=form.changed_data)
        messages.success(request, _("Saved."))
        return redirect("workshop:study", study_id=study.pk)
    return render(request, "workshop/setup/study_form.html", {"form": form, "study": study})


def study_counts(study: Study) -> dict[str, int]:
    return {
        "activities": study.activities.count(),
        "tasks": Task.objects.filter(activity__study=study).count(),
        "factors": study.factors.count(),
        "experts": study.experts.count(),
        "rounds": study.rounds.count(),
    }


@login_required
def study(request: HttpRequest, study_id: int) -> HttpResponse:
    """The study's hub: facilitators run it from here; observers read its status and,
    once it is published, reach its results."""
    current = visible_study(request, study_id)
    facilitating = current.is_facilitated_by(request.user)
    context: dict[str, Any] = {
        "study": current,
        "facilitating": facilitating,
        "results_visible": current.results_are_visible_to(request.user),
        "counts": study_counts(current),
    }
    if facilitating:
        context["open_rounds"] = list(current.rounds.open())
        context["path"] = path_rows(current)
    return render(request, "workshop/setup/study.html", context)


@login_required
@require_POST
def study_publish(request: HttpRequest, study_id: int) -> HttpResponse:
    """Publish: observers see the results; the panel's decisions are frozen."""
    study = facilitated_study(request, study_id)
    open_rounds = list(study.rounds.open())
    if study.is_archived():
        messages.error(request, _("This study is archived: unarchive it before changing it."))
    elif open_rounds:
        messages.error(
            request,
            _("Close the open round before publishing: %(rounds)s.")
            % {"rounds": ", ".join(str(r) for r in open_rounds)},
        )
    elif study.is_published():
        messages.info(request, _("The study is already published."))
    else:
        with transaction.atomic():
            study.status = Study.Status.PUBLISHED
            study.save(update_fields=["status", "updated_at"])
            AuditEvent.record(study, request.user, "study_published")
        messages.success(request, _("The study is published: observers now see its results."))
    return redirect("workshop:study", study_id=study.pk)


@login_required
@require_POST
def study_reopen(request: HttpRequest, study_id: int) -> HttpResponse:
    """Reopen a published study: its content and decisions can change again."""
    study = facilitated_study(request, study_id)
    if study.is_published():
        with transaction.atomic():
            study.status = Study.Status.RUNNING
            study.save(update_fields=["status", "updated_at"])
            AuditEvent.record(study, request.user, "study_reopened")
        messages.success(request, _("The study is reopened: observers no longer see its results."))
    return redirect("workshop:study", study_id=study.pk)


# -- study files: export and import -------------------------------------------------------------


def study_file_name(study: Study, extension: str = "json") -> str:
    """A file of the study named after its job: ``médiateur-numérique.json``; the middle
    dot of inclusive writing keeps the words apart (``conseiller-ère``, not
    ``conseillerère``)."""
    title = re.sub(r"[·•‧⋅]", "-", study.title)
    return f"{slugify(title, allow_unicode=True) or 'study'}.{extension}"


@login_required
def study_export(request: HttpRequest, study_id: int) -> HttpResponse:
    """Download the study as a study file (pseudonymous: experts by code and sector)."""
    study = facilitated_study(request, study_id)
    try:
        document = export_study(study)
    except StudyInputError as error:
        problems = getattr(error, "errors", [error])
        language = get_language()
        messages.error(
            request,
            _("The study cannot be exported: %(problems)s")
            % {
                "problems": translate(language, "separator.semicolon").join(
                    f"{p.field or ''} {p.message_in(language)}".strip() for p in problems
                )
            },
        )
        return redirect("workshop:study", study_id=study.pk)
    response = HttpResponse(
        dump_study(document).encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, study_file_name(study))
    return response


@dataclass
class ImportProblem:
    """One problem of an uploaded study file, as the page shows it."""

    message: str
    location: str = ""
    field: str | None = None
    row: int | None = None
    colon: str = ": "
    """What separates the location from the message (``" : "`` in French)."""


def import_problems(error: StudyInputError, language: str) -> list[ImportProblem]:
    """Every problem of a study file, with where it is, in `language` (the study layer's
    catalogue has the words, in French and English)."""
    listed = error.errors if isinstance(error, StudyInputErrors) else [error]
    colon = translate(language, "separator.colon")
    return [
        ImportProblem(
            message=p.message_in(language),
            location=p.location_in(language),
            field=p.field,
            row=p.row,
            colon=colon,
        )
        for p in listed
    ]


@login_required
@require_http_methods(["GET", "POST"])
def study_import(request: HttpRequest) -> HttpResponse:
    """Create a new study from a study file. Nothing is created when the file has a
    problem: every problem is listed with where it is."""
    form = setup_forms.ImportForm(*posted(request, files=True))
    problems: list[ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = str(upload.name or "study.json")
        try:
            document = parse_study(upload.read(), source=name, max_values=MAX_IMPORTED_VALUES)
            with transaction.atomic():
                study = import_study(document, owner=request.user)
                record_import(study, request.user, name)
        except StudyInputError as error:
            problems = import_problems(error, get_language())
        except DatabaseError:
            logger.exception("study file %s could not be stored", name)
            problems = [
                ImportProblem(
                    message=_(
                        "The study could not be stored: a text may be longer than the site "
                        "accepts. Nothing was created."
                    ),
                    location=name,
                    colon=translate(get_language(), "separator.colon"),
                )
            ]
        else:
            messages.success(request, _("The study is imported."))
            return redirect("workshop:study", study_id=study.pk)
    return render(
        request,
        "workshop/setup/import.html",
        {"form": form, "problems": problems},
    )


# -- perimeter: activities and tasks ------------------------------------------------------------


@dataclass
class ActivityRow:
    """An activity in the perimeter list, with its tasks and its add-a-task form."""

    activity: Activity
    tasks: list[Task]
    task_form: TaskForm
    first: bool = False
    last: bool = False
    adding_task: bool = False  # keep its add-a-task form open


@dataclass
class PerimeterState:
    """What the perimeter partial shows after an action."""

    activity_form: ActivityForm | None = None
    task_forms: dict[int, TaskForm] = field(default_factory=dict)
    added: bool = False
    task_added_to: int | None = None


def task_form_prefix(activity: Activity) -> str:
    return f"task-{activity.pk}"


def activity_row(
    study: Study, activity: Activity, state: PerimeterState, first: bool, last: bool
) -> ActivityRow:
    tasks = list(activity.tasks.all())
    task_form = state.task_forms.get(activity.pk) or TaskForm(
        study=study,
        prefix=task_form_prefix(activity),
        initial={"code": f"{activity.code}.{len(tasks) + 1}"},
    )
    if state.task_added_to == activity.pk:
        task_form.fields["title"].widget.attrs["autofocus"] = True
    return ActivityRow(
        activity=activity,
        tasks=tasks,
        task_form=task_form,
        first=first,
        last=last,
        adding_task=activity.pk in state.task_forms or state.task_added_to == activity.pk,
    )


def perimeter_context(
    request: HttpRequest, study: Study, state: PerimeterState | None, problem: str
) -> dict[str, Any]:
    state = state or PerimeterState()
    activities = list(study.activities_in_order().prefetch_related("tasks"))
    rows = [
        activity_row(study, activity, state, index == 0, index == len(activities) - 1)
        for index, activity in enumerate(activities)
    ]
    activity_form = state.activity_form or ActivityForm(
        study=study, prefix="activity", initial={"code": str(len(activities) + 1)}
    )
    if state.added:
        activity_form.fields["code"].widget.attrs["autofocus"] = True
    return {
        "study": study,
        "rows": rows,
        "activity_form": activity_form,
        "problem": problem,
        "editable": study.decisions_are_open(),
    }


PERIMETER = EditableList(
    page="workshop/setup/perimeter.html",
    partial="workshop/setup/partials/perimeter.html",
    element="perimeter",
    url_name="workshop:perimeter",
    context=perimeter_context,
)


@login_required
def perimeter(request: HttpRequest, study_id: int) -> HttpResponse:
    """The job's perimeter (Table 1): activities, their explanatory content and tasks."""
    return PERIMETER.response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def activity_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    form = ActivityForm(request.POST, study=study, prefix="activity")
    if not form.is_valid():
        return PERIMETER.response(request, study, PerimeterState(activity_form=form))
    with transaction.atomic():
        activity = form.save(commit=False)
        activity.study = study
        activity.position = next_position(study.activities.all())
        activity.save()
        AuditEvent.record(study, request.user, "activity_added", code=activity.code)
    return PERIMETER.added(request, study, PerimeterState(added=True))


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    form = ActivityForm(*posted(request), instance=activity, study=study, prefix="activity")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            AuditEvent.record(
                study, request.user, "activity_edited", code=activity.code, fields=form.changed_data
            )
        return PERIMETER.back(request, study)
    return item_form_response(
        request,
        "workshop/setup/partials/activity_form.html",
        "workshop/setup/activity_edit.html",
        {"study": study, "activity": activity, "form": form},
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    if rules.activity_in_use(activity):
        return PERIMETER.back(
            request,
            study,
            _(
                "Activity %(code)s cannot be deleted: impacts of hypotheses on it were "
                "proposed or decided. Edit its wording instead."
            )
            % {"code": activity.code},
        )
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "activity_deleted",
            code=activity.code,
            title=activity.title,
            tasks=activity.tasks.count(),
        )
        activity.delete()
    return PERIMETER.back(request, study)


@login_required
@require_POST
def activity_move(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    items = list(study.activities_in_order())
    moved(request, study, items, activity, "activity_moved", code=activity.code)
    return PERIMETER.back(request, study)


@login_required
@require_POST
def task_add(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    form = TaskForm(request.POST, study=study, prefix=task_form_prefix(activity))
    if not form.is_valid():
        return PERIMETER.response(request, study, PerimeterState(task_forms={activity.pk: form}))
    with transaction.atomic():
        task = form.save(commit=False)
        task.activity = activity
        task.position = next_position(activity.tasks.all())
        task.save()
        AuditEvent.record(study, request.user, "task_added", code=task.code, activity=activity.code)
    return PERIMETER.added(request, study, PerimeterState(task_added_to=activity.pk))


def task_of_study(study: Study, task_id: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("activity"), pk=task_id, activity__study=study
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    task = task_of_study(study, task_id)
    previous_activity = task.activity
    form = TaskEditForm(*posted(request), instance=task, study=study, prefix="task")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            task = form.save(commit=False)
            if task.activity != previous_activity:
                task.position = next_position(task.activity.tasks.all())
            task.save()
            AuditEvent.record(
                study, request.user, "task_edited", code=task.code, fields=form.changed_data
            )
        return PERIMETER.back(request, study)
    return item_form_response(
        request,
        "workshop/setup/partials/task_form.html",
        "workshop/setup/task_edit.html",
        {"study": study, "task": task, "form": form},
    )


@login_required
@require_POST
def task_delete(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    task = task_of_study(study, task_id)
    with transaction.atomic():
        AuditEvent.record(study, request.user, "task_deleted", code=task.code, title=task.title)
        task.delete()
    return PERIMETER.back(request, study)


@login_required
@require_POST
def task_move(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    task = task_of_study(study, task_id)
    items = list(task.activity.tasks.order_by("position", "id"))
    moved(request, study, items, task, "task_moved", code=task.code)
    return PERIMETER.back(request, study)


# -- change factors -----------------------------------------------------------------------------


@dataclass
class FactorsState:
    add_form: FactorForm | None = None
    added: bool = False


def factors_context(
    request: HttpRequest, study: Study, state: FactorsState | None, problem: str
) -> dict[str, Any]:
    state = state or FactorsState()
    add_form = state.add_form or FactorForm(
        study=study, prefix="factor", initial={"code": rules.next_factor_code(study)}
    )
    if state.added:
        add_form.fields["title"].widget.attrs["autofocus"] = True
    return {
        "study": study,
        "factors": list(study.factors.order_by("position", "id")),
        "in_use": rules.factors_in_use(study),
        "add_form": add_form,
        "problem": problem,
        "editable": study.decisions_are_open(),
    }


FACTORS = EditableList(
    page="workshop/setup/factors.html",
    partial="workshop/setup/partials/factors.html",
    element="factors",
    url_name="workshop:factors",
    context=factors_context,
)


@login_required
def factors(request: HttpRequest, study_id: int) -> HttpResponse:
    """The study's change factors (A1, A2...), their wording and order."""
    return FACTORS.response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def factor_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    form = FactorForm(request.POST, study=study, prefix="factor")
    if not form.is_valid():
        return FACTORS.response(request, study, FactorsState(add_form=form))
    with transaction.atomic():
        factor = form.save(commit=False)
        factor.study = study
        factor.position = next_position(study.factors.all())
        factor.save()
        AuditEvent.record(study, request.user, "factor_added", code=factor.code)
    return FACTORS.added(request, study, FactorsState(added=True))


@login_required
@require_http_methods(["GET", "POST"])
def factor_edit(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    code_editable = factor.pk not in rules.factors_in_use(study)
    form = FactorForm(
        *posted(request),
        instance=factor,
        study=study,
        code_editable=code_editable,
        prefix="factor",
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            AuditEvent.record(
                study, request.user, "factor_edited", code=factor.code, fields=form.changed_data
            )
        return FACTORS.back(request, study)
    return item_form_response(
        request,
        "workshop/setup/partials/factor_form.html",
        "workshop/setup/factor_edit.html",
        {"study": study, "factor": factor, "form": form, "code_editable": code_editable},
    )


@login_required
@require_POST
def factor_delete(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    uses = rules.factor_uses(factor)
    if uses:
        return FACTORS.back(
            request,
            study,
            _("Factor %(code)s cannot be deleted: %(uses)s refer to it. Edit its wording instead.")
            % {"code": factor.code, "uses": ", ".join(uses)},
        )
    with transaction.atomic():
        AuditEvent.record(
            study, request.user, "factor_deleted", code=factor.code, title=factor.title
        )
        factor.delete()
    return FACTORS.back(request, study)


@login_required
@require_POST
def factor_move(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    items = list(study.factors.order_by("position", "id"))
    moved(request, study, items, factor, "factor_moved", code=factor.code)
    return FACTORS.back(request, study)


urlpatterns: list[URLPattern] = [
    path("studies/new/", study_new, name="study_new"),
    path("studies/import/", study_import, name="study_import"),
    path("studies/<int:study_id>/", study, name="study"),
    path("studies/<int:study_id>/edit/", study_edit, name="study_edit"),
    path("studies/<int:study_id>/export/", study_export, name="study_export"),
    path("studies/<int:study_id>/publish/", study_publish, name="study_publish"),
    path("studies/<int:study_id>/reopen/", study_reopen, name="study_reopen"),
    path("studies/<int:study_id>/perimeter/", perimeter, name="perimeter"),
    path("studies/<int:study_id>/perimeter/activities/add/", activity_add, name="activity_add"),
    path(
        "studies/<int:study_id>/perimeter/activities/<int:activity_id>/edit/",
        activity_edit,
        name="activity_edit",
    ),
    path(
        "studies/<int:study_id>/perimeter/activities/<int:activity_id>/delete/",
        activity_delete,
        name="activity_delete",
    ),
    path(
        "studies/<int:study_id>/perimeter/activities/<int:activity_id>/move/",
        activity_move,
        name="activity_move",
    ),
    path(
        "studies/<int:study_id>/perimeter/activities/<int:activity_id>/tasks/add/",
        task_add,
        name="task_add",
    ),
    path("studies/<int:study_id>/perimeter/tasks/<int:task_id>/edit/", task_edit, name="task_edit"),
    path(
        "studies/<int:study_id>/perimeter/tasks/<int:task_id>/delete/",
        task_delete,
        name="task_delete",
    ),
    path("studies/<int:study_id>/perimeter/tasks/<int:task_id>/move/", task_move, name="task_move"),
    path("studies/<int:study_id>/factors/", factors, name="factors"),
    path("studies/<int:study_id>/factors/add/", factor_add, name="factor_add"),
    path("studies/<int:study_id>/factors/<int:factor_id>/edit/", factor_edit, name="factor_edit"),
    path(
        "studies/<int:study_id>/factors/<int:factor_id>/delete/",
        factor_delete,
        name="factor_delete",
    ),
    path("studies/<int:study_id>/factors/<int:factor_id>/move/", factor_move, name="factor_move"),
]
