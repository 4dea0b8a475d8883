"""The study report as an editable Word document (python-docx).

Real headings (Heading 1-3 styles, so Word's navigation pane and table of contents work),
real tables (header rows repeated on each page), the chart as a PNG picture, the
facilitator's Markdown turned into styled paragraphs and lists. Marks in Table 3 are
spelled out in words as well as shown by type styles and shading.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from markdown_it import MarkdownIt

from anticipe.i18n import translator
from anticipe.report.charts import influence_map_png
from anticipe.report.html import concordance_text, format_number, statistic_text
from anticipe.report.structural_appendix import document_parts

BLUE = RGBColor(0x1D, 0x4E, 0x89)
GREY = RGBColor(0x52, 0x60, 0x6D)
ORANGE = RGBColor(0xB5, 0x47, 0x1B)
SHADE_HEADER = "1D4E89"
SHADE_GROUP = "D9E2EC"
SHADE = {"probable": "DBEAFE", "desirable": "FEF3C7", "both": "FDE2E4"}
PAGE_WIDTH = 17.0  # cm between the margins


# --------------------------------------------------------------------------- low-level helpers


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cant_split(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES...) updated when the document is opened or printed."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)


def _style(document: Any, name: str) -> Any:
    """A style object, looked up once per document (lookups by name are slow)."""
    cache: dict[str, Any] = document.__dict__.setdefault("_anticipe_styles", {})
    if name not in cache:
        cache[name] = document.styles[name]
    return cache[name]


def _cell_text(cell: Any, text: str, *, bold: bool = False, size: float | None = None) -> Any:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if size:
        run.font.size = Pt(size)
    return paragraph


def _table(document: Any, headers: list[str], widths: list[float] | None = None) -> Any:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    row = table.rows[0]
    _repeat_header(row)
    for cell, header in zip(row.cells, headers, strict=True):
        paragraph = _cell_text(cell, header, bold=True)
        paragraph.runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, SHADE_HEADER)
    if widths:
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    return table


def _row(table: Any, values: list[str], widths: list[float] | None = None) -> Any:
    """A new row; python-docx gives its cells the table grid's widths (`widths` is
    accepted for readability at the call sites)."""
    row = table.add_row()
    for cell, value in zip(row.cells, values, strict=True):
        if value:
            _cell_text(cell, value)
    return row


def _numbered(document: Any, number: int | str, level: int = 0) -> Any:
    """A numbered paragraph with its number written out (Word's "List Number" style
    would keep counting across separate lists)."""
    paragraph = document.add_paragraph(style=_style(document, "List Paragraph"))
    paragraph.paragraph_format.left_indent = Cm(0.75 * (level + 1))
    paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.add_run(f"{number}.\u00a0")
    return paragraph


def _caption(document: Any, text: str) -> None:
    paragraph = document.add_paragraph(text, style=_style(document, "Caption"))
    paragraph.paragraph_format.space_after = Pt(10)


def _note(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = GREY


# --------------------------------------------------------------------------- Markdown


def _markdown(document: Any, text: str) -> None:
    """The facilitator's Markdown as Word paragraphs (headings, lists, emphasis, quotes)."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(text or "")
    lists: list[list[Any]] = []  # [kind, next number]
    quote = 0
    heading: int | None = None
    for token in tokens:
        if token.type == "bullet_list_open":
            lists.append(["bullet", 0])
        elif token.type == "ordered_list_open":
            lists.append(["ordered", int(token.attrs.get("start", 1) or 1)])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "blockquote_open":
            quote += 1
        elif token.type == "blockquote_close":
            quote -= 1
        elif token.type == "heading_open":
            heading = min(int(token.tag[1]) + 2, 4)
        elif token.type == "heading_close":
            heading = None
        elif token.type in ("fence", "code_block"):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"
        elif token.type == "inline":
            if heading is not None:
                paragraph = document.add_heading(level=heading)
            elif lists and lists[-1][0] == "ordered":
                paragraph = _numbered(document, lists[-1][1], len(lists) - 1)
                lists[-1][1] += 1
            elif lists:
                style = "List Bullet" if len(lists) == 1 else "List Bullet 2"
                paragraph = document.add_paragraph(style=_style(document, style))
            elif quote:
                paragraph = document.add_paragraph(style=_style(document, "Quote"))
            else:
                paragraph = document.add_paragraph()
            _inline(paragraph, token.children or [])


def _inline(paragraph: Any, children: list[Any]) -> None:
    bold = italic = False
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            link = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            if link:
                paragraph.add_run(f" ({link})").font.color.rgb = GREY
            link = None
        elif kind in ("softbreak",):
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            if bold:
                run.bold = True
            if italic:
                run.italic = True
            if kind == "code_inline":
                run.font.name = "Courier New"
        elif kind == "image":
            paragraph.add_run(child.content or "")


# --------------------------------------------------------------------------- the document


def _words(c: dict[str, Any]) -> Any:
    """The catalogue of the report's language (``_("...")``, ``.pgettext(...)``)."""
    return translator(c["language"])


def render_docx(context: dict[str, Any], *, png: bytes | None = None) -> bytes:
    """The report as DOCX bytes. `png` is Graph 1; drawn from the context when None."""
    c = context
    if png is None and c.get("map"):
        png = influence_map_png(c, dpi=150)
    document: Any = Document()
    _page_setup(document, c)
    _cover(document, c)
    _summary(document, c)
    document.add_page_break()
    document.add_heading(_words(c).gettext("Part 2 – The method and the results step by step"), 1)
    _method(document, c)
    _perimeter(document, c)
    _factors(document, c)
    _selection(document, c, png)
    _hypotheses(document, c)
    _actions(document, c)
    _impacts(document, c)
    _appendix(document, c)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Any, c: dict[str, Any]) -> None:
    """A4 portrait, the styles' fonts, the running title and the page numbers."""
    core = document.core_properties
    core.title = f"{c['cover']['title']} – {c['cover']['job']}"
    core.language = c["language"]
    core.author = "Anticipe"
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    _style(document, "Table Grid").font.size = Pt(9)
    header = section.header.paragraphs[0]
    header.text = f"{c['cover']['job']} – {c['cover']['title']}"
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_words(c).gettext("Page") + " ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _cover(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    kicker = document.add_paragraph()
    run = kicker.add_run(c["cover"]["title"].upper())
    run.bold = True
    run.font.color.rgb = BLUE
    document.add_heading(c["cover"]["job"], level=0)
    document.add_paragraph(c["cover"]["subtitle"], style=_style(document, "Subtitle"))
    if c["cover"]["job_description"]:
        document.add_paragraph(c["cover"]["job_description"])
    facts = [(_("Horizon"), c["cover"]["horizon"]), (_("Job code"), c["cover"]["job_code"])]
    facts.append((_("Report date"), c["cover"]["date"]))
    source = c["cover"]["source"]
    if source:
        text = source["text"]
        if source["url"]:
            text += f" {source['url']}"
        facts.append((_("Source"), text))
    for name, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(_words(c).gettext("{name}: ").format(name=name)).bold = True
            paragraph.add_run(value)
    if source and source["note"]:
        _note(document, source["note"])
    if c["cover"]["simulation"]:
        _simulation_notice(document, c["cover"]["simulation"])


def _simulation_notice(document: Any, notice: dict[str, Any]) -> None:
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    _shade(cell, "FFF4EC")
    title = cell.paragraphs[0].add_run(f"⚠ {notice['title'].upper()}")
    title.bold = True
    title.font.color.rgb = ORANGE
    cell.add_paragraph(notice["text"])
    if notice["note"]:
        cell.add_paragraph(notice["note"]).runs[0].font.size = Pt(8.5)


def _summary(document: Any, c: dict[str, Any]) -> None:
    """Part 1: the facilitator's synthesis and the key activities."""
    _ = _words(c).gettext
    document.add_page_break()
    document.add_heading(_("Part 1 – Summary of the results"), level=1)
    if c["synthesis"]:
        for s in c["synthesis"]:
            if s["title"]:
                document.add_heading(s["title"], level=2)
            _markdown(document, s["markdown"])
    else:
        _note(document, _("The facilitator has not written the summary yet."))
    document.add_heading(_("Key activities"), level=2)
    document.add_paragraph(
        _(
            "The job's activities, ranked by the number of retained evolution hypotheses "
            "that impact them."
        )
    )
    widths = [1.5, 12.0, 3.5]
    table = _table(document, [_("Rank"), _("Activity"), _("Hypotheses impacting it")], widths)
    for a in c["key_activities"]:
        _row(table, [str(a["rank"]), f"{a['code']}. {a['title']}", str(a["count"])], widths)


def _method(document: Any, c: dict[str, Any]) -> None:
    document.add_heading(_words(c).gettext("The method"), level=2)
    document.add_paragraph(" ".join(x for x in (c["method"]["intro"], c["method"]["panel"]) if x))
    for k, step in enumerate(c["method"]["steps"], start=1):
        _numbered(document, k).add_run(step)


def _perimeter(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    document.add_heading("1. " + _("The job's perimeter"), level=2)
    widths = [5.0, 12.0]
    table = _table(document, [_("Activities"), c["words"]["explanatory_content"]], widths)
    for a in c["perimeter"]:
        row = _row(table, [f"{a['code']}. {a['title']}", a["description"]], widths)
        row.cells[0].paragraphs[0].runs[0].bold = True
        for t in a["tasks"]:
            row.cells[1].add_paragraph(
                f"{t['code']} {t['title']}", style=_style(document, "List Bullet")
            )
    _caption(document, _("Table 1: The job's perimeter"))


def _factors(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    document.add_heading("2. " + _("The most important change factors"), level=2)
    document.add_paragraph(c["vote"]["intro"])
    voted = c["vote"]["present"]
    if voted:
        widths = [1.4, 1.6, 10.6, 1.7, 1.7]
        headers = [_("Rank"), _("Code"), _("Factor"), _("Points"), _("Experts")]
    else:
        widths, headers = [2.0, 15.0], [_("Code"), _("Factor")]
    table = _table(document, headers, widths)
    reworded = _("reworded")
    for f in c["factors"]:
        title = f["title"] + (
            f"\n{reworded} : {f['reworded_title']}" if f["reworded_title"] else ""
        )
        values = [f["code"], title]
        if voted:
            rank = "–" if f["rank"] is None else str(f["rank"])
            support = "–" if f["support"] is None else str(f["support"])
            values = [rank, *values, format_number(f["points"], c["language"]), support]
        _row(table, values, widths)
    _caption(document, c["vote"]["caption"])


def _selection(document: Any, c: dict[str, Any], png: bytes | None) -> None:
    """Graph 1 and the key factors."""
    _ = _words(c).gettext
    document.add_heading("3. " + _("Selecting the most influential factors"), level=2)
    if c["map"] and png:
        document.add_paragraph(
            _(
                "Compiling the experts' influence matrices places each factor by its influence "
                "(vertical) and dependence (horizontal). The axes cross at the means. The most "
                "influential and least dependent factors (upper left box) are kept as key "
                "factors."
            )
        )
        document.add_picture(io.BytesIO(png), width=Cm(PAGE_WIDTH - 1))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _caption(document, _("Graph 1: Influence / dependence map of the factors"))
    else:
        _note(document, _("No influence matrix was entered."))
    document.add_heading(c["words"]["key_factors"], level=3)
    if not c["key_factors"]:
        _note(document, _("No key factor has been retained yet."))
    for k in c["key_factors"]:
        paragraph = _numbered(document, k["number"])
        paragraph.add_run(f"{k['title']} ({k['code']})")
        if k["origin"] == "addition":
            extra = paragraph.add_run(
                f" — {k['origin_label']}" + (f" : {k['reason']}" if k["reason"] else "")
            )
            extra.italic = True
            extra.font.color.rgb = ORANGE


def _legend(document: Any, c: dict[str, Any]) -> None:
    """Table 3's legend: each mark in words, its letter and its style."""
    _ = _words(c).gettext
    legend = document.add_paragraph()
    legend.add_run(_("Legend") + " : ").bold = True
    parts = [
        (
            "[" + _("P") + "] " + _("most probable"),
            {"italic": True},
            _("P, italic, blue background"),
        ),
        (
            "[" + _("D") + "] " + _("most desirable"),
            {"underline": True},
            _("D, underlined, yellow background"),
        ),
        ("[★] " + _("retained"), {"bold": True}, _("star, bold, border")),
    ]
    for k, (text, style, explained) in enumerate(parts):
        run = legend.add_run(text)
        for name, value in style.items():
            setattr(run, name, value)
        legend.add_run(f" ({explained})" + ("; " if k < len(parts) - 1 else "."))


def _merged_row(table: Any) -> Any:
    """A new row of `table` whose cells are merged into one."""
    row = table.add_row()
    return row, row.cells[0].merge(row.cells[-1])


def _hypothesis_cell(cell: Any, h: dict[str, Any], c: dict[str, Any]) -> None:
    """A hypothesis' text, styled by its marks, with its merge note and marks in words."""
    _ = _words(c).gettext
    run = cell.paragraphs[0].add_run(h["text"])
    if h["most_probable"]:
        run.italic = True
    if h["most_desirable"]:
        run.underline = True
    if h["retained"]:
        run.bold = True
    kind = "both" if h["both"] else "probable" if h["most_probable"] else None
    kind = kind or ("desirable" if h["most_desirable"] else None)
    if kind:
        _shade(cell, SHADE[kind])
    if h["merged_note"]:
        note = cell.add_paragraph().add_run(h["merged_note"])
        note.font.size = Pt(8)
        note.font.color.rgb = GREY
    if h["marks"]:
        letters = []
        if h["most_probable"]:
            letters.append("[" + _("P") + "]")
        if h["most_desirable"]:
            letters.append("[" + _("D") + "]")
        if h["retained"]:
            letters.append("[★]")
        marks = cell.add_paragraph().add_run(" ".join(letters) + " " + " · ".join(h["marks"]))
        marks.bold = True
        marks.font.size = Pt(8)


def _factor_group(table: Any, g: dict[str, Any], c: dict[str, Any], widths: list[float]) -> None:
    """A key factor's rows of Table 3: its title, situation, hypotheses and decision."""
    _ = _words(c).gettext
    row, merged = _merged_row(table)
    title = f"{g['number']}. {g['factor_title']} ({g['factor']})"
    if g["origin"] == "addition":
        title += " — " + _("panel's addition")
    _cell_text(merged, title, bold=True)
    _shade(merged, SHADE_GROUP)
    _cant_split(row)
    if g["current_situation"]:
        paragraph = _merged_row(table)[1].paragraphs[0]
        paragraph.add_run(_("Current situation") + " : ").bold = True
        paragraph.add_run(g["current_situation"])
    if not g["hypotheses"]:
        empty = _("No hypothesis has been written for this factor yet.")
        _cell_text(_merged_row(table)[1], empty).runs[0].italic = True
    language = c["language"]
    for h in g["hypotheses"]:
        probability = statistic_text(h["probability"], language)
        desirability = statistic_text(h["desirability"], language)
        row = _row(table, [h["label"], "", probability, desirability], widths)
        _cant_split(row)
        _hypothesis_cell(row.cells[1], h, c)
    text = _("Actions can reach the most desirable hypothesis") + " : "
    text += g["actions_can_reach_label"]
    if g["retained"]:
        r = g["retained"]
        text += " · " + _("retained") + f" : {r['hypothesis']} ({r['decision_label']}"
        text += f" — {r['reason']})" if r["reason"] else ")"
    run = _cell_text(_merged_row(table)[1], text, size=8).runs[0]
    run.font.color.rgb = GREY


def _hypotheses(document: Any, c: dict[str, Any]) -> None:
    """Section 4: Table 3 and the retained scenario."""
    _ = _words(c).gettext
    document.add_heading("4. " + _("Probable and desirable evolutions"), level=2)
    document.add_paragraph(
        _(
            "For each key factor, the experts described the current situation and wrote "
            "evolution hypotheses, then voted on their probability and desirability. When the "
            "panel judges that actions can reach the most desirable hypothesis, it is "
            "retained; otherwise the most probable one."
        )
    )
    _legend(document, c)
    widths = [1.0, 11.0, 2.5, 2.5]
    median_iqr = _("median (IQR)")
    headers = [
        "",
        _("Hypothesis"),
        _("Probability") + " " + median_iqr,
        _("Desirability") + " " + median_iqr,
    ]
    table = _table(document, headers, widths)
    for g in c["hypotheses"]:
        _factor_group(table, g, c, widths)
    _caption(document, _("Table 3: The evolution hypotheses of each key factor"))
    if c["scenario"]["retained"]:
        _scenario(document, c)


def _scenario(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    document.add_heading(_("The evolution scenario"), level=3)
    document.add_paragraph(_("Together, the retained hypotheses form the evolution scenario."))
    hypothesis = _("Hypothesis").lower()
    for r in c["scenario"]["retained"]:
        paragraph = _numbered(document, r["number"])
        paragraph.add_run(r["factor_title"]).bold = True
        paragraph.add_run(f" : {hypothesis} {r['label']} ({r['hypothesis']})")
    if c["scenario"]["coherence"]:
        document.add_paragraph(c["scenario"]["coherence"]["sentence"])


def _actions(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    document.add_heading("5. " + _("The action plan"), level=2)
    document.add_paragraph(
        _(
            "For each retained hypothesis, the panel proposes actions to provoke the change "
            "(desirable hypothesis) or to prepare for it (probable hypothesis)."
        )
    )
    if c["action_plan"]["empty"]:
        _note(document, _("No action has been proposed yet."))
    if not c["action_plan"]["rows"]:
        return
    widths = [3.3, 6.3, 2.2, 5.2]
    headers = [_("Factor"), _("Retained evolution hypothesis"), _("Aim"), _("Actions")]
    table = _table(document, headers, widths)
    for r in c["action_plan"]["rows"]:
        row = _row(
            table,
            [f"{r['number']}. {r['factor_title']}", r["text"], r["aim_label"] or "–", ""],
            widths,
        )
        cell = row.cells[3]
        if not r["actions"]:
            cell.paragraphs[0].add_run(_("No action proposed.")).italic = True
        for k, a in enumerate(r["actions"]):
            text = a["text"] + (f" ({a['aim_label']})" if a["aim"] and a["aim"] != r["aim"] else "")
            if k == 0:
                cell.paragraphs[0].add_run(f"• {text}")
            else:
                cell.add_paragraph(f"• {text}")
    _caption(document, _("Table 4: The action plan"))


def _impacts(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    document.add_heading("6. " + _("Impacts on activities and competence needs"), level=2)
    document.add_paragraph(
        _(
            "For each retained hypothesis, the panel named the activities strongly affected "
            "and the competences needed to carry them out in this new context."
        )
    )
    widths = [13.0, 4.0]
    table = _table(document, [_("Activity"), _("Hypotheses impacting it")], widths)
    for a in c["impacts"]["activities"]:
        _row(table, [f"{a['code']}. {a['title']}", str(a["count"])], widths)
    _caption(document, _("Number of retained hypotheses impacting each activity"))
    if c["impacts"]["empty"]:
        _note(document, _("No impact has been entered yet."))
        return
    widths = [3.6, 8.2, 5.2]
    headers = [_("Activity"), _("Competences"), _("Retained evolution hypothesis")]
    table = _table(document, headers, widths)
    for a in c["impacts"]["activities"]:
        if a["count"] or a["competences"]:
            _competence_rows(table, a, _("No particular competence."), widths)
    _caption(document, _("Table 5: Major competences per activity"))


def _competence_rows(
    table: Any, a: dict[str, Any], no_competence: str, widths: list[float]
) -> None:
    """An activity's rows of Table 5: one per competence (or one saying there is none)."""
    for k, comp in enumerate(a["competences"] or [None]):
        hyps = comp["hypotheses"] if comp else a["hypotheses"]
        text = comp["text"] if comp else no_competence
        if comp and comp["frameworks"]:
            text += f" [{', '.join(comp['frameworks'])}]"
        row = _row(
            table,
            [
                f"{a['code']}. {a['title']}" if k == 0 else "",
                text,
                "\n".join(f"{h['number']}. {h['factor_title']}" for h in hyps),
            ],
            widths,
        )
        if k == 0:
            row.cells[0].paragraphs[0].runs[0].bold = True


def _appendix(document: Any, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    ap = c["appendix"]
    document.add_page_break()
    document.add_heading(_("Method appendix"), level=1)
    document.add_heading(_("Panel composition"), level=2)
    widths = [13.0, 4.0]
    table = _table(document, [_("Sector"), _("Experts")], widths)
    for p in ap["panel"]:
        _row(table, [p["sector"], str(p["count"])], widths)
    row = _row(table, [_("Total"), str(ap["panel_size"])], widths)
    for cell in row.cells:
        cell.paragraphs[0].runs[0].bold = True
    _iterations(document, c)
    _consensus(document, c)
    _structural_parts(document, c)
    document.add_heading(_("Coherence of the retained scenario"), level=2)
    coherence = ap["coherence"]
    if coherence:
        text = coherence["sentence"]
        if coherence["inconsistency"] is not None:
            inconsistency = format_number(coherence["inconsistency"], c["language"])
            text += " (" + _("Inconsistency") + f" : {inconsistency})"
        document.add_paragraph(text)
    else:
        document.add_paragraph(_("No cross-impact was entered."))
    document.add_heading(_("Parameters of the computations"), level=2)
    widths = [4.5, 12.5]
    headers = [_("Computation"), _("Parameter") + " = " + _("Value")]
    table = _table(document, headers, widths)
    for p in ap["parameter_groups"]:
        _row(table, [p["computation"], p["text"]], widths)
    _note(document, _("Generated by Anticipe") + f" · {c['cover']['date']}")


def _structural_parts(document: Any, c: dict[str, Any]) -> None:
    """The potential planes and the graphs of influences (anticipe.report.structural_appendix)."""
    for kind, part in document_parts(c):
        if kind == "heading":
            document.add_heading(part, level=2)
        elif kind == "text":
            document.add_paragraph(part)
        elif kind == "picture":
            document.add_picture(io.BytesIO(part[0]), width=Cm(PAGE_WIDTH - 1))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _caption(document, part[1])
        else:
            headers, rows = part
            table = _table(document, headers, [1.5, 6.5, 6.5, 2.5])
            for row in rows:
                _row(table, row)


def _iterations(document: Any, c: dict[str, Any]) -> None:
    """How the Delphi iterations were counted, and the minimum number of answers."""
    _ = _words(c).gettext
    ap = c["appendix"]
    if ap["iterations"]:
        document.add_heading(_("Delphi iterations"), level=2)
        document.add_paragraph(ap["iterations_sentence"])
        widths = [6.0, 11.0]
        table = _table(document, [_("Step"), _("Standing answers")], widths)
        for r in ap["iterations"]:
            _row(table, [r["step"], r["text"]], widths)
    if ap["minimum_sentence"]:
        document.add_paragraph(ap["minimum_sentence"])


def _consensus(document: Any, c: dict[str, Any]) -> None:
    """Kendall's W, the bootstrap's selection probabilities and the votes' consensus."""
    _ = _words(c).gettext
    ap = c["appendix"]
    language = c["language"]
    document.add_heading(_("Consensus and disagreement"), level=2)
    for name, k in (
        (_("Kendall's W (weighted vote)"), ap["kendall_vote"]),
        (_("Kendall's W (influences, across experts)"), ap["kendall_disagreement"]),
    ):
        text = concordance_text(k, language)
        document.add_paragraph(f"{name} : {text}", style=_style(document, "List Bullet"))
    if ap["selection_probability"]:
        document.add_heading(_("Probability of selection (resampling the experts)"), level=3)
        document.add_paragraph(
            _(
                "Share of the resamplings of the panel (drawn with replacement) in which the "
                "factor is selected: near 1 or 0 the selection is robust; near 0.5 it rests "
                "on a few experts."
            )
        )
        widths = [1.5, 12.0, 3.5]
        headers = [_("Code"), _("Factor"), _("Probability of selection")]
        table = _table(document, headers, widths)
        for b in ap["selection_probability"]:
            probability = format_number(b["probability"], language, 2, fixed=True)
            _row(table, [b["code"], b["title"], probability], widths)
    if ap["consensus_summary"]:
        document.add_heading(_("Dispersion of the votes on hypotheses"), level=3)
        document.add_paragraph(ap["consensus_summary"])
