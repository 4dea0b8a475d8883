"""The study report as an editable Word document (python-docx).

Real headings (Heading 1-3 styles, so Word's navigation pane and table of contents
work) numbered as the PDF numbers them, a table of contents field (Word fills it when the
document is opened), real tables (header rows repeated on each page, rows kept whole),
Table 3 on landscape pages, the chart as a PNG picture, the facilitator's chapters
turned into styled paragraphs and lists (:mod:`.docx_markdown`). The document's language
is the study's, so Word checks the spelling in that language; the running header is not
printed on the cover. Marks in Table 3 are letters and a star, explained in a legend, and
the retained hypothesis is in bold.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Row

from anticipe.i18n import translator
from anticipe.presentation import general, typography
from anticipe.report.docx_markdown import WordNotes, add_markdown, numbered, styled

BLUE = RGBColor(0x1D, 0x4E, 0x89)
GREY = RGBColor(0x52, 0x60, 0x6D)
MUTED = RGBColor(0x82, 0x9A, 0xB1)
ORANGE = RGBColor(0xB5, 0x47, 0x1B)
SHADE_HEADER = "1D4E89"
SHADE_FLAG = "FFF4EC"
PORTRAIT_WIDTH = 17.0  # cm between the margins
LANDSCAPE_WIDTH = 25.7
LOCALES = {"fr": "fr-FR", "en": "en-GB"}


# --------------------------------------------------------------------------- low-level helpers


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _run_xml(text: str) -> str:
    """A run of `text` as python-docx's ``add_run`` writes it: a tab is ``w:tab``, a line
    break ``w:br``, the rest ``w:t`` (space preserved where it begins or ends one)."""
    parts = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{''.join(parts)}</w:r>"


_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _row_property(row: Any, name: str) -> None:
    """``w:tblHeader`` (repeat the row on each page) or ``w:cantSplit`` (keep it whole)."""
    element = OxmlElement(name)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _field(paragraph: Any, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, TOC...) updated when the document is opened or printed."""
    run = paragraph.add_run()
    parts = [("w:fldChar", "begin"), ("w:instrText", f" {instruction} ")]
    parts += [("w:fldChar", "separate"), ("w:t", placeholder), ("w:fldChar", "end")]
    for name, value in parts:
        element = OxmlElement(name)
        if name == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run._r.append(element)


def _language(document: Any, locale: str) -> None:
    """The document's language for every style (Word's spelling and hyphenation)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault"))
    properties = run_defaults.find(qn("w:rPr"))
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), locale)
    properties.append(lang)
    update = OxmlElement("w:updateFields")  # fill the table of contents on opening
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


class _Word:
    """One report being written: the document, its language, styles and footnotes."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.c = context
        self.lang = context["language"]
        self.t = translator(self.lang)
        self.document: Any = Document()
        self.styles: dict[str, Any] = {}
        self.notes = WordNotes()
        self.outline = {e["id"]: e for e in context["outline"]}
        self.muted = MUTED
        self.chart_paragraph: Any = None
        #: The charts' PNG by name (:func:`anticipe.report.drawings.draw_pictures`).
        self.pictures: Callable[[], Mapping[str, bytes | None]] | None = None

    # -- text -------------------------------------------------------------------------------

    def style(self, name: str) -> Any:
        """A style object, looked up once (lookups by name are slow)."""
        if name not in self.styles:
            self.styles[name] = self.document.styles[name]
        return self.styles[name]

    def typeset(self, text: str) -> str:
        return typography(text, self.lang)

    def para(self, text: str = "", *, style: str | None = None) -> Any:
        paragraph = (
            styled(self.document, self.style, style) if style else self.document.add_paragraph()
        )
        if text:
            paragraph.add_run(self.typeset(text))
        return paragraph

    def note(self, text: str) -> None:
        run = self.para().add_run(self.typeset(text))
        run.italic = True
        run.font.color.rgb = GREY

    def heading(self, key: str, level: int) -> None:
        """A heading of the outline, numbered as in the table of contents."""
        self.title(self.outline[key]["heading"], level)

    def title(self, text: str, level: int) -> None:
        """A heading (level 0: the document's title)."""
        name = "Title" if level == 0 else f"Heading {level}"
        styled(self.document, self.style, name).add_run(self.typeset(text))

    def markdown(self, text: str) -> None:
        add_markdown(self.document, text, self.style, language=self.lang, notes=self.notes)

    def text(self, key: str) -> None:
        """A chapter's Markdown, or the standard description of its step."""
        entry = self.c["texts"].get(key)
        if entry and "markdown" in entry:
            self.markdown(entry["markdown"])
        elif entry:
            self.para(entry["text"])

    def flag(self, part: str) -> None:
        """The flag of a figure computed from simulated answers (none for a real study)."""
        sentence = self.c["flags"].get(part)
        if not sentence:
            return
        table = self.document.add_table(rows=1, cols=1)
        cell = table.rows[0].cells[0]
        _shade(cell, SHADE_FLAG)
        run = cell.paragraphs[0].add_run(self.typeset(f"⚠ {sentence}"))
        run.font.size = Pt(8.5)
        run.font.color.rgb = ORANGE

    def caption(self, text: str) -> None:
        paragraph = self.para(text, style="Caption")
        paragraph.paragraph_format.space_after = Pt(8)

    # -- tables -----------------------------------------------------------------------------

    def cell(self, cell: Any, text: str, *, bold: bool = False, size: float | None = None) -> Any:
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(self.typeset(text))
        if bold:
            run.bold = True
        if size:
            run.font.size = Pt(size)
        return run

    def table(self, headers: list[str], widths: list[float]) -> Any:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        row = table.rows[0]
        _row_property(row, "w:tblHeader")
        for cell, header in zip(row.cells, headers, strict=True):
            self.cell(cell, header, bold=True).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            _shade(cell, SHADE_HEADER)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
        return table

    def table_of(self, headers: list[str], widths: list[float], rows: list[list[str]]) -> Any:
        """A table with its header row and one row per list of values."""
        table = self.table(headers, widths)
        for values in rows:
            self.row(table, values)
        return table

    def row(self, table: Any, values: list[str]) -> Any:
        """A row of `values` (one run each, none for an empty one) at the table's foot,
        kept whole on a page: the XML python-docx's ``add_row``, ``cells`` and ``add_run``
        write, parsed at once (they took half the DOCX's own time)."""
        widths = [column.get(qn("w:w")) for column in table._tbl.tblGrid.gridCol_lst]
        cells = "".join(
            "<w:tc>"
            + (f'<w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>' if width else "")
            + f"<w:p>{_run_xml(self.typeset(value)) if value else ''}</w:p></w:tc>"
            for width, value in zip(widths, values, strict=True)
        )
        tr = parse_xml(
            f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit w:val="true"/></w:trPr>{cells}</w:tr>'
        )
        table._tbl.append(tr)
        return _Row(tr, table)

    def bullets(self, cell: Any, items: list[str], *, first: bool = True) -> None:
        """Items as bulleted paragraphs of a cell (the first in its empty paragraph)."""
        for k, item in enumerate(items):
            paragraph = cell.paragraphs[0] if k == 0 and first else cell.add_paragraph()
            paragraph.add_run(self.typeset(f"• {item}"))

    def landscape(self, on: bool) -> None:
        """A new section on landscape (or back to portrait) pages."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21)
        section.page_width, section.page_height = (long, short) if on else (short, long)


def render_docx(
    context: dict[str, Any],
    *,
    pictures: Callable[[], Mapping[str, bytes | None]] | None = None,
) -> bytes:
    """The report as DOCX bytes. `pictures` gives the charts
    (:func:`anticipe.report.drawings.draw_pictures`),
    drawn elsewhere meanwhile (:mod:`anticipe.report.background`): called when the
    appendix needs them; drawn here when it is None. Graph 1 is put in its place last."""
    w = _Word(context)
    w.pictures = pictures
    _page_setup(w)
    _cover(w)
    _contents(w)
    _introduction_and_summary(w)
    _method(w)
    _perimeter(w)
    _factors(w)
    _selection(w)
    _hypotheses(w)
    _actions(w)
    _impacts(w)
    _reference_frameworks(w)
    _training_needs(w)
    _references(w)
    from anticipe.report.docx_appendix import appendix

    appendix(w)
    if w.chart_paragraph is not None:
        if pictures is not None:
            png = pictures()["map"]
        else:
            from anticipe.report.charts import influence_map_png

            png = influence_map_png(context, dpi=150)
        if png:
            w.chart_paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(PORTRAIT_WIDTH - 1))
    buffer = io.BytesIO()
    w.document.save(buffer)
    return buffer.getvalue()


def _page_setup(w: _Word) -> None:
    """A4 portrait, the styles' fonts, the language, the running title (not on the cover)
    and the page numbers."""
    c, document = w.c, w.document
    core = document.core_properties
    core.title = c["cover"]["title"]
    core.language = LOCALES.get(w.lang, w.lang)
    core.author = c["cover"]["organisation"] or "Anticipe"
    _language(document, LOCALES.get(w.lang, w.lang))
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    section.different_first_page_header_footer = True
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    w.style("Table Grid").font.size = Pt(9)
    footnote = document.styles.add_style("Footnote", 1)
    footnote.base_style = normal
    footnote.font.size = Pt(8)
    footnote.font.color.rgb = GREY
    header = section.header.paragraphs[0]
    header.text = w.typeset(c["cover"]["title"])
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(footer, "PAGE")


def _cover(w: _Word) -> None:
    cover, _ = w.c["cover"], w.t.gettext
    kicker = w.para().add_run(w.typeset(cover["kicker"].upper()))
    kicker.bold = True
    kicker.font.color.rgb = BLUE
    w.title(cover["title"], 0)
    w.para(cover["subtitle"], style="Subtitle")
    date = w.para().add_run(w.typeset(cover["date"]))
    date.bold = True
    date.font.color.rgb = BLUE
    for key in ("organisation", "authors"):
        if cover[key]:
            w.para(cover[key])
    facts = [(_("Horizon"), cover["horizon"]), (_("Job code"), cover["job_code"])]
    source = cover["source"]
    if source:
        facts.append((_("Source"), " ".join(x for x in (source["text"], source["url"]) if x)))
    facts.append((_("Licence"), cover["licence"]))
    for name, value in facts:
        if value:
            paragraph = w.para()
            paragraph.add_run(w.typeset(_("{name}: ").format(name=name))).bold = True
            paragraph.add_run(w.typeset(value))
    if source and source["note"]:
        w.note(source["note"])
    if cover["simulation"]:
        notice = cover["simulation"]
        table = w.document.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        cell = table.rows[0].cells[0]
        _shade(cell, SHADE_FLAG)
        title = w.cell(cell, f"⚠ {notice['title'].upper()}", bold=True)
        title.font.color.rgb = ORANGE
        cell.add_paragraph(w.typeset(notice["text"]))


def _contents(w: _Word) -> None:
    """The table of contents: a field Word fills from the headings."""
    w.document.add_page_break()
    w.para(w.t.gettext("Contents"), style="TOC Heading")
    placeholder = w.t.gettext("The table of contents appears when Word updates the fields.")
    _field(w.para(), 'TOC \\o "1-2" \\h \\z \\u', w.typeset(placeholder))


def _introduction_and_summary(w: _Word) -> None:
    """The introduction (when written) and Part 1: the synthesis and the key activities."""
    _ = w.t.gettext
    if "introduction" in w.outline:
        w.document.add_page_break()
        w.heading("introduction", 1)
        w.markdown(w.c["texts"]["introduction"]["markdown"])
    w.document.add_page_break()
    w.heading("part1", 1)
    for s in w.c["synthesis"]:
        if s["title"]:
            w.title(s["title"], 2)
        w.markdown(s["markdown"])
    if not w.c["key_activities"]:
        return
    w.title(_("Key activities"), 2)
    w.para(
        _(
            "The job's activities, ranked by the number of evolutions (retained hypotheses) "
            "that impact them."
        )
    )
    table = w.table([_("Rank"), _("Activity"), _("Evolutions impacting it")], [1.5, 12.0, 3.5])
    for a in w.c["key_activities"]:
        w.row(table, [str(a["rank"]), f"{a['code']}. {a['title']}", str(a["count"])])


def _method(w: _Word) -> None:
    w.document.add_page_break()
    w.heading("part2", 1)
    if "method" in w.c["texts"]:
        w.text("method")
        return
    method = w.c["method"]
    w.para(" ".join(x for x in (method["intro"], method["panel"]) if x))
    for k, step in enumerate(method["steps"], start=1):
        numbered(w.document, w.style, k).add_run(w.typeset(step))


def _perimeter(w: _Word) -> None:
    _ = w.t.gettext
    w.heading("perimeter", 2)
    w.text("job")
    table = w.table([_("Activities"), w.c["words"]["explanatory_content"]], [5.0, 12.0])
    for a in w.c["perimeter"]:
        row = w.row(table, [f"{a['code']}. {a['title']}", a["description"]])
        row.cells[0].paragraphs[0].runs[0].bold = True
        w.bullets(row.cells[1], [f"{t['code']} {t['title']}" for t in a["tasks"]], first=False)
    w.caption(_("Table 1: The job's perimeter"))
    if "frameworks" in w.c["texts"]:
        w.title(_("Reference frameworks"), 3)
        w.text("frameworks")


def _factors(w: _Word) -> None:
    _ = w.t.gettext
    w.heading("factors", 2)
    w.text("factors")
    w.flag("shortlist")
    table = w.table([_("Code"), _("Factor")], [2.0, 15.0])
    for f in w.c["factors"]:
        row = w.row(table, [f["code"], f["title"]])
        row.cells[0].paragraphs[0].runs[0].bold = True
    w.caption(w.c["vote"]["caption"])


def _selection(w: _Word) -> None:
    """Graph 1 (its picture is put in its paragraph last) and the key factors."""
    _ = w.t.gettext
    w.heading("selection", 2)
    w.text("selection")
    if w.c["map"]:
        w.chart_paragraph = w.para()
        w.chart_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        w.caption(_("Graph 1: Influence / dependence map of the factors"))
        w.flag("influence_matrices")
    else:
        w.note(w.c["no_map"])
    if not w.c["key_factors"]:
        w.note(_("No key factor has been retained yet."))
        return
    w.para(_("The key factors are:"))
    for k in w.c["key_factors"]:
        text = f"{k['title']} ({k['code']})"
        if k["origin"] == "addition":
            text += f" — {k['reason'] or k['origin_label']}"
        numbered(w.document, w.style, k["number"]).add_run(w.typeset(text))
    w.flag("key_factors")


def _grid_cell(w: _Word, cell: Any, h: dict[str, Any] | None) -> None:
    """A hypothesis in Table 3: its marks, its own label or merge, its text."""
    if h is None:
        return
    _ = w.t.gettext
    paragraph = cell.paragraphs[0]
    marks = [m for m, on in ((_("P"), h["most_probable"]), (_("D"), h["most_desirable"])) if on]
    marks += ["★"] if h["retained"] else []
    if marks:
        run = paragraph.add_run(" ".join(f"[{m}]" for m in marks) + " ")
        run.bold = True
        run.font.color.rgb = BLUE
    if h["own_label"]:
        paragraph.add_run(f"{h['label']} ").bold = True
    if h["merged_note"]:
        paragraph.add_run(w.typeset(h["merged_note"]) + " ").italic = True
    text = paragraph.add_run(w.typeset(h["text"]))
    text.bold = bool(h["retained"]) or None


def _hypotheses(w: _Word) -> None:
    """Section 4's opening and Table 3, on landscape pages."""
    _ = w.t.gettext
    w.heading("hypotheses", 2)
    w.text("hypotheses")
    grid = w.c["grid"]
    if not grid["rows"]:
        w.note(_("No hypothesis has been written yet."))
        return
    w.landscape(True)
    columns = len(grid["headers"])
    first = 4.5
    widths = [first] + [(LANDSCAPE_WIDTH - first) / max(columns, 1)] * columns
    table = w.table([_("Factor"), *grid["headers"]], widths)
    for r in grid["rows"]:
        row = table.add_row()
        _row_property(row, "w:cantSplit")
        head = row.cells[0]
        w.cell(head, f"{r['number']} ({r['factor']})", bold=True).font.color.rgb = BLUE
        head.add_paragraph().add_run(w.typeset(r["title"])).bold = True
        for extra in (r["reworded"], r["addition"]):
            if extra:
                head.add_paragraph(w.typeset(extra)).runs[0].font.size = Pt(8)
        if r["current_situation"]:
            situation = _("Current situation: {text}").format(text=r["current_situation"])
            head.add_paragraph(w.typeset(situation)).runs[0].font.size = Pt(8)
        for cell, h in zip(row.cells[1:], r["cells"], strict=True):
            _grid_cell(w, cell, h)
    w.caption(_("Table 3: The evolution hypotheses of each key factor"))
    legend = " – ".join(f"[{m['mark']}] {m['meaning']}" for m in grid["legend"])
    w.para(legend).runs[0].font.size = Pt(8.5)
    w.flag("hypothesis_votes")
    w.landscape(False)


def _actions(w: _Word) -> None:
    """Table 4: the action plan for the evolution profile."""
    _ = w.t.gettext
    w.title(_("Action plan for the evolution profile"), 3)
    w.text("actions")
    plan = w.c["action_plan"]
    if not plan["rows"]:
        w.note(_("No action has been proposed yet."))
        return
    headers = [_("Change factor"), _("Retained evolution hypothesis"), _("Actions")]
    table = w.table(headers, [3.8, 6.2, 7.0])
    for r in plan["rows"]:
        row = w.row(table, [r["factor_heading"], r["text"], ""])
        row.cells[0].paragraphs[0].runs[0].bold = True
        cell = row.cells[2]
        if r["note"]:
            run = cell.paragraphs[0].add_run(w.typeset(r["note"]))
            run.italic = True
            run.font.size = Pt(8.5)
        w.bullets(cell, [a["text"] for a in r["actions"]], first=not r["note"])
    w.caption(_("Table 4: The action plan"))
    if plan["without"]:
        w.note(plan["without"])


def _impacts(w: _Word) -> None:
    """Section 5: the impacts on the activities, Table 5 and the recommendations."""
    _ = w.t.gettext
    w.heading("impacts", 2)
    w.text("impacts")
    impacts = w.c["impacts"]
    if impacts["empty"]:
        w.note(_("No impact has been entered yet."))
    else:
        headers = [
            _("Impacted activity (to…)"),
            _("Resources (competences) (one needs to…)"),
            _("Impacting change factor (in a context where…)"),
        ]
        table = w.table(headers, [3.8, 8.4, 4.8])
        no_competence = _("No particular competence.")
        for a in impacts["activities"]:
            for k, r in enumerate(a["rows"]):
                row = w.row(table, [f"{a['code']}. {a['title']}", "", ""])
                first = row.cells[0].paragraphs[0].runs[0]
                first.bold = k == 0 or None
                if k:
                    first.font.color.rgb = MUTED
                    first.font.size = Pt(8)
                texts = [comp["text"] for comp in r["competences"]] or [no_competence]
                w.bullets(row.cells[1], texts)
                w.cell(row.cells[2], " +\n".join(f["heading"] for f in r["factors"]))
        w.caption(_("Table 5: Major competences"))
    if "recommendations" in w.c["texts"]:
        w.title(_("Recommendations"), 3)
        w.text("recommendations")


def _reference_frameworks(w: _Word) -> None:
    """Section 6: the study's competences in the European reference frameworks."""
    if "reference_frameworks" not in w.outline:
        return
    _ = w.t.gettext
    chapter = w.c["frameworks"]
    w.heading("reference_frameworks", 2)
    w.para(chapter["intro"])
    headers = [
        _("Area"),
        _("Framework competence"),
        _("Competences of the study"),
        _("Level expected"),
    ]
    for f in chapter["frameworks"]:
        w.title(f["heading"], 3)
        w.para(f["coverage"])
        table = w.table(headers, [3.4, 5.0, 6.0, 2.6])
        for area in f["areas"]:
            for k, r in enumerate(area["rows"]):
                row = w.row(table, [f"{area['id']}. {area['title']}", "", "", r["levels"] or "—"])
                first = row.cells[0].paragraphs[0].runs[0]
                first.bold = k == 0 or None
                if k:
                    first.font.color.rgb = MUTED
                    first.font.size = Pt(8)
                w.cell(row.cells[1], "\n".join([f"{r['id']} {r['title']}", *r["other_titles"]]))
                w.bullets(row.cells[2], r["competences"])
        w.caption(_("The study's competences in %(framework)s") % {"framework": f["name"]})
        if f["uncovered"]:
            w.para(f["uncovered"])
        w.note(f["attribution"])
    if chapter["others"]:
        w.para(f"{_('Other references:')} {'; '.join(chapter['others'])}")
    if chapter["unlinked"]:
        w.title(_("Competences not linked to a framework"), 3)
        for competence in chapter["unlinked"]:
            w.para(f"• {competence}")
    _profile(w)
    _what_is_new(w)
    if chapter["esco"]:
        w.note(chapter["esco"])


def _profile(w: _Word) -> None:
    """The job's competence profile (in section 6), flagged when the retained hypotheses
    come from simulated votes."""
    profile = w.c["profile"]
    if profile["empty"]:
        return
    _ = w.t.gettext
    w.title(_("The job's competence profile"), 3)
    w.para(profile["intro"])
    headers = [
        _("Competence"),
        _("Activities"),
        _("Frameworks (level expected)"),
        _("Retained hypotheses naming it"),
    ]
    rows = [
        [
            r["competence"],
            "; ".join(r["activities"]) or "—",
            "; ".join(r["links"]) or "—",
            str(r["strength"]),
        ]
        for r in profile["rows"]
    ]
    w.table_of(headers, [6.0, 4.4, 4.4, 2.2], rows)
    w.caption(_("Table 7: The job's competence profile"))
    if profile["areas"]:
        headers = [
            _("Framework"),
            _("Area"),
            _("Linked framework competences (competences of the study)"),
            _("Retained hypotheses"),
        ]
        rows = [
            [a["framework"], a["area"], "; ".join(a["linked"]) or "—", str(a["strength"])]
            for a in profile["areas"]
        ]
        w.table_of(headers, [2.6, 5.0, 7.2, 2.2], rows)
        w.caption(_("Table 8: Retained hypotheses per area of the frameworks"))
    w.flag("hypothesis_votes")


def _what_is_new(w: _Word) -> None:
    """What the study's profile adds to today's profile of the job (in section 6)."""
    new = w.c["new"]
    if new["empty"]:
        return
    _ = w.t.gettext
    w.title(_("What is new compared with today's profile"), 3)
    w.para(new["intro"])
    w.table_of(new["headers"], [2.6, 2.4, 5.2, 2.2, 2.2, 2.4], new["rows"])
    w.caption(
        _("Table %(number)s: What is new compared with today's profile") % {"number": new["table"]}
    )
    w.flag("hypothesis_votes")


def _training_needs(w: _Word) -> None:
    """The training needs: each need, the modules that cover it, the needs none covers."""
    if "training_needs" not in w.outline:
        return
    _ = w.t.gettext
    training = w.c["training"]
    w.heading("training_needs", 2)
    w.para(training["intro"])
    w.para(training["summary"])
    w.para(training["not_covered"])
    groups = training["groups"]
    headers = [
        _("Competence"),
        _("Retained hypotheses naming it"),
        _("Level expected"),
        _("Modules"),
        *(_("Below the level expected: %(group)s") % {"group": g} for g in groups),
    ]
    rest = 2.4 * len(groups)
    widths = [5.4 - rest / 3, 1.6, 3.6 - rest / 3, 6.4 - rest / 3, *([2.4] * len(groups))]
    rows = [
        [r["competence"], str(r["strength"]), r["expected"], r["modules"], *r["below"]]
        for r in training["rows"]
    ]
    table = w.table_of(headers, widths, rows)
    for row, need in zip(table.rows[1:], training["rows"], strict=True):
        if not need["covered"]:
            for run in row.cells[3].paragraphs[0].runs:
                run.bold = True
    w.caption(
        _("Table %(number)s: Training needs and the modules that cover them")
        % {"number": training["table"]}
    )
    w.flag("training_catalogue")
    if groups:
        w.flag("self_assessment")
    w.flag("hypothesis_votes")
    w.table_of(
        [_("Module"), _("Provider"), _("Duration (hours)")],
        [9.0, 5.6, 2.4],
        [
            [f"{m['id']} {m['title']}", m["provider"] or "—", _hours(m["hours"], w.lang)]
            for m in training["modules"]
        ],
    )
    w.caption(_("The modules of the training catalogue"))
    w.flag("training_catalogue")


def _hours(hours: float | None, lang: str) -> str:
    return general(hours, lang, missing="—")


def _references(w: _Word) -> None:
    if "references" not in w.outline:
        return
    w.heading("references", 1)
    w.markdown(w.c["texts"]["references"]["markdown"])
