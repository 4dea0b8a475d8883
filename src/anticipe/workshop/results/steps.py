"""What the desk does with the answers of each step the method core computes on, chosen
from one mapping keyed by the round's step (:data:`STEPS`): the group's result of a round
(on the standing answers of the step's iterations up to it), the expert's standing answers,
what the expert sees of the group (feedback after the round, next to each question in the
next iteration) and how the results moved between iterations.

Each step's rules live in its own module: :mod:`.factor_vote_round`,
:mod:`.influence_round`, :mod:`.hypothesis_vote_round`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anticipe.workshop.models import Expert, Round, Study
from anticipe.workshop.results import factor_vote_round, hypothesis_vote_round, influence_round
from anticipe.workshop.study_format import iterations

Aggregates = Mapping[str, Any]


@dataclass(frozen=True)
class StepResults:
    """The rules of one numeric step's results."""

    # the group's result of a closed round, as keys of :func:`round_aggregates`' result
    # (``bootstrap=False``: without what only the desk shows, when it is not ready)
    aggregate: Callable[..., dict[str, Any]]
    # the expert's standing answers over iterations, keyed like the step's questions:
    # (answer, the iteration it comes from)
    standing: Callable[[Expert, Sequence[Round]], dict[Any, tuple[Any, int]]]
    # the group's figure for each question, and how influence scores were aggregated
    group_figures: Callable[[Aggregates], tuple[dict[Any, Any], str]]
    # what an expert sees next to a question in the next iteration: (question, figure, own)
    feedback_item: Callable[[Any, Any, Mapping[Any, Any]], Any]
    # the feedback page after the round (its "kind" and content), None when nothing to show
    feedback: Callable[[Aggregates, Mapping[Any, Any], Mapping[str, str]], dict[str, Any] | None]
    # the parameters of a round's computation (None when it computed nothing)
    parameters: Callable[[Aggregates], list[tuple[str, str]] | None]
    # the iterations side by side: (study, rounds, their aggregates, their labels) -> page
    iterations: Callable[
        [Study, list[Round], list[dict[str, Any] | None], list[str]], dict[str, Any]
    ]


def _rules_of(module: Any) -> StepResults:
    return StepResults(
        aggregate=module.aggregate,
        standing=module.standing,
        group_figures=module.group_figures,
        feedback_item=module.feedback_item,
        feedback=module.feedback,
        parameters=module.parameters,
        iterations=module.iterations,
    )


STEPS: dict[str, StepResults] = {
    Round.Step.FACTOR_VOTE: _rules_of(factor_vote_round),
    Round.Step.INFLUENCE: _rules_of(influence_round),
    Round.Step.HYPOTHESIS_VOTE: _rules_of(hypothesis_vote_round),
}

# Steps whose answers the method core computes on.
NUMERIC_STEPS = tuple(STEPS)


def round_aggregates(
    study: Study, round_: Round, *, bootstrap: bool = True
) -> dict[str, Any] | None:
    """The group's result of one closed round of a numeric step, computed by the core on
    the standing answers of the step's closed iterations up to it.

    The influence matrix's structural analysis is never computed in a request:
    :class:`~.cache.ResultsPending` while the background job computes it; with
    ``bootstrap=False`` (what experts see: the group's matrix), computed here without its
    bootstrap instead.

    ``{"step", "round", "factor_vote" | "structural" and "concordance" | "hypotheses": ...}``;
    None for a step without numbers, and for a round that does not count (it, or an
    iteration before it, was answered by fewer experts than the minimum:
    :func:`~anticipe.workshop.study_format.counted`).
    """
    step = STEPS.get(round_.step)
    if step is None:
        return None
    if round_.pk not in {r.pk for r in iterations(study, round_.step)}:
        return None
    return {
        "step": round_.step,
        "round": round_,
        **step.aggregate(study, round_, bootstrap=bootstrap),
    }
