"""The ``anticipe`` command, run as a user would (through ``main`` and as a process)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from anticipe.cli.main import main
from anticipe.examples import example_path
from anticipe.study.study_file import dump_study
from tests.studies import small_study

NBSP = "\u00a0"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "study.json"
    path.write_text(dump_study(small_study()), "utf-8")
    return path


def flat(text: str) -> str:
    """The printed text without the terminal's line breaks (plain spaces only)."""
    return re.sub(r"[ \n]+", " ", text)


def test_example_prints_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["example", "--resamples", "20"], capsys)
    out = flat(out)
    assert code == 0
    for heading in (
        "Vote pondéré",
        "Analyse structurelle (MICMAC)",
        "Facteurs clés",
        "Hypothèses d'évolution",
        "Scénario d'évolution retenu",
        "Cohérence",
        "Impacts sur les activités",
    ):
        assert heading in out
    assert "A16" in out
    assert "ajout" in out
    assert f"A19{NBSP}: A19-BC" in out
    assert f"Réponses simulées{NBSP}: le panel, le vote pondéré sur les facteurs" in out
    assert f"Classement indirect{NBSP}: puissances successives, M^4 (classements stables)" in out
    assert f"Rééchantillonnage (bootstrap){NBSP}: B = 20, graine = 2018" in out
    assert "(incohérence 0, score d'impact total 49)" in out
    assert "1 scénario cohérent dans" in out
    # French typography: a no-break space before every colon and semicolon (the example's
    # own texts have none either), and none of the English words the tables used to keep
    assert re.findall(f"[^{NBSP}][:;]", out) == []
    for english in ("inconsistency", "total impact score", "seed", "powers", "factor_vote"):
        assert english not in out


def test_example_of_an_english_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = json.loads(example_path().read_text("utf-8"))
    study["language"] = "en"
    path = tmp_path / "example-en.json"
    path.write_text(json.dumps(study), "utf-8")
    code, out, _err = run(["analyse", "study", str(path), "--resamples", "20", "--quiet"], capsys)
    assert code == 0
    out = flat(out)
    assert "Study: Médiateur numérique" in out
    assert "Horizon: 3–5 (2021-2023)" in out
    assert "Simulated answers: the panel, the weighted vote on factors" in out
    assert "Indirect classification: successive powers, M^4 (stable rankings)" in out
    assert "Bootstrap: B = 20, seed = 2018" in out
    assert "A19: A19-BC" in out
    assert "consistent (inconsistency 0, total impact score 49)" in out
    assert "1 consistent scenario in the space (52,488)" in out
    assert NBSP not in out


def test_example_json_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "exemple.json"
    code, out, _ = run(
        ["example", "--json", "--resamples", "10", "--export", str(exported)], capsys
    )
    assert code == 0
    result = json.loads(out)
    assert result["parameters"]["disagreement"]["resamples"] == 10
    assert json.loads(exported.read_text("utf-8"))["job"]["title"] == "Médiateur numérique"


def test_validate(study_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", str(study_file)], capsys)
    assert code == 0
    assert "valid study" in out
    assert "3 experts" in out


def test_validate_reports_problems_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = small_study()
    study["hypotheses"]["votes"][0]["desirability"] = 9
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(study), "utf-8")
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert "bad.json" in err
    assert "hypotheses.votes[0].desirability" in err
    assert "Traceback" not in err


def test_validate_json_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"anticipe_study": "1.0", ', "utf-8")
    code, _, err = run(["validate", "--json", str(path)], capsys)
    assert code == 2
    problem = json.loads(err)["error"][0]
    assert problem["file"] == str(path)
    assert problem["row"] == 1
    assert "not valid JSON" in problem["message"]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["analyse", "study", str(tmp_path / "nope.json")], capsys)
    assert code == 2
    assert "nope.json: file not found" in err


def test_analyse_study_json(study_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyse", "study", str(study_file), "--json", "--seed", "3"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["parameters"]["disagreement"] == {"resamples": 1000, "seed": 3}
    assert result["scenario"]["coherence"]["consistency"]["consistent"] is True


def write_matrix(path: Path, rows: list[list[str]]) -> Path:
    codes = ["F1", "F2", "F3"]
    lines = [",".join(["", *codes])]
    lines += [",".join([code, *row]) for code, row in zip(codes, rows, strict=True)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_analyse_structural_from_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write_matrix(tmp_path / "E1.csv", [["", "3", "2"], ["1", "", "1"], ["0", "1", ""]])
    second = write_matrix(tmp_path / "E2.csv", [["", "2", "3"], ["P", "", "1"], ["0", "", ""]])
    code, out, _ = run(
        ["analyse", "structural", str(first), str(second), "--resamples", "30", "--json"], capsys
    )
    assert code == 0
    result = json.loads(out)
    structural = result["structural_analysis"]
    assert structural["experts"] == ["E1", "E2"]
    assert structural["direct"]["influence"]["F1"] == pytest.approx(5.0)
    assert result["disagreement"]["bootstrap"]["parameters"]["n_resamples"] == 30
    code, out, _ = run(["analyse", "structural", str(first), str(second)], capsys)
    assert code == 0
    assert "F1" in out
    assert "Influence" in out


def test_analyse_structural_bad_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_matrix(tmp_path / "E3.csv", [["", "fort", "2"], ["1", "", "1"], ["0", "1", ""]])
    code, out, err = run(["analyse", "structural", str(bad)], capsys)
    assert code == 2
    assert out == ""
    assert "E3.csv" in err
    assert "C2" in err
    assert "Traceback" not in err


def test_analyse_votes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "votes.csv"
    path.write_text("expert,F1,F2,F3\nE1,5,3,2\nE2,4,0,6\nE3,,6,4\n", "utf-8")
    code, out, _ = run(["analyse", "votes", str(path), "--shortlist", "2", "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    # F1 = 5 + 4 = 9, F2 = 3 + 0 + 6 = 9, F3 = 2 + 6 + 4 = 12: F1 and F2 tie at the cut
    assert [(item["factor"], item["rank"]) for item in result["ranking"]] == [
        ("F3", 1),
        ("F1", 2),
        ("F2", 2),
    ]
    assert result["shortlist"]["selected"] == ["F3"]
    assert sorted(result["shortlist"]["tied_at_cut"]) == ["F1", "F2"]
    code, out, _ = run(["analyse", "votes", str(path), "--shortlist", "2"], capsys)
    assert "panel must decide" in out or "départager" in out


def test_analyse_cib_from_a_study(study_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyse", "cib", str(study_file), "--json"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["descriptors"] == ["F1", "F3"]
    assert ["F1-B", "F3-BC"] in [found["variants"] for found in result["scenarios"]]
    code, out, _ = run(["analyse", "cib", str(study_file)], capsys)
    out = flat(out)
    # in the study's language
    assert "2 scénarios cohérents sur 4" in out
    assert "(incohérence maximale 0)" in out
    assert f"nœuds visités{NBSP}: " in out
    study = json.loads(study_file.read_text("utf-8"))
    study["language"] = "en"
    study_file.write_text(json.dumps(study), "utf-8")
    code, out, _ = run(["analyse", "cib", str(study_file)], capsys)
    out = flat(out)
    assert "2 consistent scenarios of 4" in out
    assert "nodes visited: " in out


def test_template_writes_a_workbook(study_file: Path, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    output = tmp_path / "matrice.xlsx"
    code, out, _ = run(["template", str(study_file), "-o", str(output), "--expert", "E2"], capsys)
    assert code == 0
    workbook = load_workbook(output)
    assert "E2" in workbook.sheetnames
    assert "1 experts" in out or "1 expert" in out


def test_template_from_a_bad_study_writes_nothing(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", "utf-8")
    output = tmp_path / "matrice.xlsx"
    code, _, err = run(["template", str(bad), "-o", str(output)], capsys)
    assert code == 2
    assert not output.exists()
    assert "not an Anticipe study" in err


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0
    assert json.loads(out)["title"] == "Anticipe study"


def test_console_script_runs_as_a_process(study_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "anticipe.cli.main", "validate", str(study_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "valid study" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "anticipe.cli.main", "validate", str(study_file.parent / "x.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "suffix", ["html", "docx", "xlsx", pytest.param("pdf", marks=pytest.mark.slow)]
)
def test_report_in_each_format(
    study_file: Path, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / f"rapport.{suffix}"
    code, out, err = run(
        ["report", str(study_file), "-o", str(output), "--resamples", "20"], capsys
    )
    assert code == 0, err
    assert output.stat().st_size > 1000
    assert suffix.upper() in out
    if suffix == "html":
        assert "Métier d" in output.read_text("utf-8")


def test_report_with_an_unknown_format_writes_nothing(
    study_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "rapport.odt"
    code, _, err = run(["report", str(study_file), "-o", str(output)], capsys)
    assert code == 2
    assert "report format" in err
    assert not output.exists()


def test_a_reader_that_goes_away_gets_no_traceback() -> None:
    # `anticipe example --json | head -c 10`: the pipe closes long before the output ends
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from anticipe.cli.main import main; sys.exit(main(['example', '--json']))",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
