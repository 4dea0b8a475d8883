"""Step 1: each expert proposes change factors, with a short explanation."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop.forms.expert import ProposalForm
from anticipe.workshop.models import (
    Expert,
    FactorProposal,
    Round,
    RoundClosed,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    Progress,
    Step,
    answering,
    expert_round,
    round_closed,
    round_context,
    round_url,
)


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


@require_POST
def proposal_add(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return proposals_page(request, expert, round_, form, status=400)
    try:
        with answering(round_):
            proposal = FactorProposal.objects.create(
                round=round_,
                expert=expert,
                title=form.cleaned_data["title"].strip(),
                explanation=form.cleaned_data["explanation"],
            )
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your proposal is saved. You can add another one."))
    return redirect(round_url(round_, f"proposal-{proposal.pk}"))


@require_http_methods(["GET", "POST"])
def proposal_edit(
    request: HttpRequest, study_id: int, round_id: int, proposal_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    proposal = get_object_or_404(FactorProposal, pk=proposal_id, round=round_, expert=expert)
    if not round_.is_open():
        return round_closed(request, round_)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            with answering(round_):
                form.save()
        except RoundClosed:
            return round_closed(request, round_)
        messages.success(request, _("Your proposal is saved."))
        return redirect(round_url(round_, f"proposal-{proposal.pk}"))
    return render(
        request,
        "workshop/expert/edit_answer.html",
        round_context(
            expert,
            round_,
            form=form,
            heading=_("Change your proposal"),
            back=round_url(round_, f"proposal-{proposal.pk}"),
        ),
        status=400 if form.is_bound else 200,
    )


@require_POST
def proposal_delete(
    request: HttpRequest, study_id: int, round_id: int, proposal_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    proposal = get_object_or_404(FactorProposal, pk=proposal_id, round=round_, expert=expert)
    try:
        with answering(round_):
            proposal.delete()
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your proposal is deleted."))
    return redirect(round_url(round_, "proposals"))


STEPS[Round.Step.PROPOSALS] = Step(proposals_page, proposals_progress)
