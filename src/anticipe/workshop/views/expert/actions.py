"""Step 6: actions proposed for each retained hypothesis."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop.forms.expert import ActionProposalForm
from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    Round,
    RoundClosed,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    expert_round,
    refused,
    retained_hypotheses,
    retained_hypothesis,
    round_closed,
    round_context,
    round_url,
)


def actions_progress(round_: Round, expert: Expert) -> Progress:
    retained = [h.pk for _f, h in retained_hypotheses(round_.study)]
    done = (
        ActionProposal.objects.filter(round=round_, expert=expert, hypothesis_id__in=retained)
        .values("hypothesis_id")
        .distinct()
        .count()
    )
    text = _("Actions proposed for %(done)d of %(total)d hypotheses") % {
        "done": done,
        "total": len(retained),
    }
    return Progress(done, len(retained), text)


def actions_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    invalid: tuple[str, ActionProposalForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    own: dict[int, list[ActionProposal]] = {}
    for action in ActionProposal.objects.filter(round=round_, expert=expert).order_by("id"):
        own.setdefault(action.hypothesis_id, []).append(action)
    items = [
        (
            factor,
            hypothesis,
            own.get(hypothesis.pk, []),
            invalid[1]
            if invalid and invalid[0] == hypothesis.code
            else ActionProposalForm(auto_id=f"id_{hypothesis.code}_%s"),
        )
        for factor, hypothesis in retained_hypotheses(round_.study)
    ]
    return render(
        request,
        "workshop/expert/actions.html",
        round_context(expert, round_, items=items),
        status=status,
    )


@require_POST
def action_add(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    code = request.POST.get("hypothesis", "")
    form = ActionProposalForm(request.POST, auto_id=f"id_{code}_%s")
    try:
        hypothesis = retained_hypothesis(round_.study, code)
        if not form.is_valid():
            return actions_page(request, expert, round_, (code, form), status=400)
        with answering(round_):
            action = ActionProposal.objects.create(
                round=round_, expert=expert, hypothesis=hypothesis, text=form.cleaned_data["text"]
            )
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message)
    messages.success(request, _("Your action is saved. You can add another one."))
    return redirect(round_url(round_, f"action-{action.pk}"))


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, study_id: int, round_id: int, action_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    action = get_object_or_404(ActionProposal, pk=action_id, round=round_, expert=expert)
    if not round_.is_open():
        return round_closed(request, round_)
    form = ActionProposalForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            with answering(round_):
                form.save()
        except RoundClosed:
            return round_closed(request, round_)
        messages.success(request, _("Your action is saved."))
        return redirect(round_url(round_, f"action-{action.pk}"))
    return render(
        request,
        "workshop/expert/edit_answer.html",
        round_context(
            expert,
            round_,
            form=form,
            heading=_("Change your action"),
            back=round_url(round_, f"action-{action.pk}"),
        ),
        status=400 if form.is_bound else 200,
    )


@require_POST
def action_delete(
    request: HttpRequest, study_id: int, round_id: int, action_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    action = get_object_or_404(ActionProposal, pk=action_id, round=round_, expert=expert)
    code = action.hypothesis.code
    try:
        with answering(round_):
            action.delete()
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your action is deleted."))
    return redirect(round_url(round_, f"hypothesis-{code}"))


STEPS[Round.Step.ACTIONS] = Step(actions_page, actions_progress)
