"""Step 1: each expert proposes change factors, with a short explanation.

An add, a change or a deletion goes back to the round's page with a message, from plain
forms (not htmx and the one list-edit answer,
:class:`~anticipe.workshop.views.helpers.EditableList`): the expert's progress at the top of
the page counts the proposals, so the whole page is shown again (and the add form is a plain
form: the expert's phone may have no JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anticipe.workshop.forms.expert import ProposalForm
from anticipe.workshop.models import (
    Expert,
    FactorProposal,
    Round,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    Progress,
    Step,
    answering,
    round_context,
    round_url,
    step_endpoint,
)
from anticipe.workshop.views.expert.own_answers import OwnAnswers


def own_proposals(round_: Round, expert: Expert) -> QuerySet[FactorProposal]:
    return FactorProposal.objects.filter(round=round_, expert=expert).order_by("id")


def proposals_progress(round_: Round, expert: Expert) -> Progress:
    count = own_proposals(round_, expert).count()
    text = ngettext("%(count)d factor proposed", "%(count)d factors proposed", count) % {
        "count": count
    }
    return Progress(count, None, text)


def proposals_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    form: ProposalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = round_context(
        expert,
        round_,
        form=form or ProposalForm(),
        proposals=own_proposals(round_, expert),
    )
    return render(request, "workshop/expert/proposals.html", context, status=status)


PROPOSALS = OwnAnswers(
    model=FactorProposal,
    form=ProposalForm,
    heading=gettext_lazy("Change your proposal"),
    saved=gettext_lazy("Your proposal is saved."),
    deleted=gettext_lazy("Your proposal is deleted."),
    anchor=lambda proposal: f"proposal-{proposal.pk}",
    after_delete=lambda _proposal: "proposals",
)


@step_endpoint(Round.Step.PROPOSALS)
def proposal_add(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return proposals_page(request, expert, round_, form, status=400)
    with answering(round_):
        proposal = FactorProposal.objects.create(
            round=round_,
            expert=expert,
            title=form.cleaned_data["title"].strip(),
            explanation=form.cleaned_data["explanation"],
        )
    messages.success(request, _("Your proposal is saved. You can add another one."))
    return redirect(round_url(round_, f"proposal-{proposal.pk}"))


@step_endpoint(Round.Step.PROPOSALS, ("GET", "POST"))
def proposal_edit(
    request: HttpRequest, expert: Expert, round_: Round, proposal_id: int
) -> HttpResponse:
    return PROPOSALS.edit(request, expert, round_, proposal_id)


@step_endpoint(Round.Step.PROPOSALS)
def proposal_delete(
    request: HttpRequest, expert: Expert, round_: Round, proposal_id: int
) -> HttpResponse:
    return PROPOSALS.delete(request, expert, round_, proposal_id)


STEPS[Round.Step.PROPOSALS] = Step(proposals_page, proposals_progress)
