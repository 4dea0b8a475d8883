"""The analysis of a whole study: the study file's answers reach the method core intact."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from anticipe.examples import load_example
from anticipe.method.structural_analysis import structural_analysis
from anticipe.study.analysis import (
    StudyAnalysis,
    analyse_study,
    cross_impact_matrix,
    influence_arrays,
    scenario_variants,
)
from anticipe.study.study_file import check_study
from tests.method.typed_results import KeysSeen, check
from tests.studies import small_study


@pytest.fixture(scope="module")
def small_result() -> dict:
    return analyse_study(small_study(), resamples=50, seed=7)


def test_result_is_plain_json(small_result: dict) -> None:
    text = json.dumps(small_result)
    assert json.loads(text) == small_result


def test_parameters_are_recorded(small_result: dict) -> None:
    parameters = small_result["parameters"]
    assert parameters["disagreement"] == {"resamples": 50, "seed": 7}
    assert parameters["structural_analysis"]["aggregation"] == "mean"
    assert small_result["disagreement"]["bootstrap"]["parameters"]["seed"] == 7
    assert small_result["disagreement"]["bootstrap"]["parameters"]["n_resamples"] == 50


def test_cells_become_arrays_with_dont_know_and_potential() -> None:
    matrices = small_study()["structural_analysis"]["matrices"]
    experts, scores, potential = influence_arrays(matrices, 3)
    assert experts == ["E1", "E2", "E3"]
    assert potential[1, 1, 0]
    assert scores[1, 1, 0] == 0
    assert np.isnan(scores[1, 2, 1])
    assert potential.sum() == 1
    assert scores[0, 0, 1] == 3


def test_structural_numbers_are_the_cores(small_result: dict) -> None:
    study = small_study()
    section = study["structural_analysis"]
    experts, scores, potential = influence_arrays(section["matrices"], 3)
    direct = structural_analysis(scores, section["factors"], potential=potential, experts=experts)
    assert small_result["structural_analysis"]["direct"] == direct["direct"]
    # mean of answered cells: F1 -> F2 = (3 + 2 + 3) / 3; F3 -> F2 = (1 + 0) / 2 (E2 did not know)
    matrix = small_result["structural_analysis"]["matrix"]
    assert matrix[0][1] == pytest.approx(8 / 3)
    assert matrix[2][1] == pytest.approx(0.5)
    influence = small_result["structural_analysis"]["direct"]["influence"]
    assert influence["F1"] == pytest.approx(sum(matrix[0]))


def test_factor_vote_tally(small_result: dict) -> None:
    vote = small_result["factor_vote"]
    points = {item["factor"]: item["points"] for item in vote["tally"]}
    assert points == {"F1": 9, "F2": 8, "F3": 11, "F4": 2}
    assert vote["ranking"][0]["factor"] == "F3"
    assert vote["shortlist"]["selected"] == ["F3", "F1", "F2"]


def test_key_factors_are_the_recorded_decision(small_result: dict) -> None:
    keys = small_result["key_factors"]
    assert [(k["code"], k["origin"], k["decided"]) for k in keys] == [
        ("F1", "selection", True),
        ("F3", "addition", True),
    ]
    assert keys[1]["reason"] == "Demandé par le panel."


def test_key_factors_proposed_when_not_decided() -> None:
    study = small_study()
    del study["key_factors"]
    result = analyse_study(study, resamples=0)
    assert result["key_factors"]
    assert all(not key["decided"] for key in result["key_factors"])
    assert [k["code"] for k in result["key_factors"]] == (
        result["structural_analysis"]["selection"]["selected"]
    )
    assert result["disagreement"]["bootstrap"] is None


def test_hypotheses_rule_and_override(small_result: dict) -> None:
    by_factor = {item["factor"]: item for item in small_result["hypotheses"]}
    f1 = by_factor["F1"]
    assert f1["retention"]["rule"] == "most_desirable"
    assert f1["retained"] == "F1-B"
    assert f1["note"] is None
    rows = {row["code"]: row for row in f1["hypotheses"]}
    assert rows["F1-B"]["most_desirable"]
    assert rows["F1-B"]["retained"]
    # F1-A probability answers 2, 3 and a don't-know: median 2.5 over 2 answers
    assert rows["F1-A"]["probability"]["median"] == 2.5
    assert rows["F1-A"]["probability"]["n_dont_know"] == 1
    f3 = by_factor["F3"]
    assert f3["retention"]["rule"] == "override"
    assert f3["retained"] == "F3-BC"
    merged = {row["code"]: row for row in f3["hypotheses"]}["F3-BC"]
    assert merged["merged_from"] == ["F3-B", "F3-C"]
    assert merged["probability"] is None


def test_recorded_rule_decision_that_differs_from_the_rule_is_noted() -> None:
    study = small_study()
    study["hypotheses"]["factors"][0]["retained"]["hypothesis"] = "F1-A"
    result = analyse_study(study, resamples=0)
    assert "differs from the rule" in result["hypotheses"][0]["note"]
    assert result["hypotheses"][0]["retained"] == "F1-A"


def test_scenario_coherence(small_result: dict) -> None:
    scenario = small_result["scenario"]
    assert scenario["retained"] == [
        {"factor": "F1", "hypothesis": "F1-B"},
        {"factor": "F3", "hypothesis": "F3-BC"},
    ]
    assert scenario["complete"]
    coherence = scenario["coherence"]
    assert coherence["variants"] == [["F1-A", "F1-B"], ["F3-A", "F3-BC"]]
    # balances: F3-BC receives +2 from F1-B, F3-A receives -2; F1-B receives +1 from F3-BC
    assert coherence["consistency"]["consistent"] is True
    assert coherence["consistency"]["total_impact_score"] == 3
    assert ["F1-B", "F3-BC"] in [s["hypotheses"] for s in coherence["consistent_scenarios"]]


def test_inconsistent_scenario_names_the_factor() -> None:
    study = small_study()
    study["cross_impacts"]["judgements"] = [
        {"source": "F1-B", "target": "F3-A", "value": 3},
        {"source": "F3-BC", "target": "F1-B", "value": 1},
    ]
    consistency = analyse_study(study, resamples=0)["scenario"]["coherence"]["consistency"]
    assert consistency["consistent"] is False
    assert consistency["inconsistent_descriptors"] == ["F3"]


def test_merged_hypotheses_replace_their_parts_in_the_scenario() -> None:
    descriptors, variants = scenario_variants(small_study())
    assert descriptors == ["F1", "F3"]
    assert variants[1] == ["F3-A", "F3-BC"]
    study = small_study()
    study["cross_impacts"]["judgements"].append({"source": "F1-A", "target": "F3-B", "value": 1})
    check_study(study)
    with pytest.raises(Exception, match="F3-B"):
        cross_impact_matrix(study)


def test_impacts(small_result: dict) -> None:
    counts = {
        item["activity"]: item["count"] for item in small_result["impacts"]["activity_counts"]
    }
    assert counts == {"1": 0, "2": 1, "3": 2}
    competences = {
        c["competence"]: c["occurrences"] for c in small_result["impacts"]["competences"]
    }
    assert competences == {"C1": 2, "C2": 2}


def test_a_study_with_no_answers_yet() -> None:
    study = small_study()
    for key in (
        "factor_vote",
        "structural_analysis",
        "key_factors",
        "hypotheses",
        "cross_impacts",
        "actions",
        "competences",
        "impacts",
    ):
        del study[key]
    check_study(study)
    result = analyse_study(study)
    assert result["factor_vote"] is None
    assert result["structural_analysis"] is None
    assert result["key_factors"] == []
    assert result["hypotheses"] == []
    assert result["scenario"] == {"retained": [], "complete": False, "coherence": None}
    assert result["impacts"] is None


def test_a_factor_with_too_few_hypotheses_is_noted_not_fatal() -> None:
    study = small_study()
    study["hypotheses"]["factors"][0]["hypotheses"] = study["hypotheses"]["factors"][0][
        "hypotheses"
    ][:1]
    study["hypotheses"]["factors"][0].pop("retained")
    study["hypotheses"]["votes"] = [
        v for v in study["hypotheses"]["votes"] if v["hypothesis"] != "F1-B"
    ]
    study["actions"] = [a for a in study["actions"] if a["hypothesis"] != "F1-B"]
    study["impacts"] = [i for i in study["impacts"] if i["hypothesis"] != "F1-B"]
    study["cross_impacts"]["judgements"] = []
    check_study(study)
    result = analyse_study(study, resamples=0)
    first = result["hypotheses"][0]
    assert first["statistics"] is None
    assert "need 2 to 5" in first["note"]
    assert result["scenario"]["complete"] is False


def test_the_example_reaches_the_published_outcomes() -> None:
    result = analyse_study(load_example(), resamples=200)
    direct = result["structural_analysis"]["direct"]["quadrant"]
    driving = sorted(code for code, quadrant in direct.items() if quadrant == "driving")
    assert driving == sorted(["A1", "A6", "A7", "A8", "A11", "A13", "A15", "A19", "A20"])
    keys = result["key_factors"]
    assert len(keys) == 10
    assert keys[-1]["code"] == "A16"
    assert keys[-1]["origin"] == "addition"
    retained = {item["factor"]: item["hypothesis"] for item in result["scenario"]["retained"]}
    assert retained["A19"] == "A19-BC"
    assert result["scenario"]["coherence"]["consistency"]["consistent"]
    ranking = result["impacts"]["activity_ranking"]
    assert ranking[0]["activity"] == "3"  # "Accompagner", the most impacted activity
    assert all(note is None for note in (item["note"] for item in result["hypotheses"]))


def f1a(result: dict[str, Any]) -> dict[str, Any]:
    rows = [
        row for item in result["hypotheses"] if item["factor"] == "F1" for row in item["hypotheses"]
    ]
    found: dict[str, Any] = next(row for row in rows if row["code"] == "F1-A")
    return found


def test_an_expert_without_a_vote_is_no_answer_not_a_dont_know() -> None:
    study = small_study()
    votes = study["hypotheses"]["votes"]
    panel = [expert["id"] for expert in study["panel"]]
    before = f1a(analyse_study(study, resamples=0))
    # one expert's vote on F1-A removed: one more "no answer", the don't-knows unchanged
    gone = next(v for v in votes if v["hypothesis"] == "F1-A" and v.get("probability") is not None)
    study["hypotheses"]["votes"] = [v for v in votes if v is not gone]
    after = f1a(analyse_study(study, resamples=0))
    for half in ("probability", "desirability"):
        assert after[half]["n_dont_know"] == before[half]["n_dont_know"]
        assert after[half]["n_no_answer"] == before[half]["n_no_answer"] + 1
        counts = ("n_answers", "n_dont_know", "n_no_answer")
        assert sum(after[half][name] for name in counts) == len(panel)
    # the vote back without its probability: that half is not answered, the other is
    half_vote = {key: value for key, value in gone.items() if key != "probability"}
    study["hypotheses"]["votes"] = [v for v in votes if v is not gone] + [half_vote]
    halved = f1a(analyse_study(study, resamples=0))
    assert halved["probability"]["n_no_answer"] == before["probability"]["n_no_answer"] + 1
    assert halved["desirability"] == before["desirability"]


def test_results_have_the_keys_of_their_types(small_result: dict) -> None:
    """The example's and the small study's analyses against StudyAnalysis: no key
    undeclared, every required key there, every declared key in one of them."""
    seen = KeysSeen()
    example = analyse_study(load_example(), resamples=20, seed=1)
    assert check(example, StudyAnalysis, seen) == []
    assert check(small_result, StudyAnalysis, seen) == []
    assert seen.never_seen() == {}
