"""The study report in HTML: a fragment (for the site) and a standalone document.

Jinja2 with autoescape on: every text of the study is escaped. The facilitator's
chapters are Markdown, rendered by markdown-it-py with raw HTML disabled (so it is shown
escaped, never interpreted) and unsafe link schemes (``javascript:``...) refused; their
footnotes (``text[^1]`` and ``[^1]: note``) are numbered across the whole report and
listed at the end of their chapter.

The report makes no request when it is opened:
styles are inline, the chart is inline SVG, and a Markdown image is kept only when it is
embedded in the text (a ``data:image/png|jpeg|gif|webp`` URI); any other image
(``![plan](https://example.com/plan.png)``, a relative path) is shown as its alt text.
Links stay links: following one is the reader's choice.

The templates' words are English ``{{ _("...") }}`` calls (jinja2's i18n extension, with
the package's catalogue for the study's language: one environment per language), the
form ``makemessages`` finds; numbers are written by :mod:`anticipe.presentation`, and
every text the templates print gets the language's typography (French no-break spaces).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any, cast

import jinja2
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from anticipe.i18n import language_or_default, translator
from anticipe.presentation import EN_DASH, number, p_value, typography
from anticipe.report import structural_appendix
from anticipe.report.chapters import footnote_contents, new_markdown_parser


def template_environment(
    language: str, *, finalize: Callable[[Any], Any], autoescape: bool, trim: bool
) -> jinja2.Environment:
    """The report's templates (``templates/``) in `language`: its catalogue (``_()``),
    its numbers (``num``, ``stat``, ``concordance``), strict about undefined values, each
    printed value passed through `finalize` (the format's escaping and typography). One
    for every format written from templates: HTML here, Typst in
    :mod:`anticipe.report.pdf`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("anticipe.report", "templates"),
        autoescape=autoescape,
        trim_blocks=trim,
        lstrip_blocks=trim,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        finalize=finalize,
    )
    catalogue = translator(language)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]

    def num(value: Any, digits: int = 1, *, fixed: bool = False) -> str:
        return format_number(value, language, digits, fixed=fixed)

    env.globals.update(
        num=num,
        stat=lambda s: statistic_text(s, language),
        concordance=lambda k: concordance_text(k, language),
    )
    return env


@cache
def _environment(language: str) -> jinja2.Environment:
    """The HTML templates, with `language`'s catalogue, number formats and typography."""

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, Markup):
            return typography(value, language)
        return value

    env = template_environment(language, finalize=finalize, autoescape=True, trim=False)
    env.globals["chart_svg"] = lambda chart, alt="": Markup(
        structural_appendix.chart_svg(chart, language)
    )
    return env


@cache
def _markdown() -> MarkdownIt:
    md = new_markdown_parser()
    md.add_render_rule("footnote_ref", _footnote_call)
    return md


class Notes:
    """The report's footnotes, numbered in order across every chapter rendered with it."""

    def __init__(self) -> None:
        self.count = 0


def _footnote_call(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """A footnote's call: its number (the notes are listed after the chapter)."""
    note_id = tokens[idx].meta["id"]
    if note_id not in env["numbers"]:
        env["notes"].count += 1
        env["numbers"][note_id] = env["notes"].count
    number = env["numbers"][note_id]
    return f'<sup class="fn-call">{number}</sup>'


def _footnote_list(env: Any) -> str:
    """The chapter's notes, listed after it."""
    items = "".join(
        f'<li value="{number}">{env["note_html"].get(note_id, "")}</li>'
        for note_id, number in sorted(env["numbers"].items(), key=lambda item: item[1])
    )
    return f'<ol class="fn-list">{items}</ol>' if items else ""


def _note_html(md: MarkdownIt, tokens: list[Token], options: Any, env: Any) -> dict[int, str]:
    """The text of each footnote called (by the body, or by a note called), as inline HTML,
    by the footnote's id: rendered once each, after the body, so that a note's own calls
    are numbered after the body's."""
    renderer = cast(RendererHTML, md.renderer)
    contents = footnote_contents(tokens)
    html: dict[int, str] = {}
    while pending := [note_id for note_id in env["numbers"] if note_id not in html]:
        for note_id in pending:
            html[note_id] = " ".join(
                renderer.renderInline(t.children or [], options, env)
                for t in contents.get(note_id, [])
            )
    return html


def _typeset(tokens: list[Token], language: str) -> None:
    """The language's typography on the text of the Markdown (not on code or links)."""
    for token in tokens:
        for child in token.children or []:
            if child.type == "text":
                child.content = typography(child.content, language)


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


def markdown_to_html(
    text: str, *, shift_headings: int = 2, notes: Notes | None = None, language: str = "en"
) -> Markup:
    """Safe HTML for the facilitator's Markdown (raw HTML in it is escaped, images that
    are not embedded in it are shown as their alt text).

    Its headings are moved down `shift_headings` levels (``#`` becomes ``<h3>``) so they
    sit under the section's own title. Footnotes are numbered after those already in
    `notes` (one :class:`Notes` per report).
    """
    md = _markdown()
    env: dict[str, Any] = {"notes": notes or Notes(), "numbers": {}}
    tokens = md.parse(text or "", env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift_headings, 6)}"
    for token in tokens:
        if token.children:
            token.children = _without_remote_images(md, token.children)
    _typeset(tokens, language)
    body = list(itertools.takewhile(lambda t: t.type != "footnote_block_open", tokens))
    html = md.renderer.render(body, md.options, env)
    env["note_html"] = _note_html(md, tokens, md.options, env)
    html += _footnote_list(env)
    return Markup(html)


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


def _md_for(language: str) -> Callable[..., Markup]:
    """The templates' ``md()``: Markdown with one footnote numbering for the report."""
    notes = Notes()

    def md(text: str, shift_headings: int = 2) -> Markup:
        return markdown_to_html(text, shift_headings=shift_headings, notes=notes, language=language)

    return md


#: The appendix' charts in the templates: ``chart_svg(chart, alt)`` gives the markup of
#: one (its alternative text `alt` for an image that refers to it).
Figure = Callable[[Any, str], str]


def render_html_fragment(
    context: dict[str, Any], *, svg: str | None = None, figure: Figure | None = None
) -> str:
    """The report as an HTML fragment (an ``<article>``), to embed in a page.

    `svg` is Graph 1's markup (inline SVG); drawn from the context when None. `figure`
    gives the appendix charts' markup (inline SVG drawn here when None).
    """
    if svg is None:
        from anticipe.report.charts import influence_map_svg

        svg = influence_map_svg(context) or ""
    language = _language(context)
    template = _environment(language).get_template("report.html")
    outline = {entry["id"]: entry for entry in context["outline"]}
    variables: dict[str, Any] = {}
    if figure is not None:
        variables["chart_svg"] = lambda chart, alt="": Markup(figure(chart, alt))
    return template.render(
        c=context, svg=Markup(svg), md=_md_for(language), outline=outline, esc=escape, **variables
    )


def render_html(
    context: dict[str, Any], *, svg: str | None = None, figure: Figure | None = None
) -> str:
    """The report as a standalone HTML document (styles inline, no external request)."""
    fragment = render_html_fragment(context, svg=svg, figure=figure)
    template = _environment(_language(context)).get_template("document.html")
    return template.render(c=context, css=Markup(stylesheet()), fragment=Markup(fragment))
