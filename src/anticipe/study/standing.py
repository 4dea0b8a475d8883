"""Delphi iterations: each expert's standing answers, and where they come from.

A step of the method may be asked in several iterations (Delphi): in iteration 2 each
expert sees the group's result of iteration 1 and their own answers, and confirms or
changes them. Every answer of every iteration is kept (study format 1.1: each answer
carries its ``iteration``); what the analysis computes on is each expert's **standing
answer** to each question: their latest answer over the iterations. An expert who does not
answer iteration 2 keeps the answer they gave in iteration 1, unless iteration 2 counts
only its own respondents (``"respondents_only": true`` in the step's ``iterations``): then
only the answers given in iteration 2 count for the questions it asked.

What a question is depends on the step:

- the weighted vote: an expert's whole ballot (the points share one budget);
- the influence matrix: one cell (``"-"`` in a matrix: not answered in that iteration);
- the hypothesis votes: the probability, or the desirability, of one hypothesis (an
  iteration may ask only some hypotheses: ``"hypotheses"`` in its entry).

:func:`latest_answers` is the rule, for any answers; :func:`standing_study` applies it to a
whole study and gives the study the analysis computes on (its answers without
iterations: one ballot, one matrix and one vote per expert and hypothesis at most);
:func:`iteration_counts` says how many standing answers come from each iteration. A
study file of version 1.0 is one iteration: its standing answers are its answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

from anticipe.study.study_file import Study

NOT_ANSWERED = "-"  # a matrix cell not answered in an iteration (format 1.1)
QUESTIONS = ("probability", "desirability")  # the two questions on a hypothesis

# the study file's sections that hold answers, and what a question is in each
STEP_SECTIONS = {
    "factor_vote": "ballot",
    "structural_analysis": "cell",
    "hypotheses": "answer",
}

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class IterationRule:
    """How one iteration of a step counts: only its own respondents or not, and which
    hypotheses it asked (None: every question of the step)."""

    iteration: int
    respondents_only: bool = False
    hypotheses: frozenset[str] | None = None

    def asks(self, hypothesis: str | None) -> bool:
        """Whether the iteration asked the question (on `hypothesis`, for the votes)."""
        return self.hypotheses is None or hypothesis is None or hypothesis in self.hypotheses


def latest_answers(
    answers: Iterable[tuple[int, K, V]],
    rules: Sequence[IterationRule] = (),
    asked: Callable[[IterationRule, K], bool] = lambda rule, key: True,
) -> dict[K, tuple[V, int]]:
    """The standing answer to each question: ``{key: (answer, iteration)}``.

    Parameters
    ----------
    answers
        ``(iteration, key, answer)``: `key` names the expert and the question.
    rules
        The step's iterations; an iteration that counts only its respondents drops the
        earlier answers to the questions it asked (`asked`) before its own count.
        An iteration without a rule counts every expert's latest answer.
    asked
        Whether an iteration asked the question of `key`.
    """
    by_iteration: dict[int, list[tuple[K, V]]] = {}
    for iteration, key, value in answers:
        by_iteration.setdefault(iteration, []).append((key, value))
    rule_of = {rule.iteration: rule for rule in rules}
    standing: dict[K, tuple[V, int]] = {}
    for iteration in sorted(set(by_iteration) | set(rule_of)):
        rule = rule_of.get(iteration)
        if rule is not None and rule.respondents_only:
            for key in [key for key in standing if asked(rule, key)]:
                del standing[key]
        for key, value in by_iteration.get(iteration, []):
            standing[key] = (value, iteration)
    return standing


def iteration_rules(section: Mapping[str, Any]) -> list[IterationRule]:
    """The iterations a step's section lists (none: each counts every latest answer)."""
    return [
        IterationRule(
            iteration=int(item["iteration"]),
            respondents_only=bool(item.get("respondents_only", False)),
            hypotheses=frozenset(item["hypotheses"]) if item.get("hypotheses") else None,
        )
        for item in section.get("iterations", [])
    ]


def has_iterations(study: Mapping[str, Any]) -> bool:
    """Whether any answer of the study names an iteration or a step lists its iterations."""
    for name, items in (
        ("factor_vote", "ballots"),
        ("structural_analysis", "matrices"),
        ("hypotheses", "votes"),
    ):
        section = study.get(name) or {}
        if section.get("iterations") or any("iteration" in a for a in section.get(items, [])):
            return True
    return False


# -- each step's standing answers ---------------------------------------------------------------


def standing_ballots(vote: Mapping[str, Any]) -> dict[str, tuple[dict[str, Any], int]]:
    """Each expert's standing ballot (their latest), by expert."""
    return latest_answers(
        ((b.get("iteration", 1), b["expert"], b) for b in vote["ballots"]),
        iteration_rules(vote),
    )


Cell = tuple[str, int, int]  # expert, row, column


def standing_cells(structural: Mapping[str, Any]) -> dict[Cell, tuple[Any, int]]:
    """Each expert's standing answer to each cell of the matrix (``"-"`` is no answer)."""
    return latest_answers(
        (
            (matrix.get("iteration", 1), (matrix["expert"], i, j), cell)
            for matrix in structural["matrices"]
            for i, row in enumerate(matrix["rows"])
            for j, cell in enumerate(row)
            if cell != NOT_ANSWERED
        ),
        iteration_rules(structural),
    )


Question = tuple[str, str, str]  # expert, hypothesis, "probability" or "desirability"


def standing_votes(section: Mapping[str, Any]) -> dict[Question, tuple[Any, int]]:
    """Each expert's standing answer to each question on a hypothesis (None: don't know)."""
    return latest_answers(
        (
            (
                vote.get("iteration", 1),
                (vote["expert"], vote["hypothesis"], question),
                vote[question],
            )
            for vote in section.get("votes", [])
            for question in QUESTIONS
            if question in vote
        ),
        iteration_rules(section),
        lambda rule, key: rule.asks(key[1]),
    )


# -- the study the analysis computes on -----------------------------------------------------------


def standing_study(study: Study) -> Study:
    """The study with each expert's standing answers in place of every iteration's.

    The result is the study's own document for a study without iterations (a 1.0 file):
    its analysis is the one it always had. Otherwise a copy whose ballots, matrices and
    votes are the standing ones, without ``iteration`` keys nor ``iterations`` lists.
    """
    if not has_iterations(study):
        return study
    standing: Study = dict(study)
    vote = study.get("factor_vote")
    if vote:
        ballots = standing_ballots(vote)
        standing["factor_vote"] = {
            **_without_iterations(vote),
            "ballots": [
                {"expert": ballot["expert"], "scores": ballot["scores"]}
                for ballot, _iteration in ballots.values()
            ],
        }
    structural = study.get("structural_analysis")
    if structural:
        standing["structural_analysis"] = {
            **_without_iterations(structural),
            "matrices": _standing_matrices(structural),
        }
    section = study.get("hypotheses")
    if section and "votes" in section:
        standing["hypotheses"] = {**_without_iterations(section), "votes": _standing_votes(section)}
    return standing


def _without_iterations(section: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in section.items() if key != "iterations"}


def _standing_matrices(structural: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One matrix per expert with a standing answer: cells without one are "don't know"."""
    size = len(structural["factors"])
    grids: dict[str, list[list[Any]]] = {}
    for (expert, i, j), (cell, _iteration) in standing_cells(structural).items():
        grid = grids.get(expert)
        if grid is None:
            grid = [[0 if r == c else None for c in range(size)] for r in range(size)]
            grids[expert] = grid
        if i != j and i < size and j < size:
            grid[i][j] = cell
    return [{"expert": expert, "rows": rows} for expert, rows in grids.items()]


def _standing_votes(section: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One vote per expert and hypothesis, with each question's standing answer."""
    votes: dict[tuple[str, str], dict[str, Any]] = {}
    for (expert, hypothesis, question), (value, _iteration) in standing_votes(section).items():
        votes.setdefault((expert, hypothesis), {"expert": expert, "hypothesis": hypothesis})[
            question
        ] = value
    return list(votes.values())


# -- where the standing answers come from ---------------------------------------------------------


class IterationCount(TypedDict):
    """How many standing answers of a step come from one iteration."""

    iteration: int
    answers: int


class StepIterations(TypedDict):
    """One step's iterations (``iterations`` of :func:`iteration_counts`)."""

    unit: str  #: what one answer is: "ballot", "cell" or "answer" (one question)
    iterations: list[int]  #: every iteration of the step, first to last
    respondents_only: list[int]  #: the iterations that count only their respondents
    standing: list[IterationCount]  #: the standing answers, by the iteration they come from


def iteration_counts(study: Study) -> dict[str, StepIterations]:
    """For each step with answers: its iterations and how many of its standing answers come
    from each (a ballot, a cell of a matrix, a question on a hypothesis)."""
    found: dict[str, StepIterations] = {}
    vote = study.get("factor_vote")
    if vote and vote["ballots"]:
        found["factor_vote"] = _step_iterations(
            "ballot", vote, (b.get("iteration", 1) for b in vote["ballots"]), standing_ballots(vote)
        )
    structural = study.get("structural_analysis")
    if structural and structural["matrices"]:
        found["structural_analysis"] = _step_iterations(
            "cell",
            structural,
            (m.get("iteration", 1) for m in structural["matrices"]),
            {
                key: answer
                for key, answer in standing_cells(structural).items()
                if key[1] != key[2]  # the diagonal is not asked
            },
        )
    section = study.get("hypotheses")
    if section and section.get("votes"):
        found["hypotheses"] = _step_iterations(
            "answer",
            section,
            (v.get("iteration", 1) for v in section["votes"]),
            standing_votes(section),
        )
    return found


def _step_iterations(
    unit: str,
    section: Mapping[str, Any],
    answered: Iterable[int],
    standing: Mapping[Any, tuple[Any, int]],
) -> StepIterations:
    rules = iteration_rules(section)
    iterations = sorted({*answered, *(rule.iteration for rule in rules)})
    counts = Counter(iteration for _value, iteration in standing.values())
    return {
        "unit": unit,
        "iterations": iterations,
        "respondents_only": [rule.iteration for rule in rules if rule.respondents_only],
        "standing": [
            {"iteration": iteration, "answers": counts.get(iteration, 0)}
            for iteration in iterations
        ],
    }
