"""The report context: the facts every format shows, computed once from study + analysis."""

from __future__ import annotations

import itertools
import json
from typing import Any

from anticipe.report import build_report_context
from tests.studies import small_study

NBSP = "\u00a0"


def test_context_is_plain_json(example_context: dict[str, Any]) -> None:
    assert json.loads(json.dumps(example_context)) == example_context


def test_the_words_follow_the_study_language_french_by_default() -> None:
    study = small_study()
    english = build_report_context({**study, "language": "en"}, date="2025-01-01")
    assert english["vote"]["caption"] == "Table 2: The 3 important change factors"
    assert english["words"]["key_factors"] == "Key factors"
    unknown = build_report_context({**study, "language": "xx"}, date="2025-01-01")
    assert unknown["language"] == "fr"
    assert unknown["vote"]["caption"] == f"Tableau 2{NBSP}: Les 3 facteurs de changement importants"
    # a message context keeps the report's own French apart from the site's
    assert unknown["words"]["key_factors"] == "Facteurs clés retenus"


def test_example_cover(example_context: dict[str, Any]) -> None:
    cover = example_context["cover"]
    assert cover["job"] == "Médiateur numérique"
    assert cover["date"] == "2025-03-14"
    assert "3 à 5 ans" in cover["horizon"]
    assert cover["source"]["publisher"] == "Le Forem"
    assert cover["simulation"] is not None
    assert "simulées" in cover["simulation"]["text"]
    assert example_context["cover"]["title"] == "Rapport d'anticipation des compétences"


def test_example_factors_table_lists_the_shortlist_by_rank(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    factors = example_context["factors"]
    assert [f["code"] for f in factors] != []
    assert {f["code"] for f in factors} == set(example_study["factor_vote"]["shortlist"])
    ranks = [f["rank"] for f in factors]
    assert ranks == sorted(ranks)
    # points add up to what the ballots gave to these factors
    for f in factors[:3]:
        expected = sum(
            b["scores"].get(f["code"], 0) for b in example_study["factor_vote"]["ballots"]
        )
        assert f["points"] == expected
    assert (
        example_context["vote"]["caption"]
        == f"Tableau 2{NBSP}: Les 20 facteurs de changement importants"
    )


def test_example_key_factors_and_map(example_context: dict[str, Any]) -> None:
    keys = example_context["key_factors"]
    assert [k["code"] for k in keys] == [
        "A1", "A6", "A7", "A8", "A11", "A13", "A15", "A19", "A20", "A16",
    ]  # fmt: skip
    assert [k["number"] for k in keys] == list(range(1, 11))
    added = [k for k in keys if k["origin"] == "addition"]
    assert [k["code"] for k in added] == ["A16"]
    assert added[0]["reason"].startswith("Ce dixième facteur")
    chart = example_context["map"]
    points = {p["code"]: p for p in chart["points"]}
    assert len(points) == 20
    assert points["A16"]["added"]
    assert not points["A16"]["selected"]
    # the means split the plane: they are the means of the plotted values
    mean_i = sum(p["influence"] for p in points.values()) / 20
    assert abs(chart["mean_influence"] - mean_i) < 1e-9
    for code in ("A1", "A6", "A7"):
        assert points[code]["selected"]
        assert points[code]["influence"] > chart["mean_influence"]


def test_example_hypotheses_marks_and_retention(example_context: dict[str, Any]) -> None:
    groups = {g["factor"]: g for g in example_context["hypotheses"]}
    assert len(groups) == 10
    a19 = groups["A19"]
    retained = [h for h in a19["hypotheses"] if h["retained"]]
    assert [h["code"] for h in retained] == ["A19-BC"]
    assert retained[0]["merged_from"] == ["A19-B", "A19-C"]
    assert a19["retained"]["decision"] == "override"
    assert a19["retained"]["decision_label"] == "après arbitrage"
    for g in groups.values():
        assert sum(h["retained"] for h in g["hypotheses"]) == 1
        for h in g["hypotheses"]:
            # every mark is spelled out in words as well
            assert h["retained"] == ("retenue" in h["marks"])
            if h["both"]:
                assert "la plus probable et la plus souhaitable" in h["marks"]
    a1c = next(h for h in groups["A1"]["hypotheses"] if h["code"] == "A1-C")
    assert a1c["probability"]["n"] == 10
    assert a1c["probability"]["median"] is not None
    scenario = example_context["scenario"]["retained"]
    assert [r["hypothesis"] for r in scenario] == [
        g["retained"]["hypothesis"] for g in groups.values()
    ]


def test_example_action_plan(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    rows = {r["hypothesis"]: r for r in example_context["action_plan"]["rows"]}
    assert len(rows) == 10
    a1 = rows["A1-C"]
    assert a1["aim"] == "provoke"
    assert a1["aim_label"] == "provoquer"
    expected = [a["text"] for a in example_study["actions"] if a["hypothesis"] == "A1-C"]
    assert [a["text"] for a in a1["actions"]] == expected
    shown = sum(len(r["actions"]) for r in rows.values())
    retained = set(rows)
    assert shown == sum(a["hypothesis"] in retained for a in example_study["actions"])


def test_example_counts_per_activity(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    pairs = {(i["hypothesis"], i["activity"]) for i in example_study["impacts"]}
    by_hand = {a["code"]: 0 for a in example_study["perimeter"]["activities"]}
    for _, activity in pairs:
        by_hand[activity] += 1
    counts = {a["code"]: a["count"] for a in example_context["impacts"]["activities"]}
    assert counts == by_hand
    ranking = example_context["key_activities"]
    assert ranking[0]["title"] == "Accompagner"
    assert ranking[0]["count"] == max(by_hand.values())
    assert [a["count"] for a in ranking] == sorted(by_hand.values(), reverse=True)
    # competition ranking: ties share a rank
    for first, second in itertools.pairwise(ranking):
        assert (first["rank"] == second["rank"]) == (first["count"] == second["count"])


def test_example_appendix(example_context: dict[str, Any], example_study: dict[str, Any]) -> None:
    appendix = example_context["appendix"]
    assert appendix["panel_size"] == len(example_study["panel"])
    assert sum(p["count"] for p in appendix["panel"]) == len(example_study["panel"])
    # anonymous: counts by sector only, no expert id anywhere in the panel table
    assert all(set(p) == {"sector", "count"} for p in appendix["panel"])
    assert 0.0 <= appendix["kendall_vote"]["w"] <= 1.0
    assert 0.0 <= appendix["kendall_disagreement"]["w"] <= 1.0
    probabilities = appendix["selection_probability"]
    assert len(probabilities) == 20
    assert all(0.0 <= p["probability"] <= 1.0 for p in probabilities)
    names = {(p["computation"], p["parameter"]) for p in appendix["parameters"]}
    assert ("disagreement", "resamples") in names
    assert ("disagreement", "seed") in names
    assert ("structural_analysis", "aggregation") in names
    assert appendix["coherence"] is not None


def test_small_study_coherence_and_override() -> None:
    study = small_study()
    context = build_report_context(study, date="2025-01-01")  # runs the analysis itself
    coherence = context["scenario"]["coherence"]
    assert coherence["consistent"] is True
    assert coherence["sentence"].startswith("Le scénario retenu est cohérent")
    groups = {g["factor"]: g for g in context["hypotheses"]}
    assert groups["F3"]["retained"]["reason"] == "Fusion décidée en atelier."
    assert groups["F3"]["origin"] == "addition"
    counts = {a["code"]: a["count"] for a in context["impacts"]["activities"]}
    assert counts == {"1": 0, "2": 1, "3": 2}


def test_inconsistent_scenario_names_the_descriptors() -> None:
    study = small_study()
    study["cross_impacts"]["judgements"] = [
        {"source": "F1-B", "target": "F3-A", "value": 3},
        {"source": "F1-B", "target": "F3-BC", "value": -3},
    ]
    context = build_report_context(study, date="2025-01-01")
    coherence = context["scenario"]["coherence"]
    assert coherence["consistent"] is False
    assert coherence["descriptors"] == ["F3"]
    assert "F3" in coherence["sentence"]


def test_unusual_study_context(unusual_context: dict[str, Any]) -> None:
    assert unusual_context["language"] == "en"
    assert unusual_context["cover"]["title"] == "Skills foresight report"
    assert not unusual_context["vote"]["present"]
    assert len(unusual_context["factors"]) == 40
    assert len(unusual_context["map"]["points"]) == 40
    groups = {g["factor"]: g for g in unusual_context["hypotheses"]}
    assert groups["F40"]["hypotheses"] == []
    assert unusual_context["action_plan"]["empty"]
    assert unusual_context["appendix"]["coherence"] is None


def test_retention_without_a_recorded_decision_is_a_proposal() -> None:
    study = small_study()
    del study["hypotheses"]["factors"][0]["retained"]
    context = build_report_context(study, date="2025-01-01")
    group = next(g for g in context["hypotheses"] if g["factor"] == "F1")
    # F1-B: most desirable (median 4 vs 1) and actions can reach it -> the rule retains it
    assert group["retained"]["hypothesis"] == "F1-B"
    assert group["retained"]["decision"] == "proposal"
    assert "pas encore décidée" in group["retained"]["decision_label"]
