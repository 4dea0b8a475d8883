"""The study report in PDF (A4), typeset by Typst from the report's context.

The Typst source is written by Jinja templates (``report.typ``, ``appendix.typ``,
``structural_appendix.typ``: the same context, words, order and catalogue as the HTML
templates) with every study text escaped for Typst markup, so that no text of a study can
run Typst code; the facilitator's Markdown goes through :mod:`anticipe.report.typst_markup`.
Typst then compiles it, with the charts (SVG, drawn meanwhile on the other core by
:mod:`anticipe.report.drawings`) and the images embedded in the Markdown as files of a
temporary folder that is its root: it reads nothing else and makes no request.

The PDF is tagged (PDF/UA-1: its structure, headings, tables, figures with their
alternative text and its reading order are readable by assistive technologies) and
carries the report's language and title. Typst lays out the example's 39 pages in about
half a second, where WeasyPrint (the HTML and CSS, 53 pages) took about five.

The self-assessment respondent's one-page result (``self_assessment_result.typ``) is made
the same way, by :func:`render_typst`.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

import jinja2

from anticipe.i18n import language_or_default
from anticipe.presentation import punctuation, typography
from anticipe.report import structural_appendix
from anticipe.report.html import template_environment
from anticipe.report.typst_markup import Notes, Typst, escape, markdown_to_typst, string

PDF_STANDARD: Final = "ua-1"
"""The standard the PDF conforms to: Typst checks it as it writes the file, and refuses
to claim it when the report breaks it. What a study can bring that breaks it is text
that none of the installed fonts can show (a script or emoji without a font here); the
PDF is then written tagged as ever, without the claim, and a warning says why."""

logger = logging.getLogger(__name__)

SOURCE = "report.typ"
PARAGRAPH_BREAK: Final = Typst("\n\n")
"""What ends a text in the source: whatever the template writes next is a new paragraph."""
CHARTS = "charts"


@cache
def _environment(language: str) -> jinja2.Environment:
    """The Typst templates, with `language`'s catalogue, number formats and typography;
    every printed value that is not already :class:`Typst` markup is escaped."""

    def finalize(value: Any) -> Any:
        if isinstance(value, Typst):
            return value
        return escape(typography(str(value), language))

    env = template_environment(language, finalize=finalize, autoescape=False, trim=True)
    env.globals["punct"] = lambda mark: punctuation(mark, language)
    env.filters["str"] = lambda value: Typst(string(typography(str(value), language)))
    env.filters["escape_typst"] = lambda value: escape(typography(str(value), language))
    return env


def typst_source(context: Mapping[str, Any], images: dict[str, bytes] | None) -> str:
    """The report's Typst source; the images embedded in its Markdown are added to
    `images` (file name → bytes; shown as their alt text when it is None), the charts
    are files of the ``charts`` folder named as in
    :func:`anticipe.report.drawings.draw_svgs`."""
    language = language_or_default(context.get("language"))
    outline = {entry["id"]: entry for entry in context["outline"]}
    appendix = structural_appendix.charts(context)
    notes = Notes()
    flags = context["flags"]
    texts = context["texts"]

    def md(text: str, shift_headings: int) -> Typst:
        """The Markdown of a section whose own heading is of level `shift_headings`: its
        headings go under it (PDF/UA-1 wants no level skipped)."""
        markup = markdown_to_typst(
            text, shift_headings=shift_headings, notes=notes, language=language, images=images
        )
        return Typst(markup + PARAGRAPH_BREAK)

    def heading(key: str, level: int) -> Typst:
        title = escape(typography(outline[key]["heading"], language))
        return Typst(f"#heading(level: {level}, outlined: true)[{title}] <{key}>")

    def flag(part: str) -> Typst:
        if part not in flags:
            return Typst("")
        return Typst(f"#flag[{escape(typography(flags[part], language))}]")

    def text(key: str, level: int = 2) -> Typst:
        """A step's text under its heading (of `level`)."""
        if key not in texts:
            return Typst("")
        if "markdown" in texts[key]:
            return md(texts[key]["markdown"], level)
        return Typst(escape(typography(texts[key]["text"], language)) + PARAGRAPH_BREAK)

    def chart(which: Any, alt: str, caption: str) -> Typst:
        """A chart (``"map"`` or one of the appendix', by identity) with its caption (Typst
        markup, as the template rendered it), kept together on a page."""
        if isinstance(which, str):
            name = which
        else:
            name = f"appendix-{next(i for i, known in enumerate(appendix) if known is which)}"
        alt_text = string(typography(alt, language))
        return Typst(
            f'#block(breakable: false, above: 8pt, below: 4pt)[#align(center, image("{CHARTS}/'
            f'{name}.svg", alt: {alt_text}, width: 100%))\n#caption[{caption}]]'
        )

    template = _environment(language).get_template(SOURCE)
    return template.render(
        c=context,
        outline=outline,
        md=md,
        heading=heading,
        flag=flag,
        text=text,
        chart=chart,
        has_map=bool(context.get("map") and context["map"]["points"]),
    )


def render_pdf(
    context: Mapping[str, Any],
    *,
    charts: Callable[[], Mapping[str, str]] | None = None,
) -> bytes:
    """The report as PDF bytes (A4, running title, page numbers, tables split cleanly).

    `charts` gives the charts' SVG by name (:func:`anticipe.report.drawings.draw_svgs`),
    drawn elsewhere meanwhile: it is called once the source is written; they are drawn
    here when it is None. An image embedded in a chapter that Typst cannot read (its
    first bytes say PNG, the rest does not) is shown as its alt text, with a warning.
    """
    import typst

    images: dict[str, bytes] = {}
    source = typst_source(context, images)
    if charts is None:
        from anticipe.report.drawings import draw_svgs

        drawn: Mapping[str, str] = draw_svgs(context)
    else:
        drawn = charts()
    try:
        return _compile(source, drawn, images)
    except typst.TypstError as error:
        if not images:
            raise
        logger.warning(
            "The report failed with the images of its chapters (%s): they are shown as their "
            "alt text",
            error,
        )
        return _compile(typst_source(context, None), drawn, {})


def render_typst(template: str, language: str | None, **variables: Any) -> bytes:
    """The PDF of one of the package's Typst templates (``templates/<template>``), rendered
    with `variables` and ``language`` in `language` (its catalogue and typography; every
    value printed is escaped, as in the report) and compiled as the report is (PDF/UA-1
    when the text allows it), without charts or images."""
    language = language_or_default(language)
    source = _environment(language).get_template(template)
    return _compile(source.render(variables, language=language), {}, {})


def _compile(source: str, charts: Mapping[str, str], images: Mapping[str, bytes]) -> bytes:
    """The PDF of `source`, in a temporary folder with its charts and images: PDF/UA-1,
    or tagged without that claim when the text breaks it (:data:`PDF_STANDARD`)."""
    import typst

    with tempfile.TemporaryDirectory(prefix="anticipe-report-") as folder:
        root = Path(folder)
        (root / SOURCE).write_text(source, encoding="utf-8")
        (root / CHARTS).mkdir()
        for name, svg in charts.items():
            if svg:
                (root / CHARTS / f"{name}.svg").write_text(svg, encoding="utf-8")
        for name, data in images.items():
            (root / name).write_bytes(data)
        main = str(root / SOURCE)
        try:
            pdf: bytes = typst.compile(main, root=folder, format="pdf", pdf_standards=PDF_STANDARD)
        except typst.TypstError as error:
            if not str(error).startswith("PDF/UA-1 error"):
                raise
            logger.warning("The report is tagged but not PDF/UA-1: %s", error)
            pdf = typst.compile(main, root=folder, format="pdf")
    return pdf
