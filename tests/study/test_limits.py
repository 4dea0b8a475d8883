"""Bounded work for every input file (anticipe.study.limits): a file beyond a limit is
refused quickly, before the work that grows with it, as a StudyInputError with a message id
and where; files within the limits read as before."""

from __future__ import annotations

import dataclasses
import io
import json
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from anticipe.cli.main import main
from anticipe.examples import example_path
from anticipe.study import limits, study_file, tables, workbooks
from anticipe.study.analysis import analyse_ballots, analyse_influence_matrices
from anticipe.study.ballots import read_ballots
from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.matrices import read_matrices, read_matrix_csv, read_matrix_xlsx
from anticipe.study.messages import message
from anticipe.study.scenariowizard import parse_scenariowizard, read_scenariowizard
from anticipe.study.self_assessment import MIN_GROUP_SIZE_FLOOR
from anticipe.study.study_file import check_study, dump_study, parse_study, study_schema
from tests.studies import small_study

MATRIX = [["x", "A1", "A2"], ["A1", None, 1], ["A2", 2, None]]


def problems(action: Callable[[], object]) -> list[StudyInputError]:
    with pytest.raises(StudyInputError) as caught:
        action()
    error = caught.value
    return list(error.errors) if isinstance(error, StudyInputErrors) else [error]


def refused(action: Callable[[], object], message_id: str) -> StudyInputError:
    """The one problem `action` raises, checked to be `message_id`."""
    found = problems(action)
    assert [problem.message_id for problem in found] == [message_id], [str(p) for p in found]
    return found[0]


def matrix_workbook(rows: list[list[Any]] = MATRIX) -> tuple[Workbook, Worksheet]:
    """A workbook with the matrix on its sheet E01."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "E01"
    for row in rows:
        sheet.append(row)
    return workbook, sheet


def workbook_bytes(rows: list[list[Any]] = MATRIX) -> bytes:
    workbook, _ = matrix_workbook(rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb(padding: int = 308 * 1024 * 1024) -> bytes:
    """A small valid workbook whose sheet XML is padded with a long run of spaces (in an
    XML comment): about 1.4 MB packed for 308 MB of XML."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, marker, tail = data.partition(b"<sheetData>")
                data = head + b"<!--" + b" " * padding + b"-->" + marker + tail
            archive.writestr(info.filename, data)
    return packed.getvalue()


# -- workbooks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip bomb, built once (building it takes a few seconds)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    path.write_bytes(zip_bomb())
    return path


def test_a_zip_bomb_is_refused_from_the_zip_directory_in_well_under_a_second(bomb: Path) -> None:
    assert bomb.stat().st_size < 2_000_000
    started = time.process_time()
    problem = refused(lambda: read_matrix_xlsx(bomb), "xlsx.compression_ratio")
    assert time.process_time() - started < 0.5
    assert problem.file == str(bomb)
    assert "xl/worksheets/sheet1.xml" in problem.message
    assert "308 MB" in problem.message
    assert "308 Mo" in problem.message_in("fr")


def test_the_command_line_refuses_the_zip_bomb_with_exit_code_2(
    bomb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.process_time()
    assert main(["analyse", "structural", str(bomb), "--quiet"]) == 2
    assert time.process_time() - started < 1
    assert "not an ordinary workbook" in capsys.readouterr().err


def test_a_workbook_too_large_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "E01.xlsx"
    path.write_bytes(workbook_bytes())
    monkeypatch.setattr(workbooks, "MAX_XLSX_UNPACKED_BYTES", 1000)
    refused(lambda: read_matrix_xlsx(path), "xlsx.too_large_unpacked")


def test_a_workbook_of_too_many_parts(tmp_path: Path) -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    path = tmp_path / "E01.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
        for number in range(limits.MAX_XLSX_ENTRIES):
            archive.writestr(f"customXml/item{number}.xml", "<a/>")
    refused(lambda: read_matrix_xlsx(path), "xlsx.too_many_parts")


def test_a_file_too_large_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "E01.xlsx"
    path.write_bytes(workbook_bytes())
    monkeypatch.setattr(tables, "MAX_XLSX_BYTES", 100)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    problem = refused(lambda: read_matrix_xlsx(path), "file.too_large")
    assert problem.message.endswith("KB; at most 0.1 KB)")  # small sizes say something


def test_one_value_far_away_does_not_make_a_huge_sheet(tmp_path: Path) -> None:
    """openpyxl's iter_rows would create 17 billion cells for a value in XFD1048576."""
    workbook, sheet = matrix_workbook()
    sheet.cell(row=1_048_576, column=16_384, value=1)
    path = tmp_path / "far.xlsx"
    workbook.save(path)
    started = time.process_time()
    problem = refused(lambda: read_matrix_xlsx(path), "table.too_many_cells")
    assert time.process_time() - started < 1
    assert problem.sheet == "E01"
    assert "1048576 rows and 16384 columns" in problem.message


def test_styled_empty_cells_beyond_the_table_are_not_counted(tmp_path: Path) -> None:
    workbook, sheet = matrix_workbook()
    sheet.cell(row=50_000, column=2_000).number_format = "0.00"  # a cell without a value
    path = tmp_path / "styled.xlsx"
    workbook.save(path)
    assert read_matrix_xlsx(path)["rows"] == [[0, 1], [2, 0]]


def test_a_long_text_in_a_cell_is_refused_with_its_cell(tmp_path: Path) -> None:
    rows = [row[:] for row in MATRIX]
    rows[1][1] = "x" * (limits.MAX_CELL_CHARACTERS + 1)
    path = tmp_path / "E01.xlsx"
    path.write_bytes(workbook_bytes(rows))
    problem = refused(lambda: read_matrix_xlsx(path), "cell.too_long")
    assert (problem.sheet, problem.row, problem.column) == ("E01", 2, "B")


# -- CSV tables -----------------------------------------------------------------------------


def test_csv_with_too_many_rows_columns_or_a_long_cell(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("x,A1\n" + "A1,1\n" * limits.MAX_TABLE_ROWS, "utf-8")
    refused(lambda: read_matrix_csv(rows), "table.too_many_rows")
    columns = tmp_path / "columns.csv"
    columns.write_text("x,A1\nA1," + "1," * limits.MAX_TABLE_COLUMNS + "\n", "utf-8")
    assert refused(lambda: read_matrix_csv(columns), "table.too_many_columns").row == 2
    cell = tmp_path / "cell.csv"
    cell.write_text("x,A1\nA1," + "y" * (limits.MAX_CELL_CHARACTERS + 1) + "\n", "utf-8")
    problem = refused(lambda: read_matrix_csv(cell), "cell.too_long")
    assert (problem.row, problem.column) == (2, "B")


def test_empty_lines_at_the_end_of_a_csv_are_not_counted(tmp_path: Path) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x;A1;A2\nA1;;1\nA2;2;\n" + ";;\n" * (limits.MAX_TABLE_ROWS + 5), "utf-8")
    assert read_matrix_csv(path)["rows"] == [[0, 1], [2, 0]]


def test_a_csv_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "E01.csv"
    path.write_text("x,A1,A2\nA1,,1\nA2,2,\n", "utf-8")
    monkeypatch.setattr(tables, "MAX_TABLE_BYTES", 10)
    refused(lambda: read_matrices([path]), "file.too_large")


def test_the_delimiter_of_a_long_csv_is_sniffed_from_its_start(tmp_path: Path) -> None:
    codes = [f"F{number}" for number in range(300)]
    lines = [";".join(["x", *codes])]
    lines += [
        ";".join([code, *["1" if i != j else "" for j in range(300)]])
        for i, code in enumerate(codes)
    ]
    path = tmp_path / "E01.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert len(path.read_text("utf-8")) > 65_536
    assert read_matrix_csv(path)["rows"][0][:3] == [0, 1, 1]


# -- ballots -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-inf", "1e309"])
def test_a_ballot_cell_that_is_not_a_finite_number(cell: str, tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text(f"Expert,A1,A2\nE1,{cell},1\n", "utf-8")
    problem = refused(lambda: read_ballots(path), "ballots.not_points")
    assert (problem.row, problem.column) == (2, "B")


def test_too_many_points_in_a_ballot(tmp_path: Path) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("Expert,A1,A2\nE1,1e9,1\n", "utf-8")
    refused(lambda: read_ballots(path), "ballots.too_many_points")


# -- ScenarioWizard projects ----------------------------------------------------------------


def scw(descriptors: int, variants: int, value: str = "0") -> str:
    lines = ["$ ScenarioWizard 4.4", "test.scw"]
    for d in range(descriptors):
        lines.append(f"&D{d}")
        lines.extend(f" -v{v}" for v in range(variants))
    lines.extend("#" * 5)
    size = descriptors * variants
    lines.extend(",".join([value] * size) for _ in range(size))
    return "\n".join(lines) + "\n"


def test_scenariowizard_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_scenariowizard(scw(2, 2))["variant_counts"] == [2, 2]
    many = limits.MAX_SCW_DESCRIPTORS + 1
    refused(lambda: parse_scenariowizard(scw(many, 1)), "scw.at_line")
    problem = problems(lambda: parse_scenariowizard(scw(many, 1)))[0]
    assert problem.values["message"] == message(
        "scw.too_many_descriptors", limit=limits.MAX_SCW_DESCRIPTORS
    )
    problem = problems(lambda: parse_scenariowizard(scw(1, limits.MAX_SCW_VARIANTS + 1)))[0]
    assert "more than 30 variants" in problem.message
    problem = problems(lambda: parse_scenariowizard(scw(2, 2, "1e7")))[0]
    assert "beyond the limit of 1000000" in problem.message
    wide = scw(2, 2).replace("0,0,0,0\n", "0," * 5000 + "0\n", 1)
    assert "5001 values, expected 4" in problems(lambda: parse_scenariowizard(wide))[0].message
    path = tmp_path / "p.scw"
    path.write_text(scw(2, 2), "utf-8")
    monkeypatch.setattr("anticipe.study.scenariowizard.MAX_SCW_BYTES", 10)
    refused(lambda: read_scenariowizard(path), "file.too_large")


# -- study files: JSON ------------------------------------------------------------------------


def study_text(**replace: str) -> bytes:
    """The small study's JSON, with ``"@name@"`` placeholders replaced by raw JSON text."""
    study = small_study()
    study["job"]["description"] = "@description@"
    text = dump_study(study)
    for name, raw in replace.items():
        text = text.replace(f'"@{name}@"', raw)
    return text.encode("utf-8")


@pytest.mark.parametrize(
    ("raw", "message_id"),
    [
        ("NaN", "json.not_a_number"),
        ("Infinity", "json.not_a_number"),
        ("-Infinity", "json.not_a_number"),
        ("1e400", "json.number_too_large"),
        ("-1e400", "json.number_too_large"),
        (str(10**400), "json.integer_too_long"),
        ("1" * 5000, "json.integer_too_long"),  # beyond Python's int string limit too
    ],
)
def test_numbers_a_study_file_may_not_hold(raw: str, message_id: str) -> None:
    text = study_text(description=raw)
    [line] = [
        number
        for number, content in enumerate(text.decode().splitlines(), start=1)
        if f'"description": {raw}' in content
    ]
    problem = refused(lambda: parse_study(text, source="s.json"), message_id)
    assert problem.row == line
    assert len(problem.message) < 200


@pytest.mark.parametrize("depth", [40, 990, 100_000])
def test_deep_nesting_is_refused_never_a_recursion_error(depth: int) -> None:
    text = study_text(description="[" * depth + "]" * depth)
    problem = refused(lambda: parse_study(text, source="s.json"), "study.too_deep")
    if depth == 40:
        assert problem.field == "job.description" + "[0]" * (limits.MAX_JSON_DEPTH - 2)


def test_nesting_within_the_limit_reaches_the_schema() -> None:
    text = study_text(description="[" * 20 + "]" * 20)
    [problem] = problems(lambda: parse_study(text))
    assert (problem.message_id, problem.field) == ("schema.type", "job.description")


def test_a_study_too_large(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    smaller = dataclasses.replace(study_file.STUDY_FILE, limit=100)
    monkeypatch.setattr(study_file, "STUDY_FILE", smaller)
    refused(lambda: parse_study(study_text()), "file.too_large")
    path = tmp_path / "s.json"
    path.write_bytes(study_text())
    refused(lambda: study_file.read_study(path), "file.too_large")


# -- study files: characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message_id", "where"),
    [
        ('"Tech\\ud800"', "text.surrogate", "job.description"),
        ('"\\udfff"', "text.surrogate", "job.description"),
        ('"Tech\\u000bnology"', "text.control_character", "job.description"),
        ('"\\u0000"', "text.control_character", "job.description"),
        ('"\\uffff"', "text.control_character", "job.description"),
    ],
)
def test_characters_a_study_may_not_hold(raw: str, message_id: str, where: str) -> None:
    problem = refused(lambda: parse_study(study_text(description=raw)), message_id)
    assert problem.field == where
    assert "U+" in problem.message
    problem.message.encode("utf-8")  # the message itself is printable
    problem.message_in("fr").encode("utf-8")


def test_tabs_and_line_breaks_are_allowed() -> None:
    study = parse_study(study_text(description='"a\\tb\\nc\\r\\nd"'))
    assert study["job"]["description"] == "a\tb\nc\r\nd"


def test_a_bad_character_in_a_field_name_is_shown_escaped() -> None:
    study = small_study()
    study["hypotheses"]["probability_scale"]["labels"] = {"1\ud800": "low", "2": "x\x0by"}
    found = problems(lambda: check_study(study))
    assert {(p.message_id, p.field) for p in found} == {
        ("text.bad_character_in_name", "hypotheses.probability_scale.labels"),
        ("text.control_character", "hypotheses.probability_scale.labels.2"),
    }
    named = next(p for p in found if p.message_id == "text.bad_character_in_name")
    assert "1\\ud800" in named.message
    named.message.encode("utf-8")


def test_every_text_of_a_study_is_checked() -> None:
    study = small_study()
    study["factors"][1]["title"] = "A\x0b"
    study["panel"][0]["sector"] = "B\x1f"
    study["hypotheses"]["factors"][0]["hypotheses"][0]["text"] = "C\ud83d"
    found = {(p.message_id, p.field) for p in problems(lambda: check_study(study))}
    assert found == {
        ("text.control_character", "factors[1].title"),
        ("text.control_character", "panel[0].sector"),
        ("text.surrogate", "hypotheses.factors[0].hypotheses[0].text"),
    }


def test_clean_text_for_the_sites_forms() -> None:
    from anticipe.study.characters import clean_document, clean_text

    assert clean_text("Tech\x0bnology\x0c\x00\ud800\tok\r\n") == "Tech\nnology\n\tok\r\n"
    document = {"a\x01": ["x\x02", 3, None, {"b": "\x0b"}]}
    assert clean_document(document) == {"a": ["x", 3, None, {"b": "\n"}]}
    check_study(clean_document({**small_study(), "job": {"title": "T\x0bitle\ud800"}}))


# -- study files: the schema's bounds -------------------------------------------------------------


def test_a_huge_scale_is_refused_by_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = small_study()
    study["hypotheses"]["probability_scale"]["min"] = -1e20
    path = tmp_path / "s.json"
    path.write_text(json.dumps(study), "utf-8")
    assert main(["validate", str(path)]) == 2
    error = capsys.readouterr().err
    assert "field hypotheses.probability_scale.min" in error
    assert "must be at least -100" in error


def test_a_scale_of_more_than_25_points() -> None:
    study = small_study()
    study["hypotheses"]["desirability_scale"] = {"min": -10, "max": 15}
    problem = refused(lambda: check_study(study), "ref.scale_points")
    assert problem.field == "hypotheses.desirability_scale"
    study["hypotheses"]["desirability_scale"] = {"min": -10, "max": 14}
    check_study(study)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("factor_vote", "points_per_expert"), 10**6),
        (("factor_vote", "shortlist_size"), 10**6),
        (("parameters", "disagreement", "resamples"), 10**9),
        (("parameters", "disagreement", "seed"), -1),
        (("parameters", "disagreement", "seed"), 2**60),
        (("parameters", "structural_analysis", "potential_weight"), 1e300),
        (("parameters", "structural_analysis", "key_factor_count"), 10**9),
        (("parameters", "hypotheses", "consensus_max_iqr"), 1e300),
        (("simulation", "seed"), -5),
    ],
)
def test_numeric_parameters_have_maxima(path: tuple[str, ...], value: float) -> None:
    study = small_study()
    if path[0] == "simulation":
        study["simulation"] = {"simulated": ["panel"], "note": "x"}
    node = study
    for name in path[:-1]:
        node = node.setdefault(name, {})
    node[path[-1]] = value
    problem = refused(
        lambda: check_study(study), "schema.maximum" if value > 0 else "schema.minimum"
    )
    assert problem.field == ".".join(path)


def test_the_schemas_maxima_are_the_limits() -> None:
    schema = study_schema()
    defs = schema["$defs"]
    assert defs["scale"]["properties"]["min"]["minimum"] == -limits.SCALE_BOUND
    assert defs["scale"]["properties"]["max"]["maximum"] == limits.SCALE_BOUND
    vote = defs["factor_vote"]["properties"]
    assert vote["points_per_expert"]["maximum"] == limits.MAX_POINTS
    assert (
        vote["ballots"]["items"]["properties"]["scores"]["additionalProperties"]["maximum"]
        == limits.MAX_POINTS
    )
    assert vote["shortlist_size"]["maximum"] == limits.MAX_FACTORS
    assert schema["properties"]["factors"]["maxItems"] == limits.MAX_FACTORS
    assert schema["properties"]["panel"]["maxItems"] == limits.MAX_EXPERTS
    structural = defs["structural_analysis"]["properties"]
    assert structural["factors"]["maxItems"] == limits.MAX_STRUCTURAL_FACTORS
    assert structural["matrices"]["maxItems"] == limits.MAX_EXPERTS
    parameters = defs["parameters"]["properties"]
    spread = parameters["disagreement"]["properties"]
    assert spread["resamples"]["maximum"] == limits.MAX_RESAMPLES
    assessment = schema["properties"]["self_assessment"]["properties"]
    assert assessment["groups"]["maxItems"] == limits.MAX_SELF_ASSESSMENT_GROUPS
    assert assessment["min_group_size"]["maximum"] == limits.MAX_MIN_GROUP_SIZE
    assert assessment["min_group_size"]["minimum"] == MIN_GROUP_SIZE_FLOOR
    assert spread["seed"]["maximum"] == limits.MAX_SEED
    micmac = parameters["structural_analysis"]["properties"]
    assert micmac["potential_weight"]["maximum"] == limits.MAX_POTENTIAL_WEIGHT
    assert micmac["key_factor_count"]["maximum"] == limits.MAX_STRUCTURAL_FACTORS
    consensus = parameters["hypotheses"]["properties"]["consensus_max_iqr"]
    assert consensus["maximum"] == limits.MAX_CONSENSUS_IQR
    assert schema["properties"]["simulation"]["properties"]["seed"]["maximum"] == limits.MAX_SEED


def test_the_example_and_the_test_studies_stay_valid() -> None:
    study_file.read_study(example_path())
    study_file.read_study(Path(__file__).parents[2] / "examples/mediateur-numerique/study.json")
    check_study(small_study())


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: analyse_influence_matrices(["A", "B"], [], resamples=-1), "resamples"),
        (lambda: analyse_influence_matrices(["A", "B"], [], seed=-1), "seed"),
        (
            lambda: analyse_influence_matrices(
                ["A", "B"], [], parameters={"potential_weight": 1e9}
            ),
            "potential_weight",
        ),
        (lambda: analyse_ballots(["A"], [], points_per_expert=10**9), "points_per_expert"),
        (lambda: analyse_ballots(["A"], [], shortlist_size=0), "shortlist_size"),
    ],
)
def test_parameters_given_to_an_analysis_are_bounded(call: Callable[[], object], name: str) -> None:
    problem = refused(call, "parameter.out_of_range")
    assert problem.message.startswith(f"{name} is ")


def test_the_command_lines_options_are_bounded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.json"
    path.write_text(dump_study(small_study()), "utf-8")
    assert main(["analyse", "study", str(path), "--seed", "-1", "--quiet"]) == 2
    assert "seed is -1; it must be from 0 to" in capsys.readouterr().err


# -- in French ----------------------------------------------------------------------------


def test_limit_problems_read_in_french(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(zip_bomb(8 * 1024 * 1024))
    french = problems(lambda: read_matrix_xlsx(bomb))[0].text_in("fr")
    assert "se décompresse en 8 Mo" in french
    text = study_text(description='"a\\u000b"')
    french = problems(lambda: parse_study(text, source="s.json"))[0].text_in("fr")
    assert "champ job.description\u00a0: contient un caractère de contrôle (U+000B)" in french
