"""Step 5: the probability and desirability of each hypothesis, one key factor at a time; in
a later iteration (Delphi) the expert's standing answers are filled in as theirs, to
confirm or change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anticipe import presentation
from anticipe.workshop import rules
from anticipe.workshop.models import (
    Expert,
    Hypothesis,
    HypothesisVote,
    Round,
)
from anticipe.workshop.results import HALVES, delphi_feedback, earlier_answers
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    before,
    factor_pages,
    key_factors,
    page_of,
    refused,
    round_context,
    round_url,
    saved,
    step_endpoint,
)

DEFAULT_SCALE = {"min": 1, "max": 4}


# == step 5: probability and desirability of the hypotheses ====================================


def round_scale(round_: Round, key: str) -> tuple[int, int]:
    scale = round_.settings.get(key) or DEFAULT_SCALE
    try:
        low, high = int(scale["min"]), int(scale["max"])
    except (TypeError, KeyError, ValueError):
        low, high = DEFAULT_SCALE["min"], DEFAULT_SCALE["max"]
    return (low, high) if low < high else (DEFAULT_SCALE["min"], DEFAULT_SCALE["max"])


def scale_choices(aim: str, low: int, high: int) -> list[tuple[str, str]]:
    """The buttons of a scale, each value with its words ("1", "very unlikely"; only the ends
    have words when the scale is not 1-4), then "?" ("don't know")."""
    named = presentation.scale_words(aim, low, high, get_language())
    choices = [(str(value), named.get(value, "")) for value in range(low, high + 1)]
    return [*choices, ("?", str(_("don't know")))]


def votable_hypotheses(round_: Round) -> QuerySet[Hypothesis]:
    """The hypotheses voted on in the round (:func:`anticipe.workshop.rules.voted_hypotheses`)."""
    return rules.voted_hypotheses(round_.study, round_).select_related("factor")


def hypothesis_votes_progress(round_: Round, expert: Expert) -> Progress:
    hypotheses = list(votable_hypotheses(round_).values_list("pk", flat=True))
    done = (
        HypothesisVote.objects.filter(round=round_, expert=expert, hypothesis_id__in=hypotheses)
        .fully_answered()
        .count()
    )
    text = _("%(done)d of %(total)d hypotheses answered") % {
        "done": done,
        "total": len(hypotheses),
    }
    return Progress(done, len(hypotheses), text)


def hypothesis_votes_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """One key factor at a time: the probability and desirability of each of its hypotheses."""
    hypotheses = list(votable_hypotheses(round_).order_by("position", "id"))
    votes = {v.hypothesis_id: v for v in HypothesisVote.objects.filter(round=round_, expert=expert)}
    complete = {pk for pk, v in votes.items() if v.fully_answered}
    keys = key_factors(round_.study)
    others = sorted(
        {h.factor for h in hypotheses if h.factor not in keys}, key=lambda f: (f.position, f.pk)
    )
    groups = [
        (factor, [h for h in hypotheses if h.factor_id == factor.pk]) for factor in [*keys, *others]
    ]
    pages = factor_pages(
        request,
        [
            (factor, sum(1 for h in asked if h.pk in complete), len(asked))
            for factor, asked in groups
            if asked
        ],
    )
    delphi = delphi_feedback(expert, round_)
    carried = earlier_answers(expert, round_)
    items = []
    for hypothesis in dict(groups).get(pages.factor, []) if pages.factor else []:
        probability, desirability, carried_from = shown_votes(
            votes.get(hypothesis.pk), carried, hypothesis.code
        )
        still = "" if carried_from else still_to_answer(bool(probability), bool(desirability))
        items.append(
            (
                hypothesis,
                probability,
                desirability,
                carried_from,
                before(delphi, hypothesis.code),
                still,
            )
        )
    context = round_context(
        expert,
        round_,
        pages=pages,
        delphi=delphi,
        items=items,
        carried_here=any(item[3] for item in items),
        probability_choices=scale_choices("probability", *round_scale(round_, "probability_scale")),
        desirability_choices=scale_choices(
            "desirability", *round_scale(round_, "desirability_scale")
        ),
    )
    return render(request, "workshop/expert/hypothesis_votes.html", context)


def shown_votes(
    vote: HypothesisVote | None, carried: dict[Any, tuple[Any, int]], code: str
) -> tuple[str, str, int | None]:
    """A hypothesis' two answers as the expert's page shows them: their answer in this
    iteration, else their standing answer ("?": don't know), and the latest iteration a
    standing answer shown comes from (None: nothing carried over)."""
    shown = []
    iterations = []
    for question in HALVES:
        answer = vote.shown(question) if vote else ""
        if not answer and (code, question) in carried:
            value, iteration = carried[code, question]
            answer = "?" if value is None else str(value)
            iterations.append(iteration)
        shown.append(answer)
    return shown[0], shown[1], max(iterations, default=None)


def parse_scale_answer(raw: str, scale: tuple[int, int], what: str) -> int | None:
    if raw.strip() == "?":
        return None
    low, high = scale
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise AnswerRefused(
            _("The %(what)s must be from %(low)d to %(high)d, or “don't know”.")
            % {"what": what, "low": low, "high": high}
        )
    return value


@step_endpoint(Round.Step.HYPOTHESIS_VOTE)
def hypothesis_vote_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save the probability and/or desirability of one hypothesis (those sent)."""
    code = request.POST.get("hypothesis", "")
    hypothesis = votable_hypotheses(round_).filter(code=code).first()
    try:
        if hypothesis is None:
            raise AnswerRefused(_("This hypothesis is not asked in this round."))
        answers: dict[str, int | bool | None] = {}
        if "probability" in request.POST:
            answers["probability"] = parse_scale_answer(
                request.POST["probability"],
                round_scale(round_, "probability_scale"),
                _("probability"),
            )
            answers["probability_answered"] = True
        if "desirability" in request.POST:
            answers["desirability"] = parse_scale_answer(
                request.POST["desirability"],
                round_scale(round_, "desirability_scale"),
                _("desirability"),
            )
            answers["desirability_answered"] = True
        if not answers:
            raise AnswerRefused(_("Choose an answer first."))
        with answering(round_):
            vote = store_vote(round_, expert, hypothesis, answers)
    except AnswerRefused as refusal:
        return refused(
            request, round_, refusal.message, f"hypothesis-{code}", factor=page_of(hypothesis)
        )
    # half a vote is saved, and the expert is told which half is still to give
    still = still_to_answer(vote.probability_answered, vote.desirability_answered)
    return saved(
        request,
        expert,
        round_,
        f"hypothesis-{code}",
        factor=page_of(hypothesis),
        extra={"still": still},
    )


def still_to_answer(probability: bool, desirability: bool) -> str:
    """The question of a half-answered hypothesis still to answer, in words ("" when both or
    neither are answered)."""
    if probability == desirability:
        return ""
    return _("desirability") if probability else _("probability")


@step_endpoint(Round.Step.HYPOTHESIS_VOTE)
def hypothesis_votes_confirm(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Confirm, as answers of this iteration, the expert's standing answers they have not
    given again yet: on one key factor's hypotheses (`factor`), else on all those asked."""
    code = request.POST.get("factor", "")
    asked = votable_hypotheses(round_)
    if code:
        asked = asked.filter(factor__code=code)
        if not asked.exists():
            return refused(request, round_, _("This hypothesis is not asked in this round."))
    carried = earlier_answers(expert, round_)
    with answering(round_):
        votes = {
            v.hypothesis_id: v for v in HypothesisVote.objects.filter(round=round_, expert=expert)
        }
        for hypothesis in asked:
            answers: dict[str, Any] = {}
            for question in HALVES:
                vote = votes.get(hypothesis.pk)
                given = vote is not None and getattr(vote, f"{question}_answered")
                if not given and (hypothesis.code, question) in carried:
                    answers[question] = carried[hypothesis.code, question][0]
                    answers[f"{question}_answered"] = True
            if answers:
                store_vote(round_, expert, hypothesis, answers)
    messages.success(request, _("Your earlier answers are confirmed for this iteration."))
    return redirect(round_url(round_, factor=code))


def store_vote(
    round_: Round, expert: Expert, hypothesis: Hypothesis, answers: dict[str, Any]
) -> HypothesisVote:
    """Save the questions answered (a new vote has only those; the other is not answered
    yet), in the transaction of :func:`answering`; the vote as stored."""
    vote, _created = HypothesisVote.objects.update_or_create(
        round=round_,
        expert=expert,
        hypothesis=hypothesis,
        defaults=answers,
        create_defaults={
            "probability_answered": False,
            "desirability_answered": False,
            **answers,
        },
    )
    return vote


STEPS[Round.Step.HYPOTHESIS_VOTE] = Step(hypothesis_votes_page, hypothesis_votes_progress)
