"""The study file: reading, checking and writing a whole study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.study_file import (
    check_study,
    dump_study,
    parse_study,
    read_study,
    study_schema,
    write_study,
)
from tests.studies import small_study


def problems(study: dict) -> list[StudyInputError]:
    with pytest.raises(StudyInputErrors) as caught:
        check_study(study, source="study.json")
    return caught.value.errors


def test_small_study_is_valid_and_round_trips(tmp_path: Path) -> None:
    study = small_study()
    path = write_study(study, tmp_path / "study.json")
    again = read_study(path)
    assert again == study
    assert dump_study(again) == path.read_text("utf-8")


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    import jsonschema

    for version in ("1.0", "1.1", "1.2", "1.3"):
        jsonschema.Draft202012Validator.check_schema(study_schema(version))
        assert study_schema(version)["properties"]["anticipe_study"]["const"] == version
    assert study_schema() == study_schema("1.3")  # the newest, the one Anticipe writes


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(StudyInputError) as caught:
        read_study(tmp_path / "absent.json")
    assert "absent.json" in str(caught.value)
    assert "not found" in str(caught.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    with pytest.raises(StudyInputError, match="empty"):
        read_study(path)


def test_truncated_json_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(dump_study(small_study())[:200], "utf-8")
    with pytest.raises(StudyInputError) as caught:
        read_study(path)
    message = str(caught.value)
    assert "cut.json" in message
    assert "not valid JSON" in message
    assert "line" in message


def test_binary_file_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "matrix.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\xff\xfe")
    with pytest.raises(StudyInputError, match=r"not a UTF-8 text file|not valid JSON"):
        read_study(path)


def test_json_that_is_not_a_study() -> None:
    with pytest.raises(StudyInputError, match="not an Anticipe study"):
        parse_study('{"name": "x"}', source="other.json")
    with pytest.raises(StudyInputError, match="JSON object"):
        parse_study("[1, 2]", source="list.json")


def test_unsupported_version() -> None:
    study = small_study()
    study["anticipe_study"] = "9.0"
    with pytest.raises(StudyInputError, match=r"version '9\.0' is not supported"):
        check_study(study)


def test_schema_problems_name_the_field() -> None:
    study = small_study()
    study["structural_analysis"]["matrices"][0]["rows"][1][2] = 4
    study["hypotheses"]["votes"][0]["probability"] = "likely"
    del study["panel"][1]["sector"]
    study["job"]["titel"] = "typo"
    found = {error.field: error.message for error in problems(study)}
    assert "structural_analysis.matrices[0].rows[1][2]" in found
    assert "influence score" in found["structural_analysis.matrices[0].rows[1][2]"]
    assert "wrong type" in found["hypotheses.votes[0].probability"]
    assert found["panel[1]"] == "missing required field 'sector'"
    assert "unknown field 'titel'" in found["job"]


def test_reference_problems_name_the_field() -> None:
    study = small_study()
    study["factors"].append({"code": "F1", "title": "Again"})
    study["factor_vote"]["ballots"][0]["expert"] = "E9"
    study["structural_analysis"]["matrices"][1]["rows"][2] = [0, 1]
    study["hypotheses"]["votes"][2]["probability"] = 7
    study["impacts"][0]["activity"] = "99"
    study["actions"][0]["hypothesis"] = "F9-Z"
    study["key_factors"][1]["reason"] = " "
    found = {error.field: error.message for error in problems(study)}
    assert found["factors"] == "factor code 'F1' is used twice"
    assert "'E9' is not an expert" in found["factor_vote.ballots[0].expert"]
    assert "has 2 cells; expected 3" in found["structural_analysis.matrices[1].rows[2]"]
    assert "outside the probability scale" in found["hypotheses.votes[2].probability"]
    assert "unknown activity '99'" in found["impacts[0].activity"]
    assert "unknown hypothesis 'F9-Z'" in found["actions[0].hypothesis"]
    assert "needs a reason" in found["key_factors[1].reason"]


def test_points_over_budget_are_reported() -> None:
    study = small_study()
    study["factor_vote"]["ballots"][2]["scores"]["F4"] = 1
    found = {error.field: error.message for error in problems(study)}
    assert "gave 11 points; the budget is 10" in found["factor_vote.ballots[2].scores"]


def test_override_without_reason_and_cross_impact_within_factor() -> None:
    study = small_study()
    del study["hypotheses"]["factors"][1]["retained"]["reason"]
    study["cross_impacts"]["judgements"].append({"source": "F3-A", "target": "F3-B", "value": 1})
    messages = [str(error) for error in problems(study)]
    assert any("an override needs a reason" in message for message in messages)
    assert any("same factor" in message for message in messages)


def test_many_problems_are_capped() -> None:
    study = small_study()
    study["impacts"] = [{"hypothesis": f"X{i}", "activity": "1"} for i in range(30)]
    errors = problems(study)
    assert len(errors) == 21
    assert "and 10 more problems" in errors[-1].message


def test_write_refuses_an_invalid_study_and_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "study.json"
    write_study(small_study(), path)
    before = path.read_bytes()
    broken = small_study()
    broken["language"] = "de"
    with pytest.raises(StudyInputErrors):
        write_study(broken, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.json"]


def test_write_failure_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    import os

    path = tmp_path / "study.json"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_study(small_study(), path)
    assert list(tmp_path.iterdir()) == []


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(small_study()).encode())
    assert read_study(path)["job"]["title"] == "Métier d'essai"
