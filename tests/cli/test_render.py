"""The command line's sentences: one message each, in the study's language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from anticipe.cli import render

NBSP = "\u00a0"


def printed(capsys: pytest.CaptureFixture[str]) -> str:
    return re.sub(r"[ \n]+", " ", capsys.readouterr().out)


def test_an_inconsistent_scenario_names_the_factors_that_break_it() -> None:
    consistency: dict[str, Any] = {
        "consistent": False,
        "inconsistency": 2.5,
        "total_impact_score": 40,
        "inconsistent_descriptors": ["A1", "A6"],
    }
    assert render._consistency_line(consistency, "fr") == (
        f"Cohérence (équilibre des impacts croisés){NBSP}: incohérent (incohérence 2,5, "
        f"score d'impact total 40){NBSP}; facteurs en cause{NBSP}: A1, A6"
    )
    assert render._consistency_line(consistency, "en") == (
        "Coherence (cross-impact balance): inconsistent (inconsistency 2.5, "
        "total impact score 40); factors that break it: A1, A6"
    )


@pytest.mark.parametrize(
    ("m", "n", "language", "reason"),
    [
        (1, 5, "fr", f"1 expert seulement{NBSP}: W en demande au moins deux"),
        (4, 1, "en", "only 1 factor: W needs at least two"),
    ],
)
def test_a_concordance_that_cannot_be_computed_says_why(
    m: int, n: int, language: str, reason: str
) -> None:
    line = render._concordance_line({"w": None, "m": m, "n": n}, language)
    label = {
        "fr": f"Concordance des experts (W de Kendall){NBSP}:",
        "en": "Experts' concordance (Kendall's W):",
    }[language]
    assert line == f"{label} — ({reason})"


def test_a_tie_at_the_cut_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    vote = {
        "ranking": [
            {"factor": "F1", "rank": 1, "tied": True, "points": 5.0, "support": 2},
            {"factor": "F2", "rank": 1, "tied": True, "points": 5.0, "support": 2},
        ],
        "shortlist": {"selected": [], "tied_at_cut": ["F2", "F1"], "decided": False},
        "concordance": None,
    }
    render.print_factor_vote(vote, titles={}, language="fr")
    out = printed(capsys)
    assert f"Égalité à la limite{NBSP}: le panel doit départager F1, F2" in out
    render.print_factor_vote(vote, titles={}, language="en")
    assert "Tie at the cut: the panel must decide between F1, F2" in printed(capsys)


def test_a_borderline_quadrant_is_translated_as_a_whole() -> None:
    direct = {"quadrant": {"A1": "driving"}, "borderline": {"A1": True}}
    assert render._quadrant_cell(direct, "A1", False, "fr") == "moteur (limite)"
    assert render._quadrant_cell(direct, "A1", True, "en") == "[bold]driving (borderline) ✓[/bold]"
