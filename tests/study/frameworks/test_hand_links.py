"""The hand-made links of the example study name existing framework competences."""

from __future__ import annotations

import json
from pathlib import Path

from anticipe.study.frameworks import builtin_frameworks
from tests.study.frameworks.hand_links import HAND_LINKS, WEAK

EXAMPLE = Path(__file__).parents[3] / "examples/mediateur-numerique/study.json"


def test_every_competence_of_the_example_has_hand_made_links() -> None:
    study = json.loads(EXAMPLE.read_text("utf-8"))
    codes = [competence["code"] for competence in study["competences"]]
    assert len(codes) == 42
    assert sorted(HAND_LINKS) == sorted(codes)
    assert set(HAND_LINKS) >= WEAK


def test_every_hand_made_link_names_a_framework_competence() -> None:
    frameworks = builtin_frameworks()
    for code, hand in HAND_LINKS.items():
        assert hand.rationale, code
        for framework, competence in hand.links:
            assert frameworks[framework].competence(competence) is not None, (code, competence)
