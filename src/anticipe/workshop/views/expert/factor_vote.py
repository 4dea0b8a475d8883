"""Step 2: the weighted vote; each expert shares out a budget of points among the factors.
In a later iteration (Delphi) the expert's standing ballot is filled in as theirs: saving it
unchanged confirms it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anticipe.workshop.models import (
    Expert,
    Factor,
    FactorPoints,
    Round,
    RoundClosed,
)
from anticipe.workshop.results import delphi_feedback, earlier_answers
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    before,
    round_context,
    round_url,
    step_endpoint,
)
from anticipe.workshop.views.helpers import is_htmx

DEFAULT_POINTS_PER_EXPERT = 10


# == step 2: weighted vote on the factors ======================================================


def points_per_expert(round_: Round) -> int:
    try:
        budget = int(round_.settings.get("points_per_expert") or DEFAULT_POINTS_PER_EXPERT)
    except (TypeError, ValueError):
        budget = DEFAULT_POINTS_PER_EXPERT
    return max(budget, 1)


def vote_factors(round_: Round) -> list[Factor]:
    """The factors of the vote: the round's (settings["factors"]) or all the study's."""
    factors = list(round_.study.factors.order_by("position", "id"))
    codes = round_.settings.get("factors")
    if codes:
        by_code = {factor.code: factor for factor in factors}
        return [by_code[code] for code in codes if code in by_code]
    return factors


def own_points(round_: Round, expert: Expert) -> dict[int, int]:
    return dict(
        FactorPoints.objects.filter(round=round_, expert=expert).values_list("factor_id", "points")
    )


def current_ballot(
    round_: Round, expert: Expert, factors: list[Factor]
) -> tuple[dict[int, int], int | None]:
    """The expert's ballot as their page shows it, by factor id: their points in this
    iteration, else their standing ballot with the iteration it comes from (None: their
    own ballot of this iteration, or none)."""
    points = own_points(round_, expert)
    if points:
        return points, None
    ids = {factor.code: factor.pk for factor in factors}
    carried = {
        ids[code]: answer for code, answer in earlier_answers(expert, round_).items() if code in ids
    }
    if not carried:
        return {}, None
    return {pk: points for pk, (points, _it) in carried.items()}, max(
        iteration for _points, iteration in carried.values()
    )


def vote_progress(round_: Round, expert: Expert) -> Progress:
    budget = points_per_expert(round_)
    given = (
        FactorPoints.objects.filter(round=round_, expert=expert).aggregate(total=Sum("points"))[
            "total"
        ]
        or 0
    )
    text = _("%(given)d of %(budget)d points given") % {"given": given, "budget": budget}
    return Progress(given, budget, text)


def vote_context(
    expert: Expert, round_: Round, *, error: str = "", focus: str = "", error_at: str = ""
) -> dict[str, Any]:
    """The vote's form; `error` is shown beside the factor `error_at` (the one the expert
    just acted on), else above the list."""
    budget = points_per_expert(round_)
    factors = vote_factors(round_)
    points, carried = current_ballot(round_, expert, factors)
    delphi = delphi_feedback(expert, round_)
    rows = [(factor, points.get(factor.pk, 0), before(delphi, factor.code)) for factor in factors]
    given = sum(p for _, p, _before in rows)
    points_of = {factor.code: p for factor, p, _before in rows}
    code, _sep, step = focus.rpartition(":")
    if code in points_of and (
        (step == "-1" and points_of[code] == 0) or (step == "1" and given >= budget)
    ):
        focus = f"points-{code}"  # the button just pressed is now disabled
    return round_context(
        expert,
        round_,
        rows=rows,
        delphi=delphi,
        carried=carried,
        budget=budget,
        given=given,
        left=budget - given,
        error=error,
        error_at=error_at if error_at in points_of else "",
        focus=focus,
    )


def vote_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    return render(request, "workshop/expert/vote.html", vote_context(expert, round_))


def read_ballot(
    data: QueryDict, factors: list[Factor], current: dict[int, int]
) -> tuple[dict[int, int], str]:
    """The ballot after this POST: `points-<code>` fields (missing: unchanged) and an optional
    `adjust=<code>:+1|-1` (the +/- buttons). Returns the points by factor id and the code of
    the factor the expert acted on."""
    by_code = {factor.code: factor for factor in factors}
    ballot = {factor.pk: current.get(factor.pk, 0) for factor in factors}
    touched = ""
    for name in data:
        if not name.startswith("points-"):
            continue
        code = name.removeprefix("points-")
        factor = by_code.get(code)
        if factor is None:
            raise AnswerRefused(_("“%(code)s” is not a factor of this vote.") % {"code": code})
        raw = data.get(name, "").strip()
        try:
            value = int(raw) if raw else 0
        except ValueError:
            raise AnswerRefused(
                _("Points for %(code)s must be a whole number, like 0, 1 or 2.") % {"code": code}
            ) from None
        if value < 0:
            raise AnswerRefused(_("Points for %(code)s cannot be below zero.") % {"code": code})
        ballot[factor.pk] = value
        touched = code
    adjust = data.get("adjust", "")
    if adjust:
        code, _sep, step = adjust.rpartition(":")
        factor = by_code.get(code)
        if factor is None or step not in {"1", "+1", "-1"}:
            raise AnswerRefused(_("“%(code)s” is not a factor of this vote.") % {"code": code})
        ballot[factor.pk] = max(0, ballot[factor.pk] + int(step))
        touched = code
    return ballot, touched


@step_endpoint(Round.Step.FACTOR_VOTE)
def vote_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save the expert's points: the whole form, one factor, or one +/- press."""
    factors = vote_factors(round_)
    budget = points_per_expert(round_)
    touched = ""
    try:
        with answering(round_):
            current, _carried = current_ballot(round_, expert, factors)
            ballot, touched = read_ballot(request.POST, factors, current)
            total = sum(ballot.values())
            if total > budget:
                raise AnswerRefused(
                    _(
                        "That makes %(total)d points, but you have %(budget)d. "
                        "Take points from another factor first."
                    )
                    % {"total": total, "budget": budget}
                )
            for factor in factors:
                points = ballot[factor.pk]
                if points:
                    FactorPoints.objects.update_or_create(
                        round=round_, expert=expert, factor=factor, defaults={"points": points}
                    )
                else:
                    FactorPoints.objects.filter(round=round_, expert=expert, factor=factor).delete()
    except AnswerRefused as refusal:
        return vote_refused(request, expert, round_, refusal.message, 400)
    except RoundClosed:
        if not is_htmx(request):
            raise  # the round's page, with the message (step_endpoint)
        message = _("Not saved: this round closed meanwhile. Your earlier answers are kept.")
        return vote_refused(request, expert, round_, message, 409)
    if is_htmx(request):
        focus = request.POST.get("adjust", "") or (f"points-{touched}" if touched else "")
        context = vote_context(expert, round_, focus=focus)
        # the form and, out of band, the round's progress at the top of the page
        return render(request, "workshop/expert/partials/vote_saved.html", context)
    messages.success(request, _("Your vote is saved."))
    return redirect(round_url(round_, f"vote-{touched}" if touched else "vote"))


def acted_on(data: QueryDict, factors: list[Factor], current: dict[int, int]) -> str:
    """The code of the factor the expert acted on in this POST: its +/- button, else the one
    number that differs from their ballot (the autosave posts the whole form)."""
    adjust = data.get("adjust", "")
    if adjust:
        return adjust.rpartition(":")[0]
    changed = [
        factor.code
        for factor in factors
        if f"points-{factor.code}" in data
        and (data.get(f"points-{factor.code}", "").strip() or "0") != str(current.get(factor.pk, 0))
    ]
    return changed[0] if len(changed) == 1 else ""


def vote_refused(
    request: HttpRequest, expert: Expert, round_: Round, message: str, status: int
) -> HttpResponse:
    """Nothing saved: the form again, the message beside the factor the expert acted on (for
    htmx the form alone, swapped in place; once the round is closed, read-only and the
    round's notice updated out of band), else the whole page."""
    factors = vote_factors(round_)
    code = acted_on(request.POST, factors, current_ballot(round_, expert, factors)[0])
    context = vote_context(
        expert, round_, error=message, error_at=code, focus=f"points-{code}" if code else ""
    )
    if is_htmx(request):
        template = "workshop/expert/partials/vote_refused.html"
        return render(request, template, {**context, "closed": status == 409}, status=status)
    return render(request, "workshop/expert/vote.html", context, status=status)


STEPS[Round.Step.FACTOR_VOTE] = Step(vote_page, vote_progress)
