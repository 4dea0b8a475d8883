"""The job's competence profile, checked by hand against the example's Table 5 (the
mediator's impacts: every impact's hypothesis is retained there)."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from anticipe.study.profile import competence_profile, recorded_retained
from anticipe.study.study_file import read_study


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    path = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    with resources.as_file(path) as found:
        return read_study(found)


def by_code(profile: Any) -> dict[str, Any]:
    return {c["code"]: c for c in profile["competences"]}


def area(profile: Any, framework: str, area_id: str) -> dict[str, Any]:
    found = next(f for f in profile["frameworks"] if f["id"] == framework)
    return next(a for a in found["areas"] if a["id"] == area_id)


def test_strength_counts_the_retained_hypotheses_naming_a_competence(example: Any) -> None:
    profile = competence_profile(example)
    comps = by_code(profile)
    # Table 5: C1 is called for by factor A6's hypothesis on activities 1, 2 and 3
    assert (comps["C1"]["strength"], comps["C1"]["activities"]) == (1, ["1", "2", "3"])
    # C11 (« s'adapter »): A11-A on activity 2 and A1-C on activity 3
    assert comps["C11"]["hypotheses"] == ["A11-A", "A1-C"]
    assert (comps["C11"]["strength"], comps["C11"]["activities"]) == (2, ["2", "3"])
    # C26 (outils « smart »): one hypothesis (A15-B), two activities (3 and 7)
    assert (comps["C26"]["strength"], comps["C26"]["activities"]) == (1, ["3", "7"])
    # C27-C31: the joint row A19-BC + A20-C of activity 3
    assert {comps[f"C{k}"]["strength"] for k in range(27, 32)} == {2}
    assert profile["max_strength"] == 2
    assert len(profile["retained"]) == 10
    assert profile["activities"][3]["competences"] == []  # activity 4: no impact


def test_links_and_areas_of_digcomp(example: Any) -> None:
    profile = competence_profile(example)
    assert by_code(profile)["C19"]["links"][0]["id"] == "2.4"
    assert by_code(profile)["C19"]["links"][0]["level"] == "5"
    # area 2: 2.5 (C1, C4: A6-C), 2.1 (C3: A6-C), 2.4 (C19: A1-C), 2.3 (C25: A15-B),
    # 2.2 (C31: A19-BC, A20-C; C42: A15-B) -> five distinct hypotheses
    communication = area(profile, "digcomp-2.2", "2")
    assert communication["strength"] == 5
    items = {i["id"]: i for i in communication["competences"]}
    assert items["2.2"]["competences"] == ["C31", "C42"]
    assert items["2.2"]["strength"] == 3
    assert items["2.5"]["strength"] == 1
    assert items["2.6"]["strength"] == 0
    assert items["2.6"]["competences"] == []
    # area 5: 5.1 (C12: A11-A; C15: A1-C), 5.2 (C6, C33: A1-C), 5.4 (C7, C32: A1-C; C34: A16-C)
    problems = area(profile, "digcomp-2.2", "5")
    assert problems["strength"] == 3
    assert {i["id"]: i["strength"] for i in problems["competences"]}["5.4"] == 2
    assert [area(profile, "digcomp-2.2", a)["strength"] for a in "134"] == [1, 1, 1]
    assert {i["level"] for i in problems["competences"] if i["competences"]} == {"5"}


def test_an_impact_of_a_hypothesis_not_retained_is_left_out(example: Any) -> None:
    retained = [h for h in recorded_retained(example) if h != "A6-C"]
    comps = by_code(competence_profile(example, retained))
    assert comps["C1"]["strength"] == 0
    assert comps["C1"]["activities"] == []
    assert comps["C11"]["strength"] == 2


def test_a_study_without_impacts_or_links() -> None:
    study = {"language": "fr", "competences": [{"code": "C1", "text": "Lire."}], "impacts": []}
    profile = competence_profile(copy.deepcopy(study))
    assert profile["competences"][0]["strength"] == 0
    assert profile["frameworks"] == []
    assert profile["max_strength"] == 0
