"""Study format 1.2: a competence's links to framework competences, with a target level;
the frameworks a study carries; older files still read."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest

from anticipe.examples import example_path
from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.study_file import (
    FORMAT_VERSION,
    check_study,
    dump_study,
    read_study,
    write_study,
)
from tests.delphi_support import as_1_1
from tests.studies import small_study
from tests.study.frameworks.hand_links import HAND_LINKS, WEAK


def as_1_2(study: dict[str, Any]) -> dict[str, Any]:
    study = as_1_1(study)
    study["anticipe_study"] = "1.2"
    return study


def linked(*links: dict[str, str]) -> dict[str, Any]:
    study = as_1_2(small_study())
    study["competences"][0]["frameworks"] = list(links)
    return study


def problems(study: dict[str, Any]) -> list[StudyInputError]:
    with pytest.raises(StudyInputError) as caught:
        check_study(study, source="study.json")
    error = caught.value
    return list(error.errors) if isinstance(error, StudyInputErrors) else [error]


OWN = {
    "anticipe_framework": "1.0",
    "id": "mediation",
    "name": "Médiation",
    "title": {"fr": "Référentiel de la médiation"},
    "licence": {"attribution": "Référentiel interne."},
    "areas": [{"id": "A", "title": {"fr": "Accueil"}}],
    "competences": [{"id": "A.1", "area": "A", "title": {"fr": "Accueillir"}}],
    "levels": [{"id": "1", "title": {"fr": "Débutant"}}, {"id": "2", "title": {"fr": "Confirmé"}}],
}


def test_links_with_levels_are_read_and_written_back_identical(tmp_path: Path) -> None:
    study = linked(
        {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
        {"framework": "digcompedu", "id": "1.2", "level": "B1"},
        {"framework": "DigComp 2.2", "id": "1.1"},  # a 1.1 name, no level
        {"framework": "mediation", "id": "A.1", "level": "2"},
    )
    study["reference_frameworks"] = [copy.deepcopy(OWN)]
    path = write_study(study, tmp_path / "study.json")
    again = read_study(path)
    assert again == study
    assert dump_study(again) == path.read_text("utf-8")


@pytest.mark.parametrize(
    ("link", "field", "words"),
    [
        (
            {"framework": "digcomp", "id": "1.1"},
            "competences[0].frameworks[0].framework",
            "unknown framework 'digcomp' (known: 'digcomp-2.2', 'digcompedu', 'crcn-pix')",
        ),
        (
            {"framework": "digcomp-2.2", "id": "6.1"},
            "competences[0].frameworks[0].id",
            "DigComp 2.2 has no competence '6.1'",
        ),
        (
            {"framework": "digcompedu", "id": "1.1", "level": "5"},
            "competences[0].frameworks[0].level",
            "DigCompEdu has no level '5' (its levels: 'A1', 'A2', 'B1', 'B2', 'C1', 'C2')",
        ),
        (
            {"framework": "DigCompEdu", "id": "9.9"},
            "competences[0].frameworks[0].id",
            "DigCompEdu has no competence '9.9'",
        ),
    ],
)
def test_a_bad_link_is_refused_with_its_field(link: dict[str, str], field: str, words: str) -> None:
    found = problems(linked(link))
    assert [error.field for error in found] == [field]
    assert words in found[0].message


def test_a_link_given_twice_is_refused() -> None:
    link = {"framework": "digcomp-2.2", "id": "2.4"}
    found = problems(linked(link, dict(link, level="3")))
    assert found[0].field == "competences[0].frameworks[1]"
    assert "linked twice to 'digcomp-2.2' '2.4'" in found[0].message


def test_a_bad_framework_carried_by_the_study_is_refused_with_its_path() -> None:
    study = linked({"framework": "mediation", "id": "A.1"})
    own = copy.deepcopy(OWN)
    own["competences"][0]["area"] = "B"
    study["reference_frameworks"] = [own]
    found = problems(study)
    assert found[0].field == "reference_frameworks[0].competences[0].area"
    study["reference_frameworks"] = [dict(copy.deepcopy(OWN), id="digcompedu")]
    found = problems(study)
    assert found[0].field == "reference_frameworks[0].id"
    assert "framework 'digcompedu' is given twice" in found[0].message


def test_older_files_keep_their_links_unchecked() -> None:
    for study in (small_study(), as_1_1(small_study())):
        study["competences"][0]["frameworks"] = [{"framework": "DigComp 2.2", "id": "9.9"}]
        assert check_study(study) is None


def test_the_example_holds_the_confirmed_links_of_the_hand_made_set() -> None:
    study = json.loads(example_path().read_text("utf-8"))
    assert study["anticipe_study"] == FORMAT_VERSION
    for competence in study["competences"]:
        links = [(f["framework"], f["id"]) for f in competence.get("frameworks", [])]
        hand = HAND_LINKS[competence["code"]]
        if competence["code"] in WEAK:
            assert links == []
        else:
            assert links == [hand.links[0]]
            assert all(f.get("level") for f in competence["frameworks"])
    assert check_study(study) is None


def test_checking_many_links_is_bounded_work() -> None:
    from anticipe.study.frameworks import builtin_frameworks

    every = [
        {"framework": framework.id, "id": item.id, "level": framework.levels[0].id}
        for framework in builtin_frameworks().values()
        for item in framework.competences
    ][:50]
    study = as_1_2(small_study())
    study["competences"] = [
        {"code": f"C{n}", "text": "Une compétence.", "frameworks": every} for n in range(1, 501)
    ]
    study["impacts"] = []
    started = time.perf_counter()
    assert check_study(study) is None
    assert time.perf_counter() - started < 20  # 25,000 links (on a loaded machine)
