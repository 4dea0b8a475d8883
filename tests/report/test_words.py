"""The report's words from anticipe.presentation: dates, French typography, the analysis'
parameters."""

from __future__ import annotations

import pytest

from anticipe.presentation import date_text, parameter_words, typography

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("iso", "language", "expected"),
    [
        ("2018-05", "fr", "mai 2018"),
        ("2018-05-14", "fr", "14 mai 2018"),
        ("2018-05-14", "en", "14 May 2018"),
        ("2018", "fr", "2018"),
        ("2018-13", "fr", "2018"),
        ("soon", "fr", "soon"),
        ("", "fr", ""),
    ],
)
def test_date_text(iso: str, language: str, expected: str) -> None:
    assert date_text(iso, language) == expected


def test_french_typography_binds_marks_to_their_words() -> None:
    text = "Qui sont-ils ? Ceci : « cela » ; voir http://x.be/?a=1 (ex : Tosa)!"
    assert typography(text, "fr") == (
        f"Qui sont-ils{NNBSP}? Ceci{NBSP}: «{NBSP}cela{NBSP}»{NNBSP}; voir http://x.be/?a=1 "
        f"(ex{NBSP}: Tosa){NNBSP}!"
    )
    assert typography(text, "en") == text
    assert typography("", "fr") == ""


def test_parameters_read_as_words() -> None:
    assert parameter_words("structural_analysis", "aggregation", "mean", "fr") == (
        "Analyse structurelle (MICMAC)",
        "matrices des experts combinées par leur",
        "moyenne",
    )
    assert parameter_words("disagreement.bootstrap", "n_resamples", 1000, "en") == (
        "Resampling the experts",
        "resamplings of the panel",
        "1000",
    )
    assert parameter_words("hypotheses", "consensus_max_iqr", 1.0, "fr")[2] == "1"
    assert parameter_words("factor_vote", "allow_unspent", True, "fr")[2] == "oui"
    assert parameter_words("x", "new_setting", [1.5, None], "fr") == ("x", "new_setting", "1,5, –")
