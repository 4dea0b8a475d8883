"""A round of the weighted vote (step 2): the group's result once it closed (on the standing
ballots of its iterations so far), what an expert sees of it (their feedback, and next to
each question in the next iteration), each expert's standing ballot, and how the results
moved from one iteration to the next. Registered in :data:`.steps.STEPS`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from anticipe.study.analysis import analyse_factor_vote
from anticipe.study.standing import latest_answers
from anticipe.workshop.models import Expert, FactorPoints, Round, Study
from anticipe.workshop.results.cache import study_factor_titles
from anticipe.workshop.results.labels import flatten_parameters
from anticipe.workshop.results.tables import Table
from anticipe.workshop.study_format import (
    analysis_header,
    factor_vote_section,
    iteration_rules_of,
    study_lookups,
)
from anticipe.workshop.study_format import (
    iterations as closed_iterations,
)


def aggregate(study: Study, round_: Round, *, bootstrap: bool = True) -> dict[str, Any]:
    """``{"factor_vote": ...}``: the core's weighted vote of the standing ballots of the
    step's closed iterations up to this round (None when nobody voted). No bootstrap here:
    `bootstrap` is the argument every step's ``aggregate`` takes."""
    look = study_lookups(study)
    rounds = closed_iterations(study, round_.step, until=round_.iteration)
    document = {
        **analysis_header(study),
        "factors": [{"code": f.code, "title": f.title} for f in look.factors],
        "factor_vote": factor_vote_section(look, rounds),
    }
    return {"factor_vote": analyse_factor_vote(document)}


def own_answers(expert: Expert, round_: Round) -> dict[Any, Any]:
    """The expert's points in one round, by factor code."""
    return dict(
        FactorPoints.objects.filter(round=round_, expert=expert)
        .select_related("factor")
        .values_list("factor__code", "points")
    )


def standing(expert: Expert, rounds: Sequence[Round]) -> dict[Any, tuple[Any, int]]:
    """The expert's standing ballot over these iterations (their latest), by factor code:
    ``(points, iteration)``."""
    ballots = latest_answers(
        (
            (r.iteration, "ballot", points)
            for r in rounds
            for points in [own_answers(expert, r)]
            if points  # no points in a round: no ballot there
        ),
        iteration_rules_of(rounds),
    )
    ballot, iteration = ballots.get("ballot", ({}, 0))
    return {code: (points, iteration) for code, points in ballot.items()}


def group_figures(aggregates: Mapping[str, Any]) -> tuple[dict[Any, Any], str]:
    """The group's points of each factor."""
    vote = aggregates["factor_vote"]
    return ({item["factor"]: item["points"] for item in vote["ranking"]} if vote else {}), "mean"


def feedback_item(question: Any, figure: Any, own: Mapping[Any, Any]) -> Any:
    """Next to a factor in the next iteration: the group's points and the expert's."""
    return (figure, own.get(question, 0))


def feedback(
    aggregates: Mapping[str, Any], own: Mapping[Any, Any], titles: Mapping[str, str]
) -> dict[str, Any] | None:
    """The feedback page: the ranking with the expert's own points."""
    vote = aggregates["factor_vote"]
    if not vote:
        return None
    rows = [
        {
            **item,
            "title": titles.get(item["factor"], item["factor"]),
            "own": own.get(item["factor"], 0),
        }
        for item in vote["ranking"]
    ]
    return {"kind": "factor_vote", "rows": rows, "concordance": vote["concordance"]}


def parameters(aggregates: Mapping[str, Any]) -> list[tuple[str, str]] | None:
    vote = aggregates.get("factor_vote")
    return flatten_parameters(vote["parameters"]) if vote else None


def iterations(
    study: Study, rounds: list[Round], aggregates: list[dict[str, Any] | None], labels: list[str]
) -> dict[str, Any]:
    """Each factor's points and rank in every iteration (in the last one's order), and
    Kendall's W of each."""
    per: dict[str, list[dict[str, Any] | None]] = defaultdict(lambda: [None] * len(rounds))
    for k, found in enumerate(aggregates):
        vote = found["factor_vote"] if found else None
        for item in vote["ranking"] if vote else []:
            per[item["factor"]][k] = item
    titles = study_factor_titles(study)
    rows: list[dict[str, Any]] = [
        {"code": code, "title": titles.get(code, code), "cells": cells}
        for code, cells in sorted(
            per.items(), key=lambda kv: (kv[1][-1] or {"rank": 10**6})["rank"]
        )
    ]
    concordance = [
        (found["factor_vote"] or {}).get("concordance") if found else None for found in aggregates
    ]
    table = Table(
        "iterations",
        _("Weighted vote, iteration by iteration"),
        [
            _("code"),
            _("factor"),
            *[f"{label}: {name}" for label in labels for name in (_("points"), _("rank"))],
        ],
        [
            [
                row["code"],
                row["title"],
                *[
                    value
                    for cell in row["cells"]
                    for value in ((cell["points"], cell["rank"]) if cell else (None, None))
                ],
            ]
            for row in rows
        ],
    )
    return {"rows": rows, "concordance": concordance, "tables": [table]}
