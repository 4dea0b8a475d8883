"""The facilitator's first synthesis: the experts' proposals (anonymous) merged into change
factors, a proposal detached from its factor, and the wording of a factor made of
proposals.

Every synthesis goes back to the page with a message, from plain forms (not htmx and the one
list-edit answer, :class:`~anticipe.workshop.views.helpers.EditableList`): a merge moves
proposals from the loose list into a factor's group and adds the factor to the study, two
lists of the page at once, so the whole page is shown again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study, refuse_if_published
from anticipe.workshop.forms.decisions import FactorWordingForm, ProposalsMergeForm
from anticipe.workshop.models import AuditEvent, Factor, FactorProposal, Round, Study


def proposals_context(study: Study, form: ProposalsMergeForm | None = None) -> dict[str, Any]:
    proposals = list(rules.study_proposals(study))
    grouped: dict[int, dict[str, Any]] = {}
    for proposal in proposals:
        if proposal.factor is not None:
            grouped.setdefault(proposal.factor.pk, {"factor": proposal.factor, "proposals": []})[
                "proposals"
            ].append(proposal)
    return {
        "study": study,
        "form": form or ProposalsMergeForm(study=study),
        "loose": [p for p in proposals if p.factor_id is None],
        "factors": sorted(grouped.values(), key=lambda g: (g["factor"].position, g["factor"].pk)),
        "proposal_count": len(proposals),
        "vote_open": factor_vote_is_open(study),
        "texts_waiting": rules.texts_waiting(study, Round.Step.PROPOSALS),
        "texts_withheld": rules.shown_texts(study, Round.Step.PROPOSALS).withheld,
    }


def factor_vote_is_open(study: Study) -> bool:
    return study.rounds.open().filter(step=Round.Step.FACTOR_VOTE).exists()


@login_required
def proposals(request: HttpRequest, study_id: int) -> HttpResponse:
    """The experts' proposals, anonymous (no expert next to a proposal), to merge."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/desk/proposals.html", proposals_context(study))


def merge_proposals(
    study: Study, form: ProposalsMergeForm, chosen: list[FactorProposal]
) -> tuple[Factor, bool]:
    """Attach the chosen proposals to the factor chosen, or to a new factor made of them;
    the factor and whether it is new."""
    factor = form.cleaned_data["factor"]
    if factor is None:
        factor = rules.factor_from_proposals(
            study,
            chosen,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
        return factor, True
    FactorProposal.objects.filter(pk__in=[p.pk for p in chosen]).update(factor=factor)
    return factor, False


@login_required
@require_POST
def proposals_merge(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    form = ProposalsMergeForm(request.POST, study=study)
    if not form.is_valid():
        return render(
            request, "workshop/desk/proposals.html", proposals_context(study, form), status=400
        )
    chosen = list(form.cleaned_data["proposals"])
    if form.cleaned_data["factor"] is None and factor_vote_is_open(study):
        messages.error(
            request, _("The vote on the factors is open: close it before adding a factor.")
        )
        return redirect("workshop:proposals", study_id=study.pk)
    factor, created = merge_proposals(study, form, chosen)
    AuditEvent.record(
        study,
        request.user,
        "proposals_merged",
        factor=factor.code,
        created=created,
        proposals=sorted(p.token for p in chosen),
    )
    messages.success(
        request,
        ngettext(
            "%(count)s proposal makes up the factor %(code)s.",
            "%(count)s proposals make up the factor %(code)s.",
            len(chosen),
        )
        % {"count": len(chosen), "code": factor.code},
    )
    return redirect("workshop:proposals", study_id=study.pk)


@login_required
@require_POST
def proposal_detach(request: HttpRequest, study_id: int, token: str) -> HttpResponse:
    """Take a proposal (named by its token, :attr:`FactorProposal.token`) out of its factor."""
    study = editable_study(request, study_id)
    proposal = next((p for p in rules.study_proposals(study) if p.token == token), None)
    if proposal is None:
        raise Http404
    if proposal.factor is not None:
        code = proposal.factor.code
        proposal.factor = None
        proposal.save(update_fields=["factor", "updated_at"])
        AuditEvent.record(
            study, request.user, "proposal_detached", factor=code, proposal=proposal.token
        )
        messages.success(request, _("The proposal is no longer part of %(code)s.") % {"code": code})
    return redirect("workshop:proposals", study_id=study.pk)


@login_required
def proposals_factor_edit(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Edit the wording of a factor made of proposals (read on GET, even once published)."""
    study = facilitated_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    if request.method == "POST":
        refuse_if_published(study)
    before = factor.title
    form = FactorWordingForm(request.POST if request.method == "POST" else None, instance=factor)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            study,
            request.user,
            "factor_wording_edited",
            factor=factor.code,
            before=before,
            after=factor.title,
        )
        messages.success(request, _("The wording of %(code)s is saved.") % {"code": factor.code})
        return redirect("workshop:proposals", study_id=study.pk)
    return render(
        request,
        "workshop/desk/proposals_factor_form.html",
        {
            "study": study,
            "factor": factor,
            "form": form,
            "proposals": rules.study_proposals(study).filter(factor=factor),
        },
    )
