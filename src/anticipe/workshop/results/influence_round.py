"""A round of the influence matrix (step 3): the group's result once it closed (the structural
analysis of the standing answers of its iterations so far, from the cache), what an expert
sees of it (their feedback, and next to each cell in the next iteration), each expert's
standing answers, and the cells whose mean moved from one iteration to the next.
Registered in :data:`.steps.STEPS`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from anticipe.study.standing import latest_answers
from anticipe.workshop.models import Expert, InfluenceScore, Round, Study
from anticipe.workshop.results.cache import ResultsPending, structural_results
from anticipe.workshop.results.labels import flatten_parameters, number_text
from anticipe.workshop.results.tables import Table
from anticipe.workshop.study_format import (
    analysis_header,
    influence_codes,
    iteration_rules_of,
    study_lookups,
)
from anticipe.workshop.study_format import (
    iterations as closed_iterations,
)

# a cell's mean score and interquartile range in one iteration
Cell = tuple[float, float | None]
SHOWN = {"0": "0", "1": "1", "2": "2", "3": "3", "P": "P", "?": "?"}  # an answer in the grid


def aggregate(study: Study, round_: Round, *, bootstrap: bool = True) -> dict[str, Any]:
    """``{"structural": ..., "concordance": ...}``: the structural analysis of the standing
    answers of the step's closed iterations up to this round, and the experts'
    concordance (None when nobody answered).

    Never the bootstrap in a request: the analysis is read where the background job
    (:func:`compute_iterations`) stored it, else :class:`~.cache.ResultsPending`. Without
    `bootstrap` (what an expert sees of the group: the aggregated matrix only), the
    analysis without its bootstrap is computed here when the full one is not stored yet
    (milliseconds: the group's matrix does not depend on the resamples)."""
    look = study_lookups(study)
    codes = influence_codes(look, round_)
    rounds = closed_iterations(study, round_.step, until=round_.iteration)
    document = analysis_header(study)
    both = None
    if codes:
        try:
            both = structural_results(study, rounds, codes, document, look=look, wait=False)
        except ResultsPending:
            if bootstrap:
                raise
            both = structural_results(study, rounds, codes, document, look=look, resamples=0)
    return {
        "structural": both["structural_analysis"] if both else None,
        # no disagreement either below the minimum number of matrices
        "concordance": both["disagreement"]["concordance"]
        if both and both["disagreement"]
        else None,
    }


def compute_iterations(study: Study) -> None:
    """The structural analysis of every closed iteration of the influence matrix (each on
    the standing answers up to it), computed and stored unless it is already: the
    background job's work, so that the pages of the iterations, the projector and the
    experts' feedback find them (seconds each)."""
    look = study_lookups(study)
    document = analysis_header(study)
    for round_ in closed_iterations(study, Round.Step.INFLUENCE):
        codes = influence_codes(look, round_)
        if codes:
            rounds = closed_iterations(study, round_.step, until=round_.iteration)
            structural_results(study, rounds, codes, document, look=look)


def own_answers(expert: Expert, round_: Round) -> dict[Any, Any]:
    """The expert's scores in one round, by ``(source, target)`` factor codes."""
    return {
        (source, target): value
        for source, target, value in InfluenceScore.objects.filter(
            round=round_, expert=expert
        ).values_list("source__code", "target__code", "value")
    }


def standing(expert: Expert, rounds: Sequence[Round]) -> dict[Any, tuple[Any, int]]:
    """The expert's standing answer to each cell over these iterations (their latest),
    by ``(source, target)`` factor codes: ``(score, iteration)``."""
    return latest_answers(
        (
            (r.iteration, cell, value)
            for r in rounds
            for cell, value in own_answers(expert, r).items()
        ),
        iteration_rules_of(rounds),
    )


def group_figures(aggregates: Mapping[str, Any]) -> tuple[dict[Any, Any], str]:
    """The group's aggregated score of each cell, and how the scores were aggregated."""
    structural = aggregates["structural"]
    if not structural:
        return {}, "mean"
    codes = structural["factors"]
    figures = {
        (source, target): structural["matrix"][i][j]
        for i, source in enumerate(codes)
        for j, target in enumerate(codes)
        if i != j
    }
    return figures, structural["parameters"].get("aggregation", "mean")


def feedback_item(question: Any, figure: Any, own: Mapping[Any, Any]) -> Any:
    """Next to a cell in the next iteration: the group's score and the expert's."""
    return (figure, own.get(question))


def feedback(
    aggregates: Mapping[str, Any], own: Mapping[Any, Any], titles: Mapping[str, str]
) -> dict[str, Any] | None:
    """The feedback page: the expert's matrix over the group's mean."""
    sa = aggregates["structural"]
    if not sa:
        return None
    return {"kind": "influence", **influence_feedback(sa, own, titles)}


def influence_feedback(
    sa: Mapping[str, Any], own: Mapping[tuple[str, str], str], titles: Mapping[str, str]
) -> dict[str, Any]:
    """The influence matrix's feedback: a compact grid (the expert's score over the group's
    mean, in every cell; written out here and laid out by
    ``workshop/desk/partials/feedback_cells.html``, to stay light on a phone: a 20-factor
    matrix has 380 cells), and the list of the expert's scores at least 1 away from the
    mean."""
    value_labels = {value: str(label) for value, label in InfluenceScore.Value.choices}
    codes: list[str] = sa["factors"]
    rows = []
    far = []
    for i, source in enumerate(codes):
        cells: list[dict[str, Any]] = []
        for j, target in enumerate(codes):
            if i == j:
                cells.append({"diagonal": True})
                continue
            mine = own.get((source, target))
            mean = sa["matrix"][i][j]
            numeric = int(mine) if mine in ("0", "1", "2", "3") else None
            is_far = numeric is not None and abs(numeric - mean) >= 1
            if is_far:
                far.append(
                    {
                        "source": source,
                        "target": target,
                        "own": value_labels.get(mine or "", "–"),
                        "mean": number_text(mean, 2),
                    }
                )
            cells.append(
                {
                    "far": is_far,
                    "own": SHOWN.get(mine or "", "–"),
                    "mean": number_text(mean, 1),
                }
            )
        rows.append({"code": source, "cells": cells})
    return {
        "codes": codes,
        "factors": [{"code": code, "title": titles.get(code, code)} for code in codes],
        "grid": rows,
        "far": far,
        "cells_count": len(codes) * (len(codes) - 1),
        "experts_count": len(sa["experts"]),
    }


def parameters(aggregates: Mapping[str, Any]) -> list[tuple[str, str]] | None:
    structural = aggregates.get("structural")
    return flatten_parameters(structural["parameters"]) if structural else None


def _grid(sa: Mapping[str, Any] | None) -> dict[tuple[str, str], Cell]:
    """Each off-diagonal cell's mean and interquartile range in one iteration."""
    if not sa:
        return {}
    codes = sa["factors"]
    return {
        (source, target): (sa["matrix"][i][j], sa["dispersion"]["iqr"][i][j])
        for i, source in enumerate(codes)
        for j, target in enumerate(codes)
        if i != j
    }


def _moved_cells(grids: list[dict[tuple[str, str], Cell]]) -> tuple[list[dict[str, Any]], int]:
    """The cells whose mean changed between iterations (largest change first), and how
    many did not."""
    every = sorted({cell for grid in grids for cell in grid})
    moved: list[dict[str, Any]] = []
    for cell in every:
        values = [grid.get(cell) for grid in grids]
        means = [v[0] for v in values if v is not None]
        if len(means) > 1 and max(means) - min(means) > 1e-9:
            moved.append(
                {
                    "source": cell[0],
                    "target": cell[1],
                    "cells": values,
                    "change": means[-1] - means[0],
                }
            )
    moved.sort(key=lambda row: (-abs(row["change"]), row["source"], row["target"]))
    return moved, len(every) - len(moved)


def iterations(
    study: Study, rounds: list[Round], aggregates: list[dict[str, Any] | None], labels: list[str]
) -> dict[str, Any]:
    """The cells whose mean moved between iterations, the factors each iteration's analysis
    selects, and Kendall's W of each."""
    structurals = [found["structural"] if found else None for found in aggregates]
    concordances = [found.get("concordance") if found else None for found in aggregates]
    moved, unchanged = _moved_cells([_grid(sa) for sa in structurals])
    table = Table(
        "iterations",
        _("Influence matrix, iteration by iteration (cells whose mean moved)"),
        [
            _("row factor"),
            _("column factor"),
            *[
                f"{label}: {name}"
                for label in labels
                for name in (_("mean"), _("interquartile range"))
            ],
        ],
        [
            [
                row["source"],
                row["target"],
                *[
                    value
                    for cell in row["cells"]
                    for value in (cell if cell is not None else (None, None))
                ],
            ]
            for row in moved
        ],
    )
    return {
        "rows": moved,
        "unchanged": unchanged,
        "selections": [sa["selection"]["selected"] if sa else [] for sa in structurals],
        "concordance": [c["kendall"] if c else None for c in concordances],
        "tables": [table],
    }
