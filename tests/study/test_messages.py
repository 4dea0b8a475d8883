"""The study layer's messages in French and English: the catalogue itself, and real errors
(a bad cell of an expert's workbook, a missing sheet, a study file with a wrong type)
rendered in French with their French location."""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest

import anticipe
from anticipe.i18n import language_or_default
from anticipe.study import ballots, matrices, scenariowizard, study_file, template
from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.messages import (
    CONTEXTS,
    MESSAGES,
    Message,
    translate,
    translated,
)
from anticipe.study.study_file import check_study, parse_study
from tests.studies import small_study

NB = "\u00a0"  # the non-breaking space of French typography
SRC = Path(anticipe.__file__).resolve().parent


def names(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def plain(text: str) -> str:
    """The text with its non-breaking spaces as plain spaces (to compare words)."""
    return text.replace(NB, " ")


def all_problems(action: Callable[[], object]) -> list[StudyInputError]:
    with pytest.raises(StudyInputError) as caught:
        action()
    error = caught.value
    return list(error.errors) if isinstance(error, StudyInputErrors) else [error]


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    for index, (name, rows) in enumerate(sheets.items()):
        ws = workbook.active if index == 0 else workbook.create_sheet(name)
        assert ws is not None
        ws.title = name
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
    return path


MATRIX = [
    ["influence de ↓ sur →", "A1", "A6", "A7"],
    ["A1", None, 3, None],
    ["A6", "P", None, 2],
    ["A7", 1, None, None],
]


# -- the catalogue ------------------------------------------------------------------------

PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "django.po"
BEFORE = Path(__file__).parent / "data" / "messages_before.json"


def po_entries() -> dict[tuple[str | None, str], tuple[str, set[str]]]:
    """(context, msgid) -> (msgstr, flags) of the French catalogue (single forms only)."""
    entries: dict[tuple[str | None, str], tuple[str, set[str]]] = {}
    for block in PO.read_text("utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        flags: set[str] = set()
        current = ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
                current, _, text = line.partition(" ")
                fields[current] = ast.literal_eval(text)
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid") and "msgstr" in fields:
            entries[(fields.get("msgctxt"), fields["msgid"])] = (fields["msgstr"], flags)
    return entries


def test_every_message_is_in_the_french_catalogue_with_the_same_placeholders() -> None:
    entries = po_entries()
    for key, english in MESSAGES.items():
        french, flags = entries[(CONTEXTS.get(key), english)]
        assert french.strip(), key
        assert french == translated("fr", key), f"{key}: django.mo is older than django.po"
        assert names(french) == names(english), key
        if names(english):
            assert "python-brace-format" in flags, key
        values = dict.fromkeys(names(english), "x")
        english.format(**values), french.format(**values)  # no stray brace
        assert translated("en", key) == english


def test_a_context_tells_apart_messages_with_the_same_english() -> None:
    assert set(CONTEXTS) == {
        "schema.unknown_field",
        "schema.unknown_fields",
        "schema.enum",
        "schema.const",
    }
    assert all(CONTEXTS[key] == key for key in CONTEXTS)
    assert MESSAGES["schema.enum"] == MESSAGES["schema.const"]
    assert translated("fr", "schema.enum") != translated("fr", "schema.const")
    assert translated("fr", "schema.unknown_field") != translated("fr", "schema.unknown_fields")
    english = list(MESSAGES.values())
    shared = {text for text in english if english.count(text) > 1}
    assert shared == {MESSAGES[key] for key in CONTEXTS}


LIMIT_MESSAGES = {
    "file.too_large",
    "file.too_many_values",  # the site's import of a study file
    "size.megabytes",
    "size.kilobytes",
    "cell.too_long",
    "table.too_many_rows",
    "table.too_many_columns",
    "table.too_many_cells",
    "xlsx.too_many_parts",
    "xlsx.too_large_unpacked",
    "xlsx.compression_ratio",
    "ballots.too_many_points",
    "study.too_deep",
    "json.integer_too_long",
    "json.number_too_large",
    "json.not_a_number",
    "text.control_character",
    "text.surrogate",
    "text.bad_character_in_name",
    "ref.scale_points",
    "parameter.out_of_range",
}
"""The messages added with the limits on input files (anticipe.study.limits)."""

# the messages of the study format 1.1 (Delphi iterations, the panel's sectors as counts)
DELPHI_MESSAGES = {
    "ref.two_ballots_in_iteration",
    "ref.two_matrices_in_iteration",
    "ref.voted_twice_in_iteration",
    "ref.iteration_twice",
    "ref.unknown_iteration",
    "ref.sector_twice",
    "ref.sector_count",
}

# the messages of study format 1.2 (links to frameworks of competences)
FRAMEWORK_MESSAGES = {
    "ref.unknown_framework",
    "ref.unknown_framework_competence",
    "ref.unknown_framework_level",
    "ref.link_twice",
    "ref.framework_twice",
    "ref.module_twice",  # format 1.3: a training catalogue's modules
    "ref.group_twice",  # format 1.3: the self-assessment's groups
}


def test_the_messages_read_as_before_the_move_to_gettext() -> None:
    """Every message id renders the same text, in both languages, as the study layer's own
    catalogue did before the messages moved to the package's gettext catalogue (the table
    was written from that catalogue)."""
    before = json.loads(BEFORE.read_text("utf-8"))
    assert len(before) == 161
    assert set(before) <= set(MESSAGES)
    added = set(MESSAGES) - set(before)
    # added since: the limits', the Delphi format's, the merges' and the ScenarioWizard reader's
    merges = {"ref.merge_of_merge", "ref.merged_twice", "ref.retained_merged"}
    catalogue = {"study.catalogue_needs_1_3"}  # anticipe catalogue on a file older than 1.3
    others = added - LIMIT_MESSAGES - DELPHI_MESSAGES - FRAMEWORK_MESSAGES - merges - catalogue
    assert {key.split(".")[0] for key in others} == {"scw", "framework"}
    for key, texts in before.items():
        values = {name: f"<{name}>" for name in names(texts["en"])}
        for language in ("en", "fr", "en-gb", "fr-BE"):
            expected = texts[language[:2]].format(**values)
            assert translate(language, key, **values) == expected, (key, language)


def test_french_texts_are_translated() -> None:
    same = {key for key, text in MESSAGES.items() if translated("fr", key) == text}
    assert same <= {"separator.list", "template.problems"}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_french_typography(key: str) -> None:
    text = translated("fr", key)
    assert "'{" not in text, "a value quoted the English way"
    assert "}'" not in text, "a value quoted the English way"
    for match in re.finditer(r"[:;?!»]", text):
        assert match.start() > 0, text
        assert text[match.start() - 1] == NB, text
    for match in re.finditer("«", text):
        assert text[match.end()] == NB, text


def test_every_english_text_is_marked_for_makemessages() -> None:
    """The catalogue's texts are literal arguments of ``gettext_noop`` (or ``pgettext_lazy``
    with the message id as its context), as xgettext needs them."""
    tree = ast.parse((SRC / "study" / "messages.py").read_text("utf-8"))
    [catalogue] = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "_CATALOGUE"
    ]
    assert isinstance(catalogue, ast.Dict)
    marked: dict[str, tuple[str | None, str]] = {}
    for key, value in zip(catalogue.keys, catalogue.values, strict=True):
        assert isinstance(key, ast.Constant)
        assert isinstance(value, ast.Call), key.value
        assert isinstance(value.func, ast.Name), key.value
        arguments = [arg.value for arg in value.args if isinstance(arg, ast.Constant)]
        assert len(arguments) == len(value.args), key.value
        if value.func.id == "gettext_noop":
            marked[key.value] = (None, arguments[0])
        else:
            assert value.func.id == "pgettext_lazy", key.value
            marked[key.value] = (arguments[0], arguments[1])
    assert marked == {key: (CONTEXTS.get(key), text) for key, text in MESSAGES.items()}


def catalogue_key_nodes(tree: ast.AST) -> set[int]:
    """The ids of the key nodes of the catalogue's own dicts (not uses of the ids)."""
    keys: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "_CATALOGUE" for t in targets):
                keys.update(id(key) for key in node.value.keys if key is not None)
    return keys


def study_message_functions(tree: ast.AST) -> set[str]:
    """The names a module imports from the study catalogue (``message``, ``translate``)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "anticipe.study.messages"
        for alias in node.names
    }


def source_strings() -> tuple[set[str], list[tuple[str, str]]]:
    """Every string constant of the modules using the study catalogue (but the catalogue's
    own keys), and the literal message ids they pass to ``message(...)`` and
    ``translate(language, ...)``."""
    strings: set[str] = set()
    ids: list[tuple[str, str]] = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        imported = study_message_functions(tree)
        if path.name != "messages.py" and not imported:
            continue
        skip = catalogue_key_nodes(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in skip
            ):
                strings.add(node.value)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                position = {"message": 0, "translate": 1}.get(node.func.id)
                if node.func.id not in imported or position is None:
                    continue
                if len(node.args) > position:
                    arg = node.args[position]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        ids.append((f"{path.name}:{node.lineno}", arg.value))
    return strings, ids


def test_every_message_id_is_used_and_every_id_used_exists() -> None:
    strings, ids = source_strings()
    assert sorted(set(MESSAGES) - strings) == []
    assert ids, "the reader finds the message ids of the source"
    assert [(where, key) for where, key in ids if key not in MESSAGES] == []


def test_unknown_message_id_is_refused() -> None:
    with pytest.raises(KeyError):
        Message("no.such.message")


def test_language_codes() -> None:
    assert language_or_default("en-gb") == "en"
    assert language_or_default("fr-be") == "fr"
    assert language_or_default(None) == "fr"
    assert language_or_default("de") == "fr"  # the site's default
    assert translate("en-us", "location.row", row=3) == "row 3"
    assert translate("fr", "location.row", row=3) == "ligne 3"


# -- real errors in French ----------------------------------------------------------------


def test_a_bad_cell_of_an_experts_workbook_in_french(tmp_path: Path) -> None:
    rows = [list(row) for row in MATRIX]
    rows[3][2] = "fort"  # cell C4: A7 on A6
    path = write_xlsx(tmp_path / "e03.xlsx", {"E03": rows})
    [error] = all_problems(lambda: matrices.read_matrix_xlsx(path, factors=["A1", "A6", "A7"]))
    assert error.message_id == "cell.not_influence"
    assert error.location_in("fr") == f"{path}, feuille «{NB}E03{NB}», cellule C4"
    assert error.location_in("fr", include_file=False) == f"feuille «{NB}E03{NB}», cellule C4"
    assert error.message_in("fr") == (
        f"«{NB}fort{NB}» n'est pas une influence{NB}: utilisez 0, 1, 2, 3, P (potentielle), "
        "ou laissez la case vide si vous ne savez pas"
    )
    assert error.text_in("fr").startswith(f"{path}, feuille «{NB}E03{NB}», cellule C4{NB}: «")
    # English stays what the command line always printed
    assert error.message_in("en") == error.message
    assert str(error) == (
        f"{path}, sheet 'E03', cell C4: 'fort' is not an influence: use 0, 1, 2, 3, "
        "P (potential), or leave the cell empty if you don't know"
    )
    assert error.as_dict()["message_id"] == "cell.not_influence"


def test_a_missing_sheet_in_french(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "matrice.xlsx", {"E03": MATRIX, "Notes": [["à lire"]]})
    [error] = all_problems(lambda: matrices.read_matrix_xlsx(path, sheet="E04"))
    assert error.location_in("fr") == str(path)
    assert plain(error.message_in("fr")) == (
        "le classeur n'a pas de feuille « E04 » ; ses feuilles sont « E03 », « Notes »"
    )
    assert error.message == "no sheet named 'E04' in the workbook; its sheets are 'E03', 'Notes'"


def test_words_given_as_values_are_in_the_sentences_language(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "e03.xlsx", {"E03": [*MATRIX[:3], ["Z9", 1, 2, None]]})
    problems = all_problems(lambda: matrices.read_matrix_xlsx(path, factors=["A1", "A6", "A7"]))
    unknown = next(p for p in problems if p.message_id == "table.unknown_factor")
    assert plain(unknown.message_in("fr")) == (
        "facteur « Z9 » inconnu (il n'est pas parmi les facteurs de l'étude : A1, A6, A7)"
    )
    assert unknown.message == "unknown factor 'Z9' (not among the study's factors: A1, A6, A7)"
    many = [f"F{i}" for i in range(20)]
    problems = all_problems(lambda: matrices.read_matrix_xlsx(path, factors=many))
    assert "… (20 en tout)" in problems[0].message_in("fr")
    empty = all_problems(
        lambda: matrices.parse_matrix(matrices.Table(file="v.xlsx", sheet="E1", rows=[[None]]))
    )
    assert [(p.message_in("fr"), p.location_in("fr")) for p in empty] == [
        ("la feuille est vide", f"v.xlsx, feuille «{NB}E1{NB}»")
    ]


def test_a_study_file_with_a_wrong_type_in_french() -> None:
    document = small_study()
    document["hypotheses"]["votes"][0]["probability"] = "likely"
    document["horizon"]["years_max"] = 99
    problems = {p.field: p for p in all_problems(lambda: check_study(document, source="s.json"))}
    wrong = problems["hypotheses.votes[0].probability"]
    assert wrong.location_in("fr") == "s.json, champ hypotheses.votes[0].probability"
    assert plain(wrong.message_in("fr")) == (
        "« likely » n'a pas le bon type (attendu : nombre entier, null)"
    )
    assert wrong.message == "'likely' has the wrong type (expected 'integer', 'null')"
    assert plain(problems["horizon.years_max"].message_in("fr")) == (
        "99 est hors limites (doit valoir au plus 30)"
    )


def test_a_problem_with_the_whole_study_file_in_french() -> None:
    document = small_study()
    del document["panel"]
    [error] = all_problems(lambda: check_study(document, source="s.json"))
    assert error.location_in("fr") == "s.json, champ (l'ensemble du document)"
    assert error.location == "s.json, field (the whole document)"
    assert plain(error.message_in("fr")) == "le champ obligatoire « panel » manque"


def test_a_json_syntax_error_in_french() -> None:
    [error] = all_problems(lambda: parse_study(b'{"job": {\n  "a" 1}}', source="s.json"))
    assert error.location_in("fr") == "s.json, ligne 2"
    assert plain(error.message_in("fr")) == (
        "JSON non valide : le séparateur « : » est attendu (ligne 2, colonne 7)"
    )
    assert error.message == "not valid JSON: Expecting ':' delimiter (line 2, column 7)"


def test_reference_problems_in_french() -> None:
    document = small_study()
    document["factor_vote"]["ballots"][0]["expert"] = "E9"
    document["hypotheses"]["votes"][2]["probability"] = 7
    document["impacts"][0]["activity"] = "99"
    problems = {p.field: p for p in all_problems(lambda: check_study(document))}
    french = {field: plain(p.message_in("fr")) for field, p in problems.items()}
    assert french["factor_vote.ballots[0].expert"] == "« E9 » n'est pas un expert du panel"
    assert french["hypotheses.votes[2].probability"] == (
        "7 est hors de l'échelle de probabilité (de 1 à 4)"
    )
    assert french["impacts[0].activity"] == "activité « 99 » inconnue"


CODE = "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"


@pytest.mark.parametrize(
    ("schema", "instance", "french"),
    [
        ({"required": ["sector"]}, {}, "le champ obligatoire « sector » manque"),
        ({"type": "integer"}, "3", "« 3 » n'a pas le bon type (attendu : nombre entier)"),
        ({"type": ["array", "null"]}, True, "true n'a pas le bon type (attendu : liste, null)"),
        (
            {"enum": ["fr", "en"]},
            "de",
            "« de » n'est pas permis ici (valeurs attendues : « fr », « en »)",
        ),
        ({"const": "1.0"}, "2.0", "« 2.0 » n'est pas permis ici (valeur attendue : « 1.0 »)"),
        ({"minimum": 1}, 0, "0 est hors limites (doit valoir au moins 1)"),
        ({"maximum": 30}, 99, "99 est hors limites (doit valoir au plus 30)"),
        ({"exclusiveMinimum": 0}, 0, "0 est hors limites (doit être supérieur à 0)"),
        ({"minLength": 1}, "", "ne doit pas être vide"),
        ({"minLength": 3}, "ab", "est trop court (2 caractères ; au moins 3)"),
        ({"maxLength": 3}, "abcd", "est trop long (4 caractères ; au plus 3)"),
        ({"pattern": CODE}, "a b", "« a b » n'est pas un code valide"),
        (
            {"properties": {"title": {}}, "additionalProperties": False},
            {"title": "x", "titel": "y"},
            "champ inconnu : « titel » (champs permis : title)",
        ),
        (
            {"properties": {"a": {}}, "additionalProperties": False},
            {"a": 1, "b": 2, "c": 3},
            "champs inconnus : « b », « c » (champs permis : a)",
        ),
        ({"minItems": 1}, [], "ne doit pas être une liste vide"),
        ({"minItems": 2}, ["a"], "doit avoir au moins 2 éléments (il y en a 1)"),
        ({"maxItems": 2}, [1, 2, 3], "doit avoir au plus 2 éléments (il y en a 3)"),
        ({"uniqueItems": True}, ["F1", "F1"], "contient deux fois le même élément"),
    ],
)
def test_schema_problems_in_french(schema: dict[str, Any], instance: object, french: str) -> None:
    [error] = jsonschema.Draft202012Validator(schema).iter_errors(instance)
    problem = StudyInputError(study_file._schema_message(error), field="x")
    assert problem.message_id is not None
    assert plain(problem.message_in("fr")).startswith(french)
    assert problem.message_in("en") != problem.message_in("fr")


def test_other_schema_problems_keep_the_english_of_jsonschema() -> None:
    [error] = jsonschema.Draft202012Validator({"multipleOf": 2}).iter_errors(3)
    problem = StudyInputError(study_file._schema_message(error), field="x")
    assert problem.message_id is None
    assert problem.message_in("fr") == problem.message == error.message
    assert problem.location_in("fr") == "champ x"


# -- every problem of the converted modules is in the catalogue and French in French ------

ENGLISH_WORDS = re.compile(
    r"\b(the|is|not|sheet|cell|row|rows|column|field|factor|file|missing|unknown|appears|"
    r"twice|give|use|found|empty|expected|has|and|of)\b"
)


def bad_inputs(tmp_path: Path) -> list[Callable[[], object]]:
    def csv(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, "utf-8")
        return path

    def file(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    bad = [["x", "A1", "A6", "A7"], ["A1", None, "fort", True], ["A6", 2.5, None, 7]]
    bad += [["A7", 1, None, None, "zz"], ["a b", 1], [None, 1], ["A1", 1]]
    factors = ["A1", "A6", "Q9"]
    wrong_study = small_study()
    wrong_study["job"]["titel"] = "typo"
    wrong_study["language"] = "de"
    wrong_study["factors"].append({"code": "F1", "title": "Again"})
    references = small_study()
    references["factors"].append({"code": "F1", "title": "Again"})
    references["key_factors"][1]["reason"] = " "
    del references["hypotheses"]["factors"][1]["retained"]["reason"]
    references["cross_impacts"]["judgements"].append(
        {"source": "F3-A", "target": "F3-B", "value": 1}
    )
    references["factor_vote"]["ballots"][2]["scores"]["F4"] = 1
    return [
        lambda: matrices.read_matrix_xlsx(
            write_xlsx(tmp_path / "b.xlsx", {"E1": bad}), factors=factors
        ),
        lambda: matrices.read_matrix_xlsx(write_xlsx(tmp_path / "c.xlsx", {"E1": bad, "E2": bad})),
        lambda: matrices.read_matrix_csv(
            csv("bad name.csv", "x,A1,,A1\nA1,,1\nA6,1,1,1,1\nA7,1\n")
        ),
        lambda: matrices.read_matrix_csv(csv("e.csv", "x,A1,A6\n")),
        lambda: matrices.read_matrix_csv(csv("f.csv", ",,\nA1,1,2\n")),
        lambda: matrices.read_matrix_csv(csv("g.csv", "x,A1,A6\nA1,,1\nA6,1,\nA9,1,1\n")),
        lambda: matrices.read_matrix_csv(csv("h.csv", "")),
        lambda: matrices.read_matrix_csv(file("i.csv", b"PK\x03\x04zz")),
        lambda: matrices.read_matrix_xlsx(file("j.xlsx", b"%PDF-1.4")),
        lambda: matrices.read_matrix_xlsx(file("k.xlsx", b"\xd0\xcf\x11\xe0zz")),
        lambda: matrices.read_matrix_xlsx(tmp_path / "missing.xlsx"),
        lambda: matrices.read_matrix_workbook(
            write_xlsx(tmp_path / "l.xlsx", {"Lisez-moi": [[1]]})
        ),
        lambda: matrices.read_matrices([]),
        lambda: matrices.read_matrices([tmp_path / "a.ods", tmp_path / "noext"]),
        lambda: matrices.read_matrices(
            [
                write_xlsx(tmp_path / "m.xlsx", {"E1": MATRIX}),
                csv("E1.csv", "x,A1,B2\nA1,,1\nB2,1,\n"),
            ]
        ),
        lambda: matrices.check_factors(["A1", "A1", "a b"]),
        lambda: matrices.check_factors([]),
        lambda: ballots.read_ballots(
            csv("v.csv", "Expert,A1,A1,,Total\nE1,x,-2,1\n,1\na b,1\nE1,1,1,1,1,7\n")
        ),
        lambda: ballots.read_ballots(csv("w.csv", "Expert\nE1\n"), factors=["A1"]),
        lambda: ballots.read_ballots(csv("x.csv", "Expert,A1\n,\n")),
        lambda: ballots.read_ballots(tmp_path / "vote.txt"),
        lambda: template.write_workbook_template(
            tmp_path / "t.xlsx", [("A 1", "x"), ("A2", "y"), ("A2", "z")], ["E1"]
        ),
        lambda: template.write_workbook_template(
            tmp_path / "t.xlsx", [("A1", "x")], ["E1", "e1", "Facteurs", "a b"]
        ),
        lambda: template.write_matrix_template(tmp_path / "no" / "t.xlsx", [("A1", "x")]),
        lambda: parse_study(b"   ", source="s.json"),
        lambda: parse_study(json.dumps(small_study()).encode("utf-16"), source="s.json"),
        lambda: parse_study(b"[1] x", source="s.json"),
        lambda: parse_study(b"[1]", source="s.json"),
        lambda: parse_study(b'{"anticipe_study": "9.0"}', source="s.json"),
        lambda: parse_study(b"{}", source="s.json"),
        lambda: check_study(wrong_study),
        lambda: check_study(references),
        lambda: study_file.read_study(tmp_path / "missing.json"),
        lambda: scenariowizard.parse_scenariowizard("x", file="s.scw"),
        lambda: scenariowizard.parse_scenariowizard("$ S\nt\n&A\n -a\n -a\n", file="s.scw"),
        lambda: scenariowizard.parse_scenariowizard("$ S\nt\n&A\n -a\n#\n", file="s.scw"),
    ]


def inputs_beyond_the_limits(tmp_path: Path) -> list[Callable[[], object]]:
    """Inputs refused by the limits of anticipe.study.limits and anticipe.study.characters."""
    characters = small_study()
    characters["job"]["title"] = "Tech\x0bnology\ud800"
    characters["hypotheses"]["probability_scale"]["labels"] = {"\x01": "x"}
    scale = small_study()
    scale["hypotheses"]["probability_scale"] = {"min": -50, "max": 50}
    votes = tmp_path / "y.csv"
    votes.write_text("Expert,A1\nE1,1e9\n", "utf-8")
    matrix = tmp_path / "z.csv"
    matrix.write_text("x,A1\nA1," + "y" * 6000 + "\n", "utf-8")
    return [
        lambda: parse_study(b'{"anticipe_study": NaN}', source="s.json"),
        lambda: parse_study(b'{"anticipe_study": 1e999}', source="s.json"),
        lambda: parse_study(b"[" * 5000 + b"]" * 5000, source="s.json"),
        lambda: check_study(characters),
        lambda: check_study(scale),
        lambda: ballots.read_ballots(votes),
        lambda: matrices.read_matrix_csv(matrix),
    ]


def test_every_problem_of_the_study_layer_is_in_french(tmp_path: Path) -> None:
    seen = 0
    for action in bad_inputs(tmp_path) + inputs_beyond_the_limits(tmp_path):
        for problem in all_problems(action):
            seen += 1
            assert problem.message_id is not None, problem.message
            french = problem.message_in("fr")
            assert french != problem.message
            french = french.replace(str(tmp_path), "TMP")  # no English in the folder's name
            assert not ENGLISH_WORDS.search(french), french
            assert not ENGLISH_WORDS.search(problem.location_in("fr", include_file=False))
    assert seen > 60
