"""The HTML report: a standalone page and a fragment for the site, safe and self-contained."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from anticipe.presentation import typography
from anticipe.report import build_report_context
from anticipe.report.html import markdown_to_html, render_html, render_html_fragment
from anticipe.study.analysis import analyse_study
from tests.studies import small_study


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


def test_every_table_scrolls_in_its_own_box_on_a_phone(rendered: Any) -> None:
    """On a 390 px screen a wide table scrolls sideways in a focusable box of its own (the
    page does not), with readable columns instead of squeezed, overlapping ones."""
    html = rendered("example", "html").decode("utf-8")
    tables = html.count("<table")
    assert tables > 10
    assert html.count('<div class="table-scroll" tabindex="0"><table class="data') == tables
    assert ".table-scroll { overflow-x: auto; }" in html
    assert "@media screen and (max-width: 40em)" in html


def test_example_html_shows_the_key_facts(rendered: Any, example_context: dict[str, Any]) -> None:
    html = rendered("example", "html").decode("utf-8")
    assert "Médiateur numérique" in html
    assert "Tableau 1\u00a0: Le périmètre du métier" in html  # French spacing
    assert "Graphique 1" in html
    assert "Réponses simulées" in html
    for f in example_context["factors"]:
        title = typography(f["title"], "fr")
        assert title.replace("'", "&#39;").replace('"', "&#34;") in html
    cells = sum(len(g["hypotheses"]) for g in example_context["hypotheses"])
    assert html.count('<td class="hyp') - html.count("empty-cell") == cells
    assert html.count('class="hyp retained"') == 10


def test_table_of_contents_and_headings_share_their_numbers(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    toc, body = html.split("</nav>", 1)
    for heading in re.findall(r'<h[12] id="(\w+)">([^<]+)</h[12]>', body):
        assert f'<a href="#{heading[0]}">{heading[1]}</a>' in toc


def test_french_texts_keep_their_marks_with_their_words(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", html.split("<body>", 1)[1])
    assert not re.search(r" [:;!?»]|« ", text)  # only no-break spaces there
    assert "«\u00a0fracture numérique\u00a0»" in text


def test_footnotes_are_numbered_across_the_report(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    calls = [int(n) for n in re.findall(r'<sup class="fn-call">(\d+)</sup>', html)]
    assert calls == list(range(1, 27))  # the seed's 26 notes, in order
    assert len(re.findall(r'<li value="\d+">', html)) == 26  # each listed once
    assert "Profa est un dispositif de formation" in html


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
    assert "No particular competence." not in html or "Table 5" in html


def test_render_html_uses_given_svg(small_context: dict[str, Any]) -> None:
    html = render_html(small_context, svg='<svg id="given"></svg>')
    assert '<svg id="given"></svg>' in html


def test_markdown_footnotes_stay_safe() -> None:
    out = str(markdown_to_html("Text[^a].\n\n[^a]: <b>note</b> [x](javascript:alert(1))"))
    assert '<sup class="fn-call">1</sup>' in out
    assert '<li value="1">&lt;b&gt;note&lt;/b&gt;' in out
    assert "javascript:" not in out.replace("[x](javascript:alert(1))", "")
    assert '<ol class="fn-list"><li value="1">' in out


def test_a_note_may_call_a_note() -> None:
    out = str(markdown_to_html("Text[^a].\n\n[^a]: A note[^b].\n\n[^b]: Its own note."))
    assert '<li value="1">A note<sup class="fn-call">2</sup>.</li>' in out
    assert "Its own note." in out


# -- no request when the report is opened ---------------------------------------------------

REMOTE_MARKDOWN = """# Plan

![le plan](https://example.com/plan.png "titre") et ![sans protocole](//example.com/a.png)
![relatif](images/b.png) ![référencée][ref]

<img src="https://example.com/c.png"> <iframe src="https://example.com/"></iframe>
<script src="https://example.com/x.js"></script>
<style>@import url(https://example.com/x.css); body { background: url(//example.com/d.png) }</style>
<link rel="stylesheet" href="https://example.com/y.css">
<video poster="https://example.com/e.png"></video>

Un [lien](https://example.com/page) reste un lien, <https://example.com/auto> aussi.

[ref]: http://example.com/r.png
"""


class Resources(HTMLParser):
    """The URLs an HTML page loads: src, srcset, poster, data, a stylesheet's href, and
    url() in style attributes and style elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "srcset", "poster", "data", "background"):
            if values.get(name):
                self.urls.append(str(values[name]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))
        self.urls.extend(re.findall(r"url\(([^)]*)\)", values.get("style") or ""))
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.urls.extend(re.findall(r"url\(([^)]*)\)|@import\s+['\"]([^'\"]+)", data))


def loaded_urls(html: str) -> list[str]:
    parser = Resources()
    parser.feed(html)
    return [str(url) for url in parser.urls]


def remote_study() -> dict[str, Any]:
    study = small_study()
    study["synthesis"] = [
        {"title": "Synthèse ![t](https://example.com/t.png)", "markdown": REMOTE_MARKDOWN}
    ]
    study["factors"][0]["title"] = '<img src="https://example.com/f.png">'
    study["job"]["description"] = "![d](https://example.com/d.png)"
    return study


def test_a_report_whose_texts_hold_remote_images_loads_nothing() -> None:
    study = remote_study()
    context = build_report_context(study, analyse_study(study, resamples=0), date="2025-03-14")
    html = render_html(context)
    remote = re.compile(r"""^\s*['"]?\s*(https?:|//)""", re.IGNORECASE)
    assert [url for url in loaded_urls(html) if remote.match(url)] == []
    # the same on the markup (tags and style elements; the texts shown may name URLs)
    markup = "".join(re.findall(r"<[^>]*>", html))
    markup += "".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL))
    assert not re.search(r"""src\s*=\s*["']?\s*(https?:|//)""", markup, re.IGNORECASE)
    assert not re.search(r"""url\(\s*["']?\s*(https?:|//)""", markup, re.IGNORECASE)
    assert not re.search(r"<(img|iframe|script|link|video)\b[^>]*example\.com", markup)
    assert "&lt;style&gt;@import url(https://example.com/x.css)" in html  # shown, not loaded
    # what the reader sees instead: the images' alt text, the escaped HTML, the links
    assert "le plan et sans protocole" in html
    assert "relatif référencée" in html
    assert "&lt;iframe src=&quot;https://example.com/&quot;&gt;" in html
    assert '<a href="https://example.com/page">lien</a>' in html
    assert '<a href="https://example.com/auto">https://example.com/auto</a>' in html


def test_an_image_embedded_in_the_synthesis_is_kept() -> None:
    out = str(
        markdown_to_html("![logo](data:image/png;base64,iVBORw0KGgo=) ![x](https://e.org/x.png)")
    )
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo" />' in out
    assert "e.org" not in out
    assert out.count("<img") == 1


def test_the_harness_of_this_test_sees_a_remote_image() -> None:
    html = '<p><img src="https://e.org/x.png"><span style="background: url(//e.org/y)"></span></p>'
    html += "<style>@import 'https://e.org/z.css';</style>"
    assert len(loaded_urls(html)) == 3
