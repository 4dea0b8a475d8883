"""The example's report against the seed's Tables 1 to 5, read back from the PDF and the
DOCX (the seed's rows are pinned in :mod:`tests.examples.seed_rows`).

Cells are compared by their letters and digits (:func:`~tests.examples.seed_rows.letters`):
line breaks, hyphenation and punctuation aside, the words are the seed's. Factor cells are
compared by their number: the seed's later tables word a few factors slightly differently
from Table 2 (A6, A7, A8, A16), and a study file has one title per factor.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.examples import seed_rows as seed
from tests.examples.seed_rows import letters
from tests.examples.test_seed_transcription import MERGE, factor_numbers
from tests.report.readback import docx_document, pdf_text


def in_order(haystack: str, needles: list[str]) -> bool:
    """Every needle in `haystack`, each after the previous one."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def _seed_table_3(factor: str) -> list[str]:
    return [letters(c) for c in seed.TABLE_3[factor]]


# -- the PDF ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(rendered: Any) -> str:
    text, _ = pdf_text(rendered("example", "pdf"))
    return letters(text)


@pytest.mark.slow
def test_pdf_tables_1_and_2_are_the_seeds(pdf: str) -> None:
    assert in_order(pdf, [letters(f"{a} {c}") for a, c in seed.TABLE_1])
    assert in_order(pdf, [letters(f"{code} {title}") for code, title in seed.TABLE_2])


@pytest.mark.slow
def test_pdf_table_3_is_the_seeds_grid(pdf: str) -> None:
    for factor in seed.TABLE_3:
        assert in_order(pdf, _seed_table_3(factor)), factor


@pytest.mark.slow
def test_pdf_table_4_is_the_seeds(pdf: str) -> None:
    for factor, actions in seed.TABLE_4_ACTIONS.items():
        remark = [letters(seed.TABLE_4_REMARKS[factor])] if factor in seed.TABLE_4_REMARKS else []
        assert in_order(pdf, [*remark, *(letters(a) for a in actions)]), factor
    assert letters(seed.TABLE_4_NOTE) in pdf


@pytest.mark.slow
def test_pdf_table_5_rows_are_the_seeds(pdf: str) -> None:
    # each row's competences in the seed's order, then its impacting factor's number; a
    # competence's framework links (format 1.2) are printed after it, so the competences of
    # a row are found one after the other rather than joined
    expected = []
    for _, competences, factors in seed.TABLE_5:
        numbers = factor_numbers(factors)
        expected.extend([*(letters(c) for c in competences), str(numbers[0])])
    assert in_order(pdf, expected)
    # « sept hypothèses »: the key activities table says 7 for « Accompagner »
    assert letters("3. Accompagner 7") in pdf


# -- the DOCX -----------------------------------------------------------------------------


def _table(document: Any, *headers: str) -> list[list[str]]:
    for table in document.tables:
        cells = [letters(c.text) for c in table.rows[0].cells]
        if cells[: len(headers)] == [letters(h) for h in headers]:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {headers}")


@pytest.fixture(scope="module")
def document(rendered: Any) -> Any:
    return docx_document(rendered("example", "docx"))


def test_docx_table_1_is_the_seeds(document: Any) -> None:
    rows = _table(document, "Activités", "Contenu à titre explicatif")
    assert [(letters(a), letters(c)) for a, c in rows] == [
        (letters(a), letters(c)) for a, c in seed.TABLE_1
    ]


def test_docx_table_2_is_the_seeds(document: Any) -> None:
    rows = _table(document, "Code", "Facteur")
    assert [(code, letters(title)) for code, title in rows] == [
        (code, letters(title)) for code, title in seed.TABLE_2
    ]


def test_docx_table_3_is_the_seeds(document: Any) -> None:
    rows = _table(document, "Facteur", "Hypothèse A")
    assert len(rows) == len(seed.TABLE_3)
    for row, (factor, cells) in zip(rows, seed.TABLE_3.items(), strict=True):
        assert f"({factor})" in row[0]
        shown = [letters(cell) for cell in row[1:] if cell]
        # each cell: its marks (and a merge's own label, "BC"), then the seed's text
        assert [c.endswith(letters(e)) for c, e in zip(shown, cells, strict=True)] == [True] * len(
            cells
        ), factor
    assert seed.TABLE_3["A19"][-1].startswith(MERGE)


def test_docx_table_4_is_the_seeds(document: Any) -> None:
    rows = _table(document, "Facteur de changement", "Hypothèse d’évolution retenue")
    assert len(rows) == len(seed.TABLE_4_ACTIONS)
    numbers = {factor: factor_numbers(cell) for factor, cell in seed.TABLE_4_FACTORS.items()}
    for row, (factor, actions) in zip(rows, seed.TABLE_4_ACTIONS.items(), strict=True):
        assert factor_numbers(row[0]) == numbers[factor]
        remark = seed.TABLE_4_REMARKS.get(factor, "")
        assert letters(row[2]) == letters(remark) + "".join(letters(a) for a in actions)
    notes = [p.text for p in document.paragraphs]
    assert any(letters(n) == letters(seed.TABLE_4_NOTE) for n in notes)


def test_docx_table_5_rows_are_the_seeds(document: Any) -> None:
    rows = _table(document, "Activité impactée (pour…)")
    assert len(rows) == len(seed.TABLE_5)
    for row, (activity, competences, factors) in zip(rows, seed.TABLE_5, strict=True):
        assert row[0].startswith(f"{activity}. ")
        assert letters(row[1]) == "".join(letters(c) for c in competences)
        assert factor_numbers(row[2]) == factor_numbers(factors)
    accompagner = [row for row in rows if row[0].startswith("3. ")]
    assert len(accompagner) == 7  # « sept hypothèses d'évolution »
    counts = _table(document, "Rang", "Activité")
    assert ["3. Accompagner", "7"] in [row[1:] for row in counts]
