"""Tests of anticipe.study.scenariowizard (ScenarioWizard .scw project files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from anticipe.method.cross_impact import consistent_scenarios
from anticipe.study.errors import StudyInputError
from anticipe.study.scenariowizard import parse_scenariowizard, read_scenariowizard


def scw_text(
    descriptors: list[tuple[str, list[str]]], matrix: list[list[float]], name: str = "test.scw"
) -> str:
    """A project file laid out as ScenarioWizard 4 saves it (our own construction)."""
    lines = ["$ ScenarioWizard 4.0", name]
    for descriptor, variants in descriptors:
        lines.append(f"&{descriptor}")
        lines.extend(f" -{variant}" for variant in variants)
    lines.append("#")
    for _, variants in descriptors:  # descriptions section
        lines.append("&")
        lines.extend(" " for _ in variants)
    lines += ["#", "#"]
    lines.extend("FFFFFF" for _ in range(sum(len(v) for _, v in descriptors)))
    lines += ["#", "#"]
    for row in matrix:
        lines.append(",".join(f"{value:>2} " for value in row))
    lines += ["#", "# 0-0", '""', "#", "#", ""]
    return "\r\n".join(lines)


SMALL = [("X", ["x1", "x2"]), ("Y", ["low", "mid", "high"])]
SMALL_MATRIX = [
    [0, 0, 2, -1, -1],
    [0, 0, -2, 1, 1],
    [3, -3, 0, 0, 0],
    [0, 0, 0, 0, 0],
    [-1, 1, 0, 0, 0],
]


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "small.scw"
    path.write_text(scw_text(SMALL, SMALL_MATRIX), encoding="utf-8")
    project = read_scenariowizard(path)
    assert project == {
        "descriptors": ["X", "Y"],
        "variants": [["x1", "x2"], ["low", "mid", "high"]],
        "variant_counts": [2, 3],
        "matrix": SMALL_MATRIX,
        "version": "4.0",
        "title": "test.scw",
    }
    json.dumps(project)
    result = consistent_scenarios(project["matrix"], project["variant_counts"])
    # (x1, low) scores 3 + 2; (x2, high) 1 + 1 with a tie; (x2, mid) 0 + 1, two ties.
    assert [s["scenario"] for s in result["scenarios"]] == [[0, 0], [1, 2], [1, 1]]


def test_cp1252_names_and_float_cells(tmp_path: Path) -> None:
    path = tmp_path / "accents.scw"
    descriptors = [("Économie", ["Déclin", "Croissance"])]
    path.write_bytes(scw_text(descriptors, [[0.5, -1], [1, 0]]).encode("cp1252"))
    project = read_scenariowizard(path)
    assert project["descriptors"] == ["Économie"]
    assert project["variants"] == [["Déclin", "Croissance"]]
    assert project["matrix"] == [[0.5, -1], [1, 0]]


def error_of(text: str) -> StudyInputError:
    with pytest.raises(StudyInputError) as info:
        parse_scenariowizard(text, file="bad.scw")
    assert info.value.file == "bad.scw"
    return info.value


def test_not_a_scenariowizard_file() -> None:
    error = error_of("descriptor;variant\nA;1\n")
    assert error.row == 1
    assert "ScenarioWizard" in str(error)


def test_bad_number_names_the_line() -> None:
    text = scw_text(SMALL, SMALL_MATRIX).replace(" 3 ,-3 ", " 3 ,x3 ")
    error = error_of(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "x3" in row)
    assert error.row == line
    assert f"line {line}" in str(error)
    assert "'x3'" in str(error)


def test_short_row_names_the_line() -> None:
    matrix = [row[:] for row in SMALL_MATRIX]
    matrix[1] = matrix[1][:4]
    error = error_of(scw_text(SMALL, matrix))
    assert "4 values, expected 5" in str(error)
    assert error.row is not None


def test_missing_rows() -> None:
    error = error_of(scw_text(SMALL, SMALL_MATRIX[:4]))
    assert "4 rows, expected 5" in str(error)


def test_truncated_file() -> None:
    text = "$ ScenarioWizard 4.0\nx.scw\n&A\n -a1\n -a2\n#\n&\n"
    error = error_of(text)
    assert "ends before the cross-impact matrix" in str(error)


def test_descriptor_without_variants_and_duplicates() -> None:
    error = error_of(scw_text([("A", []), ("B", ["b1"])], [[0]]))
    assert "'A' has no variants" in str(error)
    assert error.row == 3
    error = error_of(scw_text([("A", ["a1"]), ("A", ["a2"])], [[0, 0], [0, 0]]))
    assert "appears twice" in str(error)
    assert error.row == 5
    error = error_of(scw_text([("A", ["a1", "a1"])], [[0, 0], [0, 0]]))
    assert "variant 'a1' appears twice" in str(error)


def test_variant_before_descriptor() -> None:
    error = error_of("$ ScenarioWizard 4.0\nx.scw\n -a1\n#\n")
    assert error.row == 3


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError) as info:
        read_scenariowizard(tmp_path / "missing.scw")
    assert "missing.scw" in str(info.value.file)


CASES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "cib-cases"


def test_reference_case_rebuilt_as_scw(tmp_path: Path) -> None:
    """The SEI 'CIB_global' case, written in .scw layout from its CSV, reads back."""
    folder = CASES / "sei-global"
    if not folder.is_dir():
        pytest.skip("reference cases (../shared) not available")
    described = json.loads((folder / "descriptors.json").read_text(encoding="utf-8"))
    descriptors = [(d["name"], d["variants"]) for d in described["descriptors"]]
    with (folder / "matrix.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    matrix: list[list[float]] = [[int(cell) for cell in row[1:]] for row in rows[1:]]
    path = tmp_path / "CIB_global.scw"
    path.write_text(scw_text(descriptors, matrix, "CIB_global.scw"), encoding="utf-8")
    project = read_scenariowizard(path)
    assert project["matrix"] == matrix
    assert project["variant_counts"] == [3, 3, 4]
    assert consistent_scenarios(project["matrix"], project["variant_counts"])["count"] == 4


def test_problems_read_in_french() -> None:
    """The reader's problems are messages of the study catalogue (English on the command
    line, French for a French reader)."""
    nb = "\u00a0"
    with pytest.raises(StudyInputError) as info:
        parse_scenariowizard("$ ScenarioWizard 4.0\nt\n&A\n -a1\n -a1\n", file="bad.scw")
    error = info.value
    assert error.message_id == "scw.at_line"
    assert error.message == "line 5: variant 'a1' appears twice in descriptor 'A'"
    assert error.message_in("fr") == (
        f"ligne 5{nb}: la variante «{nb}a1{nb}» apparaît deux fois dans le descripteur «{nb}A{nb}»"
    )
    assert error.location_in("fr") == "bad.scw, ligne 5"
