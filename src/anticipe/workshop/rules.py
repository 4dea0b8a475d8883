"""Rules of the panel and of the rounds, as functions of model instances.

The data model is shared and frozen; the rules the facilitator's pages need (when a round
may open, what "finished" means for an expert in a round, how far each expert is) live
here, named after their purpose, so the views stay short.

Progress is about *who* answered, never how much nor *what*: every function here counts
answers and never returns an answer's value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from anticipe.workshop.models import (
    Action,
    ActionProposal,
    Activity,
    CrossImpact,
    Expert,
    Factor,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    Impact,
    ImpactProposal,
    InfluenceScore,
    PanelSettings,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.models.study import new_join_code

# -- the panel --------------------------------------------------------------------------------

ANSWER_MODELS: dict[str, type[models.Model]] = {
    Round.Step.PROPOSALS: FactorProposal,
    Round.Step.FACTOR_VOTE: FactorPoints,
    Round.Step.INFLUENCE: InfluenceScore,
    Round.Step.SITUATIONS: Situation,
    Round.Step.HYPOTHESIS_VOTE: HypothesisVote,
    Round.Step.ACTIONS: ActionProposal,
    Round.Step.IMPACTS: ImpactProposal,
}


def sector_suggestions(study: Study) -> list[str]:
    """The study's own sectors (its panel settings), then those already in the panel."""
    settings = PanelSettings.objects.filter(study=study).first()
    suggestions = list(settings.sectors) if settings is not None else []
    for sector in study.experts.order_by("sector").values_list("sector", flat=True).distinct():
        if sector and sector not in suggestions:
            suggestions.append(sector)
    return suggestions


def expert_has_answers(expert: Expert) -> bool:
    """Whether the expert answered anything, in any round (then they cannot be removed)."""
    return any(
        model._default_manager.filter(expert=expert).exists() for model in ANSWER_MODELS.values()
    )


def renew_join_code(study: Study) -> str:
    """Give the study a new code to join in the room (the old one stops working)."""
    code = new_join_code()
    while Study.objects.filter(join_code=code).exists():
        code = new_join_code()
    study.join_code = code
    study.save(update_fields=["join_code", "updated_at"])
    return code


@dataclass(frozen=True)
class InvitationState:
    """Where an expert's personal link stands: not invited, waiting, used or expired."""

    status: str  # "none", "usable", "used", "expired"
    created_at: Any = None
    until: Any = None


def invitation_state(expert: Expert, answered: bool = False) -> InvitationState:
    """The state of the expert's latest invitation (`answered`: the expert has answered
    since, so a link made before their first answer no longer works)."""
    latest = max(expert.invitations.all(), key=lambda i: i.created_at, default=None)
    if latest is None:
        return InvitationState("none")
    if latest.used_at is not None:
        return InvitationState("used", latest.created_at, latest.used_at)
    if latest.is_usable() and not (answered and latest.before_answers):
        return InvitationState("usable", latest.created_at, latest.expires_at)
    return InvitationState("expired", latest.created_at, latest.expires_at)


# -- factors ----------------------------------------------------------------------------------

_CODE = re.compile(r"^([A-Za-z]+)(\d+)$")


def next_factor_code(study: Study) -> str:
    """The code suggested for a new factor: the next number of the series most of the
    study's factors are numbered in (A1, A2... as in the seed report; F4 -> F5).

    After A1, A2 and B5 it is A3, not B6: a facilitator numbers factors in one series, and
    one code typed by hand or imported in another series (B5) does not move the whole
    study to that series. A code already taken is skipped."""
    codes = list(study.factors.values_list("code", flat=True))
    numbered = [m for m in (_CODE.match(code) for code in codes) if m]
    prefix = Counter(m.group(1) for m in numbered).most_common(1)[0][0] if numbered else "A"
    number = max((int(m.group(2)) for m in numbered if m.group(1) == prefix), default=0) + 1
    taken = set(codes)
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def next_factor_position(study: Study) -> int:
    last = study.factors.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


# The experts' own texts (factor proposals, situations, action proposals) are shown to the
# facilitator once their round is closed, not as they arrive: the live progress says who has
# just answered, so a text that appeared at that moment would be theirs.
SHOWN_TEXTS_ROUNDS = (Round.Status.CLOSED,)


@dataclass(frozen=True)
class ShownTexts:
    """The rounds of a step whose experts' texts the facilitator sees, and how many closed
    rounds with texts are withheld (answered by fewer experts than the study's minimum)."""

    rounds: list[int]
    withheld: int


def closed_round_respondents(study: Study, step: str) -> dict[int, int]:
    """How many experts answered each closed round of `step` that has answers, by round id
    (one query)."""
    model: Any = ANSWER_MODELS[step]
    return dict(
        model.objects.filter(
            round__study=study, round__step=step, round__status__in=SHOWN_TEXTS_ROUNDS
        )
        .values("round")
        .annotate(experts=Count("expert", distinct=True))
        .values_list("round", "experts")
    )


def shown_texts(study: Study, step: str) -> ShownTexts:
    """The rounds of `step` (proposals, situations, actions or impacts) whose texts are
    shown: closed (:data:`SHOWN_TEXTS_ROUNDS`) and answered by at least the study's minimum
    number of experts. The progress names who answered a round: the texts of a round
    that fewer answered would all but name their authors (all of them, with one)."""
    counts = closed_round_respondents(study, step)
    shown = [round_id for round_id, experts in counts.items() if experts >= study.min_answers]
    return ShownTexts(shown, len(counts) - len(shown))


def study_proposals(study: Study) -> models.QuerySet[FactorProposal]:
    """Every factor proposal of the study's proposal rounds that are shown
    (:func:`shown_texts`), in the order of their wording (not of their author or arrival:
    the list is anonymous)."""
    return (
        FactorProposal.objects.filter(round__in=shown_texts(study, Round.Step.PROPOSALS).rounds)
        .select_related("factor")
        .order_by(Lower("title"), "id")
    )


def texts_waiting(study: Study, step: str) -> bool:
    """Whether a round of `step` is open: its texts are shown once it closes."""
    return study.rounds.open().filter(step=step).exists()


def codes_in_round_settings(study: Study) -> set[str]:
    """Factor codes fixed in a round's settings (e.g. the influence matrix's factors)."""
    codes: set[str] = set()
    for settings in study.rounds.values_list("settings", flat=True):
        if isinstance(settings, dict):
            codes.update(str(code) for code in settings.get("factors", []) or [])
    return codes


def factors_in_use(study: Study) -> set[int]:
    """The factors that experts' answers or the panel's decisions refer to (their code can
    no longer change)."""
    used: set[int] = set()
    for model in (FactorProposal, FactorPoints, Situation):
        used.update(model.objects.filter(factor__study=study).values_list("factor_id", flat=True))
    scores = InfluenceScore.objects.filter(source__study=study)
    used.update(scores.values_list("source_id", flat=True))
    used.update(scores.values_list("target_id", flat=True))
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


def activity_in_use(activity: Activity) -> bool:
    """Whether the panel's answers or decisions refer to the activity (impacts)."""
    return (
        Impact.objects.filter(activity=activity).exists()
        or ImpactProposal.objects.filter(activity=activity).exists()
    )


# -- rounds: settings -------------------------------------------------------------------------

DEFAULT_POINTS_PER_EXPERT = 10
DEFAULT_SHORTLIST_SIZE = 20
DEFAULT_SCALE = {"min": 1, "max": 4}


def voted_hypotheses(study: Study, round_: Round | None = None) -> models.QuerySet[Hypothesis]:
    """The hypotheses experts vote on: fixed in the round if it says so, else those of the
    key factors that are not merges made after a vote."""
    queryset = Hypothesis.objects.filter(factor__study=study)
    if round_ is not None and round_.settings.get("hypotheses"):
        return queryset.filter(code__in=round_.settings["hypotheses"])
    return queryset.exclude(factor__key_origin="").filter(merged_from__isnull=True)


def retained_hypotheses(study: Study) -> models.QuerySet[Hypothesis]:
    """The hypothesis retained for each key factor (actions and impacts are asked on them)."""
    return Hypothesis.objects.filter(
        pk__in=study.factors.exclude(key_origin="")
        .exclude(retained=None)
        .values_list("retained", flat=True)
    )


def influence_factors(study: Study, round_: Round) -> list[str]:
    """The factor codes of an influence round: fixed at opening, else the shortlist now."""
    if round_.settings.get("factors"):
        return list(round_.settings["factors"])
    return list(study.factors.shortlisted().values_list("code", flat=True))


def situation_factors(study: Study, round_: Round) -> list[str]:
    if round_.settings.get("factors"):
        return list(round_.settings["factors"])
    return list(study.factors.key().values_list("code", flat=True))


# -- rounds: opening and closing --------------------------------------------------------------


def latest_iteration(round_: Round) -> Round:
    return Round.objects.filter(study_id=round_.study_id, step=round_.step).order_by("-iteration")[
        0
    ]


def other_iteration_open(round_: Round) -> bool:
    return (
        Round.objects.open()
        .filter(study_id=round_.study_id, step=round_.step)
        .exclude(pk=round_.pk)
        .exists()
    )


def _vote_prerequisite(study: Study, round_: Round) -> str | None:
    count = study.factors.count()
    if count < 2:
        return _("The vote needs at least 2 change factors.")
    size = round_.settings.get("shortlist_size")
    if isinstance(size, int) and size > count:
        return _(
            "The vote would keep %(size)s factors but the study has %(count)s: change the "
            "round's settings."
        ) % {"size": size, "count": count}
    return None


def shortlist_size_bounds(study: Study) -> tuple[int, int]:
    """The default and the largest number of factors the weighted vote may keep: never more
    than the study's factors (the default is 20, as in the seed report, or all of them)."""
    count = study.factors.count()
    largest = max(count, 2)
    return min(DEFAULT_SHORTLIST_SIZE, largest), largest


def _influence_prerequisite(study: Study, round_: Round) -> str | None:
    if len(influence_factors(study, round_)) < 2:
        return _(
            "The influence matrix needs at least 2 shortlisted factors: "
            "confirm the shortlist of the vote first."
        )
    return None


def _situations_prerequisite(study: Study, round_: Round) -> str | None:
    if not situation_factors(study, round_):
        return _("Confirm the key factors first: experts describe their situations.")
    return None


def _hypothesis_vote_prerequisite(study: Study, round_: Round) -> str | None:
    if not voted_hypotheses(study, round_).exists():
        return _("The key factors have no evolution hypotheses to vote on yet.")
    return None


def _actions_prerequisite(study: Study, round_: Round) -> str | None:
    if not retained_hypotheses(study).exists():
        return _("No hypothesis has been retained yet.")
    return None


def _impacts_prerequisite(study: Study, round_: Round) -> str | None:
    if (refusal := _actions_prerequisite(study, round_)) is not None:
        return refusal
    if not study.activities.exists():
        return _("The job's perimeter has no activities yet.")
    return None


# What a step needs before its round opens (why not, or None); proposals need nothing.
STEP_PREREQUISITES: dict[str, Callable[[Study, Round], str | None]] = {
    Round.Step.FACTOR_VOTE: _vote_prerequisite,
    Round.Step.INFLUENCE: _influence_prerequisite,
    Round.Step.SITUATIONS: _situations_prerequisite,
    Round.Step.HYPOTHESIS_VOTE: _hypothesis_vote_prerequisite,
    Round.Step.ACTIONS: _actions_prerequisite,
    Round.Step.IMPACTS: _impacts_prerequisite,
}


# Steps whose rounds may not be open at the same time: each one's answers feed the other
# (the vote on factors still being proposed, the matrix on a shortlist still being voted...).
# Actions and impacts, both asked on the retained hypotheses, may run together.
OVERLAPPING_STEPS: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in [
        (Round.Step.PROPOSALS, Round.Step.FACTOR_VOTE),
        (Round.Step.FACTOR_VOTE, Round.Step.INFLUENCE),
        (Round.Step.INFLUENCE, Round.Step.SITUATIONS),
        (Round.Step.SITUATIONS, Round.Step.HYPOTHESIS_VOTE),
        (Round.Step.HYPOTHESIS_VOTE, Round.Step.ACTIONS),
        (Round.Step.HYPOTHESIS_VOTE, Round.Step.IMPACTS),
    ]
)


def neighbour_steps(step: str) -> list[str]:
    """The steps whose rounds may not be open at the same time as one of `step`."""
    return [other for pair in OVERLAPPING_STEPS if step in pair for other in pair - {step}]


def overlapping_open_round(round_: Round) -> Round | None:
    """An open round of a step next to `round_`'s in the method, if any."""
    return (
        Round.objects.open()
        .filter(study_id=round_.study_id, step__in=neighbour_steps(round_.step))
        .exclude(pk=round_.pk)
        .first()
    )


def overlap_refusal(round_: Round) -> str | None:
    """Why `round_` cannot be open at the same time as another round, or None."""
    if other_iteration_open(round_):
        return _("Another iteration of this step is open: close it first.")
    other = overlapping_open_round(round_)
    if other is not None:
        return _(
            "“%(round)s” is open and its answers feed this step (or follow from it): "
            "close it first."
        ) % {"round": other}
    return None


def step_refusal(study: Study, step: str) -> str | None:
    """Why a round of `step` could not open now, before it is even prepared (what the step
    needs from the earlier ones), or None."""
    prerequisite = STEP_PREREQUISITES.get(step)
    return prerequisite(study, Round(study=study, step=step)) if prerequisite else None


def refusal_to_open(round_: Round) -> str | None:
    """Why the round cannot be opened now, or None (a published study is refused before:
    :func:`anticipe.workshop.access.editable_study`)."""
    if round_.status != Round.Status.DRAFT:
        return _("This round has already been opened.")
    if (refusal := overlap_refusal(round_)) is not None:
        return refusal
    prerequisite = STEP_PREREQUISITES.get(round_.step)
    return prerequisite(round_.study, round_) if prerequisite else None


def refusal_to_delete(round_: Round) -> str | None:
    """Why the round cannot be deleted, or None: only a round never opened (a draft) can,
    since no expert has seen it."""
    if round_.status != Round.Status.DRAFT or round_.opened_at is not None:
        return _("Only a round that was never opened can be deleted.")
    return None


def open_round(round_: Round) -> None:
    """Open a draft round. The influence round fixes its factors now (the shortlist), so
    every expert fills the same matrix whatever the shortlist becomes later."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.step == Round.Step.INFLUENCE and not locked.settings.get("factors"):
            locked.settings = {
                **locked.settings,
                "factors": influence_factors(locked.study, locked),
            }
            locked.save(update_fields=["settings"])
        locked.open()
    round_.refresh_from_db()


def refusal_to_change_settings(round_: Round) -> str | None:
    """Why the round's settings cannot be changed now, or None (only before it opens)."""
    if round_.status != Round.Status.DRAFT:
        return _("This round has been opened: its settings can no longer change.")
    return None


def refusal_to_close(round_: Round) -> str | None:
    if round_.status != Round.Status.OPEN:
        return _("This round is not open.")
    return None


def refusal_to_reopen(round_: Round) -> str | None:
    if round_.status != Round.Status.CLOSED:
        return _("Only a closed round can be reopened.")
    if (refusal := overlap_refusal(round_)) is not None:
        return refusal
    if latest_iteration(round_).pk != round_.pk:
        return _("A later iteration of this step exists: reopen that one instead.")
    return None


def refusal_of_next_iteration(round_: Round) -> str | None:
    if latest_iteration(round_).pk != round_.pk:
        return _("A later iteration of this step already exists.")
    if round_.status != Round.Status.CLOSED:
        return _("Close this round before starting its next iteration.")
    return None


def next_iteration(round_: Round) -> Round:
    """Iteration n+1 of the round's step (a Delphi round), with the same settings."""
    return Round.objects.create(
        study_id=round_.study_id,
        step=round_.step,
        iteration=round_.iteration + 1,
        settings=dict(round_.settings),
    )


# -- the method's path: each step's status, from the perimeter to the report ----------------

PERIMETER, REPORT = "perimeter", "report"
# The steps of the method in order, as the study page shows them: the job's perimeter, the
# seven rounds (each with the facilitator's decision that follows it), the report.
PATH_STEPS: list[str] = [PERIMETER, *Round.Step.values, REPORT]


class PathStatus:
    NOT_STARTED = "not_started"
    DRAFT = "draft"  # a round prepared, never opened
    OPEN = "open"
    CLOSED = "closed"  # answers in, the facilitator's decision still to make
    DECIDED = "decided"


def _has_hypotheses(study: Study) -> bool:
    return Hypothesis.objects.filter(factor__study=study).exclude(factor__key_origin="").exists()


# What the facilitator decides after each step (the step is done once it exists).
STEP_DECISIONS: dict[str, Callable[[Study], bool]] = {
    PERIMETER: lambda study: study.activities.exists(),
    Round.Step.PROPOSALS: lambda study: study.factors.count() >= 2,
    Round.Step.FACTOR_VOTE: lambda study: study.factors.filter(shortlisted=True).exists(),
    Round.Step.INFLUENCE: lambda study: study.factors.key().exists(),
    Round.Step.SITUATIONS: _has_hypotheses,
    Round.Step.HYPOTHESIS_VOTE: lambda study: retained_hypotheses(study).exists(),
    Round.Step.ACTIONS: lambda study: Action.objects.filter(
        hypothesis__factor__study=study
    ).exists(),
    Round.Step.IMPACTS: lambda study: Impact.objects.filter(
        hypothesis__factor__study=study
    ).exists(),
    REPORT: lambda study: study.is_published(),
}


@dataclass(frozen=True)
class PathStep:
    """One step of the method's path: its status, its round (the open one, else the latest
    iteration), how far the panel is in an open round, and why its round cannot open now."""

    key: str
    status: str
    round: Round | None = None
    progress: RoundProgress | None = None
    refusal: str | None = None
    is_next: bool = False

    @property
    def is_round(self) -> bool:
        return self.key in Round.Step.values


def _path_step(study: Study, key: str, rounds: list[Round]) -> PathStep:
    decided = STEP_DECISIONS[key](study)
    if key not in Round.Step.values:
        return PathStep(key, PathStatus.DECIDED if decided else PathStatus.NOT_STARTED)
    opened = next((r for r in rounds if r.status == Round.Status.OPEN), None)
    if opened is not None:
        return PathStep(key, PathStatus.OPEN, opened, round_progress(opened))
    latest = rounds[-1] if rounds else None
    if latest is not None and latest.status == Round.Status.DRAFT:
        return PathStep(key, PathStatus.DRAFT, latest, refusal=refusal_to_open(latest))
    if decided:
        return PathStep(key, PathStatus.DECIDED, latest)
    if latest is not None:
        return PathStep(key, PathStatus.CLOSED, latest)
    return PathStep(key, PathStatus.NOT_STARTED, refusal=step_refusal(study, key))


def study_path(study: Study) -> list[PathStep]:
    """The method's steps in order with their status; the first step not done yet is the
    next one (its action is the page's one primary action)."""
    by_step: dict[str, list[Round]] = {}
    for round_ in study.rounds.order_by("iteration", "id"):
        by_step.setdefault(round_.step, []).append(round_)
    steps = [_path_step(study, key, by_step.get(key, [])) for key in PATH_STEPS]
    for index, step in enumerate(steps):
        if step.status != PathStatus.DECIDED:
            steps[index] = replace(step, is_next=True)
            break
    return steps


# -- rounds: progress (who has answered, never how much nor what) -------------------------------


@dataclass(frozen=True)
class ExpertProgress:
    """How much one expert has answered in one round (a count, never a value).

    The facilitator's pages show of it only :attr:`answered`, per expert: never an amount
    nor whether they finished, not even summed over the panel (the sums would move as one
    name turned to "has answered", or as a round closed, reopened and closed again, telling
    that expert's amount). An expert's exact count, or whether they finished, would match
    one pseudonym's number of answers in the study file."""

    expert: Expert
    unit: str  # "proposals", "points", "cells", "factors" or "votes" (hypotheses)
    done: int
    expected: int | None
    started: bool = False  # has answered something not counted in `done` yet

    @property
    def answered(self) -> bool:
        return self.done > 0 or self.started

    @property
    def finished(self) -> bool:
        if self.expected is None:
            return self.done > 0
        return self.done >= self.expected


@dataclass(frozen=True)
class RoundProgress:
    """Every expert's progress in a round, and the totals."""

    round: Round
    unit: str
    experts: list[ExpertProgress]

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.experts if row.answered)

    def of(self, expert: Expert) -> ExpertProgress:
        return next(row for row in self.experts if row.expert.pk == expert.pk)


def _counts(queryset: models.QuerySet[Any], total: Any = None) -> dict[int, int]:
    rows = queryset.values("expert_id").annotate(n=total if total is not None else Count("id"))
    return {row["expert_id"]: int(row["n"] or 0) for row in rows}


@dataclass(frozen=True)
class StepCount:
    """What each expert has answered in a round, counted for its step: the unit, the count
    by expert id, the amount expected of each (None: free), and the experts part-way
    through an answer that the count does not include yet."""

    unit: str
    done: dict[int, int]
    expected: int | None = None
    started: frozenset[int] = frozenset()


def _count_proposals(study: Study, round_: Round) -> StepCount:
    return StepCount("proposals", _counts(FactorProposal.objects.filter(round=round_)))


def _count_points(study: Study, round_: Round) -> StepCount:
    done = _counts(FactorPoints.objects.filter(round=round_), Sum("points"))
    expected = int(round_.settings.get("points_per_expert") or DEFAULT_POINTS_PER_EXPERT)
    return StepCount("points", done, expected)


def _count_cells(study: Study, round_: Round) -> StepCount:
    codes = influence_factors(study, round_)
    scores = InfluenceScore.objects.filter(
        round=round_, source__code__in=codes, target__code__in=codes
    ).exclude(source=models.F("target"))
    return StepCount("cells", _counts(scores), len(codes) * (len(codes) - 1))


def _count_situations(study: Study, round_: Round) -> StepCount:
    codes = situation_factors(study, round_)
    answers = Situation.objects.filter(round=round_, factor__code__in=codes)
    return StepCount("factors", _counts(answers.exclude(current="", future="")), len(codes))


def _count_hypothesis_votes(study: Study, round_: Round) -> StepCount:
    hypotheses = voted_hypotheses(study, round_)
    votes = HypothesisVote.objects.filter(round=round_, hypothesis__in=hypotheses)
    started = frozenset(votes.values_list("expert_id", flat=True).distinct())  # one half only
    return StepCount("votes", _counts(votes.fully_answered()), hypotheses.count(), started)


def _count_retained(model: type[models.Model]) -> Callable[[Study, Round], StepCount]:
    """Actions and impacts: how many retained hypotheses the expert answered for."""

    def count(study: Study, round_: Round) -> StepCount:
        retained = retained_hypotheses(study)
        done = _counts(
            model._default_manager.filter(round=round_, hypothesis__in=retained),
            Count("hypothesis", distinct=True),
        )
        return StepCount("votes", done, retained.count())

    return count


# How each step counts what an expert has answered.
STEP_COUNTS: dict[str, Callable[[Study, Round], StepCount]] = {
    Round.Step.PROPOSALS: _count_proposals,
    Round.Step.FACTOR_VOTE: _count_points,
    Round.Step.INFLUENCE: _count_cells,
    Round.Step.SITUATIONS: _count_situations,
    Round.Step.HYPOTHESIS_VOTE: _count_hypothesis_votes,
    Round.Step.ACTIONS: _count_retained(ActionProposal),
    Round.Step.IMPACTS: _count_retained(ImpactProposal),
}


def round_progress(round_: Round) -> RoundProgress:
    """For each expert of the study, how much they have answered in the round (counts,
    never values): the facilitator's pages show only whether they have answered."""
    study = round_.study
    count = STEP_COUNTS[round_.step](study, round_)
    return RoundProgress(
        round=round_,
        unit=count.unit,
        experts=[
            ExpertProgress(
                expert,
                count.unit,
                count.done.get(expert.pk, 0),
                count.expected,
                expert.pk in count.started,
            )
            for expert in study.experts.order_by("name", "pk")  # by name: never by pseudonym
        ],
    )


def experts_to_remind(study: Study) -> list[tuple[Expert, list[Round]]]:
    """Experts with an e-mail address who have not answered an open round yet, with those
    rounds.

    Not those who have not *finished*: the facilitator reads the outbox and the panel, and
    knowing who has finished would single out, in the study file's answers, the one set of
    answers left incomplete (the facilitator sees, per expert, only whether they have
    answered: :class:`ExpertProgress`)."""
    waiting: dict[int, tuple[Expert, list[Round]]] = {}
    for round_ in study.rounds.open().order_by("created_at", "id"):
        for row in round_progress(round_).experts:
            if row.expert.email and not row.answered:
                waiting.setdefault(row.expert.pk, (row.expert, []))[1].append(round_)
    return sorted(waiting.values(), key=lambda item: (item[0].name, item[0].pk))


def factor_from_proposals(
    study: Study, proposals: list[FactorProposal], *, title: str, description: str = ""
) -> Factor:
    """A new change factor made of experts' proposals (duplicates merged)."""
    with transaction.atomic():
        Study.objects.select_for_update().get(pk=study.pk)  # one new code at a time
        factor = Factor.objects.create(
            study=study,
            code=next_factor_code(study),
            title=title,
            description=description,
            position=next_factor_position(study),
        )
        FactorProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(factor=factor)
    return factor


# -- decisions on a key factor's hypotheses: merges and the retained one ----------------------
#
# Every decision the desk allows leaves the study analysable: a hypothesis merged into
# another is never retained (the merge stands for it), a hypothesis is part of one merge at
# most and a merge is made of hypotheses voted on, and what the action plan and the impact
# table decided for a retained hypothesis is not silently left behind. Each refusal says
# what to do instead.


def retention_change_refusal(factor: Factor) -> str | None:
    """Why the factor's retained hypothesis cannot be withdrawn or replaced now, or None:
    the action plan or the impact table has entries for it."""
    retained = factor.retained
    if retained is not None and retained.has_plan():
        return _(
            "The action plan or the impact table has entries for the retained hypothesis "
            "%(label)s: delete them first, then change the retention."
        ) % {"label": retained.label}
    return None


def retention_refusal(factor: Factor, hypothesis: Hypothesis | None) -> str | None:
    """Why `hypothesis` cannot become the factor's retained hypothesis now, or None."""
    if hypothesis is None or hypothesis.factor_id != factor.pk:
        return _("Choose a hypothesis of this factor.")
    merge = hypothesis.merge()
    if merge is not None:
        return _("Hypothesis %(label)s is merged into %(merge)s: retain the merge.") % {
            "label": hypothesis.label,
            "merge": merge.label,
        }
    if factor.retained_id not in (None, hypothesis.pk):
        return retention_change_refusal(factor)
    return None


def merge_refusal(factor: Factor, sources: list[Hypothesis], chosen: int) -> str | None:
    """Why the `sources` (of the `chosen` hypotheses posted) cannot be merged, or None."""
    if len(sources) < 2 or len(sources) != chosen:
        return _("Choose at least two hypotheses of this factor to merge.")
    for hypothesis in sources:
        if hypothesis.merged_from.exists():
            return _("%(label)s is itself a merge: merge the hypotheses it is made of.") % {
                "label": hypothesis.label
            }
        merge = hypothesis.merge()
        if merge is not None:
            return _("%(label)s is already part of the merge %(merge)s: undo that merge first.") % {
                "label": hypothesis.label,
                "merge": merge.label,
            }
    if factor.retained_id in {h.pk for h in sources}:
        return retention_change_refusal(factor)
    return None


def key_factor_removal_refusal(factor: Factor) -> str | None:
    """Why the factor cannot stop being a key factor now, or None: the study file would
    still count its retained hypothesis (with its actions and impacts) in the scenario, and
    its cross-impacts in the coherence, while the desk no longer shows them."""
    if factor.retained_id is not None:
        return _(
            "%(code)s has a retained hypothesis: withdraw the retention first (after its "
            "actions and impacts)."
        ) % {"code": factor.code}
    if CrossImpact.objects.filter(Q(source__factor=factor) | Q(target__factor=factor)).exists():
        return _("The hypotheses of %(code)s have cross-impacts: set them to 0 first.") % {
            "code": factor.code
        }
    return None


def hypothesis_deletion_refusal(hypothesis: Hypothesis) -> str | None:
    """Why a hypothesis cannot be deleted (its votes, decisions or links would be lost)."""
    if HypothesisVote.objects.filter(hypothesis=hypothesis).exists():
        return _("Experts voted on this hypothesis: reword it or merge it instead.")
    if Factor.objects.filter(retained=hypothesis).exists():
        return _("This hypothesis is retained: withdraw the retention first.")
    if hypothesis.merged_into.exists():
        return _("This hypothesis is part of a merge: delete the merged hypothesis first.")
    if hypothesis.has_plan():
        return _("This hypothesis has actions or impacts: delete them first.")
    if ActionProposal.objects.filter(hypothesis=hypothesis).exists() or (
        ImpactProposal.objects.filter(hypothesis=hypothesis).exists()
    ):
        return _("Experts proposed actions or impacts for this hypothesis.")
    return None


@dataclass(frozen=True)
class DecisionProblem:
    """A state of the decisions the analysis cannot use, and the key factor to fix it on."""

    message: str
    factor: Factor | None = None


def decision_problems(study: Study) -> list[DecisionProblem]:
    """What in the study's decisions the analysis cannot use (none, when every decision went
    through the desk's rules; older data or a race may leave one): a retained hypothesis
    merged into another or of another factor, a hypothesis in several merges or a merge
    merged again (two queries; a cross-impact of a merged hypothesis is the analysis'
    own problem, :class:`~anticipe.study.errors.StudyInputError`)."""
    merges = list(
        Hypothesis.merged_from.through.objects.filter(
            from_hypothesis__factor__study=study
        ).values_list("from_hypothesis__code", "to_hypothesis__code", "to_hypothesis__factor_id")
    )
    merged_into: dict[str, list[str]] = {}
    for merge, source, _factor in merges:
        merged_into.setdefault(source, []).append(merge)
    factors = {factor.pk: factor for factor in study.factors.select_related("retained")}
    problems = []
    for factor in factors.values():
        retained = factor.retained
        if retained and (retained.factor_id != factor.pk or retained.code in merged_into):
            message = _(
                "The retained hypothesis of %(code)s is merged into another one: withdraw "
                "the retention, then retain the merge."
            )
            problems.append(DecisionProblem(message % {"code": factor.code}, factor))
    for merge, source, factor_id in merges:
        if len(merged_into[source]) > 1 and merge == merged_into[source][0]:
            message = _("Hypothesis %(code)s is part of several merges: undo all but one.")
            problems.append(DecisionProblem(message % {"code": source}, factors[factor_id]))
        elif source in {m for m, _s, _f in merges} and merge == merged_into[source][0]:
            message = _("The merge %(code)s is merged again: undo the later merge.")
            problems.append(DecisionProblem(message % {"code": source}, factors[factor_id]))
    return problems
