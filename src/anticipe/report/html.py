"""The study report in HTML: a fragment (for the site) and a standalone document.

Jinja2 with autoescape on: every text of the study is escaped. The facilitator's
synthesis is Markdown, rendered by markdown-it-py with raw HTML disabled (so it is shown
escaped, never interpreted: no ``<img>``, ``<iframe>``, ``<script>`` or ``<style>``) and
unsafe link schemes (``javascript:``...) refused.

The report makes no request when it is opened (nor when WeasyPrint renders it as PDF):
styles are inline, the chart is inline SVG, and a Markdown image is kept only when it is
embedded in the text (a ``data:image/png|jpeg|gif|webp`` URI); any other image
(``![plan](https://example.com/plan.png)``, a relative path) is shown as its alt text.
Links stay links: following one is the reader's choice.

The templates' words are English ``{{ _("...") }}`` calls (jinja2's i18n extension, with
the package's catalogue for the study's language: one environment per language), the
form ``makemessages`` finds; numbers are written by :mod:`anticipe.presentation`.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup

from anticipe.i18n import language_or_default, translator
from anticipe.presentation import EN_DASH, number, p_value
from anticipe.report import structural_appendix
from anticipe.report.charts import influence_map_svg


@cache
def _environment(language: str) -> jinja2.Environment:
    """The templates, with `language`'s catalogue and number formats."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("anticipe.report", "templates"),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    catalogue = translator(language)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]

    def num(value: Any, digits: int = 1, *, fixed: bool = False) -> str:
        return format_number(value, language, digits, fixed=fixed)

    env.globals.update(
        chart_svg=lambda chart: Markup(structural_appendix.chart_svg(chart, language)),
        num=num,
        stat=lambda s: statistic_text(s, language),
        concordance=lambda k: concordance_text(k, language),
    )
    return env


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.IGNORECASE)
"""An image inside the text itself: the only kind the report shows (no request to load it)."""


def _without_remote_images(md: MarkdownIt, children: list[Token]) -> list[Token]:
    """Inline tokens with each image that is not embedded replaced by its alt text."""
    kept = []
    for token in children:
        source = str(token.attrGet("src") or "")
        if token.type == "image" and not _EMBEDDED_IMAGE.match(source.strip()):
            alt = token.content
            if isinstance(md.renderer, RendererHTML):  # the alt text as plain text
                alt = md.renderer.renderInlineAsText(token.children or [], md.options, {})
            token = Token("text", "", 0, content=alt)
        kept.append(token)
    return kept


def markdown_to_html(text: str, *, shift_headings: int = 2) -> Markup:
    """Safe HTML for the facilitator's Markdown (raw HTML in it is escaped, images that
    are not embedded in it are shown as their alt text).

    Its headings are moved down `shift_headings` levels (``#`` becomes ``<h3>``) so they
    sit under the section's own title.
    """
    md = _markdown()
    env: dict[str, Any] = {}
    tokens = md.parse(text or "", env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift_headings, 6)}"
        if token.children:
            token.children = _without_remote_images(md, token.children)
    return Markup(md.renderer.render(tokens, md.options, env))


def format_number(value: Any, language: str, digits: int = 1, *, fixed: bool = False) -> str:
    """A number as the report writes it, in `language`: whole numbers without decimals
    (unless `fixed`), others with `digits` decimals, an en dash when missing."""
    return number(value, language, digits, trim=not fixed, missing=EN_DASH)


def statistic_text(statistic: dict[str, Any] | None, language: str) -> str:
    """A vote's median and interquartile range, "2,5 (1)", or an en dash."""
    if not statistic or statistic["median"] is None:
        return EN_DASH
    median = format_number(statistic["median"], language)
    return f"{median} ({format_number(statistic['iqr'], language)})"


def concordance_text(kendall: dict[str, Any] | None, language: str) -> str:
    """Kendall's W and its p-value ("W = 0,132, valeur p = 0,157"), or "not available"."""
    _ = translator(language).gettext
    if not kendall or kendall["w"] is None:
        return _("not available")
    text = f"W = {format_number(kendall['w'], language, 3)}"
    if kendall["p_value"] is not None:
        text += ", " + p_value(kendall["p_value"], language, 3, name=_("p-value"))
    return text


def _language(context: dict[str, Any]) -> str:
    return language_or_default(context.get("language"))


def stylesheet() -> str:
    """The report's CSS (screen and print)."""
    return resources.files("anticipe.report").joinpath("templates", "report.css").read_text("utf-8")


def render_html_fragment(context: dict[str, Any], *, svg: str | None = None) -> str:
    """The report as an HTML fragment (an ``<article>``), to embed in a page.

    `svg` is Graph 1 as SVG markup; drawn from the context when None.
    """
    if svg is None:
        svg = influence_map_svg(context) or ""
    template = _environment(_language(context)).get_template("report.html")
    return template.render(c=context, svg=Markup(svg), md=markdown_to_html)


def render_html(context: dict[str, Any], *, svg: str | None = None) -> str:
    """The report as a standalone HTML document (styles inline, no external request)."""
    fragment = render_html_fragment(context, svg=svg)
    template = _environment(_language(context)).get_template("document.html")
    return template.render(c=context, css=Markup(stylesheet()), fragment=Markup(fragment))
