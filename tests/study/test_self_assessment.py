"""The self-assessment's study layer: the questionnaire from the profile, a respondent's
result, a group's counts and distribution, and the study file's checks of its block."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from anticipe.examples import load_example
from anticipe.study.errors import StudyInputError
from anticipe.study.self_assessment import (
    DONT_KNOW,
    GroupAggregate,
    Questionnaire,
    RespondentResult,
    aggregate,
    count_answers,
    profile_competences,
    questionnaire,
    score,
)
from anticipe.study.study_file import check_study
from tests.method.typed_results import check

STUDY: dict[str, Any] = {
    "language": "fr",
    "competences": [
        {"code": "K1", "text": "Chercher de l'information en ligne.", "frameworks": [
            {"framework": "digcomp-2.2", "id": "1.1", "level": "4"}]},
        {"code": "K2", "text": "Être autonome."},
        {"code": "K3", "text": "Protéger ses données.", "frameworks": [
            {"framework": "crcn-pix", "id": "4.2", "level": "3"}]},
        {"code": "K4", "text": "Collaborer.", "frameworks": [
            {"framework": "digcomp-2.2", "id": "2.4"}]},  # no level: the generic scale
    ],
}  # fmt: skip


def test_each_question_is_asked_on_its_framework_levels_or_the_generic_scale() -> None:
    asked = questionnaire(STUDY, ["K1", "K2", "K3", "K4", "K9"], "fr")["questions"]
    assert [q["competence"] for q in asked] == ["K1", "K2", "K3", "K4"]  # K9: not in the study
    k1, k2, k3, k4 = asked
    assert [level["id"] for level in k1["levels"]] == [str(n) for n in range(1, 9)]
    assert k1["levels"][0]["description"] == "Avec de l’aide"  # DigComp's, in French
    assert (k1["expected"], k1["expected_title"]) == ("4", "4 – Intermédiaire")
    assert k1["framework_name"] == "DigComp 2.2"
    assert k1["certification"] == ""
    assert k1["statement"] == (
        "Aujourd’hui, où en êtes-vous\u00a0: Chercher de l'information en ligne\u00a0?"
    )
    for generic in (k2, k4):
        assert [level["id"] for level in generic["levels"]] == ["1", "2", "3", "4"]
        assert generic["expected_title"] == "3 – Seul"
        assert generic["framework"] == ""
    assert k3["certification"] == "Pix"
    assert k3["certification_url"] == "https://pix.fr"
    english = questionnaire(STUDY, ["K1", "K2"], "en")["questions"]
    assert english[0]["levels"][0]["description"] == "With guidance (remembering)"
    assert english[1]["levels"][2]["title"] == "3 – On my own"


def test_a_result_places_each_answer_against_the_expected_level() -> None:
    asked = questionnaire(STUDY, ["K1", "K2", "K3", "K4"], "en")
    result = score(asked, {"K1": "4", "K2": "2", "K3": DONT_KNOW, "K4": "9", "K7": "1"})
    assert [i["competence"] for i in result["strengths"]] == ["K1"]  # at the level expected
    assert [i["competence"] for i in result["gaps"]] == ["K2"]
    assert [(i["competence"], i["status"]) for i in result["unknown"]] == [
        ("K3", "unknown"),
        ("K4", "unanswered"),  # "9" is not on its scale
    ]
    assert (result["answered"], result["total"]) == (3, 4)
    assert result["gaps"][0]["level_title"] == "2 – With help"
    assert result["certifications"] == [{"name": "Pix", "url": "https://pix.fr"}]  # K3: CRCN
    assert score(asked, {"K1": "8"})["strengths"][0]["level_title"] == "8 – Highly specialised"


def test_a_group_counts_and_its_share_below_the_expected_level() -> None:
    asked = questionnaire(STUDY, ["K1", "K2"], "en")
    answers = [
        {"K1": "1", "K2": "4"},
        {"K1": "4", "K2": DONT_KNOW},
        {"K1": "6"},
        {"K1": "3", "K2": "x"},  # not on the scale: not counted
    ]
    counts = count_answers(asked, answers)
    assert counts == {"K1": {"1": 1, "4": 1, "6": 1, "3": 1}, "K2": {"4": 1, "?": 1}}
    k1, k2 = aggregate(asked, counts, respondents=4)["competences"]
    assert (k1["placed"], k1["below"], k1["share_below"]) == (4, 2, 0.5)  # 1 and 3 below 4
    assert [level["count"] for level in k1["levels"]] == [1, 0, 1, 1, 0, 1, 0, 0]
    assert (k2["placed"], k2["below"], k2["dont_know"], k2["share_below"]) == (1, 0, 1, 0.0)
    empty = aggregate(asked, {}, respondents=0)["competences"][0]
    assert empty["share_below"] is None


def test_the_example_asks_the_competences_its_retained_scenario_calls_for() -> None:
    example = load_example()
    codes = profile_competences(example)
    assert codes == [c["code"] for c in example["competences"]]  # all 42 are called for
    asked = questionnaire(example, codes)["questions"]
    generic = [q["competence"] for q in asked if not q["framework"]]
    assert len(generic) == 12  # the soft skills no framework covers (docs/frameworks.md)


def block(**group: Any) -> dict[str, Any]:
    study = copy.deepcopy(load_example())
    study["self_assessment"] = {
        "min_group_size": 5,
        "groups": [
            {"code": "G", "respondents": 5, "competences": [{"competence": "C1", "levels": {}}]},
            {"code": "G2", "respondents": 5, "competences": [], **group},
        ],
    }
    return study


@pytest.mark.parametrize(
    ("group", "said"),
    [
        ({"code": "G"}, "group code"),
        ({"competences": [{"competence": "C99", "levels": {"1": 5}}]}, "C99"),
    ],
)
def test_the_study_file_checks_the_groups(group: dict[str, Any], said: str) -> None:
    check_study(block())
    with pytest.raises(StudyInputError) as raised:
        check_study(block(**group))
    assert said in str(raised.value)


def test_the_results_have_the_keys_their_types_declare() -> None:
    asked = questionnaire(STUDY, ["K1", "K2", "K3", "K4"], "en")
    answers = [{"K1": "4", "K2": "2", "K3": DONT_KNOW}, {"K1": "1"}]
    results = [
        (asked, Questionnaire),
        (score(asked, answers[0]), RespondentResult),
        (aggregate(asked, count_answers(asked, answers), 2), GroupAggregate),
        (aggregate(asked, {}, 0), GroupAggregate),
    ]
    assert [p for value, declared in results for p in check(value, declared)] == []
