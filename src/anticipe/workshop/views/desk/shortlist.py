"""The facilitator's second synthesis: the ranking of the weighted vote computed by the
method core, and the shortlist of factors confirmed for the influence matrix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anticipe.method.errors import MethodInputError
from anticipe.study.analysis import analyse_factor_vote
from anticipe.study.errors import StudyInputError
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import ShortlistForm
from anticipe.workshop.models import AuditEvent, Factor, Round, Study
from anticipe.workshop.study_format import answered_round, left_out, study_document


def vote_analysis(study: Study) -> tuple[Mapping[str, Any] | None, str | None]:
    """The core's analysis of the factor vote (ranking, shortlist cut with ties) on the
    standing ballots of the iterations that count, as the results pages have it, or the
    reason it cannot be computed."""
    try:
        return analyse_factor_vote(study_document(study, with_matrices=False)), None
    except StudyInputError as error:
        return None, error.text_in(get_language())
    except MethodInputError as error:
        return None, str(error)


def ticked_factors(form: ShortlistForm | None) -> set[int] | None:
    """The factors ticked in a form sent back (None: no form sent)."""
    if form is None or not form.is_bound:
        return None
    return {int(pk) for pk in form["factors"].value() or [] if str(pk).isdigit()}


def shortlist_rows(
    analysis: Mapping[str, Any] | None,
    factors: dict[str, Factor],
    cut: dict[str, Any],
    chosen: set[int] | None,
) -> list[dict[str, Any]]:
    """The ranking, each factor with where the method's cut puts it ("selected", "tied" at
    the cut, or "") and whether it is ticked: as sent back, else as confirmed, else as the
    method selects (which never selects a factor no expert gave a point to)."""
    selected = set(cut.get("selected", []))
    state = dict.fromkeys(cut.get("tied_at_cut", []), "tied") | dict.fromkeys(selected, "selected")
    confirmed = any(f.shortlisted for f in factors.values())
    rows = []
    for item in (analysis or {}).get("ranking", []):
        factor = factors[item["factor"]]
        if chosen is not None:
            checked = factor.pk in chosen
        elif confirmed:
            checked = factor.shortlisted
        else:
            checked = factor.code in selected
        rows.append(
            {**item, "factor": factor, "core": state.get(factor.code, ""), "checked": checked}
        )
    return rows


def by_hand_rows(
    left: list[dict[str, int]], factors: dict[str, Factor], chosen: set[int] | None
) -> tuple[str, list[dict[str, Any]]]:
    """When the vote was held but none of its iterations counts (`left`: those left out,
    each answered by fewer experts than the study's minimum; no ranking), why, and every
    factor in the study's order to keep by hand; else ``("", [])``."""
    if not left:
        return "", []
    reason = _("no iteration of the vote counts")
    rows = [
        {
            "factor": factor,
            "rank": None,
            "points": None,
            "support": None,
            "core": "",
            "checked": factor.pk in chosen if chosen is not None else factor.shortlisted,
        }
        for factor in sorted(factors.values(), key=lambda f: (f.position, f.pk))
    ]
    return reason, rows


def shortlist_context(study: Study, form: ShortlistForm | None = None) -> dict[str, Any]:
    analysis, problem = vote_analysis(study)
    factors = {f.code: f for f in study.factors.all()}
    cut = (analysis or {}).get("shortlist") or {}
    tied = set(cut.get("tied_at_cut", [])) - set(cut.get("selected", []))
    left = left_out(study, Round.Step.FACTOR_VOTE)
    withheld, by_hand = (
        ("", []) if analysis or problem else by_hand_rows(left, factors, ticked_factors(form))
    )
    return {
        "study": study,
        "analysis": analysis,
        "problem": problem,
        "below_minimum": withheld,
        "left_out": left,
        "rows": by_hand or shortlist_rows(analysis, factors, cut, ticked_factors(form)),
        "cut": cut,
        "tied_count": len(tied),
        "confirmed": any(f.shortlisted for f in factors.values()),
        "vote_round": answered_round(study, Round.Step.FACTOR_VOTE),
        "influence_round": answered_round(study, Round.Step.INFLUENCE),
        "form": form or ShortlistForm(study=study),
    }


@login_required
def shortlist(request: HttpRequest, study_id: int) -> HttpResponse:
    """The ranking computed by the method core, and the shortlist to confirm."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/desk/shortlist.html", shortlist_context(study))


@login_required
@require_POST
def shortlist_confirm(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    if study.rounds.open().filter(step=Round.Step.FACTOR_VOTE).exists():
        messages.error(request, _("The vote is still open: close it before confirming."))
        return redirect("workshop:shortlist", study_id=study.pk)
    form = ShortlistForm(request.POST, study=study)
    if not form.is_valid():
        return render(
            request, "workshop/desk/shortlist.html", shortlist_context(study, form), status=400
        )
    kept = sorted(form.cleaned_data["factors"], key=lambda f: (f.position, f.pk))
    analysis, _problem = vote_analysis(study)
    cut = (analysis or {}).get("shortlist") or {}
    with transaction.atomic():
        study.factors.exclude(pk__in=[f.pk for f in kept]).update(shortlisted=False)
        study.factors.filter(pk__in=[f.pk for f in kept]).update(shortlisted=True)
    codes = [f.code for f in kept]
    AuditEvent.record(
        study,
        request.user,
        "shortlist_confirmed",
        factors=codes,
        core_selected=cut.get("selected", []),
        tied_at_cut=cut.get("tied_at_cut", []),
        seats_left=cut.get("seats_left", 0),
        reason=form.cleaned_data["reason"],
    )
    messages.success(
        request, _("%(count)s factors are kept for the influence matrix.") % {"count": len(codes)}
    )
    if answered_round(study, Round.Step.INFLUENCE) is not None:
        messages.warning(
            request,
            _(
                "The influence matrix round already fixed its factors when it opened: "
                "this shortlist applies to a new iteration only."
            ),
        )
    return redirect("workshop:shortlist", study_id=study.pk)
