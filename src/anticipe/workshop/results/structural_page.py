"""Step 3's results page: the direct and indirect planes, the displacement from one to the
other, the experts' disagreement per cell (a heat map), the bootstrap, and the page's
tables (the potential planes and the graphs of influences: :mod:`.influence_graphs`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from anticipe import presentation
from anticipe.workshop.models import Round
from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.influence_graphs import structural_tables
from anticipe.workshop.results.labels import (
    below_minimum,
    disagreement_level,
    flatten_parameters,
    number_text,
    quadrant_label,
)
from anticipe.workshop.results.tables import (
    Table,
    delphi_parameters,
    parameter_table,
    round_info,
)


def structure_page(results: StudyResults) -> dict[str, Any]:
    """Step 3: direct and indirect planes, displacement, disagreement, bootstrap."""
    sa = results.analysis["structural_analysis"]
    spread = results.analysis["disagreement"] or {}
    withheld = (results.analysis.get("minimum") or {}).get("structural_analysis")
    page: dict[str, Any] = {
        "structural": sa,
        "round": round_info(results.rounds, results.analysis, Round.Step.INFLUENCE),
        "left_out": results.left_out(Round.Step.INFLUENCE),
        "tables": [],
    }
    if sa is None:
        return page
    codes: list[str] = sa["factors"]
    minimum = int(results.parameters.get("min_answers", 1))
    keys = {k["code"]: k for k in results.analysis["key_factors"]}
    bootstrap = spread.get("bootstrap")
    rows = _plane_rows(results, sa, keys, bootstrap)
    concordance = spread.get("concordance") or {}
    leave_one_out = spread.get("leave_one_out")
    parameters = _structure_parameters(results, sa, bootstrap, concordance)
    page.update(
        codes=codes,
        rows=rows,
        rows_by_indirect=sorted(rows, key=lambda r: r["indirect_influence_rank"]),
        heat=[
            {"code": code, "cells": heat_cells(code, codes, i, sa, minimum)}
            for i, code in enumerate(codes)
        ],
        levels=[
            {"level": 0, "label": _("the experts agree (IQR 0)")},
            {"level": 1, "label": _("some spread (IQR up to 1)")},
            {"level": 2, "label": _("disagreement (IQR over 1, up to 2)")},
            {"level": 3, "label": _("strong disagreement (IQR over 2)")},
        ],
        kendall=concordance.get("kendall"),
        selection=sa["selection"],
        cells_withheld=withheld["cells_withheld"] if withheld else 0,
        min_answers=minimum,
        bootstrap=bootstrap,
        changed_by_count=len(leave_one_out["selection_changed_by"]) if leave_one_out else None,
        experts_count=len(sa["experts"]),
        unanswered=len(sa["unanswered_cells"]),
        parameters=parameters,
    )
    page["tables"] = [
        _planes_table(rows),
        _matrix_table("mean_matrix", _("Mean influence per cell"), codes, sa["matrix"]),
        _matrix_table(
            "disagreement",
            _("Disagreement per cell (interquartile range)"),
            codes,
            sa["dispersion"]["iqr"],
        ),
        parameter_table(parameters),
        *structural_tables(results),  # the potential planes and the graphs' links
    ]
    return page


def _plane_rows(
    results: StudyResults,
    sa: Mapping[str, Any],
    keys: Mapping[str, Any],
    bootstrap: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """Each factor on both planes, its displacement, selection and bootstrap figures."""
    titles = results.factor_titles
    probability = bootstrap["selection_probability"] if bootstrap else {}
    intervals = bootstrap["rank_intervals"] if bootstrap else {}
    rows = []
    for code in sa["factors"]:
        key = keys.get(code)
        rows.append(
            {
                "code": code,
                "title": titles.get(code, code),
                **_plane_columns("direct", sa["direct"], code),
                **_plane_columns("indirect", sa["indirect"], code),
                "influence_shift": sa["displacement"][code]["influence"],
                "dependence_shift": sa["displacement"][code]["dependence"],
                "score": sa["selection"]["scores"].get(code),
                "proposed": code in sa["selection"]["selected"],
                "key_origin": key["origin"] if key and key.get("decided") else "",
                "selection_probability": probability.get(code),
                "selection_probability_text": presentation.probability(
                    probability.get(code), get_language(), missing=presentation.EN_DASH
                ),
                "influence_interval": intervals.get("indirect_influence", {}).get(code),
                "dependence_interval": intervals.get("indirect_dependence", {}).get(code),
            }
        )
    return rows


def _plane_columns(name: str, plane: Mapping[str, Any], code: str) -> dict[str, Any]:
    """A factor's figures on one plane (``direct`` or ``indirect``), named after it."""
    return {
        f"{name}_influence": plane["influence"][code],
        f"{name}_dependence": plane["dependence"][code],
        f"{name}_influence_rank": plane["influence_rank"][code],
        f"{name}_dependence_rank": plane["dependence_rank"][code],
        f"{name}_quadrant": plane["quadrant"][code],
        f"{name}_quadrant_label": quadrant_label(plane["quadrant"][code]),
        f"{name}_borderline": plane["borderline"][code],
    }


def _structure_parameters(
    results: StudyResults,
    sa: Mapping[str, Any],
    bootstrap: Mapping[str, Any] | None,
    concordance: Mapping[str, Any],
) -> list[tuple[str, str]]:
    parameters = flatten_parameters(sa["parameters"])
    parameters += flatten_parameters(results.parameters["disagreement"], "disagreement")
    if bootstrap:
        parameters.append(
            (
                "bootstrap.rank_interval",
                "–".join(f"{v:g}" for v in bootstrap["parameters"]["rank_interval"]),
            )
        )
    if concordance.get("parameters"):
        parameters += flatten_parameters(concordance["parameters"], "concordance")
    return parameters + delphi_parameters(results.analysis, Round.Step.INFLUENCE)


def cell_title(patterns: dict[int, str], answers: int) -> str:
    """The title of a heat map cell for its number of answers, translated once per number."""
    if answers not in patterns:
        patterns[answers] = ngettext(
            "mean %(mean)s, %(n)s answer", "mean %(mean)s, %(n)s answers", answers
        )
    return patterns[answers]


def heat_cells(
    code: str, codes: list[str], i: int, sa: Mapping[str, Any], minimum: int = 1
) -> list[dict[str, Any]]:
    """The cells of one row of the disagreement heat map, written out here (a 30-factor
    matrix has 870 cells: the template only lays them out, in
    ``workshop/desk/partials/heat_cells.html``). The level is a class and the value is
    written in the cell, so the shade never carries the meaning alone."""
    patterns: dict[int, str] = {}  # the cell's title, by number of answers (plural forms)
    iqr_row = sa["dispersion"]["iqr"][i]
    answers_row = sa["dispersion"]["n_answers"][i]
    mean_row = sa["matrix"][i]
    cells: list[dict[str, Any]] = []
    for j, target in enumerate(codes):
        iqr = iqr_row[j]
        if i == j:
            cells.append({"diagonal": True})
        elif iqr is None and answers_row[j]:  # too few answers to show their spread
            cells.append({"withheld": True, "title": below_minimum(answers_row[j], minimum)})
        elif iqr is None:
            cells.append({"unanswered": True})
        else:
            title = cell_title(patterns, answers_row[j]) % {
                "mean": number_text(mean_row[j], 2),
                "n": answers_row[j],
            }
            cells.append(
                {
                    "level": str(disagreement_level(iqr)),
                    "target": target,
                    "value": repr(iqr),
                    "title": title,
                    "shown": number_text(iqr, 1, trim=True),
                }
            )
    return cells


def _interval(interval: Mapping[str, Any] | None) -> list[Any]:
    if not interval:
        return [None, None, None]
    return [interval["low"], interval["median"], interval["high"]]


def _planes_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        "planes",
        _("Direct and indirect planes"),
        [
            _("code"),
            _("factor"),
            _("direct influence"),
            _("direct dependence"),
            _("direct influence rank"),
            _("direct dependence rank"),
            _("direct quadrant"),
            _("indirect influence"),
            _("indirect dependence"),
            _("indirect influence rank"),
            _("indirect dependence rank"),
            _("indirect quadrant"),
            _("influence rank shift (direct to indirect)"),
            _("dependence rank shift (direct to indirect)"),
            _("selection score"),
            _("proposed by the analysis"),
            _("key factor"),
            _("bootstrap probability of selection"),
            _("indirect influence rank: low"),
            _("indirect influence rank: median"),
            _("indirect influence rank: high"),
            _("indirect dependence rank: low"),
            _("indirect dependence rank: median"),
            _("indirect dependence rank: high"),
        ],
        [
            [
                *(r[name] for name in PLANE_COLUMNS),
                *_interval(r["influence_interval"]),
                *_interval(r["dependence_interval"]),
            ]
            for r in rows
        ],
    )


PLANE_COLUMNS = (
    "code",
    "title",
    *(
        f"{plane}_{name}"
        for plane in ("direct", "indirect")
        for name in (
            "influence",
            "dependence",
            "influence_rank",
            "dependence_rank",
            "quadrant_label",
        )
    ),
    "influence_shift",
    "dependence_shift",
    "score",
    "proposed",
    "key_origin",
    "selection_probability",
)


def _matrix_table(key: str, title: str, codes: list[str], matrix: list[list[Any]]) -> Table:
    """A factor x factor matrix, one row per factor (row influences column)."""
    return Table(
        key,
        title,
        [_("row influences column"), *codes],
        [[code, *matrix[i]] for i, code in enumerate(codes)],
    )
