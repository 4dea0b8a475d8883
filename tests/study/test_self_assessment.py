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
    published_document,
    questionnaire,
    score,
    snapshot,
)
from anticipe.study.study_file import check_study
from anticipe.study.training_needs import training_needs
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


OWN_FRAMEWORK: dict[str, Any] = {
    "anticipe_framework": "1.0",
    "id": "own-1",
    "name": "Own framework",
    "title": {"en": "Own framework"},
    "licence": {"attribution": "Our own."},
    "levels": [{"id": "L1", "title": {"en": "Low"}}, {"id": "L2", "title": {"en": "High"}}],
    "areas": [{"id": "A", "title": {"en": "Area"}}],
    "competences": [{"id": "A.1", "area": "A", "title": {"en": "First"}}],
}


def changed_since(study: dict[str, Any]) -> dict[str, Any]:
    """`study` after publication: K1 linked to another scale (the CRCN, whose level ids
    overlap DigComp's), K2 renamed, K3 deleted, the own framework dropped."""
    later = copy.deepcopy(study)
    k1, k2, _k3, k4 = later["competences"]
    k1["frameworks"] = [{"framework": "crcn-pix", "id": "4.2", "level": "2"}]
    k2 |= {"code": "K2-NEW", "text": "Autre texte."}
    later["competences"] = [k1, k2, k4]
    later.pop("reference_frameworks")
    return later


def test_the_snapshot_keeps_the_questions_as_published() -> None:
    study = copy.deepcopy(STUDY)
    study["reference_frameworks"] = [OWN_FRAMEWORK, {**OWN_FRAMEWORK, "id": "unused"}]
    study["competences"][3]["frameworks"] = [{"framework": "own-1", "id": "A.1", "level": "L2"}]
    asked = ["K1", "K2", "K3", "K4", "K9"]
    fixed = snapshot(study, asked)
    assert [c["code"] for c in fixed["competences"]] == ["K1", "K2", "K3", "K4"]
    assert [f["id"] for f in fixed["reference_frameworks"]] == ["own-1"]  # only those named
    later = changed_since(study)
    for language in ("fr", "en"):
        published = questionnaire(study, asked, language)
        assert questionnaire(published_document(later, fixed), asked, language) == published
        assert questionnaire(later, asked, language) != published  # what was read before
    # the answers given are read as they were: K1's "3" stays below DigComp's 4
    answers = {"K1": "3", "K2": "1", "K3": "5", "K4": "L2"}
    result = score(questionnaire(published_document(later, fixed), asked, "en"), answers)
    assert [g["competence"] for g in result["gaps"]] == ["K1", "K2"]
    assert [g["competence"] for g in result["strengths"]] == ["K3", "K4"]
    # a snapshot made again keeps what was fixed (a study file's questions), adds the others
    again = snapshot(later, ["K1", "K2-NEW"], fixed)
    assert again["competences"][:4] == fixed["competences"]
    assert again["competences"][4]["code"] == "K2-NEW"
    # a competence the snapshot does not hold is read as the study has it now
    assert published_document(later, fixed)["competences"][4]["code"] == "K2-NEW"
    assert published_document(later, {}) is later


def test_the_training_needs_read_a_groups_counts_on_the_questions_asked() -> None:
    example = copy.deepcopy(load_example())
    c1 = next(c for c in example["competences"] if c["code"] == "C1")
    c1["frameworks"] = [{"framework": "digcomp-2.2", "id": "2.5", "level": "5"}]
    fixed = snapshot(example, ["C1"])
    levels = {"2": 1, "4": 1, "6": 2}  # 2 of 4 below DigComp's 5
    example["self_assessment"] = {
        "min_group_size": 2,
        "questionnaire": {"competences": fixed["competences"]},
        "groups": [
            {"code": "G", "respondents": 4, "competences": [{"competence": "C1", "levels": levels}]}
        ],
    }
    check_study(example)
    # linked otherwise since: the CRCN's level 3 would read 1 of 4 below
    c1["frameworks"] = [{"framework": "crcn-pix", "id": "4.2", "level": "3"}]
    row = next(r for r in training_needs(example, None, "G", "en")["rows"] if r["code"] == "C1")
    assert (row["below"], row["answered"]) == (0.5, 4)
    # the code given since to another competence: not the share of the question answered
    c1["text"] = "Another competence, given the code C1 after the group answered."
    row = next(r for r in training_needs(example, None, "G", "en")["rows"] if r["code"] == "C1")
    assert (row["below"], row["answered"]) == (None, 0)


def test_the_study_file_checks_the_questionnaire_its_groups_answered() -> None:
    renamed = block(competences=[{"competence": "OLD", "levels": {"1": 5}}])
    renamed["self_assessment"]["questionnaire"] = {
        "competences": [{"code": "OLD", "text": "Renamed since.", "frameworks": []}]
    }
    check_study(renamed)  # a competence renamed since publication is among the questions
    bad = copy.deepcopy(renamed)
    bad["self_assessment"]["questionnaire"]["competences"] = [
        {"code": "OLD", "text": "x", "frameworks": [{"framework": "own-1", "id": "A.1"}]},
        {"code": "OLD", "text": "y"},
    ]
    with pytest.raises(StudyInputError) as raised:
        check_study(bad)
    said = str(raised.value)
    assert "self_assessment.questionnaire.competences[0].frameworks[0].framework" in said
    assert "OLD" in said
    bad["self_assessment"]["questionnaire"] = {
        "competences": [{"code": "OLD", "text": "x", "frameworks": [
            {"framework": "own-1", "id": "A.1", "level": "L3"}]}],
        "reference_frameworks": [OWN_FRAMEWORK],
    }  # fmt: skip
    with pytest.raises(StudyInputError) as raised:
        check_study(bad)
    assert "self_assessment.questionnaire.competences[0].frameworks[0].level" in str(raised.value)
