"""The training-needs table, what is new compared with today's profile, and reading a
training catalogue (issue 15): rows of the example checked by hand, small studies built
here, and hostile lists (a zip bomb, a huge file, codes that name nothing)."""

from __future__ import annotations

import copy
import io
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

import openpyxl
import pytest

from anticipe.study.errors import StudyInputErrors
from anticipe.study.frameworks import study_frameworks
from anticipe.study.study_file import check_study, parse_study
from anticipe.study.table_import import ImportRefused, Problem, read_upload
from anticipe.study.tables import Table
from anticipe.study.training_needs import (
    module_covers_text,
    parse_covers,
    read_catalogue,
    training_needs,
    what_is_new,
)
from tests.study.test_limits import zip_bomb


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    path = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    return dict(parse_study(path.read_text(encoding="utf-8")))


def _row(needs: Any, code: str) -> Any:
    return next(r for r in needs["rows"] if r["code"] == code)


# -- the example's table, rows checked by hand ------------------------------------------------


def test_the_example_catalogue_is_simulated_and_the_table_says_so(example: dict[str, Any]) -> None:
    needs = training_needs(example)
    assert needs["catalogue_simulated"]
    assert needs["simulated"]
    assert needs["modules"] == 11
    # every competence of the example is called for by a retained hypothesis
    assert len(needs["rows"]) == 42


def test_a_module_that_stops_below_the_expected_level_does_not_cover(
    example: dict[str, Any],
) -> None:
    # C12 (technical difficulties) expects DigComp 5.1 at level 5; M04 covers 5.1 up to 4
    needs = training_needs(example)
    c12 = _row(needs, "C12")
    assert [(e["name"], e["id"], e["level"]) for e in c12["expected"]] == [
        ("DigComp 2.2", "5.1", "5")
    ]
    assert c12["modules"] == []
    assert not c12["covered"]
    assert "C12" in needs["not_covered"]
    assert "C15" in needs["not_covered"]


def test_modules_cover_directly_or_through_a_framework_competence(
    example: dict[str, Any],
) -> None:
    needs = training_needs(example)
    # C1 is named by M01 and linked to DigComp 2.5 (level 5), which M02 covers up to 5
    assert [(m["module"], m["via"]) for m in _row(needs, "C1")["modules"]] == [
        ("M01", ""),
        ("M02", "DigComp 2.2 2.5:5"),
    ]
    # C8 expects DigCompEdu 3.1 at B1; M06 covers it up to B2 (higher: covered)
    assert [m["module"] for m in _row(needs, "C8")["modules"]] == ["M06"]
    # C20: M03 up to level 5, M08 with no level (covers the competence at any level)
    assert [(m["module"], m["via"]) for m in _row(needs, "C20")["modules"]] == [
        ("M03", "DigComp 2.2 4.2:5"),
        ("M08", "DigComp 2.2 4.2"),
    ]
    assert _row(needs, "C20")["modules"][1]["duration_hours"] == 14


def test_the_needs_no_module_covers(example: dict[str, Any]) -> None:
    needs = training_needs(example)
    # counted by hand from the catalogue (training.py) and the links (links.py)
    assert sorted(needs["not_covered"], key=lambda c: int(c[1:])) == [
        f"C{n}"
        for n in (
            2,
            6,
            11,
            12,
            13,
            14,
            15,
            16,
            18,
            19,
            23,
            25,
            26,
            27,
            28,
            30,
            32,
            33,
            34,
            36,
            37,
            41,
        )
    ]
    assert needs["covered"] == 42 - 22


def test_needs_are_sorted_most_impacted_first(example: dict[str, Any]) -> None:
    strengths = [r["strength"] for r in training_needs(example)["rows"]]
    assert strengths == sorted(strengths, reverse=True)
    assert training_needs(example)["rows"][0]["code"] == "C11"  # strength 2, first of them


def test_what_is_new_in_the_example(example: dict[str, Any]) -> None:
    new = what_is_new(example)
    assert new is not None
    assert new["today"] == 9
    # today's profile has no DigCompEdu competence: each linked DigCompEdu area is new
    assert [(a["name"], a["id"]) for a in new["areas"]] == [
        ("DigCompEdu", "1"),
        ("DigCompEdu", "3"),
        ("DigCompEdu", "5"),
        ("DigCompEdu", "6"),
    ]
    assert new["areas"][2]["competences"] == ["C2"]
    added = {(c["name"], c["id"]): c["competences"] for c in new["competences"]}
    assert added[("DigComp 2.2", "2.4")] == ["C19"]
    assert ("DigComp 2.2", "1.1") not in added  # held today (level 4)
    raised = {c["id"]: (c["today"], c["level"], c["competences"]) for c in new["raised"]}
    assert raised["5.1"] == ("4", "5", ["C12", "C15"])
    assert raised["5.2"] == ("3", "5", ["C6", "C33"])
    assert "3.2" not in raised  # today's 3.2 is not in the study's profile


def test_no_today_profile_no_what_is_new(example: dict[str, Any]) -> None:
    study = copy.deepcopy(example)
    del study["current_profile"]
    assert what_is_new(study) is None


def test_no_catalogue_every_need_is_uncovered(example: dict[str, Any]) -> None:
    study = copy.deepcopy(example)
    del study["training_catalogue"]
    needs = training_needs(study)
    assert needs["modules"] == 0
    assert needs["covered"] == 0
    assert not needs["simulated"]


# -- a group's self-assessment --------------------------------------------------------------


def _with_group(example: dict[str, Any], simulated: bool = True) -> dict[str, Any]:
    study = copy.deepcopy(example)
    study["self_assessment"] = {
        "simulated": simulated,
        "min_group_size": 3,
        "groups": [
            {
                "code": "G1",
                "label": "Groupe de formation",
                "respondents": 5,
                "simulated": simulated,
                "competences": [
                    # expected DigComp 5 (levels 1-8): 3 of 5 below
                    {"competence": "C12", "levels": {"3": 2, "4": 1, "5": 1, "6": 1}},
                    # expected DigCompEdu B1: 1 of 4 below (A2); an unknown level is left out
                    {"competence": "C8", "levels": {"A2": 1, "B1": 2, "C1": 1, "Z9": 4}},
                    # expected DigComp 5: nobody below
                    {"competence": "C17", "levels": {"5": 2, "7": 3}},
                ],
            }
        ],
    }
    check_study(study)
    return study


def test_a_group_gives_the_share_below_the_expected_level(example: dict[str, Any]) -> None:
    needs = training_needs(_with_group(example), group="G1")
    assert needs["group"] == {
        "code": "G1",
        "label": "Groupe de formation",
        "respondents": 5,
        "simulated": True,
    }
    assert (_row(needs, "C12")["below"], _row(needs, "C12")["answered"]) == (0.6, 5)
    assert (_row(needs, "C8")["below"], _row(needs, "C8")["answered"]) == (0.25, 4)
    assert _row(needs, "C17")["below"] == 0.0
    assert _row(needs, "C11")["below"] is None  # no level expected, no scale
    # sorted by share below, the needs without a share last
    assert [r["code"] for r in needs["rows"][:3]] == ["C12", "C8", "C17"]
    assert needs["rows"][3]["below"] is None


def test_a_real_group_with_a_real_catalogue_is_not_simulated(example: dict[str, Any]) -> None:
    study = _with_group(example, simulated=False)
    study["training_catalogue"]["simulated"] = False
    assert not training_needs(study, group="G1")["simulated"]
    study["self_assessment"]["groups"][0]["simulated"] = True
    assert training_needs(study, group="G1")["simulated"]


def test_a_real_group_beside_a_simulated_one_is_real(example: dict[str, Any]) -> None:
    # the example's simulated group, and a real one made later: the block says that some
    # group is simulated, the real group does not say it is
    study = _with_group(example, simulated=True)
    real = {**study["self_assessment"]["groups"][0], "code": "REAL"}
    del real["simulated"]
    study["self_assessment"]["groups"].append(real)
    study["training_catalogue"]["simulated"] = False
    check_study(study)
    assert training_needs(study, group="G1")["group"]["simulated"]
    assert not training_needs(study, group="REAL")["group"]["simulated"]
    assert not training_needs(study, group="REAL")["simulated"]


def test_an_unknown_group_is_refused(example: dict[str, Any]) -> None:
    with pytest.raises(KeyError):
        training_needs(_with_group(example), group="G9")


# -- the covers column ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C12", [{"competence": "C12"}]),
        ("c12 ; C3", [{"competence": "C12"}, {"competence": "C3"}]),
        ("DigComp 2.4", [{"framework": "digcomp-2.2", "id": "2.4"}]),
        ("DigComp 2.2 2.4:5", [{"framework": "digcomp-2.2", "id": "2.4", "level": "5"}]),
        ("digcomp-2.2:2.4:5", [{"framework": "digcomp-2.2", "id": "2.4", "level": "5"}]),
        ("DigCompEdu 3.1:B2", [{"framework": "digcompedu", "id": "3.1", "level": "B2"}]),
        ("DigComp 2.4\nDigComp 2.4", [{"framework": "digcomp-2.2", "id": "2.4"}]),
    ],
)
def test_covers_cells(example: dict[str, Any], text: str, expected: list[Any]) -> None:
    codes = [c["code"] for c in example["competences"]]
    assert parse_covers(text, codes, study_frameworks(example), "en") == (expected, [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("C99", "neither a competence of the study nor a framework competence"),
        ("DigComp 9.9", "DigComp 2.2 has no such competence"),
        ("DigComp 2.4:12", "DigComp 2.2 has no such level (its levels: 1, 2, 3"),
        ("Nowhere 2.4", "neither a competence of the study"),
        ("digcomp-2.2:2.4:5:6", "neither a competence of the study"),
        # the colon form with a space after a colon, a level or a competence unknown (these
        # were read back with the space form's rule: an error page instead of a message)
        ("digcomp-2.2:2.4: 99", "DigComp 2.2 has no such level"),
        ("digcomp-2.2:9.9 x", "DigComp 2.2 has no such competence"),
    ],
)
def test_bad_codes_are_refused_with_what_is_wrong(
    example: dict[str, Any], text: str, problem: str
) -> None:
    codes = [c["code"] for c in example["competences"]]
    covers, problems = parse_covers(text, codes, study_frameworks(example), "en")
    assert covers == []
    assert len(problems) == 1
    assert problem in problems[0]


def test_covers_written_back_read_the_same(example: dict[str, Any]) -> None:
    frameworks = study_frameworks(example)
    codes = [c["code"] for c in example["competences"]]
    for module in example["training_catalogue"]["modules"]:
        text = module_covers_text(module, frameworks)
        assert parse_covers(text, codes, frameworks, "fr") == (module["covers"], [])


# -- reading a catalogue list ---------------------------------------------------------------


@dataclass
class FakeUpload:
    """An uploaded file as the site gives it."""

    data: bytes

    def __post_init__(self) -> None:
        self.buffer = io.BytesIO(self.data)
        self.size = len(self.data)

    def read(self, size: int = -1) -> bytes:
        return self.buffer.read(size)

    def seek(self, offset: int) -> int:
        return self.buffer.seek(offset)

    def chunks(self) -> list[bytes]:
        return [self.data[k : k + 65536] for k in range(0, len(self.data), 65536)]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read(data: bytes, example: dict[str, Any], language: str = "en") -> list[dict[str, Any]]:
    return read_catalogue(read_upload(FakeUpload(data), language, "catalogue"), example, language)


def test_a_csv_with_french_headers_as_pasted_from_a_word_processor(
    example: dict[str, Any],
) -> None:
    csv = (
        "\ufeffIntitul\u00e9;Op\u00e9rateur;Dur\u00e9e (h);Couvre\n"
        'Atelier\u00a0num\u00e9rique;Centre X;12,5 h;"C8 ; DigCompEdu 3.1:B1"\n'
        "\n"
        "S\u00e9curit\u00e9;;7;DigComp 4.2\n"
    ).encode()
    modules = _read(csv, example)
    assert modules == [
        {
            "id": "M01",
            "title": "Atelier numérique",
            "provider": "Centre X",
            "duration_hours": 12.5,
            "covers": [
                {"competence": "C8"},
                {"framework": "digcompedu", "id": "3.1", "level": "B1"},
            ],
        },
        {
            "id": "M02",
            "title": "Sécurité",
            "duration_hours": 7,
            "covers": [{"framework": "digcomp-2.2", "id": "4.2"}],
        },
    ]


def test_an_xlsx_with_english_headers_and_ids(example: dict[str, Any]) -> None:
    data = _xlsx(
        [
            ["Code", "Title", "Provider", "Hours", "Covers", "Notes"],
            ["T-1", "Coding club", "Y", 24, "digcomp-2.2:3.4:4", "x"],
        ]
    )
    (module,) = _read(data, example)
    assert module["id"] == "T-1"
    assert module["duration_hours"] == 24
    # the table is built from what was read
    study = {**example, "training_catalogue": {"modules": [module]}}
    assert [m["module"] for m in _row(training_needs(study), "C10")["modules"]] == ["T-1"]


def test_a_list_with_problems_is_refused_with_every_row_and_column(
    example: dict[str, Any],
) -> None:
    data = _xlsx(
        [
            ["id", "title", "provider", "duration", "covers"],
            ["A", "", "X", "3", "C1"],
            ["A", "Two", "X", "three hours", "C1; C99"],
            ["B", "Three", "X", "", ""],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        _read(data, example)
    found = [(p.row, p.column, p.message) for p in refused.value.problems]
    expected = [
        (2, "B", "The title is missing."),
        (3, "A", "This id is already on row 2."),
        (3, "D", "“three hours” is not a duration"),
        (3, "E", "“C99” is neither a competence"),
        (4, "E", "The module covers no competence."),
    ]
    assert len(found) == len(expected)
    for (row, column, text), (at, letter, start) in zip(found, expected, strict=True):
        assert (row, column) == (at, letter)
        assert text.startswith(start)


def test_a_header_without_title_or_covers_is_refused(example: dict[str, Any]) -> None:
    with pytest.raises(ImportRefused) as refused:
        _read(b"name;hours\nx;3\n", example)
    (problem,) = refused.value.problems
    assert problem.row == 1
    assert "covers" in problem.message


def test_problems_in_french(example: dict[str, Any]) -> None:
    with pytest.raises(ImportRefused) as refused:
        _read(b"titre;couvre\nX;C99\n", example, "fr")
    (problem,) = refused.value.problems
    assert problem == Problem(problem.message, 2, "B")
    assert "n’est ni une compétence de l’étude" in problem.message


def test_a_zip_bomb_is_refused_in_under_a_second(example: dict[str, Any]) -> None:
    bomb = zip_bomb()
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        _read(bomb, example)
    assert time.perf_counter() - started < 1.0
    assert refused.value.problems[0].message


def test_a_huge_file_is_refused_before_it_is_read(example: dict[str, Any]) -> None:
    upload = FakeUpload(b"title;covers\n")
    upload.size = 17 * 1024 * 1024
    with pytest.raises(ImportRefused) as refused:
        read_upload(upload, "en")
    assert "too large" in refused.value.problems[0].message


def test_too_many_rows_is_refused_with_the_limit(example: dict[str, Any]) -> None:
    rows = "".join(f"M{k};C1\n" for k in range(2100))
    with pytest.raises(ImportRefused) as refused:
        _read(("title;covers\n" + rows).encode(), example)
    assert (
        "2,000" in refused.value.problems[0].message or "2000" in refused.value.problems[0].message
    )


def test_a_header_only_list_is_refused(example: dict[str, Any]) -> None:
    with pytest.raises(ImportRefused) as refused:
        read_catalogue(Table("x.csv", None, [["title", "covers"]]), example, "en")
    assert refused.value.problems[0].message == "The list has a header but no module."


# -- the study file checks what today's profile and the catalogue name ----------------------


def test_a_study_file_whose_catalogue_names_nothing_is_refused(example: dict[str, Any]) -> None:
    study = copy.deepcopy(example)
    study["training_catalogue"]["modules"][1]["id"] = "M01"
    study["training_catalogue"]["modules"][0]["covers"].append({"competence": "C99"})
    study["training_catalogue"]["modules"][2]["covers"].append(
        {"framework": "digcomp-2.2", "id": "9.9"}
    )
    study["current_profile"]["competences"].append(
        {"framework": "digcomp-2.2", "id": "1.1", "level": "12"}
    )
    study["current_profile"]["competences"].append({"framework": "nowhere", "id": "1"})
    with pytest.raises(StudyInputErrors) as refused:
        check_study(study)
    found = {(e.field, e.message) for e in refused.value.errors}
    assert ("training_catalogue.modules", "module id 'M01' is used twice") in found
    assert (
        "training_catalogue.modules[0].covers[3].competence",
        "unknown competence 'C99'",
    ) in found
    assert (
        "training_catalogue.modules[2].covers[3].id",
        "DigComp 2.2 has no competence '9.9'",
    ) in found
    fields = {field for field, _ in found}
    assert "current_profile.competences[9].level" in fields
    assert "current_profile.competences[10].framework" in fields
    assert len(found) == 5
