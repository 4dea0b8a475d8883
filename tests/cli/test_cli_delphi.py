"""The command line and the study format 1.1: the newest schema, both versions validated
and analysed, the iterations and the minimum in the JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anticipe.cli.main import main
from anticipe.study.study_file import dump_study
from tests.delphi_support import as_1_1
from tests.studies import small_study


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_schema_prints_the_newest_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["schema"], capsys)
    assert code == 0
    schema = json.loads(out)
    assert schema["properties"]["anticipe_study"] == {
        "const": "1.3",
        "description": "Version of this format.",
    }
    assert "panel_sectors" in schema["properties"]


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_validate_and_analyse_both_versions(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = small_study() if version == "1.0" else as_1_1(small_study())
    path = tmp_path / "study.json"
    path.write_text(dump_study(study), "utf-8")
    code, out, _err = run(["validate", str(path), "--json"], capsys)
    assert code == 0
    assert json.loads(out)["valid"] is True
    code, out, _err = run(["analyse", "study", str(path), "--json", "--quiet"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["parameters"]["min_answers"] == 1
    assert result["iterations"]["hypotheses"]["standing"] == [{"iteration": 1, "answers": 30}]


def test_a_vote_below_the_minimum_is_said_not_ranked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = as_1_1(small_study())  # 3 ballots
    study["parameters"] = {**study.get("parameters", {}), "min_answers": 4}
    path = tmp_path / "study.json"
    path.write_text(dump_study(study), "utf-8")
    code, out, _err = run(["analyse", "study", str(path), "--json", "--quiet"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["factor_vote"] is None
    assert result["minimum"]["factor_vote"] == {"ballots": 3, "enough": False}
    code, out, _err = run(["analyse", "study", str(path), "--quiet"], capsys)
    assert code == 0
    said = " ".join(out.replace("\u202f", " ").split())  # in the study's language
    assert "Vote pondéré : pas de classement, 3 bulletins, c’est moins que le" in said


def test_a_version_not_read_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = small_study()
    study["anticipe_study"] = "2.0"
    path = tmp_path / "study.json"
    path.write_text(dump_study(study), "utf-8")
    code, _out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert "study format version '2.0' is not supported" in err
    assert "'1.0', '1.1', '1.2'" in err


def test_example_json_says_where_answers_come_from(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["example", "--json", "--resamples", "10", "--quiet"], capsys)
    assert code == 0
    result = json.loads(out)
    assert result["iterations"]["structural_analysis"]["standing"] == [
        {"iteration": 1, "answers": 10 * 20 * 19}
    ]
    assert result["minimum"] == {
        "min_answers": 1,
        "factor_vote": {"ballots": 10, "enough": True},
        "structural_analysis": {"experts": 10, "enough": True, "cells_withheld": 0},
    }
