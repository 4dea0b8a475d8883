"""Reading the weighted vote's ballots from CSV and XLSX files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anticipe.study.ballots import read_ballots
from anticipe.study.errors import StudyInputError, StudyInputErrors


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], name: str = "Vote") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = name
    for row in rows:
        ws.append(list(row))
    workbook.save(path)
    return path


def messages(excinfo: pytest.ExceptionInfo[StudyInputError]) -> str:
    error = excinfo.value
    errors = error.errors if isinstance(error, StudyInputErrors) else [error]
    return "\n".join(str(e) for e in errors)


VOTE = [
    ["Expert", "A1", "A2", "A3"],
    ["E01", 5, None, 3],
    ["E02", 2, 4, 2],
]
BALLOTS = [
    {"expert": "E01", "scores": {"A1": 5, "A2": 0, "A3": 3}},
    {"expert": "E02", "scores": {"A1": 2, "A2": 4, "A3": 2}},
]


def test_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", VOTE)
    assert read_ballots(path) == (["A1", "A2", "A3"], BALLOTS)


def test_french_csv_decimal_comma_and_total(tmp_path: Path) -> None:
    path = tmp_path / "vote.csv"
    path.write_bytes("\ufeffExpert;A1;A2;A3;Total\r\nE01;2,5; 1 ;;3,5\r\n".encode())
    assert read_ballots(path) == (
        ["A1", "A2", "A3"],
        [{"expert": "E01", "scores": {"A1": 2.5, "A2": 1, "A3": 0}}],
    )


def test_xlsx_and_factor_order(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "vote.xlsx", VOTE)
    codes, ballots = read_ballots(path, factors=["A3", "A1", "A2"])
    assert codes == ["A3", "A1", "A2"]
    assert list(ballots[0]["scores"]) == ["A3", "A1", "A2"]
    assert ballots[1]["scores"] == {"A3": 2, "A1": 2, "A2": 4}


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "vote.xlsx", VOTE, name="Tour 1")
    assert read_ballots(path, sheet="Tour 1")[1] == BALLOTS
    with pytest.raises(StudyInputError, match=r"no sheet named 'Tour 2'.*'Tour 1'"):
        read_ballots(path, sheet="Tour 2")


def test_expert_without_points_is_all_zero(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", [*VOTE, ["E03", None, None, None]])
    assert read_ballots(path)[1][2] == {"expert": "E03", "scores": {"A1": 0, "A2": 0, "A3": 0}}


def test_negative_points(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", [VOTE[0], ["E01", 5, -2, 3]])
    with pytest.raises(StudyInputError) as excinfo:
        read_ballots(path)
    assert str(excinfo.value) == (
        f"{path}, cell C2: -2 is negative: points are >= 0 (leave empty for none)"
    )


def test_text_instead_of_points(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "vote.xlsx", [VOTE[0], ["E01", "beaucoup", 1, 3]])
    with pytest.raises(StudyInputError) as excinfo:
        read_ballots(path)
    assert str(excinfo.value).startswith(
        f"{path}, sheet 'Vote', cell B2: 'beaucoup' is not a number of points"
    )


def test_duplicate_expert_and_factor(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "vote.csv",
        [["Expert", "A1", "A2", "A1"], ["E01", 1, 1, 1], ["E01", 2, 2, 2]],
    )
    with pytest.raises(StudyInputError) as excinfo:
        read_ballots(path)
    text = messages(excinfo)
    assert f"{path}, cell D1: factor 'A1' appears twice in the header row (columns B and D)" in text
    assert f"{path}, cell A3: expert 'E01' appears twice in column A (rows 2 and 3)" in text


def test_unknown_and_missing_factors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", VOTE)
    with pytest.raises(StudyInputError) as excinfo:
        read_ballots(path, factors=["A1", "A2", "A4"])
    text = messages(excinfo)
    assert f"{path}, cell D1: unknown factor 'A3'" in text
    assert f"{path}, row 1: factor 'A4' has no column in the header row" in text


def test_truncated_row(tmp_path: Path) -> None:
    path = tmp_path / "vote.csv"
    path.write_text("Expert,A1,A2,A3\nE01,1,2,3\nE02,1\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match="row 3 has 2 cells but the header has 4") as excinfo:
        read_ballots(path)
    assert excinfo.value.row == 3


def test_missing_and_invalid_expert_id(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", [VOTE[0], [None, 1, 1, 1], ["Jean Dupont", 1, 1, 1]])
    with pytest.raises(StudyInputError) as excinfo:
        read_ballots(path)
    text = messages(excinfo)
    assert f"{path}, cell A2: missing expert id in column A" in text
    assert f"{path}, cell A3: 'Jean Dupont' is not a valid expert id" in text


def test_no_ballots(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "vote.csv", [VOTE[0]])
    with pytest.raises(StudyInputError, match="no ballots below the header row"):
        read_ballots(path)


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError, match="file not found"):
        read_ballots(tmp_path / "vote.csv")
    (tmp_path / "vote.csv").write_bytes(b"")
    with pytest.raises(StudyInputError, match="the file is empty"):
        read_ballots(tmp_path / "vote.csv")
    (tmp_path / "vote.xlsx").write_text("Expert,A1\n", encoding="utf-8")
    with pytest.raises(StudyInputError, match=r"not an Excel workbook \(\.xlsx\)"):
        read_ballots(tmp_path / "vote.xlsx")
    with pytest.raises(StudyInputError, match=r"unsupported file type '\.ods'"):
        read_ballots(tmp_path / "vote.ods")


points = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=100),
    st.sampled_from([0.5, 2.5, 12.25]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    table=st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.lists(st.lists(points, min_size=n, max_size=n), min_size=1, max_size=6)
    ),
    delimiter=st.sampled_from([",", ";"]),
    xlsx=st.booleans(),
)
def test_round_trip(
    tmp_path: Path, table: list[list[int | float | None]], delimiter: str, xlsx: bool
) -> None:
    codes = [f"A{j + 1}" for j in range(len(table[0]))]
    experts = [f"E{i + 1:02d}" for i in range(len(table))]

    def typed(value: int | float | None) -> object:
        if delimiter == ";" and isinstance(value, float):
            return str(value).replace(".", ",")
        return value

    rows: list[list[object]] = [["Expert", *codes]]
    rows.extend([e, *(typed(v) for v in row)] for e, row in zip(experts, table, strict=True))
    if xlsx:
        path = write_xlsx(tmp_path / "vote.xlsx", rows)
    else:
        path = write_csv(tmp_path / "vote.csv", rows, delimiter=delimiter)
    assert read_ballots(path) == (
        codes,
        [
            {"expert": e, "scores": {c: (v or 0) for c, v in zip(codes, row, strict=True)}}
            for e, row in zip(experts, table, strict=True)
        ],
    )
