"""Decisions on the action plan: actions per retained hypothesis, to provoke a desirable
change or to prepare for a probable one; edited, merged and ordered."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import ActionForm
from anticipe.workshop.models import (
    Action,
    ActionProposal,
    AuditEvent,
    Hypothesis,
    Round,
    Study,
)
from anticipe.workshop.results import anonymous_texts
from anticipe.workshop.views.desk.common import form_errors, retained_hypotheses_in_order
from anticipe.workshop.views.desk.hypotheses import hypothesis_of
from anticipe.workshop.views.helpers import EditableList, moved


def action_plan_context(
    request: HttpRequest, study: Study, state: object = None, problem: str = ""
) -> dict[str, Any]:
    """The actions per retained hypothesis, and the experts' proposals as material."""
    retained = retained_hypotheses_in_order(study)
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(hypothesis__in=retained).order_by("position", "id"):
        actions[action.hypothesis_id].append(action)
    proposals: dict[int, list[str]] = defaultdict(list)
    texts = rules.shown_texts(study, Round.Step.ACTIONS)
    for hypothesis_id, text in ActionProposal.objects.filter(
        hypothesis__in=retained, round__in=texts.rounds
    ).values_list("hypothesis_id", "text"):
        proposals[hypothesis_id].append(text)
    return {
        "study": study,
        "groups": [
            {
                "hypothesis": h,
                "actions": actions.get(h.pk, []),
                "proposals": anonymous_texts(proposals.get(h.pk, [])),
            }
            for h in retained
        ],
        "aims": Action.Aim.choices,
        "texts_waiting": rules.texts_waiting(study, Round.Step.ACTIONS),
        "texts_withheld": texts.withheld,
        "open": study.decisions_are_open(),
        "problem": problem,
        "section": "actions",
        "facilitator": True,
    }


# Every edit of the plan answers the plan alone to htmx, else goes back to the page.
ACTION_PLAN = EditableList(
    page="workshop/desk/actions.html",
    partial="workshop/desk/partials/action_plan.html",
    element="action-plan",
    url_name="workshop:action_plan",
    context=action_plan_context,
)


@require_GET
def action_plan(request: HttpRequest, study_id: int) -> HttpResponse:
    """The actions per retained hypothesis: to provoke a desirable change or prepare for a
    probable one; the experts' proposals as material."""
    return ACTION_PLAN.response(request, facilitated_study(request, study_id))


def _retained_hypothesis(study: Study, hypothesis_id: int) -> Hypothesis:
    hypothesis = hypothesis_of(study, hypothesis_id)
    if hypothesis.factor.retained_id != hypothesis.pk:
        raise Http404
    return hypothesis


def _next_action_position(study: Study) -> int:
    top = Action.objects.filter(hypothesis__factor__study=study).aggregate(top=Max("position"))
    return 0 if top["top"] is None else top["top"] + 1


@require_POST
def action_add(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    hypothesis = _retained_hypothesis(study, hypothesis_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return ACTION_PLAN.back(request, study, form_errors(form))
    with transaction.atomic():
        action = Action.objects.create(
            hypothesis=hypothesis,
            aim=form.cleaned_data["aim"],
            text=form.cleaned_data["text"].strip(),
            position=_next_action_position(study),
        )
        AuditEvent.record(
            study,
            request.user,
            "action_added",
            hypothesis=hypothesis.code,
            aim=action.aim,
            text=action.text,
        )
    return ACTION_PLAN.back(request, study, done=_("Action added."))


def _action(study: Study, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("hypothesis"), pk=action_id, hypothesis__factor__study=study
    )


@require_POST
def action_edit(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    action = _action(study, action_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return ACTION_PLAN.back(request, study, form_errors(form))
    with transaction.atomic():
        before = {"aim": action.aim, "text": action.text}
        action.aim = form.cleaned_data["aim"]
        action.text = form.cleaned_data["text"].strip()
        action.save(update_fields=["aim", "text"])
        AuditEvent.record(
            study,
            request.user,
            "action_edited",
            hypothesis=action.hypothesis.code,
            before=before,
            after={"aim": action.aim, "text": action.text},
        )
    return ACTION_PLAN.back(request, study, done=_("Action saved."))


@require_POST
def action_delete(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    action = _action(study, action_id)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "action_deleted",
            hypothesis=action.hypothesis.code,
            aim=action.aim,
            text=action.text,
        )
        action.delete()
    return ACTION_PLAN.back(request, study, done=_("Action deleted."))


@require_POST
def action_move(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    action = _action(study, action_id)
    # positions are the study's order of actions; an action moves among its hypothesis'
    everything = list(
        Action.objects.filter(hypothesis__factor__study=study).order_by("position", "id")
    )
    siblings = [other for other in everything if other.hypothesis_id == action.hypothesis_id]
    moved(
        request,
        study,
        everything,
        action,
        "action_moved",
        among=siblings,
        hypothesis=action.hypothesis.code,
        text=action.text,
    )
    return ACTION_PLAN.back(request, study)


@require_POST
def actions_merge(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Merge two or more actions of a retained hypothesis into one."""
    study = editable_study(request, study_id)
    hypothesis = _retained_hypothesis(study, hypothesis_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return ACTION_PLAN.back(request, study, form_errors(form))
    ids = {int(v) for v in request.POST.getlist("actions") if v.isdigit()}
    sources = list(hypothesis.actions.filter(pk__in=ids).order_by("position", "id"))
    if len(sources) < 2 or len(sources) != len(ids):
        problem = _("Choose at least two actions of this hypothesis to merge.")
        return ACTION_PLAN.back(request, study, problem)
    with transaction.atomic():
        merged = Action.objects.create(
            hypothesis=hypothesis,
            aim=form.cleaned_data["aim"],
            text=form.cleaned_data["text"].strip(),
            position=sources[0].position,
        )
        AuditEvent.record(
            study,
            request.user,
            "actions_merged",
            hypothesis=hypothesis.code,
            merged_from=[{"aim": a.aim, "text": a.text} for a in sources],
            aim=merged.aim,
            text=merged.text,
        )
        Action.objects.filter(pk__in=[a.pk for a in sources]).delete()
    return ACTION_PLAN.back(request, study, done=_("Actions merged."))
