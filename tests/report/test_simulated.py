"""Simulated answers are flagged beside every figure computed from them, in every format;
a real study's report has no such flag, and no sentence concludes from simulated answers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.report.readback import docx_document, docx_text, pdf_text, squash

FLAG = "Calculé à partir de réponses simulées"
CATALOGUE = "simulé"  # the illustrative training catalogue's flag: « … illustratif (simulé) »
CATALOGUE_FLAG = "Catalogue de formation illustratif (simulé)"

# Each figure or table computed from simulated answers: where it starts in the HTML, and
# the part of the study whose simulated answers it depends on.
DEPENDENT = [
    ('<figure class="chart">', "les matrices d'influence"),  # Graph 1
    ('<table class="data grid', "les votes sur les hypothèses"),  # Table 3's P and S marks
    ('<table class="data panel', "le panel"),
    ('<table class="data factor-statistics', "le vote pondéré sur les facteurs"),
    ("le vote pondéré sur les facteurs)", "les matrices d'influence"),  # the same table
    ('<table class="data votes', "les votes sur les hypothèses"),
    ("Cohérence du scénario retenu</h2>", "les impacts croisés"),
    ('<table class="data profile"', "les votes sur les hypothèses"),  # the competence profile
    ('<table class="data what-is-new"', "les votes sur les hypothèses"),  # from the profile
    ('<table class="data training"', CATALOGUE),  # the training needs: the catalogue's flag,
    (CATALOGUE_FLAG, "les votes sur les hypothèses"),  # then the retained hypotheses'
    ('<table class="data training-modules"', CATALOGUE),  # the catalogue's modules
]
ANSWERS = [(anchor, part) for anchor, part in DEPENDENT if part != CATALOGUE]


def _flags(html: str) -> list[tuple[int, str]]:
    return [
        (m.start(), m.group(1))
        for m in re.finditer(r'<p class="simulated-flag"[^>]*>.*?\(([^)]*)\)', html)
    ]


def test_every_dependent_figure_of_the_example_is_flagged_beside_it(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8").replace("&#39;", "'")
    flags = _flags(html)
    assert len(flags) == len(DEPENDENT)
    for anchor, part in DEPENDENT:
        start = html.index(anchor)
        after = [(position, flagged) for position, flagged in flags if position > start]
        position, flagged = after[0]
        assert flagged == part, anchor
        # beside it: no heading between the figure and its flag
        assert not re.search(r"<h[1-3][ >]", html[start:position]), anchor


def test_the_example_report_concludes_nothing_from_simulated_answers(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    assert "Le scénario retenu est cohérent" not in html
    assert "Le panel a réuni" not in html  # the panel's size is simulated too


def test_the_example_docx_flags_the_same_figures(rendered: Any) -> None:
    text = docx_text(docx_document(rendered("example", "docx")))
    assert text.count(FLAG) == len(ANSWERS)
    assert text.count(CATALOGUE_FLAG) == len(DEPENDENT) - len(ANSWERS)


@pytest.mark.slow
def test_the_example_pdf_flags_the_same_figures(rendered: Any) -> None:
    text, _ = pdf_text(rendered("example", "pdf"))
    assert squash(text).count(squash(FLAG)) == len(ANSWERS)
    assert squash(text).count(squash(CATALOGUE_FLAG)) == len(DEPENDENT) - len(ANSWERS)


def test_a_real_study_has_no_flag(rendered: Any) -> None:
    html = rendered("small", "html").decode("utf-8").split("<body>", 1)[1]
    assert "simulated-flag" not in html
    assert "simul" not in html.lower()
    assert "Le scénario retenu est cohérent" in html  # real cross-impacts: a finding
    text = docx_text(docx_document(rendered("small", "docx")))
    assert "simul" not in text.lower()


@pytest.mark.slow
def test_a_real_study_pdf_has_no_flag(rendered: Any) -> None:
    text, _ = pdf_text(rendered("small", "pdf"))
    assert "simul" not in text.lower()
