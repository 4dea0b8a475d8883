"""Helpers of the Delphi tests (study format 1.1): a 1.0 study written as 1.1, and an
analysis with its pseudonyms renamed."""

from __future__ import annotations

import copy
from typing import Any


def as_1_1(study: dict[str, Any]) -> dict[str, Any]:
    """A 1.0 study written as 1.1: every answer in iteration 1, no minimum."""
    study = copy.deepcopy(study)
    study["anticipe_study"] = "1.1"
    study.setdefault("parameters", {})["min_answers"] = 1
    for section, items in (
        ("factor_vote", "ballots"),
        ("structural_analysis", "matrices"),
        ("hypotheses", "votes"),
    ):
        for answer in study[section][items]:
            answer["iteration"] = 1
    return study


def relabelled(value: Any, names: dict[str, str]) -> Any:
    """`value` with each expert's pseudonym replaced by `names` and every list of experts
    (or of records per expert) in the order of the new names: what pseudonyms change."""
    if isinstance(value, dict):
        return {names.get(k, k): relabelled(v, names) for k, v in value.items()}
    if isinstance(value, list):
        items = [relabelled(v, names) for v in value]
        if items and all(isinstance(v, str) and v in names.values() for v in items):
            return sorted(items)
        if items and all(isinstance(v, dict) and "expert" in v for v in items):
            return sorted(items, key=lambda v: v["expert"])
        return items
    return names.get(value, value) if isinstance(value, str) else value
