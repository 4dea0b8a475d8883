"""Delphi feedback: what an expert sees of the group's result of a closed round (after the
round, next to their own answers; and in the next iteration of the step, next to each
question), and the expert's standing answers when an iteration starts. Only aggregates
leave this module, and the expert's own answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from anticipe.workshop import rules
from anticipe.workshop.models import Expert, Round, Study
from anticipe.workshop.results.cache import (
    CACHE_SECONDS,
    answers_state,
    digest,
    study_factor_titles,
)
from anticipe.workshop.results.steps import STEPS, round_aggregates


@dataclass(frozen=True)
class DelphiFeedback:
    """What an expert revising their answers in iteration n of a step sees, next to each
    question, of iteration n-1: the group's figure and their own answer there.

    ``items`` is keyed like the page's questions: a factor's code (factor vote: the group's
    points and the expert's points), a ``(source, target)`` pair (influence: the group's
    mean score and the expert's score, "P" or "?"), a hypothesis' code (``{"probability":
    (median, own, answered), "desirability": (median, own, answered)}``, own None for
    "don't know", answered False for a question the expert did not answer)."""

    round: Round
    items: dict[Any, Any]
    aggregation: str = "mean"  # how the influence scores were aggregated: "mean" or "median"


def own_answers(expert: Expert, round_: Round) -> dict[Any, Any]:
    """The expert's standing answers once a round closed (their latest over the step's
    closed iterations up to it; for their own pages only), keyed like the questions."""
    step = STEPS.get(round_.step)
    if step is None:
        return {}
    rounds = list(Round.objects.earlier_closed(round_))
    if round_.status == Round.Status.CLOSED:
        rounds.append(round_)
    return {key: value for key, (value, _iteration) in step.standing(expert, rounds).items()}


def earlier_answers(expert: Expert, round_: Round) -> dict[Any, tuple[Any, int]]:
    """The expert's standing answers when `round_` started (their latest over the step's
    closed iterations before it), with the iteration each comes from: what their page of
    `round_` shows as theirs, to confirm or change (empty in a first iteration)."""
    step = STEPS.get(round_.step)
    if step is None or round_.iteration <= 1:
        return {}
    return step.standing(expert, list(Round.objects.earlier_closed(round_)))


def previous_iteration(round_: Round) -> Round | None:
    """The closed iteration just before `round_` of its step, if any."""
    if round_.iteration <= 1:
        return None
    return (
        Round.objects.closed()
        .filter(study_id=round_.study_id, step=round_.step, iteration=round_.iteration - 1)
        .first()
    )


def delphi_feedback(expert: Expert, round_: Round) -> DelphiFeedback | None:
    """The feedback of the previous iteration for an expert answering `round_` (None for a
    first iteration or a step without numbers). Only aggregates, and the expert's own
    answers.

    The group's figures of a closed iteration no longer change (its answers are frozen;
    reopening it changes its closing time): they are kept in the cache, so a page costs
    the expert's own answers only."""
    previous = previous_iteration(round_)
    step = STEPS.get(round_.step)
    if previous is None or step is None:
        return None
    state = answers_state(rules.ANSWER_MODELS[round_.step]._default_manager.filter(round=previous))
    key = "anticipe:delphi:" + digest(
        expert.study_id,
        previous.pk,
        previous.status,
        previous.closed_at,
        state,
        expert.study.parameters,
    )
    group: tuple[dict[Any, Any], str] | None = cache.get(key)
    if group is None:
        group = _group_figures(expert.study, previous)
        cache.set(key, group, CACHE_SECONDS)
    figures, aggregation = group
    own = own_answers(expert, previous)
    items = {
        question: step.feedback_item(question, figure, own) for question, figure in figures.items()
    }
    return DelphiFeedback(round=previous, items=items, aggregation=aggregation)


def _group_figures(study: Study, previous: Round) -> tuple[dict[Any, Any], str]:
    """The group's figure for each question of a closed round (points of a factor, the
    aggregated score of a cell, the medians of a hypothesis), and the influence scores'
    aggregation."""
    aggregates = round_aggregates(study, previous, bootstrap=False)
    if aggregates is None:
        return {}, "mean"
    return STEPS[previous.step].group_figures(aggregates)


def feedback_context(expert: Expert, round_: Round) -> dict[str, Any]:
    """The group's result of a closed round next to the expert's own answers."""
    study = expert.study
    aggregates = round_aggregates(study, round_, bootstrap=False)
    own = own_answers(expert, round_)
    context: dict[str, Any] = {"study": study, "round": round_, "expert": expert, "kind": None}
    if aggregates is None:
        return context
    shown = STEPS[round_.step].feedback(aggregates, own, study_factor_titles(study))
    context.update(shown or {})
    return context
