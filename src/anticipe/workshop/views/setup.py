"""The facilitator's study setup: create, import, edit, export and publish a study; its
perimeter (activities and tasks, Table 1 of the seed report), its change factors, its
members (co-facilitators and observers) and its audit log.

Every view fetches and authorises first (:mod:`anticipe.workshop.access`), then does one
thing. Lists that change in place (perimeter, factors, members) are htmx partials: the page
includes the partial, and each endpoint renders the same partial alone for htmx (and
redirects back to the page without JavaScript).

Once a study is published its content is frozen: the perimeter, the factors and the job
cannot change until a facilitator reopens it. Members, the audit log and the export stay
available.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db import DatabaseError, transaction
from django.db.models import Max, Model, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.messages import translate
from anticipe.study.study_file import dump_study, parse_study
from anticipe.workshop.access import facilitated_study, visible_study
from anticipe.workshop.models import (
    Activity,
    AuditEvent,
    Factor,
    FactorPoints,
    FactorProposal,
    Impact,
    ImpactProposal,
    InfluenceScore,
    Situation,
    Study,
    StudyMember,
    Task,
)
from anticipe.workshop.study_format import export_study, import_study

logger = logging.getLogger(__name__)

MAX_STUDY_FILE_BYTES = 20 * 1024 * 1024
AUDIT_PAGE_SIZE = 100

# What each audit action of this module means, for the audit page.
ACTION_LABELS = {
    "study_created": gettext_lazy("Study created"),
    "study_imported": gettext_lazy("Study imported from a study file"),
    "study_edited": gettext_lazy("Job or horizon edited"),
    "study_published": gettext_lazy("Study published"),
    "study_reopened": gettext_lazy("Study reopened"),
    "activity_added": gettext_lazy("Activity added"),
    "activity_edited": gettext_lazy("Activity edited"),
    "activity_deleted": gettext_lazy("Activity deleted"),
    "activity_moved": gettext_lazy("Activity moved"),
    "task_added": gettext_lazy("Task added"),
    "task_edited": gettext_lazy("Task edited"),
    "task_deleted": gettext_lazy("Task deleted"),
    "task_moved": gettext_lazy("Task moved"),
    "factor_added": gettext_lazy("Factor added"),
    "factor_edited": gettext_lazy("Factor edited"),
    "factor_deleted": gettext_lazy("Factor deleted"),
    "factor_moved": gettext_lazy("Factor moved"),
    "member_added": gettext_lazy("Member added"),
    "member_role_changed": gettext_lazy("Member's role changed"),
    "member_removed": gettext_lazy("Member removed"),
}


# -- small helpers ------------------------------------------------------------------------------


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data: what was posted (even nothing), or none on GET (an unbound form)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def refuse_if_published(request: HttpRequest, study: Study) -> HttpResponse | None:
    """A published study's content is frozen: say so and go back to its page."""
    if study.decisions_are_open():
        return None
    messages.error(request, _("This study is published: reopen it before changing it."))
    url = reverse("workshop:study", args=[study.pk])
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def next_position(items: Any) -> int:
    """The position after the last of `items` (a queryset with a `position` field)."""
    highest = items.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def move_in_order(items: list[Any], item: Model, direction: str) -> bool:
    """Swap `item` with its neighbour in `items` (already in order) and renumber the
    positions 0, 1, 2...; False when it is already at that end."""
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    changed = []
    for position, candidate in enumerate(items):
        if candidate.position != position:
            candidate.position = position
            changed.append(candidate)
    type(item).objects.bulk_update(changed, ["position"])  # type: ignore[attr-defined]
    return True


def move_direction(request: HttpRequest) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in {"up", "down"} else None


CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$",
    message=gettext_lazy(
        "A code is made of letters, digits, '.', '_' or '-', starts with a letter or a digit "
        "and has at most 32 characters."
    ),
)


def code_field(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        validators=[CODE_VALIDATOR],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DescribedForm(forms.BaseForm):
    """Ties each field to its help text and error message, with the ids the shared form
    partial gives them (workshop/partials/form_fields.html)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()

    def describe_fields(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        pattern = self.auto_id if isinstance(self.auto_id, str) else "%s"
        for name, bound in self.fields.items():
            widget_id = pattern % self.add_prefix(name)
            ids = [f"{widget_id}-help"] if bound.help_text else []
            if name in errors:
                ids.append(f"{widget_id}-error")
            if ids:
                bound.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                bound.widget.attrs.pop("aria-describedby", None)


# -- the study ----------------------------------------------------------------------------------


class StudyForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    horizon_years_min = forms.IntegerField(
        label=gettext_lazy("Horizon from (years)"), min_value=1, max_value=30, initial=3
    )
    horizon_years_max = forms.IntegerField(
        label=gettext_lazy("Horizon to (years)"), min_value=1, max_value=30, initial=5
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "job_description",
            "job_code",
            "horizon_years_min",
            "horizon_years_max",
            "horizon_label",
            "language",
        ]
        labels = {
            "title": gettext_lazy("Job title"),
            "job_description": gettext_lazy("Description of the job"),
            "job_code": gettext_lazy("Occupation code"),
            "horizon_label": gettext_lazy("Horizon label"),
            "language": gettext_lazy("Language of the study"),
        }
        help_texts = {
            "title": gettext_lazy("The job under study, for example: digital mediator."),
            "job_code": gettext_lazy("Optional: an ESCO or ROME code, for example."),
            "horizon_label": gettext_lazy(
                "Optional: the years the study looks at, e.g. 2029-2031."
            ),
            "language": gettext_lazy("The language of the study's texts and of its report."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_description"].widget.attrs["rows"] = 4

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        low, high = cleaned.get("horizon_years_min"), cleaned.get("horizon_years_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "horizon_years_max",
                _("The horizon cannot end before it starts: give a number of years ≥ %(low)s.")
                % {"low": low},
            )
        return cleaned


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
    study = facilitated_study(request, study_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
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
    return render(request, "workshop/setup/study.html", context)


@login_required
@require_POST
def study_publish(request: HttpRequest, study_id: int) -> HttpResponse:
    """Publish: observers see the results; the panel's decisions are frozen."""
    study = facilitated_study(request, study_id)
    open_rounds = list(study.rounds.open())
    if open_rounds:
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


def study_file_name(study: Study) -> str:
    return f"{slugify(study.title, allow_unicode=True) or 'study'}.json"


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


class ImportForm(DescribedForm, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Study file (.json)"),
        help_text=gettext_lazy(
            "A study file exported from Anticipe or written with the anticipe command. "
            "The import creates a new study; you become its facilitator."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STUDY_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(megabytes)s MB).")
                % {"megabytes": MAX_STUDY_FILE_BYTES // (1024 * 1024)}
            )
        return upload


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
    form = ImportForm(*posted(request, files=True))
    problems: list[ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = str(upload.name or "study.json")
        try:
            document = parse_study(upload.read(), source=name)
            with transaction.atomic():
                study = import_study(document, owner=request.user)
                AuditEvent.record(study, request.user, "study_imported", file=name)
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


class ActivityForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example 1, 2, 3."))

    class Meta:
        model = Activity
        fields = ["code", "title", "description"]
        labels = {
            "title": gettext_lazy("Activity"),
            "description": gettext_lazy("Explanatory content"),
        }

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        taken = self.study.activities.filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "Another activity of this study already has the code “%(code)s”: "
                    "each activity needs its own code."
                )
                % {"code": code}
            )
        return code


class TaskForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example 1.1, 1.2."))

    class Meta:
        model = Task
        fields = ["code", "title"]
        labels = {"title": gettext_lazy("Task")}

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        taken = Task.objects.filter(activity__study=self.study, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "Another task of this study already has the code “%(code)s”: "
                    "task codes are unique within the study."
                )
                % {"code": code}
            )
        return code


class TaskEditForm(TaskForm):
    """A task's wording, and the activity it belongs to."""

    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=gettext_lazy("Activity"), empty_label=None
    )

    class Meta(TaskForm.Meta):
        fields = ["code", "title", "activity"]

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, study=study, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = study.activities_in_order()


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
    problem: str = ""
    added: bool = False
    task_added_to: int | None = None


def task_form_prefix(activity: Activity) -> str:
    return f"task-{activity.pk}"


def perimeter_context(study: Study, state: PerimeterState | None = None) -> dict[str, Any]:
    state = state or PerimeterState()
    activities = list(study.activities_in_order().prefetch_related("tasks"))
    rows = []
    for index, activity in enumerate(activities):
        tasks = list(activity.tasks.all())
        task_form = state.task_forms.get(activity.pk) or TaskForm(
            study=study,
            prefix=task_form_prefix(activity),
            initial={"code": f"{activity.code}.{len(tasks) + 1}"},
        )
        if state.task_added_to == activity.pk:
            task_form.fields["title"].widget.attrs["autofocus"] = True
        rows.append(
            ActivityRow(
                activity=activity,
                tasks=tasks,
                task_form=task_form,
                first=index == 0,
                last=index == len(activities) - 1,
                adding_task=activity.pk in state.task_forms or state.task_added_to == activity.pk,
            )
        )
    activity_form = state.activity_form or ActivityForm(
        study=study, prefix="activity", initial={"code": str(len(activities) + 1)}
    )
    if state.added:
        activity_form.fields["code"].widget.attrs["autofocus"] = True
    return {
        "study": study,
        "rows": rows,
        "activity_form": activity_form,
        "problem": state.problem,
        "editable": study.decisions_are_open(),
    }


def perimeter_response(
    request: HttpRequest, study: Study, state: PerimeterState | None = None
) -> HttpResponse:
    """The perimeter list for htmx (always swapped in as a whole), else the page."""
    context = perimeter_context(study, state)
    if is_htmx(request):
        response = render(request, "workshop/setup/partials/perimeter.html", context)
        return reswap(retarget(response, "#perimeter"), "outerHTML")
    return render(request, "workshop/setup/perimeter.html", context)


def back_to_perimeter(request: HttpRequest, study: Study, message: str = "") -> HttpResponse:
    """After an action: the refreshed list for htmx, else back to the page."""
    if is_htmx(request):
        return perimeter_response(request, study, PerimeterState(problem=message))
    if message:
        messages.error(request, message)
    return redirect("workshop:perimeter", study_id=study.pk)


@login_required
def perimeter(request: HttpRequest, study_id: int) -> HttpResponse:
    """The job's perimeter (Table 1): activities, their explanatory content and tasks."""
    return perimeter_response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def activity_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    form = ActivityForm(request.POST, study=study, prefix="activity")
    if not form.is_valid():
        return perimeter_response(request, study, PerimeterState(activity_form=form))
    with transaction.atomic():
        activity = form.save(commit=False)
        activity.study = study
        activity.position = next_position(study.activities.all())
        activity.save()
        AuditEvent.record(study, request.user, "activity_added", code=activity.code)
    if is_htmx(request):
        return perimeter_response(request, study, PerimeterState(added=True))
    return redirect("workshop:perimeter", study_id=study.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    form = ActivityForm(*posted(request), instance=activity, study=study, prefix="activity")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            AuditEvent.record(
                study, request.user, "activity_edited", code=activity.code, fields=form.changed_data
            )
        return back_to_perimeter(request, study)
    form.fields["title"].widget.attrs["autofocus"] = True
    context = {"study": study, "activity": activity, "form": form}
    template = "workshop/setup/partials/activity_form.html"
    if not is_htmx(request):
        template = "workshop/setup/activity_edit.html"
    return render(request, template, context)


def activity_uses(activity: Activity) -> bool:
    """Whether the panel's answers or decisions refer to the activity (impacts)."""
    return (
        Impact.objects.filter(activity=activity).exists()
        or ImpactProposal.objects.filter(activity=activity).exists()
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    if activity_uses(activity):
        return back_to_perimeter(
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
    return back_to_perimeter(request, study)


@login_required
@require_POST
def activity_move(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    direction = move_direction(request)
    if direction is None:
        return HttpResponseBadRequest("direction must be up or down")
    with transaction.atomic():
        if move_in_order(list(study.activities_in_order()), activity, direction):
            AuditEvent.record(
                study, request.user, "activity_moved", code=activity.code, direction=direction
            )
    return back_to_perimeter(request, study)


@login_required
@require_POST
def task_add(request: HttpRequest, study_id: int, activity_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    activity = get_object_or_404(Activity, pk=activity_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    form = TaskForm(request.POST, study=study, prefix=task_form_prefix(activity))
    if not form.is_valid():
        return perimeter_response(request, study, PerimeterState(task_forms={activity.pk: form}))
    with transaction.atomic():
        task = form.save(commit=False)
        task.activity = activity
        task.position = next_position(activity.tasks.all())
        task.save()
        AuditEvent.record(study, request.user, "task_added", code=task.code, activity=activity.code)
    if is_htmx(request):
        return perimeter_response(request, study, PerimeterState(task_added_to=activity.pk))
    return redirect("workshop:perimeter", study_id=study.pk)


def task_of_study(study: Study, task_id: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("activity"), pk=task_id, activity__study=study
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    task = task_of_study(study, task_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
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
        return back_to_perimeter(request, study)
    form.fields["title"].widget.attrs["autofocus"] = True
    context = {"study": study, "task": task, "form": form}
    template = "workshop/setup/partials/task_form.html"
    if not is_htmx(request):
        template = "workshop/setup/task_edit.html"
    return render(request, template, context)


@login_required
@require_POST
def task_delete(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    task = task_of_study(study, task_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    with transaction.atomic():
        AuditEvent.record(study, request.user, "task_deleted", code=task.code, title=task.title)
        task.delete()
    return back_to_perimeter(request, study)


@login_required
@require_POST
def task_move(request: HttpRequest, study_id: int, task_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    task = task_of_study(study, task_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    direction = move_direction(request)
    if direction is None:
        return HttpResponseBadRequest("direction must be up or down")
    with transaction.atomic():
        if move_in_order(list(task.activity.tasks.order_by("position", "id")), task, direction):
            AuditEvent.record(
                study, request.user, "task_moved", code=task.code, direction=direction
            )
    return back_to_perimeter(request, study)


# -- change factors -----------------------------------------------------------------------------


class FactorForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example A1, A2."))

    class Meta:
        model = Factor
        fields = ["code", "title", "description", "reworded_title"]
        labels = {
            "title": gettext_lazy("Factor"),
            "description": gettext_lazy("Description"),
            "reworded_title": gettext_lazy("Reworded title"),
        }
        help_texts = {
            "reworded_title": gettext_lazy(
                "Optional: a rewording agreed later in the study; it is shown instead of "
                "the first wording."
            ),
        }

    def __init__(self, *args: Any, study: Study, code_editable: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.study = study
        if not code_editable:
            del self.fields["code"]
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self.study.factors.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "Another factor of this study already has the code “%(code)s”: "
                    "factor codes are unique within the study."
                )
                % {"code": code}
            )
        return code


def next_factor_code(study: Study) -> str:
    """A1, A2... or the next number after the study's own prefix (F4 -> F5)."""
    codes = list(study.factors.values_list("code", flat=True))
    prefix, highest = "A", 0
    for code in codes:
        letters = code.rstrip("0123456789")
        digits = code[len(letters) :]
        if digits and letters.isalpha() and int(digits) >= highest:
            prefix, highest = letters, int(digits)
    candidate = f"{prefix}{highest + 1}"
    number = highest + 1
    while candidate in codes:
        number += 1
        candidate = f"{prefix}{number}"
    return candidate


def codes_in_round_settings(study: Study) -> set[str]:
    """Factor codes fixed in a round's settings (e.g. the influence matrix's factors)."""
    codes: set[str] = set()
    for settings in study.rounds.values_list("settings", flat=True):
        if isinstance(settings, dict):
            codes.update(str(code) for code in settings.get("factors", []) or [])
    return codes


def factors_in_use(study: Study) -> set[int]:
    """The factors that experts' answers or the panel's decisions refer to."""
    used: set[int] = set()
    used.update(
        FactorProposal.objects.filter(factor__study=study).values_list("factor_id", flat=True)
    )
    used.update(
        FactorPoints.objects.filter(factor__study=study).values_list("factor_id", flat=True)
    )
    scores = InfluenceScore.objects.filter(source__study=study)
    used.update(scores.values_list("source_id", flat=True))
    used.update(scores.values_list("target_id", flat=True))
    used.update(Situation.objects.filter(factor__study=study).values_list("factor_id", flat=True))
    used.update(
        study.factors.filter(Q(hypotheses__isnull=False) | ~Q(key_origin="")).values_list(
            "pk", flat=True
        )
    )
    fixed = codes_in_round_settings(study)
    if fixed:
        used.update(study.factors.filter(code__in=fixed).values_list("pk", flat=True))
    return used


def factor_uses(factor: Factor) -> list[str]:
    """What refers to the factor, in the facilitator's words (empty: free to delete)."""
    uses = []
    if FactorProposal.objects.filter(factor=factor).exists():
        uses.append(_("experts' proposals merged into it"))
    if FactorPoints.objects.filter(factor=factor).exists():
        uses.append(_("answers to the weighted vote"))
    if InfluenceScore.objects.filter(Q(source=factor) | Q(target=factor)).exists():
        uses.append(_("answers to the influence matrix"))
    elif factor.code in codes_in_round_settings(factor.study):
        uses.append(_("a round of the influence matrix"))
    if Situation.objects.filter(factor=factor).exists():
        uses.append(_("answers about current and future situations"))
    if factor.hypotheses.exists():
        uses.append(_("its evolution hypotheses"))
    if factor.is_key():
        uses.append(_("the choice of key factors"))
    return uses


@dataclass
class FactorsState:
    add_form: FactorForm | None = None
    problem: str = ""
    added: bool = False


def factors_context(study: Study, state: FactorsState | None = None) -> dict[str, Any]:
    state = state or FactorsState()
    factors = list(study.factors.order_by("position", "id"))
    add_form = state.add_form or FactorForm(
        study=study, prefix="factor", initial={"code": next_factor_code(study)}
    )
    if state.added:
        add_form.fields["title"].widget.attrs["autofocus"] = True
    return {
        "study": study,
        "factors": factors,
        "in_use": factors_in_use(study),
        "add_form": add_form,
        "problem": state.problem,
        "editable": study.decisions_are_open(),
    }


def factors_response(
    request: HttpRequest, study: Study, state: FactorsState | None = None
) -> HttpResponse:
    context = factors_context(study, state)
    if is_htmx(request):
        response = render(request, "workshop/setup/partials/factors.html", context)
        return reswap(retarget(response, "#factors"), "outerHTML")
    return render(request, "workshop/setup/factors.html", context)


def back_to_factors(request: HttpRequest, study: Study, message: str = "") -> HttpResponse:
    if is_htmx(request):
        return factors_response(request, study, FactorsState(problem=message))
    if message:
        messages.error(request, message)
    return redirect("workshop:factors", study_id=study.pk)


@login_required
def factors(request: HttpRequest, study_id: int) -> HttpResponse:
    """The study's change factors (A1, A2...), their wording and order."""
    return factors_response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def factor_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    form = FactorForm(request.POST, study=study, prefix="factor")
    if not form.is_valid():
        return factors_response(request, study, FactorsState(add_form=form))
    with transaction.atomic():
        factor = form.save(commit=False)
        factor.study = study
        factor.position = next_position(study.factors.all())
        factor.save()
        AuditEvent.record(study, request.user, "factor_added", code=factor.code)
    if is_htmx(request):
        return factors_response(request, study, FactorsState(added=True))
    return redirect("workshop:factors", study_id=study.pk)


@login_required
@require_http_methods(["GET", "POST"])
def factor_edit(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    code_editable = factor.pk not in factors_in_use(study)
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
        return back_to_factors(request, study)
    form.fields["title"].widget.attrs["autofocus"] = True
    context = {"study": study, "factor": factor, "form": form, "code_editable": code_editable}
    template = "workshop/setup/partials/factor_form.html"
    if not is_htmx(request):
        template = "workshop/setup/factor_edit.html"
    return render(request, template, context)


@login_required
@require_POST
def factor_delete(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    uses = factor_uses(factor)
    if uses:
        return back_to_factors(
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
    return back_to_factors(request, study)


@login_required
@require_POST
def factor_move(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    if (refused := refuse_if_published(request, study)) is not None:
        return refused
    direction = move_direction(request)
    if direction is None:
        return HttpResponseBadRequest("direction must be up or down")
    with transaction.atomic():
        if move_in_order(list(study.factors.order_by("position", "id")), factor, direction):
            AuditEvent.record(
                study, request.user, "factor_moved", code=factor.code, direction=direction
            )
    return back_to_factors(request, study)


# -- members ------------------------------------------------------------------------------------


class MemberForm(DescribedForm, forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        help_text=gettext_lazy(
            "An existing account: the site administrator creates accounts in the "
            "administration pages."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=StudyMember.Role.choices,
        help_text=gettext_lazy(
            "A facilitator runs the study with you; an observer reads its results once "
            "it is published."
        ),
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study

    def clean_username(self) -> Any:
        username = str(self.cleaned_data["username"]).strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No account has the user name “%(username)s”. Check the spelling, or ask "
                    "the site administrator to create the account."
                )
                % {"username": username}
            )
        if self.study.members.filter(user=user).exists():
            raise forms.ValidationError(
                _("%(username)s is already a member of this study; change their role below.")
                % {"username": user.get_username()}
            )
        return user


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=StudyMember.Role.choices)


def keeps_a_facilitator(member: StudyMember) -> bool:
    """Whether the study still has a facilitator without `member` as one."""
    if member.role != StudyMember.Role.FACILITATOR:
        return True
    return (
        member.study.members.filter(role=StudyMember.Role.FACILITATOR)
        .exclude(pk=member.pk)
        .exists()
    )


LAST_FACILITATOR = gettext_lazy(
    "A study always keeps at least one facilitator: add another facilitator first."
)


def members_context(
    request: HttpRequest, study: Study, *, form: MemberForm | None = None, problem: str = ""
) -> dict[str, Any]:
    members = list(study.members.select_related("user").order_by("role", "user__username"))
    return {
        "study": study,
        "members": [
            (member, RoleForm(initial={"role": member.role}, prefix=f"member-{member.pk}"))
            for member in members
        ],
        "form": form or MemberForm(study=study, prefix="member"),
        "problem": problem,
        "me": request.user,
    }


def members_response(
    request: HttpRequest,
    study: Study,
    *,
    form: MemberForm | None = None,
    problem: str = "",
) -> HttpResponse:
    context = members_context(request, study, form=form, problem=problem)
    if is_htmx(request):
        response = render(request, "workshop/setup/partials/members.html", context)
        return reswap(retarget(response, "#members"), "outerHTML")
    return render(request, "workshop/setup/members.html", context)


def back_to_members(request: HttpRequest, study: Study, problem: str = "") -> HttpResponse:
    if is_htmx(request):
        return members_response(request, study, problem=problem)
    if problem:
        messages.error(request, problem)
    return redirect("workshop:members", study_id=study.pk)


def leave_for(request: HttpRequest, url: str) -> HttpResponse:
    """Go to `url` (the whole page, also from htmx)."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
def members(request: HttpRequest, study_id: int) -> HttpResponse:
    """Who runs the study (facilitators) and who reads its results (observers)."""
    return members_response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def member_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    form = MemberForm(request.POST, study=study, prefix="member")
    if not form.is_valid():
        return members_response(request, study, form=form)
    user = form.cleaned_data["username"]
    with transaction.atomic():
        StudyMember.objects.create(study=study, user=user, role=form.cleaned_data["role"])
        AuditEvent.record(
            study,
            request.user,
            "member_added",
            user=user.get_username(),
            role=form.cleaned_data["role"],
        )
    return back_to_members(request, study)


def member_of_study(study: Study, member_id: int) -> StudyMember:
    return get_object_or_404(
        StudyMember.objects.select_related("user", "study"), pk=member_id, study=study
    )


@login_required
@require_POST
def member_role(request: HttpRequest, study_id: int, member_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()  # one change at a time
        member = member_of_study(study, member_id)
        form = RoleForm(request.POST, prefix=f"member-{member.pk}")
        if not form.is_valid():
            return HttpResponseBadRequest("unknown role")
        role = form.cleaned_data["role"]
        if role == member.role:
            return back_to_members(request, study)
        if not keeps_a_facilitator(member):
            return back_to_members(request, study, str(LAST_FACILITATOR))
        previous = member.role
        member.role = role
        member.save(update_fields=["role"])
        AuditEvent.record(
            study,
            request.user,
            "member_role_changed",
            user=member.user.get_username(),
            previous=previous,
            role=role,
        )
    if member.user == request.user and role != StudyMember.Role.FACILITATOR:
        messages.info(request, _("You are now an observer of this study."))
        return leave_for(request, reverse("workshop:study", args=[study.pk]))
    return back_to_members(request, study)


@login_required
@require_POST
def member_remove(request: HttpRequest, study_id: int, member_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()  # one change at a time
        member = member_of_study(study, member_id)
        if not keeps_a_facilitator(member):
            return back_to_members(request, study, str(LAST_FACILITATOR))
        AuditEvent.record(
            study,
            request.user,
            "member_removed",
            user=member.user.get_username(),
            role=member.role,
        )
        member.delete()
    if member.user == request.user:
        messages.info(request, _("You have left the study “%(title)s”.") % {"title": study.title})
        return leave_for(request, reverse("workshop:home"))
    return back_to_members(request, study)


# -- audit log ----------------------------------------------------------------------------------


@dataclass
class AuditRow:
    event: AuditEvent
    label: str
    detail: list[tuple[str, str]]


def audit_detail(detail: Any) -> list[tuple[str, str]]:
    if not isinstance(detail, dict):
        return [("", str(detail))] if detail else []
    rows = []
    for key, value in detail.items():
        if isinstance(value, list | tuple):
            shown = ", ".join(str(item) for item in value)
        else:
            shown = "" if value is None else str(value)
        rows.append((str(key).replace("_", " "), shown))
    return rows


@login_required
def audit(request: HttpRequest, study_id: int) -> HttpResponse:
    """Every facilitator action on the study: who, when, what and the detail."""
    study = facilitated_study(request, study_id)
    events = study.audit_events.select_related("actor").order_by("-created_at", "-id")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        AuditRow(
            event=event,
            label=str(ACTION_LABELS.get(event.action, event.action.replace("_", " "))),
            detail=audit_detail(event.detail),
        )
        for event in page.object_list
    ]
    return render(
        request, "workshop/setup/audit.html", {"study": study, "page": page, "rows": rows}
    )


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
    path("studies/<int:study_id>/members/", members, name="members"),
    path("studies/<int:study_id>/members/add/", member_add, name="member_add"),
    path("studies/<int:study_id>/members/<int:member_id>/role/", member_role, name="member_role"),
    path(
        "studies/<int:study_id>/members/<int:member_id>/remove/",
        member_remove,
        name="member_remove",
    ),
    path("studies/<int:study_id>/audit/", audit, name="audit"),
]
