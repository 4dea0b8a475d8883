"""A study file whose merges the analysis could not use is refused by the check, with the
field, in both languages (before: ``validate`` passed and ``analyse`` stopped with a
traceback when a hypothesis merged into another was retained)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anticipe.cli.main import main
from anticipe.study.errors import StudyInputError
from anticipe.study.study_file import check_study
from tests.studies import small_study


def problems(study: dict[str, Any]) -> list[StudyInputError]:
    with pytest.raises(StudyInputError) as caught:
        check_study(study)
    return list(getattr(caught.value, "errors", [caught.value]))


def f3(study: dict[str, Any]) -> dict[str, Any]:
    """The block of factor F3 (hypotheses A, B, C, and BC merging B and C)."""
    block: dict[str, Any] = study["hypotheses"]["factors"][1]
    assert block["factor"] == "F3"
    return block


def test_a_hypothesis_merged_into_another_is_not_retained(tmp_path: Path, capsys: Any) -> None:
    study = small_study()
    f3(study)["retained"] = {"hypothesis": "F3-B", "decision": "rule"}
    [problem] = problems(study)
    assert problem.field == "hypotheses.factors[1].retained.hypothesis"
    assert problem.message_id == "ref.retained_merged"
    assert problem.message == (
        "'F3-B' is merged into 'F3-BC': the merge is retained, not the hypothesis"
    )
    assert problem.message_in("fr") == (
        "«\u00a0F3-B\u00a0» est fusionnée dans «\u00a0F3-BC\u00a0»\u00a0: c'est la fusion "
        "qui est retenue, pas l'hypothèse"
    )
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study), encoding="utf-8")
    report = str(tmp_path / "report.html")
    for command in (["validate", str(path)], ["analyse", "study", str(path)]):
        assert main(command) == 2
        assert "is merged into 'F3-BC'" in capsys.readouterr().err
    assert main(["report", str(path), "-o", report]) == 2
    assert "is merged into 'F3-BC'" in capsys.readouterr().err
    assert not Path(report).exists()


def test_a_hypothesis_is_part_of_one_merge_and_a_merge_is_not_merged_again() -> None:
    study = small_study()
    f3(study)["hypotheses"].append(
        {"code": "F3-AB", "label": "A+B", "text": "A and B.", "merged_from": ["F3-A", "F3-B"]}
    )
    [problem] = problems(study)
    assert (problem.field, problem.message_id) == (
        "hypotheses.factors[1].hypotheses[4].merged_from",
        "ref.merged_twice",
    )
    assert problem.message == "'F3-B' is already merged into 'F3-BC'"
    study = small_study()
    f3(study)["retained"] = {"hypothesis": "F3-A", "decision": "rule"}
    f3(study)["hypotheses"].append(
        {"code": "F3-ABC", "label": "ABC", "text": "All.", "merged_from": ["F3-A", "F3-BC"]}
    )
    found = {(p.field, p.message_id) for p in problems(study)}
    assert found == {
        ("hypotheses.factors[1].hypotheses[4].merged_from", "ref.merge_of_merge"),
        ("hypotheses.factors[1].retained.hypothesis", "ref.retained_merged"),
    }
