"""The HTML report: a standalone page and a fragment for the site, safe and self-contained."""

from __future__ import annotations

import re
from typing import Any

from anticipe.report.html import markdown_to_html, render_html, render_html_fragment


def test_standalone_document_makes_no_external_request(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<script" not in html
    assert "<link" not in html
    # no resource is loaded from anywhere: no src= or url() pointing outside the file
    assert not re.search(r"""src\s*=\s*["']?https?:""", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "<svg" in html  # the chart is inline


def test_example_html_shows_the_key_facts(rendered: Any, example_context: dict[str, Any]) -> None:
    html = rendered("example", "html").decode("utf-8")
    assert "Médiateur numérique" in html
    assert "Tableau 1\u00a0: Le périmètre du métier" in html  # French spacing
    assert "Graphique 1" in html
    assert "Réponses simulées" in html
    for f in example_context["factors"]:
        assert f["title"].replace("'", "&#39;").replace('"', "&#34;") in html
    assert html.count('class="hyp-row') == sum(
        len(g["hypotheses"]) for g in example_context["hypotheses"]
    )
    assert html.count(" retained") >= 10


def test_fragment_is_an_article_without_document_wrapper(example_context: dict[str, Any]) -> None:
    fragment = render_html_fragment(example_context, svg="<svg></svg>")
    assert fragment.lstrip().startswith("<article")
    assert fragment.rstrip().endswith("</article>")
    assert "<html" not in fragment
    assert "<style" not in fragment


def test_study_texts_are_escaped(rendered: Any) -> None:
    html = rendered("unusual", "html").decode("utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<b>bold?</b>" not in html


def test_markdown_is_rendered_but_raw_html_and_bad_links_are_not() -> None:
    out = str(markdown_to_html("**strong** <img src=x onerror=alert(1)> [a](javascript:alert(1))"))
    assert "<strong>strong</strong>" in out
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "javascript:" not in out.replace("[a](javascript:alert(1))", "")
    assert 'href="javascript' not in out


def test_markdown_headings_sit_under_the_section_title() -> None:
    out = str(markdown_to_html("# Title\n\n## Sub"))
    assert "<h3>Title</h3>" in out
    assert "<h4>Sub</h4>" in out
    assert "<h1>" not in out


def test_english_study_is_in_english(rendered: Any) -> None:
    html = rendered("unusual", "html").decode("utf-8")
    assert '<html lang="en">' in html
    assert "Part 2 – The method and the results step by step" in html
    assert "No action has been proposed yet." in html
    assert "No hypothesis has been written for this factor yet." in html


def test_render_html_uses_given_svg(small_context: dict[str, Any]) -> None:
    html = render_html(small_context, svg='<svg id="given"></svg>')
    assert '<svg id="given"></svg>' in html
