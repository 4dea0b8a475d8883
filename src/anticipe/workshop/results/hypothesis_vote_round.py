"""A round of the probability and desirability votes (step 4): the group's result once it
closed (on the standing answers of its iterations so far), what an expert sees of it (their
feedback, and next to each hypothesis in the next iteration), each expert's standing
answers, and each hypothesis' medians and spreads from one iteration to the next.
Registered in :data:`.steps.STEPS`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from anticipe.study.analysis import analyse_hypotheses
from anticipe.study.standing import QUESTIONS, latest_answers
from anticipe.workshop.models import Expert, HypothesisVote, Round, Study
from anticipe.workshop.results.hypotheses_page import counts
from anticipe.workshop.results.labels import flatten_parameters
from anticipe.workshop.results.tables import Table
from anticipe.workshop.study_format import iteration_rules_of, study_document
from anticipe.workshop.study_format import iterations as closed_iterations

HALVES = QUESTIONS  # the two questions on each hypothesis: probability, desirability


def aggregate(study: Study, round_: Round, *, bootstrap: bool = True) -> dict[str, Any]:
    """``{"hypotheses": ...}``: the core's statistics of each key factor's hypotheses, on
    the standing answers of the step's closed iterations up to this round. No bootstrap
    here: `bootstrap` is the argument every step's ``aggregate`` takes."""
    rounds = {round_.step: closed_iterations(study, round_.step, until=round_.iteration)}
    document = study_document(study, rounds, with_matrices=False)
    return {"hypotheses": analyse_hypotheses(document)}


def own_answers(expert: Expert, round_: Round) -> dict[Any, Any]:
    """The expert's answers in one round by ``(hypothesis code, question)``: only the
    questions answered (None: "don't know")."""
    rows = HypothesisVote.objects.filter(round=round_, expert=expert).values_list(
        "hypothesis__code",
        "probability",
        "desirability",
        "probability_answered",
        "desirability_answered",
    )
    found: dict[Any, Any] = {}
    for code, probability, desirability, probability_answered, desirability_answered in rows:
        if probability_answered:
            found[code, "probability"] = probability
        if desirability_answered:
            found[code, "desirability"] = desirability
    return found


def standing(expert: Expert, rounds: Sequence[Round]) -> dict[Any, tuple[Any, int]]:
    """The expert's standing answer to each question over these iterations (their latest),
    by ``(hypothesis code, question)``: ``(value, iteration)``, None for "don't know"."""
    return latest_answers(
        (
            (r.iteration, question, value)
            for r in rounds
            for question, value in own_answers(expert, r).items()
        ),
        iteration_rules_of(rounds),
        lambda rule, key: rule.asks(key[0]),
    )


def _is_voted(item: Mapping[str, Any]) -> bool:
    """Whether the experts voted on a hypothesis (a merge has no votes of its own)."""
    return not item["merged_from"] and bool(item["probability"])


def group_figures(aggregates: Mapping[str, Any]) -> tuple[dict[Any, Any], str]:
    """The group's medians of each hypothesis."""
    figures = {
        item["code"]: {half: item[half]["median"] for half in HALVES}
        for block in aggregates["hypotheses"]
        for item in block["hypotheses"]
        if _is_voted(item)
    }
    return figures, "mean"


def feedback_item(question: Any, figure: Any, own: Mapping[Any, Any]) -> Any:
    """Next to a hypothesis in the next iteration: for each question, the group's median,
    the expert's answer and whether they answered it."""
    mine = _mine(own, question)
    return {
        "answered": bool(mine),
        **{half: (figure[half], mine.get(half), half in mine) for half in HALVES},
    }


def _mine(own: Mapping[Any, Any], code: str) -> dict[str, Any]:
    """The expert's answers on one hypothesis, by question (those answered)."""
    return {half: own[code, half] for half in HALVES if (code, half) in own}


def feedback(
    aggregates: Mapping[str, Any], own: Mapping[Any, Any], titles: Mapping[str, str]
) -> dict[str, Any] | None:
    """The feedback page: each voted hypothesis' distributions with the expert's answers."""
    blocks = []
    for block in aggregates["hypotheses"]:
        rows = [_feedback_row(item, own) for item in block["hypotheses"] if _is_voted(item)]
        if rows:
            blocks.append({**block, "rows": rows})
    return {"kind": "hypotheses", "blocks": blocks}


def _feedback_row(item: Mapping[str, Any], own: Mapping[Any, Any]) -> dict[str, Any]:
    mine = _mine(own, item["code"])
    captions = {"probability": ("p", _("Probability")), "desirability": ("d", _("Desirability"))}
    return {
        **item,
        "answered": bool(mine),
        "own_probability": mine.get("probability"),
        "own_desirability": mine.get("desirability"),
        "panels": [
            (
                item[half],
                counts(item[half], mine.get(half), mark=True),
                captions[half][0],
                captions[half][1],
                mine.get(half),
                half in mine,
            )
            for half in HALVES
        ],
    }


def parameters(aggregates: Mapping[str, Any]) -> list[tuple[str, str]] | None:
    for block in aggregates.get("hypotheses") or []:
        if block["statistics"]:
            return flatten_parameters(block["statistics"]["parameters"])
    return None


def iterations(
    study: Study, rounds: list[Round], aggregates: list[dict[str, Any] | None], labels: list[str]
) -> dict[str, Any]:
    """Each hypothesis' probability and desirability statistics in every iteration."""
    hypotheses: dict[str, dict[str, Any]] = {}
    cells: dict[str, list[dict[str, Any] | None]] = defaultdict(lambda: [None] * len(rounds))
    for k, found in enumerate(aggregates):
        for block in found["hypotheses"] if found else []:
            for item in block["hypotheses"]:
                if item["merged_from"]:
                    continue
                hypotheses.setdefault(
                    item["code"], {**item, "factor": block["factor"], "title": block["title"]}
                )
                cells[item["code"]][k] = {half: item[half] for half in HALVES}
    rows = [{**hypotheses[code], "cells": cells[code]} for code in hypotheses if code in cells]
    return {"rows": rows, "tables": [_iterations_table(rows, labels)]}


def _stat(cell: dict[str, Any] | None, name: str, key: str) -> Any:
    if not cell or not cell[name]:
        return None
    return cell[name][key]


STATISTICS = (
    ("probability", "median"),
    ("probability", "iqr"),
    ("desirability", "median"),
    ("desirability", "iqr"),
)


def _iterations_table(rows: list[dict[str, Any]], labels: list[str]) -> Table:
    names = (
        _("probability median"),
        _("probability IQR"),
        _("desirability median"),
        _("desirability IQR"),
    )
    return Table(
        "iterations",
        _("Hypothesis votes, iteration by iteration"),
        [
            _("factor"),
            _("hypothesis"),
            _("label"),
            *[f"{label}: {name}" for label in labels for name in names],
        ],
        [
            [
                row["factor"],
                row["code"],
                row["label"],
                *[_stat(cell, name, key) for cell in row["cells"] for name, key in STATISTICS],
            ]
            for row in rows
        ],
    )
