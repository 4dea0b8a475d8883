"""Step 6: actions proposed for each retained hypothesis.

An add, a change or a deletion goes back to the round's page with a message, from plain
forms (not htmx and the one list-edit answer,
:class:`~anticipe.workshop.views.helpers.EditableList`): the expert's progress at the top of
the page counts the hypotheses with an action, so the whole page is shown again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop.forms.expert import ActionProposalForm
from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    Round,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    hypotheses_answered,
    refused,
    retained_hypotheses,
    retained_hypothesis,
    round_context,
    round_url,
    step_endpoint,
)
from anticipe.workshop.views.expert.own_answers import OwnAnswers


def actions_progress(round_: Round, expert: Expert) -> Progress:
    done, total = hypotheses_answered(round_, expert, ActionProposal)
    text = _("Actions proposed for %(done)d of %(total)d hypotheses") % {
        "done": done,
        "total": total,
    }
    return Progress(done, total, text)


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


ACTIONS = OwnAnswers(
    model=ActionProposal,
    form=ActionProposalForm,
    heading=gettext_lazy("Change your action"),
    saved=gettext_lazy("Your action is saved."),
    deleted=gettext_lazy("Your action is deleted."),
    anchor=lambda action: f"action-{action.pk}",
    after_delete=lambda action: f"hypothesis-{action.hypothesis.code}",
)


@step_endpoint(Round.Step.ACTIONS)
def action_add(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
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
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message)
    messages.success(request, _("Your action is saved. You can add another one."))
    return redirect(round_url(round_, f"action-{action.pk}"))


@step_endpoint(Round.Step.ACTIONS, ("GET", "POST"))
def action_edit(
    request: HttpRequest, expert: Expert, round_: Round, action_id: int
) -> HttpResponse:
    return ACTIONS.edit(request, expert, round_, action_id)


@step_endpoint(Round.Step.ACTIONS)
def action_delete(
    request: HttpRequest, expert: Expert, round_: Round, action_id: int
) -> HttpResponse:
    return ACTIONS.delete(request, expert, round_, action_id)


STEPS[Round.Step.ACTIONS] = Step(actions_page, actions_progress)
