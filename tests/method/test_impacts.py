"""Tests of steps 5-6: hypothesis x activity impacts and competences."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anticipe.method import MethodInputError
from anticipe.method.impacts import impact_table, normalise_competence

# Seed-like study: ten retained hypotheses, the seven activities of Table 1.
HYPS = [f"H{k}" for k in range(1, 11)]
ACTS = [
    "accueillir",
    "animer",
    "accompagner",
    "gerer",
    "partenariat",
    "veille",
    "promotion",
]


def _seed_like_links() -> list[object]:
    links: list[object] = []
    # "accompagner" is impacted by seven hypotheses (seed report, section 5)
    for h in ["H1", "H2", "H3", "H5", "H6", "H8", "H9"]:
        links.append((h, "accompagner", ["Être capable de s'adapter."]))
    # followed by partnership and network building
    for h in ["H2", "H4", "H6", "H7", "H10"]:
        links.append({"hypothesis": h, "activity": "partenariat", "competences": ["collaborer"]})
    links.append(("H1", "animer", ["être capable de  s'adapter.", "Maîtriser le code"]))
    links.append(("H5", "animer"))
    links.append(("H2", "accueillir", "Maîtriser la communication non violente"))
    links.append(("H3", "veille", []))
    links.append(("H4", "promotion", ["collaborer"]))
    return links


def test_seed_like_counts_and_ranking() -> None:
    r = impact_table(HYPS, ACTS, _seed_like_links())
    counts = {a["activity"]: a["count"] for a in r["activity_counts"]}
    assert counts == {
        "accueillir": 1,
        "animer": 2,
        "accompagner": 7,
        "gerer": 0,
        "partenariat": 5,
        "veille": 1,
        "promotion": 1,
    }
    ranking = [(a["activity"], a["rank"], a["tied"]) for a in r["activity_ranking"]]
    assert ranking == [
        ("accompagner", 1, False),
        ("partenariat", 2, False),
        ("animer", 3, False),
        ("accueillir", 4, True),
        ("veille", 4, True),
        ("promotion", 4, True),
        ("gerer", 7, False),
    ]
    assert r["unimpacted_activities"] == ["gerer"]
    assert r["activity_counts"][2]["hypotheses"] == ["H1", "H2", "H3", "H5", "H6", "H8", "H9"]
    # matrix: rows hypotheses, columns activities
    assert len(r["matrix"]) == 10
    assert all(len(row) == 7 for row in r["matrix"])
    assert r["matrix"][0] == [0, 1, 1, 0, 0, 0, 0]  # H1: animer, accompagner
    assert [h["count"] for h in r["hypothesis_counts"]] == [2, 3, 2, 2, 2, 2, 1, 1, 1, 1]
    assert json.loads(json.dumps(r)) == r


def test_competences_recurrence() -> None:
    r = impact_table(HYPS, ACTS, _seed_like_links())
    comps = {c["competence"]: c for c in r["competences"]}
    adapt = comps["Être capable de s'adapter."]
    # 7 pairs on accompagner + (H1, animer) spelled differently
    assert adapt["occurrences"] == 8
    assert adapt["activities"] == ["animer", "accompagner"]
    assert adapt["hypotheses"] == ["H1", "H2", "H3", "H5", "H6", "H8", "H9"]
    assert ["H1", "animer"] in adapt["pairs"]
    assert comps["collaborer"]["occurrences"] == 6
    assert comps["collaborer"]["activities"] == ["partenariat", "promotion"]
    assert comps["Maîtriser le code"]["occurrences"] == 1
    assert [c["rank"] for c in r["competences"]] == [1, 2, 3, 3]
    assert r["competences"][0]["competence"] == "Être capable de s'adapter."
    # exact matching keeps the two spellings apart
    exact = impact_table(HYPS, ACTS, _seed_like_links(), normalise=False)
    assert len(exact["competences"]) == 5
    assert exact["parameters"] == {"normalise": False, "competence_match": "exact text"}


def test_duplicate_pairs_count_once_and_pool_competences() -> None:
    r = impact_table(["H1"], ["A"], [("H1", "A", ["x"]), ("H1", "A", ["y", "X"])])
    assert r["activity_counts"][0]["count"] == 1
    assert [(c["competence"], c["occurrences"]) for c in r["competences"]] == [("x", 1), ("y", 1)]


def test_unknown_codes_and_bad_links() -> None:
    with pytest.raises(MethodInputError, match="hypothesis 'H99'"):
        impact_table(HYPS, ACTS, [("H99", "animer")])
    with pytest.raises(MethodInputError, match="activity 'danser'"):
        impact_table(HYPS, ACTS, [("H1", "danser")])
    with pytest.raises(MethodInputError, match="link 1 has no 'activity'"):
        impact_table(HYPS, ACTS, [{"hypothesis": "H1"}])
    with pytest.raises(MethodInputError, match="link 2 must be"):
        impact_table(HYPS, ACTS, [("H1", "animer"), ("H1",)])
    with pytest.raises(MethodInputError, match="empty competence"):
        impact_table(HYPS, ACTS, [("H1", "animer", ["  "])])
    with pytest.raises(MethodInputError, match="activity 'animer' appears twice"):
        impact_table(HYPS, ["animer", "animer"], [])


def test_normalise_competence() -> None:
    assert normalise_competence("  Être   capable\nde ") == "être capable de"


links_strategy = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 5),
        st.lists(st.sampled_from(["c1", "c2", "C1", "c3"]), max_size=3),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(raw=links_strategy, data=st.data())
def test_counts_match_matrix_and_are_order_invariant(
    raw: list[tuple[int, int, list[str]]], data: st.DataObject
) -> None:
    hyps = [f"H{i}" for i in range(5)]
    acts = [f"A{j}" for j in range(6)]
    links = [(hyps[i], acts[j], comps) for i, j, comps in raw]
    r = impact_table(hyps, acts, links)
    pairs = {(i, j) for i, j, _ in raw}
    assert sum(map(sum, r["matrix"])) == len(pairs)
    for j, a in enumerate(r["activity_counts"]):
        assert a["count"] == sum(row[j] for row in r["matrix"])
        assert a["count"] == len({i for i, jj in pairs if jj == j})
    # each competence is counted once per distinct (hypothesis, activity) pair
    for c in r["competences"]:
        key = normalise_competence(c["competence"])
        expected = {
            (i, j) for i, j, comps in raw if key in {normalise_competence(x) for x in comps}
        }
        assert c["occurrences"] == len(expected)
    # shuffling links, hypotheses and activities does not change the counts
    shuffled_links = data.draw(st.permutations(links))
    hp = data.draw(st.permutations(hyps))
    ap = data.draw(st.permutations(acts))
    s = impact_table(hp, ap, shuffled_links)
    assert {a["activity"]: a["count"] for a in s["activity_counts"]} == {
        a["activity"]: a["count"] for a in r["activity_counts"]
    }
    assert {normalise_competence(c["competence"]): c["occurrences"] for c in s["competences"]} == {
        normalise_competence(c["competence"]): c["occurrences"] for c in r["competences"]
    }
    assert {a["activity"]: a["rank"] for a in s["activity_ranking"]} == {
        a["activity"]: a["rank"] for a in r["activity_ranking"]
    }
