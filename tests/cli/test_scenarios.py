"""Tests of anticipe.cli.scenarios (the consistent scenarios as plain text)."""

from __future__ import annotations

from typing import Any

from anticipe.cli.scenarios import scenario_lines

NBSP = "\u00a0"


def result() -> dict[str, Any]:
    return {
        "count": 2,
        "scenario_count": 12000,
        "nodes_visited": 1234,
        "parameters": {"max_inconsistency": 0},
        "descriptors": ["Economy", "Policy"],
        "scenarios": [
            {"variants": ["growth", "open"], "total_impact_score": 12, "consistency_value": 1},
            {"variants": ["decline", "closed"], "total_impact_score": 3.5, "consistency_value": 0},
        ],
    }


def test_a_table_when_it_fits() -> None:
    lines = scenario_lines(result(), language="en", width=80)
    assert lines[0] == "2 consistent scenarios of 12,000 (max inconsistency 0)"
    assert lines[1].split() == ["#", "Economy", "Policy", "TIS", "CV"]
    assert set(lines[2].replace(" ", "")) == {"-"}
    assert lines[3].split() == ["1", "growth", "open", "12", "1"]
    assert lines[4].split() == ["2", "decline", "closed", "3.5", "0"]
    assert lines[-1] == "nodes visited: 1,234"


def test_blocks_when_the_table_is_too_wide() -> None:
    lines = scenario_lines(result(), language="fr", width=20)
    assert lines[0] == f"2 scénarios cohérents sur 12{NBSP}000 (incohérence maximale 0)"
    assert lines[1] == "#1  SIT 12  VC 1"
    assert lines[2].split() == ["Economy", "growth"]
    assert lines[3].split() == ["Policy", "open"]
    assert lines[4] == "#2  SIT 3,5  VC 0"
    assert lines[-1] == f"nœuds visités{NBSP}: 1{NBSP}234"
