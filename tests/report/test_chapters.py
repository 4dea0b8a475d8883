"""The facilitator's chapters: where each goes, Part 1's sections from one text and back."""

from __future__ import annotations

from typing import Any

import pytest

from anticipe.report import build_report_context
from anticipe.report.chapters import CHAPTERS, chapter_texts, join_sections, split_sections
from anticipe.study.errors import StudyInputErrors
from anticipe.study.study_file import check_study, study_schema
from tests.studies import small_study


def test_part_1_is_split_at_first_level_headings_only() -> None:
    text = (
        "Opening words.\n\n# First\n\nBody **one**.\n\n## A sub-heading stays\n\n"
        "> # quoted, not a section\n\n```\n# code, not a section\n```\n\nSecond\n======\n\nTwo."
    )
    sections = split_sections(text)
    assert [s["title"] for s in sections] == ["", "First", "Second"]
    assert "## A sub-heading stays" in sections[1]["markdown"]
    assert "# code, not a section" in sections[1]["markdown"]
    assert sections[2]["markdown"] == "Two."


def test_sections_go_back_to_the_same_text() -> None:
    sections = [{"title": "", "markdown": "Intro."}, {"title": "Public", "markdown": "- a\n- b"}]
    text = join_sections(sections)
    assert text == "Intro.\n\n# Public\n\n- a\n- b\n"
    assert split_sections(text) == sections
    assert split_sections("") == []
    assert join_sections([]) == ""


def test_chapter_texts_leave_out_empty_ones() -> None:
    report = {"chapters": {"introduction": " Intro ", "job": "   ", "references": ""}}
    assert chapter_texts(report) == {"introduction": "Intro"}
    assert chapter_texts(None) == {}


def test_the_schema_names_every_chapter_once() -> None:
    chapters = study_schema()["properties"]["report"]["properties"]["chapters"]["properties"]
    assert tuple(chapters) == CHAPTERS


def test_a_remark_on_an_unknown_factor_is_refused_with_its_field() -> None:
    study = small_study()
    study["report"] = {"action_notes": {"ZZ": "remark"}}
    with pytest.raises(StudyInputErrors) as refused:
        check_study(study)
    assert [e.field for e in refused.value.errors] == ["report.action_notes.ZZ"]


def test_a_bad_publication_date_is_refused() -> None:
    study = small_study()
    study["report"] = {"date": "mai 2018"}
    with pytest.raises(StudyInputErrors) as refused:
        check_study(study)
    assert [e.field for e in refused.value.errors] == ["report.date"]


def test_each_chapter_sits_in_its_place(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    order = [
        'id="introduction"',
        'id="part1"',
        'id="part2"',
        'class="markdown chapter-method"',
        'id="perimeter"',
        'class="markdown chapter-job"',
        "Tableau 1",
        'class="markdown chapter-frameworks"',
        'id="factors"',
        'class="markdown chapter-factors"',
        'id="selection"',
        'class="markdown chapter-selection"',
        "Graphique 1",
        'id="hypotheses"',
        'class="markdown chapter-hypotheses"',
        "Tableau 3",
        'class="markdown chapter-actions"',
        "Tableau 4",
        'id="impacts"',
        'class="markdown chapter-impacts"',
        "Tableau 5",
        'class="markdown chapter-recommendations"',
        'id="references"',
        'id="appendix"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_a_study_without_chapters_shows_no_placeholder() -> None:
    study = small_study()
    study.pop("synthesis", None)
    from anticipe.report.html import render_html

    html = render_html(build_report_context(study, date="2025-01-01"), svg="")
    assert 'class="markdown' not in html
    assert "pas encore rédigé" not in html
