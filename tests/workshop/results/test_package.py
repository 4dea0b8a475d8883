"""The results package's shared pieces: the mapping from a step to its rules, the helpers
the pages share, and the partials that lay out the heat map and the feedback grid."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import render_to_string

from anticipe.workshop import rules
from anticipe.workshop.models import Round, Study
from anticipe.workshop.results import NUMERIC_STEPS, STEPS, round_aggregates
from anticipe.workshop.results.cache import ResultsPending, study_factor_titles
from anticipe.workshop.results.charts import axis
from anticipe.workshop.results.hypotheses_page import counts
from anticipe.workshop.results.influence_round import influence_feedback
from anticipe.workshop.results.structural_page import heat_cells
from anticipe.workshop.study_format import _set
from anticipe.workshop.tasks.results import refresh_study_results


def test_every_numeric_step_has_its_rules_and_its_answers_model() -> None:
    assert NUMERIC_STEPS == (
        Round.Step.FACTOR_VOTE,
        Round.Step.INFLUENCE,
        Round.Step.HYPOTHESIS_VOTE,
    )
    for step in STEPS:
        assert step in rules.ANSWER_MODELS


def test_round_aggregates_by_step(study: Study) -> None:
    influence = study.rounds.get(step=Round.Step.INFLUENCE)
    with pytest.raises(ResultsPending):  # never computed here: the background job does it
        round_aggregates(study, influence)
    assert round_aggregates(study, influence, bootstrap=False)["structural"]["matrix"]
    refresh_study_results.call(study.pk)
    keys = {
        Round.Step.FACTOR_VOTE: {"factor_vote"},
        Round.Step.INFLUENCE: {"structural", "concordance"},
        Round.Step.HYPOTHESIS_VOTE: {"hypotheses"},
    }
    for round_ in study.rounds.closed():
        found = round_aggregates(study, round_)
        assert found is not None
        assert set(found) == {"step", "round", *keys[round_.step]}
        assert all(found[key] for key in keys[round_.step])
    proposals = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    assert round_aggregates(study, proposals) is None


def test_factor_titles_are_the_reworded_ones(study: Study) -> None:
    factor = study.factors.order_by("id").first()
    assert factor is not None
    assert study_factor_titles(study)[factor.code] == factor.title
    factor.reworded_title = "Reworded"
    factor.save()
    assert study_factor_titles(study)[factor.code] == "Reworded"


def test_counts_mark_the_experts_answer_only_when_asked() -> None:
    stats = {"scale_values": [1, 2, 3], "distribution": [0, 2, 1]}
    assert counts(stats) == [
        {"value": 1, "count": 0},
        {"value": 2, "count": 2},
        {"value": 3, "count": 1},
    ]
    assert [c["mine"] for c in counts(stats, 2, mark=True)] == [False, True, False]
    assert counts(None) == []


def test_axis() -> None:
    assert axis(2, 1, 3, 10, 100) == 60
    assert axis(5, 5, 5, 10, 100) == 60  # a single value: the middle


def test_empty_sections_are_left_out() -> None:
    document: dict[str, Any] = {}
    for key, value in {"a": None, "b": [], "c": {}, "d": [1], "e": {"x": 1}}.items():
        _set(document, key, value)
    assert document == {"d": [1], "e": {"x": 1}}


def _analysis() -> dict[str, Any]:
    return {
        "factors": ["A", "B<", "C"],
        "experts": ["E1", "E2"],
        "matrix": [[0, 1.25, 2.0], [0.5, 0, 3], [1, 1, 0]],
        "dispersion": {
            "iqr": [[None, 0.0, 1.5], [None, None, 2.5], [3.0, 1.0, None]],
            "n_answers": [[0, 1, 2], [0, 0, 2], [2, 2, 0]],
        },
    }


@pytest.mark.django_db
def test_the_heat_map_row_partial() -> None:
    sa = _analysis()
    html = render_to_string(
        "workshop/desk/partials/heat_cells.html",
        {"code": "A", "cells": heat_cells("A", sa["factors"], 0, sa)},
    )
    assert html == (
        '<td class="diagonal">—</td>'
        '<td class="level-0" data-key="iqr.A.B&lt;" data-value="0.0"'
        ' title="mean 1.25, 1 answer">0</td>'
        '<td class="level-2" data-key="iqr.A.C" data-value="1.5"'
        ' title="mean 2.00, 2 answers">1.5</td>'
    )
    row = heat_cells("B<", sa["factors"], 1, sa)
    assert row[0] == {"unanswered": True}
    assert "unanswered" in render_to_string(
        "workshop/desk/partials/heat_cells.html", {"code": "B<", "cells": row}
    )


@pytest.mark.django_db
def test_the_feedback_grid_partial() -> None:
    sa = _analysis()
    own = {("A", "B<"): "3", ("A", "C"): "P", ("C", "A"): "1"}
    found = influence_feedback(sa, own, {"A": "Alpha"})
    html = render_to_string(
        "workshop/desk/partials/feedback_cells.html", {"cells": found["grid"][0]["cells"]}
    )
    assert html == '<td>—</td><td class="far">≠3<small>1.2</small></td><td>P<small>2.0</small></td>'
    assert [(f["source"], f["target"]) for f in found["far"]] == [("A", "B<")]
    assert found["cells_count"] == 6
    assert found["factors"][0] == {"code": "A", "title": "Alpha"}
