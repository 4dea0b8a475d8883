"""The report context: the facts every format shows, computed once from study + analysis."""

from __future__ import annotations

import copy
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


def test_example_cover_is_the_published_one(example_context: dict[str, Any]) -> None:
    cover = example_context["cover"]
    assert cover["title"] == "Médiateur numérique, un métier d’avenir ?"
    assert cover["job"] == "Médiateur numérique"
    assert cover["date"] == "mai 2018"  # the publication date, in words, once
    assert cover["organisation"].startswith("Le Forem")
    assert "3 à 5 ans" in cover["horizon"]
    # the source's date is not repeated when its citation gives it
    assert cover["source"]["text"].count("2018") == 1
    assert "simulées" in cover["simulation"]["text"]
    assert "/" not in cover["simulation"]["text"]  # one language, not the file's mixed note
    assert example_context["generated"] == "2025-03-14"


def test_a_cover_without_publication_settings_uses_the_job_and_today() -> None:
    context = build_report_context(small_study(), date="2025-01-02")
    cover = context["cover"]
    assert cover["title"] == cover["job"]
    assert cover["date"] == "2 janvier 2025"
    assert cover["organisation"] == cover["authors"] == cover["licence"] == ""


def test_the_outline_numbers_the_headings_once(example_context: dict[str, Any]) -> None:
    outline = example_context["outline"]
    ids = [entry["id"] for entry in outline]
    assert ids == [
        "introduction", "part1", "part2", "perimeter", "factors", "selection",
        "hypotheses", "impacts", "reference_frameworks", "training_needs", "references",
        "appendix",
    ]  # fmt: skip
    numbered = [entry["heading"] for entry in outline if entry["number"]]
    assert numbered == [
        "1. Le périmètre du métier",
        "2. Les facteurs de changement les plus importants",
        "3. La sélection des facteurs les plus influents",
        "4. Les évolutions probables et souhaitables et profil d'évolution",
        "5. Les impacts sur les activités et les besoins en compétences",
        "6. Référentiels européens",
        "7. Besoins de formation",
    ]
    # without an introduction or references, those headings are left out
    ids = [e["id"] for e in build_report_context(small_study(), date="2025-01-01")["outline"]]
    assert "introduction" not in ids
    assert "references" not in ids


def test_chapters_replace_the_standard_descriptions(example_context: dict[str, Any]) -> None:
    texts = example_context["texts"]
    for key in ("introduction", "method", "job", "frameworks", "factors", "selection"):
        assert "markdown" in texts[key], key
    assert texts["hypotheses"]["markdown"].startswith("Une fois les dix facteurs")
    standard = build_report_context(small_study(), date="2025-01-01")["texts"]
    assert set(standard) == {"factors", "selection", "hypotheses", "actions", "impacts"}
    # the standard description says who wrote the hypotheses: the facilitator
    assert "l'animateur les a synthétisées" in standard["hypotheses"]["text"]
    assert "de 0 (aucune) à 3 (forte)" in standard["selection"]["text"]


def test_an_empty_chapter_is_left_out() -> None:
    study = small_study()
    study["report"] = {"chapters": {"introduction": "  \n", "job": "Le métier."}}
    texts = build_report_context(study, date="2025-01-01")["texts"]
    assert "introduction" not in texts
    assert texts["job"] == {"markdown": "Le métier."}


def test_table_2_lists_the_factors_in_code_order_without_points(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    codes = [f["code"] for f in example_context["factors"]]
    assert codes == [f"A{n}" for n in range(1, 21)]  # A2 before A10
    assert set(codes) == set(example_study["factor_vote"]["shortlist"])
    assert (
        example_context["vote"]["caption"]
        == f"Tableau 2{NBSP}: Les 20 facteurs de changement importants"
    )
    # the points are in the appendix, and add up to the ballots
    points = example_context["appendix"]["factors"]
    assert sorted(p["rank"] for p in points)[0] == 1
    for p in points[:3]:
        expected = sum(
            b["scores"].get(p["code"], 0) for b in example_study["factor_vote"]["ballots"]
        )
        assert p["points"] == expected


def test_example_key_factors_keep_the_original_titles(example_context: dict[str, Any]) -> None:
    keys = example_context["key_factors"]
    assert [k["code"] for k in keys] == [
        "A1", "A6", "A7", "A8", "A11", "A13", "A15", "A19", "A20", "A16",
    ]  # fmt: skip
    a19 = keys[7]
    assert a19["title"].startswith("Remise en cause des systèmes")  # as voted (section 3)
    assert a19["display_title"].startswith("Nouvelles formes de consommation")
    added = [k for k in keys if k["origin"] == "addition"]
    assert [k["code"] for k in added] == ["A16"]
    assert added[0]["reason"].startswith("Ce dixième facteur")
    chart = example_context["map"]
    points = {p["code"]: p for p in chart["points"]}
    assert len(points) == 20
    assert points["A16"]["added"]
    mean_i = sum(p["influence"] for p in points.values()) / 20
    assert abs(chart["mean_influence"] - mean_i) < 1e-9


def test_table_3_is_a_factor_by_hypothesis_grid(example_context: dict[str, Any]) -> None:
    grid = example_context["grid"]
    assert grid["headers"] == ["Hypothèse A", "Hypothèse B", "Hypothèse C", "Hypothèse D"]
    rows = {r["factor"]: r for r in grid["rows"]}
    assert len(rows) == 10
    a19 = rows["A19"]
    assert a19["reworded"] == (
        f"Reformulé comme suit{NBSP}: «{NBSP}Nouvelles formes de consommation / de travail / "
        f"d’accès à la culture et aux services, etc.{NBSP}»"
    )
    merge = a19["cells"][3]
    assert merge["label"] == "BC"
    assert merge["own_label"]  # a merge names itself in the D column
    assert merge["merged_note"] == f"Fusion des hypothèses B et C{NBSP}:"
    assert merge["retained"]
    assert rows["A1"]["cells"][3] is None
    for row in rows.values():
        assert sum(bool(cell and cell["retained"]) for cell in row["cells"]) == 1
    assert [m["mark"] for m in grid["legend"]] == ["P", "S", "★"]


def test_example_hypotheses_marks_and_retention(example_context: dict[str, Any]) -> None:
    groups = {g["factor"]: g for g in example_context["hypotheses"]}
    a19 = groups["A19"]
    assert a19["retained"]["decision"] == "override"
    assert a19["retained"]["decision_label"] == "après arbitrage"
    assert a19["retained"]["reason"] == "Fusion des hypothèses b et c."
    for g in groups.values():
        for h in g["hypotheses"]:
            assert h["retained"] == ("retenue" in h["marks"])
            if h["both"]:
                assert "la plus probable et la plus souhaitable" in h["marks"]
        assert not g["current_situation"]
    a1c = next(h for h in groups["A1"]["hypotheses"] if h["code"] == "A1-C")
    assert a1c["probability"]["n"] == 10


def test_table_4_rows_remarks_and_the_points_without_action(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    plan = example_context["action_plan"]
    rows = {r["factor"]: r for r in plan["rows"]}
    assert list(rows) == ["A1", "A6", "A7", "A8", "A11", "A19", "A20", "A16"]
    assert plan["without"] == (f"NB{NBSP}: aucune action n'a été proposée pour les points 6 et 7.")
    assert rows["A6"]["note"].startswith("Remarque préliminaire")
    assert "uberisation" in rows["A6"]["note"]
    assert rows["A19"]["factor_heading"].endswith("etc. (reformulé)")
    expected = [a["text"] for a in example_study["actions"] if a["hypothesis"] == "A1-C"]
    assert [a["text"] for a in rows["A1"]["actions"]] == expected


def test_table_5_joins_rows_and_counts_them_as_the_seed(
    example_context: dict[str, Any],
) -> None:
    activities = {a["code"]: a for a in example_context["impacts"]["activities"]}
    accompagner = activities["3"]
    assert accompagner["count"] == 7  # « sept hypothèses d'évolution »
    joint = [r for r in accompagner["rows"] if len(r["factors"]) > 1]
    assert [[f["number"] for f in r["factors"]] for r in joint] == [[8, 9]]
    assert joint[0]["factors"][0]["heading"].endswith("(reformulé)")
    assert {code: a["count"] for code, a in activities.items()} == {
        "1": 1, "2": 4, "3": 7, "4": 0, "5": 2, "6": 4, "7": 1,
    }  # fmt: skip
    ranking = example_context["key_activities"]
    assert ranking[0]["title"] == "Accompagner"
    for first, second in itertools.pairwise(ranking):
        assert (first["rank"] == second["rank"]) == (first["count"] == second["count"])


def test_small_study_coherence_and_override() -> None:
    study = small_study()
    context = build_report_context(study, date="2025-01-01")  # runs the analysis itself
    coherence = context["scenario"]["coherence"]
    assert coherence["consistent"] is True
    assert coherence["sentence"].startswith("Le scénario retenu est cohérent")
    groups = {g["factor"]: g for g in context["hypotheses"]}
    assert groups["F3"]["retained"]["reason"] == "Fusion décidée en atelier."
    counts = {a["code"]: a["count"] for a in context["impacts"]["activities"]}
    assert counts == {"1": 0, "2": 1, "3": 2}


def test_inconsistent_scenario_names_the_descriptors() -> None:
    study = small_study()
    study["cross_impacts"]["judgements"] = [
        {"source": "F1-B", "target": "F3-A", "value": 3},
        {"source": "F1-B", "target": "F3-BC", "value": -3},
    ]
    coherence = build_report_context(study, date="2025-01-01")["scenario"]["coherence"]
    assert coherence["consistent"] is False
    assert coherence["descriptors"] == ["F3"]
    assert "F3" in coherence["sentence"]


def test_retention_without_a_recorded_decision_is_a_proposal() -> None:
    study = small_study()
    del study["hypotheses"]["factors"][0]["retained"]
    context = build_report_context(study, date="2025-01-01")
    group = next(g for g in context["hypotheses"] if g["factor"] == "F1")
    assert group["retained"]["hypothesis"] == "F1-B"
    assert group["retained"]["decision"] == "proposal"
    assert "pas encore décidée" in group["retained"]["decision_label"]


def test_the_appendix_holds_every_statistic_in_words(
    example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    appendix = example_context["appendix"]
    assert appendix["panel_size"] == len(example_study["panel"])
    assert all(set(p) == {"sector", "count"} for p in appendix["panel"])  # counts only
    assert 0.0 <= appendix["kendall_vote"]["w"] <= 1.0
    assert len(appendix["selection_probability"]) == 20
    factors = appendix["factors"]
    assert [f["code"] for f in factors] == [f"A{n}" for n in range(1, 21)]
    assert all(0.0 <= f["probability"] <= 1.0 for f in factors)
    assert factors[0]["quadrant"] == "moteur"
    assert len(appendix["hypothesis_votes"]) == 32
    rows = {(p["computation"], p["parameter"]): p["value"] for p in appendix["parameters"]}
    assert rows[("Analyse structurelle (MICMAC)", "matrices des experts combinées par leur")] == (
        "moyenne"
    )
    assert rows[("Votes sur les hypothèses", "quartiles")].startswith("interpolation linéaire")
    assert rows[("Rééchantillonnage des experts", "graine aléatoire")] == "1"  # conftest
    # every setting once, none as a raw identifier
    settings = [p["parameter"] for p in appendix["parameters"]]
    assert not [s for s in settings if "_" in s]
    values = [p["value"] for p in appendix["parameters"]]
    assert "True" not in values
    assert not [v for v in values if "." in v and v.replace(".", "").isdigit()]
    raw = {(p["computation"], p["parameter"]) for p in appendix["raw_parameters"]}
    assert ("disagreement", "resamples") in raw  # the data sheet keeps the codes


def test_a_real_study_has_no_flag_and_keeps_its_conclusions() -> None:
    context = build_report_context(small_study(), date="2025-01-01")
    assert context["flags"] == {}
    assert context["cover"]["simulation"] is None
    assert context["scenario"]["coherence"] is not None
    assert context["method"]["panel"]  # the panel's size is said


def test_a_simulated_study_flags_each_part_and_concludes_nothing(
    example_context: dict[str, Any],
) -> None:
    flags = example_context["flags"]
    assert set(flags) == {
        "panel", "factor_vote", "influence_matrices", "hypothesis_votes", "cross_impacts",
        "training_catalogue",  # the illustrative catalogue of training modules
        "self_assessment",  # the simulated group's column in the training needs
    }  # fmt: skip
    assert flags["influence_matrices"].startswith("Calculé à partir de réponses simulées")
    assert "matrices d'influence" in flags["influence_matrices"]
    # the scenario's coherence from simulated cross-impacts is no finding of the body
    assert example_context["scenario"]["coherence"] is None
    assert example_context["appendix"]["coherence"]["measure"].startswith("Incohérence")
    assert example_context["method"]["panel"] == ""


def test_an_undecided_selection_from_simulated_matrices_is_flagged(
    example_study: dict[str, Any],
) -> None:
    study = copy.deepcopy(example_study)
    study.pop("key_factors")
    study["factor_vote"].pop("shortlist")
    context = build_report_context(study, date="2025-01-01")
    assert "key_factors" in context["flags"]
    assert "shortlist" in context["flags"]


def test_a_study_below_the_minimum_says_why_there_is_no_ranking_nor_map() -> None:
    """Three ballots and three matrices under a minimum of 4: the report does not say that
    no vote or matrix was entered, it says they are fewer than the minimum."""
    from anticipe.report.html import render_html
    from anticipe.study.analysis import analyse_study

    study = small_study()
    study["parameters"] = {**study.get("parameters", {}), "min_answers": 4}
    analysis = analyse_study(study, resamples=0)
    context = build_report_context(study, analysis)
    said = json.dumps(context, ensure_ascii=False)
    assert "No weighted vote was entered" not in said
    assert "No influence matrix was entered" not in said
    assert context["no_map"] == (
        "Pas d’analyse structurelle\u202f: 3 matrices, c’est moins que le nombre minimum de "
        "réponses de l’étude (4)."
    )
    assert "Les 3 bulletins du vote pondéré sont moins nombreux que le minimum" in said
    html = render_html(context, svg="", figure=lambda chart, alt="": "")
    assert "Pas d’analyse structurelle" in html
    # with the minimum reached, the usual texts
    study["parameters"]["min_answers"] = 3
    context = build_report_context(study, analyse_study(study, resamples=0))
    assert context["no_map"] == "Aucune matrice d'influence n'a été saisie."
