"""Delphi iterations in the study file (format 1.1): standing answers, iterations kept,
the minimum number of answers, and an analysis that does not depend on pseudonyms."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from anticipe.study.analysis import analyse_study
from anticipe.study.errors import StudyInputErrors
from anticipe.study.standing import (
    IterationRule,
    iteration_counts,
    latest_answers,
    standing_study,
)
from anticipe.study.study_file import check_study, parse_study, study_schema
from tests.delphi_support import as_1_1, relabelled
from tests.studies import small_study

NEW_KEYS = {"iterations", "minimum"}  # what an analysis of format 1.1 adds


def without(analysis: dict[str, Any], *keys: str) -> dict[str, Any]:
    found = {key: value for key, value in analysis.items() if key not in keys}
    found["parameters"] = {
        k: v
        for k, v in analysis["parameters"].items()
        if k not in ("min_answers", "standing_answers")
    }
    return found


def vote_of(study: dict[str, Any], expert: str, hypothesis: str) -> dict[str, Any]:
    return next(
        v
        for v in study["hypotheses"]["votes"]
        if v["expert"] == expert and v["hypothesis"] == hypothesis
    )


def hypothesis_stats(analysis: dict[str, Any], code: str) -> dict[str, Any]:
    for block in analysis["hypotheses"]:
        for row in block["hypotheses"]:
            if row["code"] == code:
                return row
    raise KeyError(code)


# -- the rule ---------------------------------------------------------------------------------


def test_latest_answer_stands_and_a_skipped_iteration_keeps_the_earlier() -> None:
    answers = [(1, "E1", "a"), (1, "E2", "b"), (2, "E1", "c")]
    assert latest_answers(answers) == {"E1": ("c", 2), "E2": ("b", 1)}


def test_only_this_iterations_respondents() -> None:
    answers = [(1, "E1", "a"), (1, "E2", "b"), (2, "E1", "c"), (3, "E2", "d")]
    rules = [IterationRule(2, respondents_only=True)]
    # iteration 2 drops E2's answer of iteration 1; iteration 3 counts every latest answer
    assert latest_answers(answers, rules) == {"E1": ("c", 2), "E2": ("d", 3)}
    assert latest_answers(answers[:3], rules) == {"E1": ("c", 2)}


def test_respondents_only_drops_only_the_questions_the_iteration_asked() -> None:
    answers = [(1, ("E1", "H1"), 1), (1, ("E1", "H2"), 2), (2, ("E2", "H1"), 3)]
    rules = [IterationRule(2, respondents_only=True, hypotheses=frozenset({"H1"}))]
    found = latest_answers(answers, rules, lambda rule, key: rule.asks(key[1]))
    assert found == {("E1", "H2"): (2, 1), ("E2", "H1"): (3, 2)}


# -- the study file -----------------------------------------------------------------------------


def test_both_versions_are_read() -> None:
    assert check_study(small_study()) is None
    assert check_study(as_1_1(small_study())) is None
    assert parse_study(json.dumps(as_1_1(small_study())))["anticipe_study"] == "1.1"
    assert study_schema()["properties"]["anticipe_study"]["const"] == "1.3"


def test_a_1_0_file_is_one_iteration_and_analyses_as_before() -> None:
    study = small_study()
    assert standing_study(study) is study
    old = analyse_study(study, resamples=20)
    assert old["parameters"]["min_answers"] == 1  # a 1.0 file has no minimum
    new = analyse_study(as_1_1(study), resamples=20)
    assert without(new, *NEW_KEYS) == without(old, *NEW_KEYS)
    assert old["iterations"] == new["iterations"]
    assert old["iterations"]["hypotheses"] == {
        "unit": "answer",
        "iterations": [1],
        "respondents_only": [],
        "standing": [{"iteration": 1, "answers": 30}],
    }


def test_a_1_1_file_without_the_setting_has_a_minimum_of_3() -> None:
    study = as_1_1(small_study())
    del study["parameters"]["min_answers"]
    analysis = analyse_study(study, resamples=0)
    assert analysis["parameters"]["min_answers"] == 3


def second_iteration(study: dict[str, Any], **settings: Any) -> dict[str, Any]:
    """Iteration 2 of the hypothesis votes on F1's hypotheses: E1 revises F1-A, E2
    confirms it, E3 skips the iteration."""
    study = as_1_1(study)
    section = study["hypotheses"]
    section["iterations"] = [
        {"iteration": 1},
        {"iteration": 2, "hypotheses": ["F1-A", "F1-B"], **settings},
    ]
    e1 = {**vote_of(study, "E1", "F1-A"), "probability": 4, "iteration": 2}
    e2 = {**vote_of(study, "E2", "F1-A"), "iteration": 2}
    section["votes"] += [e1, e2]
    return study


def test_an_expert_who_skips_an_iteration_keeps_their_answer() -> None:
    study = second_iteration(small_study())
    analysis = analyse_study(study, resamples=0)
    probability = hypothesis_stats(analysis, "F1-A")["probability"]
    # E1 now 4 (iteration 2), E2 3 (confirmed), E3 "don't know" (kept from iteration 1)
    assert (probability["n_answers"], probability["n_dont_know"]) == (2, 1)
    assert probability["median"] == 3.5
    hypotheses = analysis["iterations"]["hypotheses"]
    assert hypotheses["standing"] == [
        {"iteration": 1, "answers": 26},
        {"iteration": 2, "answers": 4},
    ]
    assert analysis["parameters"]["standing_answers"]["hypotheses"] == {
        "iterations": [1, 2],
        "respondents_only": [],
    }
    # every answer of both iterations stays in the file
    assert len(study["hypotheses"]["votes"]) == 17


def test_only_this_iterations_respondents_in_a_study() -> None:
    study = second_iteration(small_study(), respondents_only=True)
    analysis = analyse_study(study, resamples=0)
    probability = hypothesis_stats(analysis, "F1-A")["probability"]
    assert (probability["n_answers"], probability["n_dont_know"], probability["n_no_answer"]) == (
        2,
        0,
        1,
    )
    # F1-B was asked in iteration 2 and nobody answered it there: no answer stands
    assert hypothesis_stats(analysis, "F1-B")["probability"]["n_answers"] == 0
    # F3's hypotheses were not asked again: their answers of iteration 1 stand
    assert hypothesis_stats(analysis, "F3-A")["probability"]["n_answers"] == 3
    assert analysis["parameters"]["standing_answers"]["hypotheses"]["respondents_only"] == [2]


def test_the_matrix_keeps_every_iteration_cell_by_cell() -> None:
    study = as_1_1(small_study())
    structural = study["structural_analysis"]
    # iteration 2: E1 changes one cell and leaves the others ("-"); E2 and E3 skip it
    rows = [["-"] * 3 for _ in range(3)]
    rows[0][1] = 0
    structural["matrices"].append({"expert": "E1", "iteration": 2, "rows": rows})
    standing = standing_study(study)["structural_analysis"]["matrices"]
    by_expert = {m["expert"]: m["rows"] for m in standing}
    assert by_expert["E1"] == [[0, 0, 2], [1, 0, 1], [0, 1, 0]]
    assert by_expert["E2"] == small_study()["structural_analysis"]["matrices"][1]["rows"]
    counts = iteration_counts(study)["structural_analysis"]
    assert counts["standing"] == [{"iteration": 1, "answers": 17}, {"iteration": 2, "answers": 1}]
    analysis = analyse_study(study, resamples=0)
    assert analysis["structural_analysis"]["matrix"][0][1] == pytest.approx((0 + 2 + 3) / 3)


def test_answers_twice_in_one_iteration_are_refused() -> None:
    study = second_iteration(small_study())
    study["hypotheses"]["votes"].append({**study["hypotheses"]["votes"][-1]})
    study["hypotheses"]["iterations"].append({"iteration": 2})
    study["structural_analysis"]["matrices"][0]["iteration"] = 5
    study["structural_analysis"]["iterations"] = [{"iteration": 1}]
    with pytest.raises(StudyInputErrors) as caught:
        check_study(study)
    messages = [str(e) for e in caught.value.errors]
    assert any("voted 2 times on 'F1-A' in iteration 2" in m for m in messages), messages
    assert any("iteration 2 is listed twice" in m for m in messages), messages
    assert any("iteration 5, which is not among" in m for m in messages), messages


def test_the_sectors_as_counts() -> None:
    study = as_1_1(small_study())
    for expert in study["panel"]:
        del expert["sector"]
    study["panel_sectors"] = [
        {"sector": "académique", "experts": 2},
        {"sector": "emploi", "experts": 1},
    ]
    assert check_study(study) is None
    study["panel_sectors"][1]["experts"] = 2
    with pytest.raises(StudyInputErrors, match="the sectors count 4 experts; the panel has 3"):
        check_study(study)


# -- the minimum number of answers ---------------------------------------------------------------


def test_below_the_minimum_nothing_is_decided_and_nothing_shown_per_cell() -> None:
    study = as_1_1(small_study())
    study["parameters"]["min_answers"] = 3
    analysis = analyse_study(study, resamples=0)
    f1 = analysis["hypotheses"][0]
    a = hypothesis_stats(analysis, "F1-A")["probability"]
    # F1-A's probability: 2 answers and a "don't know": below the minimum of 3
    assert (a["n_answers"], a["enough"], a["median"], a["distribution"]) == (2, False, None, None)
    assert a["consensus"] is None
    assert f1["statistics"]["below_minimum"] == [
        {"hypothesis": "F1-A", "question": "probability", "n_answers": 2}
    ]
    assert f1["statistics"]["most_probable"] == {"hypotheses": [], "decided": False}
    # F1's rule retains the most desirable: its desirability has 3 answers everywhere
    assert f1["retention"]["proposal"] == "F1-B"
    # with 4, nothing is decided, and the rule says why
    study["parameters"]["min_answers"] = 4
    analysis = analyse_study(study, resamples=0)
    f1 = analysis["hypotheses"][0]
    assert f1["statistics"]["most_desirable"]["decided"] is False
    assert f1["retention"]["proposal"] is None
    assert "fewer answers than the minimum of 4" in f1["retention"]["note"]
    # no structural analysis of 3 matrices: the group's matrix of so few would show each
    assert analysis["structural_analysis"] is None
    assert analysis["disagreement"] is None
    assert analysis["minimum"]["structural_analysis"] == {
        "experts": 3,
        "enough": False,
        "cells_withheld": 0,
    }
    # the panel's recorded key factors stand; the analysis proposes none of its own
    assert all(k["decided"] for k in analysis["key_factors"])
    assert all(k["quadrant"] is None for k in analysis["key_factors"])
    assert analysis["parameters"]["min_answers"] == 4
    # the weighted vote of 3 ballots: no ranking (that of so few ballots shows each)
    assert analysis["factor_vote"] is None
    assert analysis["minimum"]["factor_vote"] == {"ballots": 3, "enough": False}
    study["parameters"]["min_answers"] = 3
    enough = analyse_study(study, resamples=0)
    assert enough["factor_vote"] is not None
    assert enough["minimum"]["factor_vote"] == {"ballots": 3, "enough": True}


def test_a_cell_fewer_experts_answered_shows_no_dispersion() -> None:
    """Enough matrices for the analysis, but one cell that only two of three experts
    answered (the third did not know): that cell's dispersion is withheld, the others kept."""
    study = as_1_1(small_study())
    study["parameters"]["min_answers"] = 3
    before = analyse_study(study, resamples=0)["minimum"]["structural_analysis"]
    assert before is not None
    study["structural_analysis"]["matrices"][0]["rows"][0][1] = None  # E1: "don't know"
    analysis = analyse_study(study, resamples=0)
    structural = analysis["structural_analysis"]
    assert structural is not None
    assert analysis["minimum"]["structural_analysis"] == {
        "experts": 3,
        "enough": True,
        "cells_withheld": before["cells_withheld"] + 1,
    }
    iqr = structural["dispersion"]["iqr"]
    assert iqr[0][1] is None
    assert iqr[1][0] is not None
    assert structural["selection"]["selected"]  # the key factors are proposed


def test_the_example_reaches_the_minimum_everywhere() -> None:
    from anticipe.examples import load_example

    example = load_example()
    example["parameters"] = {**example.get("parameters", {}), "min_answers": 3}
    analysis = analyse_study(example, resamples=0)
    assert analysis["minimum"]["structural_analysis"]["enough"] is True
    assert analysis["minimum"]["factor_vote"] == {"ballots": 10, "enough": True}
    assert all(not block["statistics"]["below_minimum"] for block in analysis["hypotheses"])


# -- the analysis does not depend on pseudonyms ---------------------------------------------------


def renamed(study: dict[str, Any], seed: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The study with its experts renamed at random and listed in a random order."""
    study = copy.deepcopy(study)
    rng = random.Random(seed)
    ids = [e["id"] for e in study["panel"]]
    new = [f"X{rng.randrange(10**6):06d}" for _ in ids]
    mapping = dict(zip(ids, new, strict=True))
    for expert in study["panel"]:
        expert["id"] = mapping[expert["id"]]
    for section, items in (
        ("factor_vote", "ballots"),
        ("structural_analysis", "matrices"),
        ("hypotheses", "votes"),
    ):
        for answer in study[section][items]:
            answer["expert"] = mapping[answer["expert"]]
        rng.shuffle(study[section][items])
    rng.shuffle(study["panel"])
    return study, mapping


def test_the_analysis_does_not_depend_on_pseudonyms_or_their_order() -> None:
    from anticipe.examples import load_example

    example = load_example()
    first, one = renamed(example, 1)
    second, two = renamed(example, 2)
    a, b = analyse_study(first, resamples=200), analyse_study(second, resamples=200)
    assert a != b  # the pseudonyms differ...
    back = {two[e]: one[e] for e in one}  # second's pseudonym -> first's
    ours = {e: e for e in one.values()}
    assert relabelled(b, back) == relabelled(a, ours)  # ...and nothing else
