"""Numbers and labels in the study's language (anticipe.presentation)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anticipe import presentation as p
from anticipe.method.concordance import kendall_w
from anticipe.method.structural_analysis import INDIRECT_METHODS, STOP_REASONS
from anticipe.study.study_file import study_schema

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "language", "decimals", "expected"),
    [
        (0.1316, "fr", 3, "0,132"),
        (0.1316, "en", 3, "0.132"),
        (25.1234, "fr", 2, "25,12"),
        (2.0, "fr", 1, "2,0"),
        (-1.25, "fr", 1, "-1,2"),  # round half to even, as Python's format
        (-1.35, "en", 1, "-1.4"),
        (0, "en", 2, "0.00"),
        (1234567.891, "fr", 2, "1234567,89"),  # grouping only when asked
        (0.5, "xx", 1, "0,5"),  # an unknown language reads French
        (0.5, None, 1, "0,5"),
        (0.5, "en-GB", 1, "0.5"),
    ],
)
def test_number_with_decimals(value: float, language: str, decimals: int, expected: str) -> None:
    assert p.number(value, language, decimals) == expected


def test_number_never_writes_a_negative_zero() -> None:
    assert p.number(-0.001, "fr", 2) == "0,00"
    assert p.number(-0.001, "en", 2, strip_zeros=True) == "0"
    assert p.number(-0.01, "en", 2) == "-0.01"


def test_trim_writes_whole_numbers_without_decimals() -> None:
    assert p.number(15.0, "fr", 1, trim=True) == "15"
    assert p.number(15, "en", 3, trim=True) == "15"
    assert p.number(15.25, "fr", 1, trim=True) == "15,2"
    assert p.number(-3.0, "fr", 2, trim=True) == "-3"


def test_strip_zeros_drops_trailing_zeros_and_the_separator() -> None:
    assert p.number(31.5, "fr", 2, strip_zeros=True) == "31,5"
    assert p.number(31.5, "en", 2, strip_zeros=True) == "31.5"
    assert p.number(3.0, "fr", 2, strip_zeros=True) == "3"
    assert p.number(30.0, "en", 2, strip_zeros=True) == "30"  # the integer's zeros stay
    assert p.number(12.345, "en", 0, strip_zeros=True) == "12"


def test_thousands_are_grouped_with_a_no_break_space_in_french() -> None:
    assert p.number(1234567.891, "fr", 2, grouping=True) == f"1{NBSP}234{NBSP}567,89"
    assert p.number(1234567.891, "en", 2, grouping=True) == "1,234,567.89"
    assert p.integer(52488, "fr") == f"52{NBSP}488"
    assert p.integer(52488, "en") == "52,488"
    assert p.integer(-1000, "fr") == f"-1{NBSP}000"
    assert p.integer(999, "fr") == "999"
    assert p.thousands_separator("fr") == NBSP
    assert p.decimal_separator("fr") == ","
    assert p.decimal_separator("en") == "."


@pytest.mark.parametrize("missing", [None, "3", True, math.nan, math.inf])
def test_missing_values_are_a_dash(missing: object) -> None:
    assert p.number(missing, "fr") == p.MISSING == "—"  # type: ignore[arg-type]
    assert p.number(missing, "fr", missing=p.EN_DASH) == "–"  # type: ignore[arg-type]


def test_general_is_the_shortest_form() -> None:
    assert p.general(1.0, "fr") == "1"
    assert p.general(0.5, "fr") == "0,5"
    assert p.general(0.5, "en") == "0.5"
    assert p.general(52, "fr") == "52"
    assert p.general(1e-5, "fr") == "1e-05"
    assert p.general(None, "fr", missing="–") == "–"


def test_percentages() -> None:
    assert p.percent(0.42, "fr") == f"42{NBSP}%"
    assert p.percent(0.42, "en") == "42%"
    assert p.percent(0.4256, "fr", 1) == f"42,6{NBSP}%"
    assert p.percent(12.5, "fr") == f"1{NBSP}250{NBSP}%"
    assert p.percent(-0.05, "en") == "-5%"
    assert p.percent(None, "fr") == "—"


def test_percentages_as_numbers_of_a_downloaded_table() -> None:
    assert p.percent_number(2 / 3) == 66.7
    assert p.percent_number(0.5, 0) == 50.0
    assert p.percent_number(1) == 100
    assert p.percent_number(None) is None
    assert p.percent_number(True) is None


def test_minutes_an_estimate_takes_are_rounded_up() -> None:
    assert p.minutes_for(42, 20) == 14  # 840 s
    assert p.minutes_for(43, 20) == 15  # 860 s: a minute more, never one less
    assert p.minutes_for(1, 4) == 1
    assert p.minutes_for(15, 4) == 1
    assert p.minutes_for(16, 4) == 2
    assert p.minutes_for(0, 20) == 0
    assert p.minutes_for(-3, 20) == 0


def test_probabilities_strictly_between_0_and_1_never_read_0_or_100_percent() -> None:
    assert p.probability(0.83, "fr") == f"83{NBSP}%"
    assert p.probability(0.998, "fr") == f"99,8{NBSP}%"
    assert p.probability(0.9996, "en") == "> 99.9%"
    assert p.probability(0.003, "en") == "0.3%"
    assert p.probability(0.0002, "fr") == f"< 0,1{NBSP}%"
    assert p.probability(0.0, "en") == "0%"
    assert p.probability(1.0, "en") == "100%"
    assert p.probability(None, "en", missing="–") == "–"


def test_p_values_never_read_zero() -> None:
    assert p.p_value(0.1566, "fr", 4) == "p = 0,1566"
    assert p.p_value(0.1566, "en") == "p = 0.157"
    assert p.p_value(2.3e-23, "fr") == "p < 0,001"
    assert p.p_value(2.3e-23, "en", 4) == "p < 0.0001"
    assert p.p_value(0.001, "fr") == "p = 0,001"
    assert p.p_value(0.0004, "fr", name="valeur p") == "valeur p < 0,001"
    assert p.p_value(None, "fr") == "p = —"


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["fr", "en"]),
    st.booleans(),
)
def test_parsing_back_gives_the_rounded_value(
    value: float, decimals: int, language: str, grouping: bool
) -> None:
    text = p.number(value, language, decimals, grouping=grouping)
    assert p.parse_number(text, language) == pytest.approx(round(value, decimals), abs=1e-9)
    assert ("." in text) == (language == "en" and decimals > 0)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.sampled_from(["fr", "en"]))
def test_trimmed_and_stripped_numbers_read_back_too(value: float, language: str) -> None:
    for text in (
        p.number(value, language, 2, trim=True),
        p.number(value, language, 2, strip_zeros=True),
        p.general(value, language),
    ):
        assert p.parse_number(text, language) == pytest.approx(value, abs=0.006, rel=1e-5)


def test_parse_number_refuses_words() -> None:
    with pytest.raises(ValueError, match="could not convert"):
        p.parse_number("deux", "fr")


def test_quadrant_labels() -> None:
    assert [p.quadrant_label(q, "fr") for q in p.QUADRANTS] == [
        "moteur",
        "relais",
        "dépendant",
        "autonome",
    ]
    assert [p.quadrant_label(q, "en") for q in p.QUADRANTS] == list(p.QUADRANTS)
    assert p.quadrant_label(None, "fr") == "–"
    assert p.quadrant_label("elsewhere", "fr", missing="") == ""


def test_aim_labels() -> None:
    assert p.aim_verb("provoke", "fr") == "provoquer"
    assert p.aim_verb("prepare", "fr") == "préparer"
    assert p.aim_verb("prepare", "en") == "prepare"
    assert p.aim_verb(None, "fr") == ""
    assert p.aim_label("provoke", "en") == "provoke a desirable change"
    assert p.aim_label("prepare", "fr") == "se préparer à un changement probable"
    assert p.aim_label("nothing", "fr") == ""


def test_retention_labels() -> None:
    assert p.retention_label("rule", "fr") == "selon la règle"
    assert p.retention_label("override", "fr") == "après arbitrage"
    assert p.retention_label("override", "en") == "after arbitration"
    assert p.retention_label("proposal", "fr").endswith("pas encore décidée par le panel")
    with pytest.raises(KeyError):
        p.retention_label("coin toss", "fr")


def test_indirect_classification_labels_cover_every_code_of_the_core() -> None:
    assert p.indirect_method_label("powers", "fr") == "puissances successives"
    assert p.indirect_method_label("perron", "en") == "Perron vectors"
    assert p.stop_reason_label("stable", "fr") == "classements stables"
    assert p.stop_reason_label("zero_matrix", "en") == "empty matrix"
    for method in INDIRECT_METHODS:
        assert p.indirect_method_label(method, "fr") not in {method, ""}
    for reason in STOP_REASONS:
        assert p.stop_reason_label(reason, "fr") not in {reason, ""}
    # a code the labels do not know yet is shown as it is
    assert p.stop_reason_label("new_rule", "fr") == "new_rule"


def test_plane_labels_cover_every_selection_basis_of_the_core() -> None:
    from typing import get_args

    from anticipe.method.structural_analysis import SelectionBasis

    assert p.plane_label("potential_direct", "fr") == "plan direct potentiel"
    assert p.plane_label("indirect", "en") == "indirect plane"
    for basis in get_args(SelectionBasis):
        assert p.plane_label(basis, "fr") not in {basis, ""}
    assert p.plane_label("other", "fr") == "other"
    assert p.graph_label("indirect", "fr") == "graphe des influences indirectes"
    for basis in get_args(SelectionBasis):
        assert p.graph_label(basis, "en").startswith("graph of ")


def test_simulated_part_labels_cover_the_study_file_schema() -> None:
    parts = study_schema()["properties"]["simulation"]["properties"]["simulated"]["items"]["enum"]
    assert [p.simulated_part_label(part, "fr") for part in parts] == [
        "le panel",
        "le vote pondéré sur les facteurs",
        "les matrices d'influence",
        "les votes sur les hypothèses",
        "les impacts croisés",
    ]
    assert p.simulated_part_label("panel", "en") == "the panel"
    assert p.simulated_part_label("elsewhere", "fr") == "elsewhere"


def test_concordance_gap_labels_say_why_w_is_missing() -> None:
    assert (
        p.concordance_gap_label(1, 5, "fr")
        == f"1 expert seulement{NBSP}: W en demande au moins deux"
    )
    assert p.concordance_gap_label(0, 5, "en") == "only 0 experts: W needs at least two"
    assert p.concordance_gap_label(4, 1, "en") == "only 1 factor: W needs at least two"
    assert p.concordance_gap_label(4, 3, "fr").startswith("chaque expert a donné le même rang")
    # the same cases as the core
    for raters, items in ((1, 5), (4, 1), (3, 3)):
        votes = [[1.0] * items for _ in range(raters)]
        assert kendall_w(votes)["w"] is None
        assert p.concordance_gap_label(raters, items, "en")


def test_display_title_prefers_the_rewording() -> None:
    assert p.display_title({"title": "Old", "reworded_title": "New"}) == "New"
    assert p.display_title({"title": "Old", "reworded_title": ""}) == "Old"
    assert p.display_title({"title": ""}, "A1") == "A1"
    assert p.display_title(None, "A1") == "A1"


def test_flatten_parameters() -> None:
    parameters = {
        "seed": 2018,
        "weight": 3.0,
        "scale": [1, 4],
        "nested": {"rule": "mean", "cut": None},
        "variants": [{"name": "a"}, {"name": "b"}],
        "empty": [],
    }
    assert p.flatten_parameters(parameters) == [
        ("seed", "2018"),
        ("weight", "3.0"),
        ("scale", "1, 4"),
        ("nested.rule", "mean"),
        ("nested.cut", "–"),
        ("variants[0].name", "a"),
        ("variants[1].name", "b"),
        ("empty", ""),
    ]
    assert p.flatten_parameters({"x": None}, "top", missing="—") == [("top.x", "—")]


def test_scale_words_name_every_point_of_the_default_scale_and_the_ends_of_another() -> None:
    assert p.scale_words("probability", 1, 4, "fr") == {
        1: "très peu probable",
        2: "peu probable",
        3: "probable",
        4: "très probable",
    }
    assert p.scale_words("desirability", 1, 4, "en")[2] == "hardly desirable"
    assert p.scale_words("desirability", 0, 10, "fr") == {
        0: "pas souhaitable",
        10: "très souhaitable",
    }
