"""The frameworks of competences: the ones Anticipe ships, and another one read from JSON
or CSV, each bad input refused with what and where."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.frameworks import (
    MAX_FRAMEWORK_BYTES,
    builtin_frameworks,
    framework_schema,
    parse_framework,
    read_framework,
)
from anticipe.study.frameworks.loading import BUILTIN, builtin_framework_bytes

ESCO = "This service uses the ESCO classification of the European Commission."


def problems(action: Any) -> list[StudyInputError]:
    with pytest.raises(StudyInputError) as caught:
        action()
    error = caught.value
    return list(error.errors) if isinstance(error, StudyInputErrors) else [error]


def small() -> dict[str, Any]:
    return {
        "anticipe_framework": "1.0",
        "id": "mediation-wallonie",
        "name": "Médiation (Wallonie)",
        "title": {"fr": "Référentiel de la médiation numérique"},
        "licence": {"attribution": "Référentiel interne, 2026."},
        "areas": [{"id": "A", "title": {"fr": "Accueil"}}],
        "competences": [
            {"id": "A.1", "area": "A", "title": {"fr": "Accueillir le public", "en": "Welcome"}}
        ],
        "levels": [
            {"id": "1", "title": {"fr": "Débutant"}},
            {"id": "2", "title": {"fr": "Confirmé"}},
        ],
    }


@pytest.mark.parametrize("name", BUILTIN)
def test_the_shipped_frameworks_pass_every_check_of_a_facilitators_file(name: str) -> None:
    # builtin_frameworks() trusts its own files: this is where they are checked
    checked = parse_framework(builtin_framework_bytes(name), source=f"{name}.json")
    assert checked == builtin_frameworks()[name]


def test_the_shipped_frameworks_have_their_published_structure() -> None:
    frameworks = builtin_frameworks()
    assert list(frameworks) == list(BUILTIN)
    digcomp = frameworks["digcomp-2.2"]
    assert (len(digcomp.areas), len(digcomp.competences), len(digcomp.levels)) == (5, 21, 8)
    edu = frameworks["digcompedu"]
    assert (len(edu.areas), len(edu.competences), len(edu.levels)) == (6, 22, 6)
    crcn = frameworks["crcn-pix"]
    assert (len(crcn.areas), len(crcn.competences), len(crcn.levels)) == (5, 16, 8)


def test_digcomp_carries_its_3_0_titles_esco_concepts_and_attribution() -> None:
    digcomp = builtin_frameworks()["digcomp-2.2"]
    browsing = digcomp.competence("1.1")
    assert browsing is not None
    assert (
        browsing.title.en
        == "Browsing, searching and filtering data, information and digital content"
    )
    assert (
        dict(browsing.other_titles)["DigComp 3.0"].en
        == "Browsing, searching and filtering information"
    )
    assert browsing.esco_uri is not None
    assert browsing.esco_uri.startswith("http://data.europa.eu/esco/")
    assert digcomp.uses_esco
    assert digcomp.esco_attribution == ESCO
    assert "CC BY 4.0" in digcomp.attribution.in_language("en")
    assert digcomp.attribution.in_language("fr").startswith("D’après DigComp 2.2")
    assert not builtin_frameworks()["digcompedu"].uses_esco
    for framework in builtin_frameworks().values():  # each credited in both languages
        assert framework.attribution.en
        assert framework.attribution.fr
    assert "JRC107466" in builtin_frameworks()["digcompedu"].attribution.in_language("fr")


def test_texts_fall_back_to_the_other_language() -> None:
    edu = builtin_frameworks()["digcompedu"]
    guidance = edu.competence("3.2")
    assert guidance is not None
    assert guidance.title.in_language("en") == "Guidance"
    assert guidance.title.in_language("fr") == "Guider les apprenants"
    crcn = builtin_frameworks()["crcn-pix"]
    level = crcn.level("3")
    assert level is not None
    assert level.title.in_language("fr") == "3 – Indépendant"
    assert crcn.level_rank("8") == 8
    assert crcn.level_rank("9") is None


def test_the_shipped_data_follow_the_published_schema() -> None:
    data = Path(__file__).parents[3] / "src/anticipe/study/frameworks/data"
    validator = jsonschema.Draft202012Validator(framework_schema())
    for name in BUILTIN:
        document = json.loads((data / f"{name}.json").read_text("utf-8"))
        assert list(validator.iter_errors(document)) == []


def test_an_organisation_loads_its_own_framework_from_json(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(small(), ensure_ascii=False), "utf-8")
    framework = read_framework(path)
    assert framework.id == "mediation-wallonie"
    competence = framework.competence("A.1")
    assert competence is not None
    assert competence.title.in_language("en") == "Welcome"
    assert not framework.uses_esco


def test_an_organisation_loads_its_own_framework_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "esco-extract.csv"
    path.write_text(
        "kind;id;area;title_en;title_fr;esco_uri\n"
        "framework;esco-extract;;ESCO extract;Extrait ESCO;\n"
        "area;S1;;communication;communication;\n"
        "competence;S1.1;S1;use digital tools;utiliser des outils numériques;"
        "http://data.europa.eu/esco/skill/xyz\n"
        "level;1;;basic;de base;\n",
        "utf-8",
    )
    framework = read_framework(path)
    assert framework.name == "ESCO extract"
    assert [c.id for c in framework.competences] == ["S1.1"]
    assert framework.esco_attribution == ESCO
    assert framework.attribution.in_language("fr") == "esco-extract"  # no credit: the file


def test_a_csv_framework_credits_its_source_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "maison.csv"
    path.write_text(
        "kind;id;area;title_en;title_fr;description_en;description_fr\n"
        "framework;maison;;House;Maison;Our own framework.;Notre référentiel.\n"
        "area;A;;Welcome;Accueil;;\n"
        "competence;A.1;A;Welcome the public;Accueillir le public;;\n"
        "level;1;;basic;de base;;\n",
        "utf-8",
    )
    credit = read_framework(path).attribution
    assert (credit.in_language("en"), credit.in_language("fr")) == (
        "Our own framework.",
        "Notre référentiel.",
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.update(anticipe_framework="9"), "anticipe_framework", "not supported"),
        (lambda d: d.pop("levels"), "(the whole document)", "levels"),
        (lambda d: d.update(id="Mine Framework"), "id", "not a valid code"),
        (lambda d: d["competences"][0].update(area="B"), "competences[0].area", "area 'B'"),
        (lambda d: d["areas"].append(d["areas"][0]), "areas", "area 'A' is given twice"),
        (lambda d: d["levels"][0].update(title={"fr": None}), "levels[0].title", "English"),
        (lambda d: d["competences"][0].update(skill="x"), "competences[0]", "unknown field"),
        (lambda d: d["licence"].update(attribution={}), "licence.attribution", ""),
        (lambda d: d["licence"].update(attribution={"en": ""}), "licence.attribution", ""),
        (lambda d: d["licence"].update(attribution={"de": "x"}), "licence.attribution", ""),
    ],
)
def test_a_bad_framework_is_refused_with_what_and_where(
    change: Any, field: str, words: str
) -> None:
    document = small()
    change(document)
    found = problems(lambda: parse_framework(json.dumps(document), source="mine.json"))
    assert found[0].file == "mine.json"
    assert found[0].field == field
    assert words in found[0].message


def test_a_bad_csv_framework_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "kind,id,area,title_en\nframework,mine,,Mine\narea,A,,Area\n"
        "competence,A.1,B,One\nskill,X,,Two\n",
        "utf-8",
    )
    found = problems(lambda: read_framework(path))
    assert found[0].row == 5
    assert "unknown kind 'skill'" in found[0].message
    path.write_text(
        "kind,id,area,title_en\nframework,mine,,Mine\narea,A,,Area\n"
        "competence,A.1,B,One\nlevel,1,,Basic\n",
        "utf-8",
    )
    found = problems(lambda: read_framework(path))
    assert found[0].row == 4
    assert "area 'B'" in found[0].message
    path.write_text("kind,code\nframework,mine\n", "utf-8")
    found = problems(lambda: read_framework(path))
    assert found[0].row == 1
    assert "columns id, title_en" in found[0].message
    path.write_text("kind,id,title_en\narea,A,Area\n", "utf-8")
    assert "no 'framework' row" in problems(lambda: read_framework(path))[0].message


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("mine.xml", b"<x/>", "unsupported file type '.xml'"),
        ("mine.json", b"", "empty"),
        ("mine.json", b"\xff\xfe{", "not a UTF-8"),
        ("mine.json", b'{"id": ', "not valid JSON"),
        ("mine.json", b"[1]", "JSON object"),
        ("mine.json", b'{"anticipe_study": "1.1"}', "not an Anticipe framework"),
    ],
)
def test_a_file_that_is_no_framework_is_refused(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    found = problems(lambda: read_framework(path))
    assert words in found[0].message
    assert found[0].file == str(path)


def test_the_size_of_a_framework_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_FRAMEWORK_BYTES + 1))
    assert "too large" in problems(lambda: read_framework(path))[0].message
    assert (
        "too large" in problems(lambda: parse_framework("x" * (MAX_FRAMEWORK_BYTES + 1)))[0].message
    )
    assert "not found" in problems(lambda: read_framework(tmp_path / "none.json"))[0].message


def test_a_framework_error_reads_in_french(tmp_path: Path) -> None:
    document = small()
    document["competences"][0]["area"] = "B"
    found = problems(lambda: parse_framework(json.dumps(document), source="mine.json"))
    assert found[0].message_in("fr") == (
        "la compétence «\u00a0A.1\u00a0» est dans le domaine «\u00a0B\u00a0», "
        "que le référentiel n'a pas"
    )


def test_no_schema_says_a_key_twice() -> None:
    """JSON keeps the last of two equal keys: a definition written twice would silently
    replace the first (a two-language credit's "at least one" rule was lost that way)."""
    import anticipe

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return dict(pairs)

    schemas = sorted(Path(anticipe.__file__).parent.rglob("*.schema.json"))
    assert schemas
    for schema in schemas:
        json.loads(schema.read_text(encoding="utf-8"), object_pairs_hook=unique)
