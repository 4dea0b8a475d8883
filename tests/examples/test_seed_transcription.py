"""The example study against the seed report's own rows (pinned in :mod:`.seed_rows`).

Each transcription slip the report review found is checked here against the seed: the
seven evolutions on « accompagner », A19's merge and its original title, no invented
current situation, A6's preliminary remark (whole) before its actions, the method's
sentences (the facilitator synthesised the hypotheses; about thirty first proposals; the
0–3 scale; 8 activities and 46 tasks merged into 7).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from anticipe.examples import load_example
from tests.examples import seed_rows as seed
from tests.examples.seed_rows import letters

MERGE = "Fusion des hypothèses b et c :"


@pytest.fixture(scope="module")
def study() -> dict[str, Any]:
    return load_example()


def _blocks(study: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["factor"]: block for block in study["hypotheses"]["factors"]}


def _key_numbers(study: dict[str, Any]) -> dict[int, str]:
    """Key factor number (Tables 3 to 5) -> code."""
    return {k: key["code"] for k, key in enumerate(study["key_factors"], start=1)}


def factor_numbers(cell: str) -> list[int]:
    """The factors a cell names by number: "8. Nouvelles… + 9. Développement…" -> [8, 9]."""
    return [int(n) for n in re.findall(r"(?:^|\+)\s*(\d+)\.", cell)]


def test_the_factor_cells_are_read_by_number() -> None:
    assert factor_numbers("8. Nouvelles formes… +\n9. Développement de l’entrepreneuriat/") == [
        8,
        9,
    ]
    assert factor_numbers("2. Public de plus en plus précarisé") == [2]


def test_table_1_activities(study: dict[str, Any]) -> None:
    activities = study["perimeter"]["activities"]
    assert len(activities) == len(seed.TABLE_1) == 7
    for activity, (title, content) in zip(activities, seed.TABLE_1, strict=True):
        assert letters(f"{activity['code']}. {activity['title']}") == letters(title)
        assert letters(activity["description"]) == letters(content)


def test_table_2_factors(study: dict[str, Any]) -> None:
    factors = [(f["code"], f["title"]) for f in study["factors"]]
    assert [code for code, _ in factors] == [code for code, _ in seed.TABLE_2]
    for (code, title), (_, expected) in zip(factors, seed.TABLE_2, strict=True):
        assert letters(title) == letters(expected), code


def test_table_3_hypotheses(study: dict[str, Any]) -> None:
    blocks = _blocks(study)
    assert list(blocks) == list(seed.TABLE_3)
    for factor, cells in seed.TABLE_3.items():
        texts = [h["text"] for h in blocks[factor]["hypotheses"]]
        if factor == "A19":  # the merge comes last, headed by the seed's words
            assert cells[-1].startswith(MERGE)
            cells = [*cells[:-1], cells[-1][len(MERGE) :]]
        assert [letters(t) for t in texts] == [letters(c) for c in cells], factor


def test_a19_merge_reason_and_titles_are_the_seeds(study: dict[str, Any]) -> None:
    a19 = _blocks(study)["A19"]
    merged = next(h for h in a19["hypotheses"] if h.get("merged_from"))
    assert merged["merged_from"] == ["A19-B", "A19-C"]
    # the seed says only "merge of hypotheses b and c": no invented most probable/desirable
    assert letters(a19["retained"]["reason"]) == letters(MERGE)
    factor = next(f for f in study["factors"] if f["code"] == "A19")
    original, reworded = seed.TABLE_3_A19
    assert letters(factor["title"]) == letters(original.removeprefix("8(A19)"))
    assert letters(factor["reworded_title"]) == letters(reworded).removeprefix(
        letters("Reformulé comme suit :")
    )


def test_no_current_situation_is_invented(study: dict[str, Any]) -> None:
    """Table 3 of the seed gives hypotheses only: no factor has a current situation."""
    assert all("current_situation" not in b for b in study["hypotheses"]["factors"])


def test_table_4_actions_remarks_and_note(study: dict[str, Any]) -> None:
    by_factor: dict[str, list[str]] = defaultdict(list)
    for action in study["actions"]:
        by_factor[action["hypothesis"].split("-")[0]].append(action["text"])
    assert list(by_factor) == list(seed.TABLE_4_ACTIONS)
    for factor, actions in seed.TABLE_4_ACTIONS.items():
        expected = [letters(a) for a in actions]
        assert [letters(a) for a in by_factor[factor]] == expected, factor
    notes = study["report"]["action_notes"]
    assert {f: letters(n) for f, n in notes.items()} == {
        f: letters(r) for f, r in seed.TABLE_4_REMARKS.items()
    }
    assert "uberisation" in notes["A6"]  # the remark's last sentence is kept
    # "NB : Aucune action n'a été proposée pour les points 6 et 7."
    numbers = _key_numbers(study)
    without = [n for n, code in numbers.items() if code not in by_factor]
    assert without == [int(n) for n in re.findall(r"\d+", seed.TABLE_4_NOTE)] == [6, 7]


def _rows_of_table_5(study: dict[str, Any]) -> list[tuple[str, list[str], list[int]]]:
    """The example's Table 5: (activity, competences, factor numbers), impacts of an
    activity with the same competences joined in one row, as the seed prints them."""
    texts = {c["code"]: c["text"] for c in study["competences"]}
    numbers = {code: n for n, code in _key_numbers(study).items()}
    rows: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for impact in study["impacts"]:
        key = (impact["activity"], tuple(impact["competences"]))
        rows.setdefault(key, []).append(numbers[impact["hypothesis"].split("-")[0]])
    return [
        (activity, [texts[c] for c in competences], factors)
        for (activity, competences), factors in rows.items()
    ]


def test_table_5_rows(study: dict[str, Any]) -> None:
    rows = _rows_of_table_5(study)
    assert len(rows) == len(seed.TABLE_5) == 19
    for (activity, competences, factors), (s_activity, s_competences, s_factors) in zip(
        rows, seed.TABLE_5, strict=True
    ):
        assert activity == s_activity
        assert [letters(c) for c in competences] == [letters(c) for c in s_competences]
        assert factors == factor_numbers(s_factors)


def test_accompagner_has_seven_evolutions_as_the_seed_says(study: dict[str, Any]) -> None:
    """« l'activité accompagnement ... avec sept hypothèses d'évolution »: seven rows of
    Table 5, one of them joint (8 + 9)."""
    assert "sept" in seed.SENTENCES["sept"]
    accompagner = [row for row in _rows_of_table_5(study) if row[0] == "3"]
    assert len(accompagner) == 7
    assert [row[2] for row in accompagner if len(row[2]) > 1] == [[8, 9]]


def test_the_chapters_carry_the_seeds_method_sentences(study: dict[str, Any]) -> None:
    chapters = letters(" ".join(study["report"]["chapters"].values()))
    for key in ("facilitator", "trentaine", "scale", "activities_tasks", "sept"):
        assert letters(seed.SENTENCES[key]) in chapters, key


def test_the_cover_is_the_seeds(study: dict[str, Any]) -> None:
    report = study["report"]
    assert letters(report["title"]) == letters("MÉDIATEUR NUMÉRIQUE, UN MÉTIER D’AVENIR ?")
    assert report["date"] == "2018-05"
    assert report["organisation"].startswith("Le Forem")
    # every chapter is placed and none is empty
    assert all(text.strip() for text in report["chapters"].values())
    assert len(study["synthesis"]) == 5
