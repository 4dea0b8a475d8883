"""Suggestions of framework competences for a study's competences, measured against the
links made by hand (hand_links.py) before the suggestion code was written."""

from __future__ import annotations

import json
import time
from pathlib import Path

from anticipe.study.frameworks import Framework, builtin_frameworks
from anticipe.study.frameworks.suggestions import MAX_TEXT_CHARACTERS, suggest, words
from tests.study.frameworks.hand_links import HAND_LINKS

EXAMPLE = Path(__file__).parents[3] / "examples/mediateur-numerique/study.json"
USED = ("digcomp-2.2", "digcompedu")


def used_frameworks() -> list[Framework]:
    frameworks = builtin_frameworks()
    return [frameworks[name] for name in USED]


def test_the_top_three_hold_a_right_link_for_at_least_70_percent_of_the_example() -> None:
    study = json.loads(EXAMPLE.read_text("utf-8"))
    hits = []
    for competence in study["competences"]:
        right = {link for link in HAND_LINKS[competence["code"]].links if link[0] in USED}
        top = suggest(competence["text"], used_frameworks(), limit=3)
        hits.append(bool(right & {(s.framework, s.competence) for s in top}))
    share = sum(hits) / len(hits)
    print(f"\nsuggestions: a right link in the top 3 for {sum(hits)}/{len(hits)} = {share:.0%}")
    assert len(hits) == 42
    assert share >= 0.70, f"only {share:.0%} of the competences have a right link in the top 3"


def test_words_are_normalised_in_french_and_english() -> None:
    assert words("Protéger les données à caractère personnel") == words(
        "proteger donnees caractere personnel"
    )
    assert words("Collaborer") == words("collaboration") == words("collaborating")
    assert words("de la et the of") == []


def test_an_english_competence_finds_its_digcomp_competence() -> None:
    top = suggest("Troubleshoot connection problems of the devices", used_frameworks(), 3)
    assert ("digcomp-2.2", "5.1") in {(s.framework, s.competence) for s in top}
    top = suggest("Protéger la vie privée et les données personnelles", used_frameworks(), 1)
    assert (top[0].framework, top[0].competence) == ("digcomp-2.2", "4.2")
    assert 0 < top[0].score <= 1


def test_a_text_with_no_known_word_gets_no_suggestion() -> None:
    assert suggest("", used_frameworks()) == []
    assert suggest("zzz qqq", used_frameworks()) == []


def test_the_work_is_bounded_for_a_huge_text() -> None:
    text = "rechercher des informations " * 100_000
    started = time.perf_counter()
    top = suggest(text, used_frameworks(), 3)
    assert time.perf_counter() - started < 5  # cut at MAX_TEXT_CHARACTERS
    assert len(words(text)) <= MAX_TEXT_CHARACTERS
    assert top
