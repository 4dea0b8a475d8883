"""``anticipe catalogue``: a study file's training catalogue from a CSV or XLSX list, read as
the desk reads it (all of it or nothing, every problem by row and column), the study file
checked and written atomically; a bad list, a bad study or a file beyond the limits says
what and where, exits with code 2 and writes nothing."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from anticipe.cli.main import main
from anticipe.examples import example_path
from anticipe.study.limits import MAX_XLSX_BYTES
from anticipe.study.study_file import dump_study, read_study
from anticipe.study.table_import import read_list_file, read_upload
from tests.studies import small_study
from tests.study.test_limits import zip_bomb
from tests.study.test_training_needs import FakeUpload

GOOD_CSV = (
    "titre;opérateur;durée;couvre\n"
    'Atelier IA;Centre A;12,5 h;"C1; DigComp 2.4:5"\n'
    "\n"
    "Dépannage;Centre B;30;digcomp-2.2:5.1:4\n"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def xlsx(rows: list[list[object]], title: str = "Offre") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    """The small study (format 1.0, competences C1 and C2)."""
    path = tmp_path / "study.json"
    path.write_text(dump_study(small_study()), "utf-8")
    return path


def listing(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)
    return path


def test_a_csv_replaces_the_catalogue_of_the_study_file(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["catalogue", str(study_file), str(listing(tmp_path, "c.csv", GOOD_CSV))], capsys
    )
    assert (code, err) == (0, "")
    assert out == f"{study_file}: training catalogue of 2 modules\n"
    study = read_study(study_file)  # written in place, and valid
    assert study["anticipe_study"] == "1.3"  # the version that carries a catalogue
    assert study["training_catalogue"] == {
        "modules": [
            {
                "id": "M01",
                "title": "Atelier IA",
                "provider": "Centre A",
                "duration_hours": 12.5,
                "covers": [
                    {"competence": "C1"},
                    {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
                ],
            },
            {
                "id": "M02",
                "title": "Dépannage",
                "provider": "Centre B",
                "duration_hours": 30,
                "covers": [{"framework": "digcomp-2.2", "id": "5.1", "level": "4"}],
            },
        ]
    }
    # everything else of the study as it was
    before = small_study()
    assert {
        k: v for k, v in study.items() if k not in ("anticipe_study", "training_catalogue")
    } == {k: v for k, v in before.items() if k != "anticipe_study"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_an_xlsx_to_another_file_with_a_title_and_simulated(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = xlsx(
        [["Code", "Title", "Provider", "Hours", "Covers"], ["T-1", "Coding", "Y", 24, "C2"]]
    )
    # a workbook is told by its content, as on the desk: whatever its name
    source = listing(tmp_path, "offer.dat", data)
    output = tmp_path / "next.json"
    before = study_file.read_bytes()
    args = ["catalogue", str(study_file), str(source), "-o", str(output)]
    code, out, _err = run([*args, "--title", "Offre 2027", "--simulated", "--json"], capsys)
    assert code == 0
    assert json.loads(out) == {
        "file": str(output),
        "modules": 1,
        "replaced": 0,
        "anticipe_study": "1.3",
    }
    assert study_file.read_bytes() == before
    assert read_study(output)["training_catalogue"] == {
        "title": "Offre 2027",
        "modules": [
            {
                "id": "T-1",
                "title": "Coding",
                "provider": "Y",
                "duration_hours": 24,
                "covers": [{"competence": "C2"}],
            }
        ],
        "simulated": True,
    }


def test_the_example_keeps_its_version_and_says_what_it_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = tmp_path / "example.json"
    study.write_bytes(example_path().read_bytes())
    previous = read_study(study)["training_catalogue"]
    code, out, _err = run(
        ["catalogue", str(study), str(listing(tmp_path, "c.csv", GOOD_CSV))], capsys
    )
    assert code == 0
    assert (
        out
        == f"{study}: training catalogue of 2 modules, replacing one of {len(previous['modules'])}"
        + "\n"
    )
    written = read_study(study)
    assert written["anticipe_study"] == "1.3"
    assert [m["title"] for m in written["training_catalogue"]["modules"]] == [
        "Atelier IA",
        "Dépannage",
    ]
    assert "simulated" not in written["training_catalogue"]
    # today's profile and the self-assessment's counts stay
    assert written["current_profile"] == read_study(example_path())["current_profile"]
    assert written["self_assessment"] == read_study(example_path())["self_assessment"]


def test_a_bad_csv_lists_every_problem_by_row_and_column_and_writes_nothing(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = listing(
        tmp_path,
        "bad.csv",
        'titre;opérateur;durée;couvre\nAtelier;A;douze;"C9; DigComp 9.9"\n'
        ";B;30;digcomp-2.2:5.1:9\n",
    )
    before = study_file.read_bytes()
    output = tmp_path / "out.json"
    code, out, err = run(["catalogue", str(study_file), str(bad), "-o", str(output)], capsys)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "anticipe: error: 5 problems:",
        f"- {bad}, cell C2: “douze” is not a duration in hours (0 to 10,000).",
        f"- {bad}, cell D2: “C9” is neither a competence of the study nor a framework "
        "competence (write e.g. C12, DigComp 2.4 or digcomp-2.2:2.4:5).",
        f"- {bad}, cell D2: “DigComp 9.9”: DigComp 2.2 has no such competence.",
        f"- {bad}, cell A3: The title is missing.",
        f"- {bad}, cell D3: “digcomp-2.2:5.1:9”: DigComp 2.2 has no such level "
        "(its levels: 1, 2, 3, 4, 5, 6, 7, 8).",
    ]
    assert study_file.read_bytes() == before
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "study.json"]


def test_a_bad_xlsx_names_its_sheet_and_json_lists_the_problems(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = xlsx([["id", "title", "covers"], ["A", "One", "C1"], ["A", "Two", ""]], "Feuil1")
    bad = listing(tmp_path, "bad.xlsx", data)
    before = study_file.read_bytes()
    code, out, err = run(["catalogue", str(study_file), str(bad), "--json"], capsys)
    assert (code, out) == (2, "")
    problems = json.loads(err)["error"]
    assert [(p["file"], p["sheet"], p["row"], p["column"]) for p in problems] == [
        (str(bad), "Feuil1", 3, "A"),
        (str(bad), "Feuil1", 3, "C"),
    ]
    assert problems[0]["message"] == "This id is already on row 2."
    assert problems[1]["message"] == "The module covers no competence."
    assert study_file.read_bytes() == before


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("", "the file is empty"),
        ("hours;notes\n3;x\n", "row 1: The header has no column “title”, “covers”"),
        ("titre;couvre\n", "row 1: The list has a header but no module."),
        (b"PK\x03\x04garbage", "not an Excel workbook (.xlsx)"),
    ],
)
def test_a_list_that_is_not_a_catalogue_says_why(
    study_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: str | bytes,
    said: str,
) -> None:
    before = study_file.read_bytes()
    code, _out, err = run(
        ["catalogue", str(study_file), str(listing(tmp_path, "l.csv", data))], capsys
    )
    assert code == 2
    assert err.startswith("anticipe: error: ")
    assert said in err
    assert study_file.read_bytes() == before


def test_too_many_problems_are_counted_after_the_first_fifty(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"M{k};C99\n" for k in range(60))
    code, _out, err = run(
        ["catalogue", str(study_file), str(listing(tmp_path, "l.csv", "title;covers\n" + rows))],
        capsys,
    )
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "anticipe: error: 51 problems:"
    assert lines[-1] == f"- {tmp_path / 'l.csv'}: and 10 more problems"


def test_files_beyond_the_limits_are_refused_before_they_are_read(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:  # a sparse file: its size only
        handle.truncate(MAX_XLSX_BYTES + 1)
    code, _out, err = run(["catalogue", str(study_file), str(huge)], capsys)
    assert code == 2
    assert "too large" in err
    code, _out, err = run(
        ["catalogue", str(study_file), str(listing(tmp_path, "b.xlsx", zip_bomb()))], capsys
    )
    assert code == 2
    assert "b.xlsx" in err


def test_a_missing_list_or_a_bad_study_writes_nothing(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = listing(tmp_path, "c.csv", GOOD_CSV)
    code, _out, err = run(["catalogue", str(study_file), str(tmp_path / "none.csv")], capsys)
    assert (code, err) == (2, f"anticipe: error: {tmp_path / 'none.csv'}: file not found\n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"anticipe_study": "1.3"}', "utf-8")
    code, _out, err = run(["catalogue", str(broken), str(good)], capsys)
    assert code == 2
    assert str(broken) in err
    assert broken.read_text("utf-8") == '{"anticipe_study": "1.3"}'
    # the folder of -o must exist; a title the study file cannot hold is refused with its field
    code, _out, err = run(
        ["catalogue", str(study_file), str(good), "-o", str(tmp_path / "no" / "x.json")], capsys
    )
    assert (code, err) == (2, f"anticipe: error: {tmp_path / 'no'}: the folder does not exist\n")
    code, _out, err = run(["catalogue", str(study_file), str(good), "--title", "x" * 301], capsys)
    assert code == 2
    assert "training_catalogue.title" in err
    assert read_study(study_file) == small_study()


def test_the_command_reads_a_list_as_the_desk_does(tmp_path: Path) -> None:
    """One rule for both: the desk's upload and the command's path give the same table."""
    data = xlsx([["title", "covers"], ["One", "C1"]])
    for name, content in (("a.csv", GOOD_CSV.encode()), ("a.bin", data)):
        path = listing(tmp_path, name, content)
        from_path = read_list_file(path)
        from_upload = read_upload(FakeUpload(content), "en", "catalogue")
        assert (from_path.rows, from_path.sheet) == (from_upload.rows, from_upload.sheet)


def test_a_bad_list_is_reported_without_a_traceback_by_the_console_script(
    study_file: Path, tmp_path: Path
) -> None:
    bad = listing(tmp_path, "bad.csv", "title;covers\n;C9\n")
    completed = subprocess.run(
        [sys.executable, "-m", "anticipe.cli.main", "catalogue", str(study_file), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert f"{bad}, cell A2: The title is missing." in completed.stderr


def test_the_help_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["catalogue", "--help"])
    out: Any = capsys.readouterr().out
    assert "training catalogue" in out
    assert "-o OUTPUT" in out


def test_an_older_file_the_newer_checks_refuse_says_why_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a format 1.1 file with a framework link the 1.3 checks refuse (no competence 9.9)
    older = small_study()
    older["anticipe_study"] = "1.1"
    older["competences"][0]["frameworks"] = [{"framework": "DigComp 2.2", "id": "9.9"}]
    path = tmp_path / "older.json"
    path.write_text(dump_study(older), "utf-8")
    before = path.read_text("utf-8")
    code, _out, err = run(
        ["catalogue", str(path), str(listing(tmp_path, "c.csv", GOOD_CSV))], capsys
    )
    assert code == 2
    assert "this study file is format 1.1; a training catalogue needs format 1.3" in err
    assert "competences[0].frameworks[0]" in err  # the problem itself, with its field
    assert path.read_text("utf-8") == before


def test_one_module_is_said_in_the_singular(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = listing(tmp_path, "one.csv", "titre;couvre\nAtelier IA;C1\n")
    code, out, _err = run(["catalogue", str(study_file), str(one)], capsys)
    assert (code, out) == (0, f"{study_file}: training catalogue of 1 module\n")
