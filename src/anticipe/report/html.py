"""The study report in HTML: a fragment (for the site) and a standalone document.

Jinja2 with autoescape on: every text of the study is escaped. The facilitator's
synthesis is Markdown, rendered by markdown-it-py with raw HTML disabled (so it is shown
escaped, never interpreted) and unsafe link schemes (``javascript:``...) refused.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from anticipe.report.charts import influence_map_svg


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("anticipe.report", "templates"),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_to_html(text: str, *, shift_headings: int = 2) -> Markup:
    """Safe HTML for the facilitator's Markdown (raw HTML in it is escaped).

    Its headings are moved down `shift_headings` levels (``#`` becomes ``<h3>``) so they
    sit under the section's own title.
    """
    md = _markdown()
    env: dict[str, Any] = {}
    tokens = md.parse(text or "", env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift_headings, 6)}"
    return Markup(md.renderer.render(tokens, md.options, env))


def format_number(value: Any, digits: int = 1, *, fixed: bool = False) -> str:
    """A number for the report: integers as they are (unless `fixed`), others with
    `digits` decimals."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer() and not fixed:
        return str(int(number))
    return f"{number:.{digits}f}"


def stylesheet() -> str:
    """The report's CSS (screen and print)."""
    return resources.files("anticipe.report").joinpath("templates", "report.css").read_text("utf-8")


def render_html_fragment(context: dict[str, Any], *, svg: str | None = None) -> str:
    """The report as an HTML fragment (an ``<article>``), to embed in a page.

    `svg` is Graph 1 as SVG markup; drawn from the context when None.
    """
    if svg is None:
        svg = influence_map_svg(context) or ""
    template = _environment().get_template("report.html")
    return template.render(
        c=context,
        svg=Markup(svg),
        md=markdown_to_html,
        num=format_number,
    )


def render_html(context: dict[str, Any], *, svg: str | None = None) -> str:
    """The report as a standalone HTML document (styles inline, no external request)."""
    fragment = render_html_fragment(context, svg=svg)
    template = _environment().get_template("document.html")
    return template.render(c=context, css=Markup(stylesheet()), fragment=Markup(fragment))
