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

from anticipe.report.charts import influence_map_png
from anticipe.report.html import format_number

BLUE = RGBColor(0x1D, 0x4E, 0x89)
GREY = RGBColor(0x52, 0x60, 0x6D)
ORANGE = RGBColor(0xB5, 0x47, 0x1B)
SHADE_HEADER = "1D4E89"
SHADE_GROUP = "D9E2EC"
SHADE = {"probable": "DBEAFE", "desirable": "FEF3C7", "both": "FDE2E4"}


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


def _stat(s: dict[str, Any] | None) -> str:
    if not s or s.get("median") is None:
        return "–"
    return f"{format_number(s['median'])} ({format_number(s['iqr'])})"


def render_docx(context: dict[str, Any], *, png: bytes | None = None) -> bytes:
    """The report as DOCX bytes. `png` is Graph 1; drawn from the context when None."""
    c = context
    words = c["labels"]
    if png is None and c.get("map"):
        png = influence_map_png(c, dpi=150)
    document: Any = Document()
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
    footer.add_run(f"{words['page']} ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")
    width = 17.0

    # cover
    kicker = document.add_paragraph()
    run = kicker.add_run(c["cover"]["title"].upper())
    run.bold = True
    run.font.color.rgb = BLUE
    document.add_heading(c["cover"]["job"], level=0)
    document.add_paragraph(c["cover"]["subtitle"], style=_style(document, "Subtitle"))
    if c["cover"]["job_description"]:
        document.add_paragraph(c["cover"]["job_description"])
    facts = [(words["horizon"], c["cover"]["horizon"]), (words["job_code"], c["cover"]["job_code"])]
    facts.append((words["date"], c["cover"]["date"]))
    source = c["cover"]["source"]
    if source:
        text = source["text"]
        if source["url"]:
            text += f" {source['url']}"
        facts.append((words["source"], text))
    for name, value in facts:
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{name} : " if c["language"] == "fr" else f"{name}: ").bold = True
            paragraph.add_run(value)
    if source and source["note"]:
        _note(document, source["note"])
    notice = c["cover"]["simulation"]
    if notice:
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

    # part 1
    document.add_page_break()
    document.add_heading(words["part1"], level=1)
    if c["synthesis"]:
        for s in c["synthesis"]:
            if s["title"]:
                document.add_heading(s["title"], level=2)
            _markdown(document, s["markdown"])
    else:
        _note(document, words["no_synthesis"])
    document.add_heading(words["key_activities"], level=2)
    document.add_paragraph(words["key_activities_intro"])
    widths = [1.5, 12.0, 3.5]
    table = _table(document, [words["rank"], words["activity"], words["hypotheses_count"]], widths)
    for a in c["key_activities"]:
        _row(table, [str(a["rank"]), f"{a['code']}. {a['title']}", str(a["count"])], widths)

    # part 2
    document.add_page_break()
    document.add_heading(words["part2"], level=1)
    document.add_heading(words["method"], level=2)
    document.add_paragraph(" ".join(x for x in (c["method"]["intro"], c["method"]["panel"]) if x))
    for k, step in enumerate(c["method"]["steps"], start=1):
        _numbered(document, k).add_run(step)

    document.add_heading(f"1. {words['perimeter']}", level=2)
    widths = [5.0, 12.0]
    table = _table(document, [words["activities"], words["explanatory_content"]], widths)
    for a in c["perimeter"]:
        row = _row(table, [f"{a['code']}. {a['title']}", a["description"]], widths)
        row.cells[0].paragraphs[0].runs[0].bold = True
        for t in a["tasks"]:
            row.cells[1].add_paragraph(
                f"{t['code']} {t['title']}", style=_style(document, "List Bullet")
            )
    _caption(document, words["table1"])

    document.add_heading(f"2. {words['important_factors']}", level=2)
    document.add_paragraph(c["vote"]["intro"])
    if c["vote"]["present"]:
        widths = [1.4, 1.6, 10.6, 1.7, 1.7]
        headers = [words["rank"], words["code"], words["factor"], words["points"], words["support"]]
    else:
        widths, headers = [2.0, 15.0], [words["code"], words["factor"]]
    table = _table(document, headers, widths)
    for f in c["factors"]:
        title = f["title"] + (
            f"\n{words['reworded']} : {f['reworded_title']}" if f["reworded_title"] else ""
        )
        if c["vote"]["present"]:
            values = [
                "–" if f["rank"] is None else str(f["rank"]),
                f["code"],
                title,
                format_number(f["points"]),
                "–" if f["support"] is None else str(f["support"]),
            ]
        else:
            values = [f["code"], title]
        _row(table, values, widths)
    _caption(document, c["vote"]["caption"])

    document.add_heading(f"3. {words['selection']}", level=2)
    if c["map"] and png:
        document.add_paragraph(words["selection_intro"])
        document.add_picture(io.BytesIO(png), width=Cm(width - 1))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _caption(document, words["graph1"])
    else:
        _note(document, words["no_structural"])
    document.add_heading(words["key_factors"], level=3)
    if not c["key_factors"]:
        _note(document, words["no_key_factors"])
    for k in c["key_factors"]:
        paragraph = _numbered(document, k["number"])
        paragraph.add_run(f"{k['title']} ({k['code']})")
        if k["origin"] == "addition":
            extra = paragraph.add_run(
                f" — {k['origin_label']}" + (f" : {k['reason']}" if k["reason"] else "")
            )
            extra.italic = True
            extra.font.color.rgb = ORANGE

    _hypotheses(document, c)
    _actions(document, c)
    _impacts(document, c)
    _appendix(document, c)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _hypotheses(document: Any, c: dict[str, Any]) -> None:
    words = c["labels"]
    document.add_heading(f"4. {words['hypotheses']}", level=2)
    document.add_paragraph(words["hypotheses_intro"])
    legend = document.add_paragraph()
    legend.add_run(f"{words['legend']} : ").bold = True
    parts = [
        (
            f"[{words['letter_probable']}] {words['mark_probable']}",
            {"italic": True},
            words["style_probable"],
        ),
        (
            f"[{words['letter_desirable']}] {words['mark_desirable']}",
            {"underline": True},
            words["style_desirable"],
        ),
        (f"[★] {words['mark_retained']}", {"bold": True}, words["style_retained"]),
    ]
    for k, (text, style, explained) in enumerate(parts):
        run = legend.add_run(text)
        for name, value in style.items():
            setattr(run, name, value)
        legend.add_run(f" ({explained})" + ("; " if k < len(parts) - 1 else "."))
    widths = [1.0, 11.0, 2.5, 2.5]
    table = _table(
        document,
        [
            "",
            words["hypothesis"],
            f"{words['probability']} {words['median_iqr']}",
            f"{words['desirability']} {words['median_iqr']}",
        ],
        widths,
    )
    for g in c["hypotheses"]:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        title = f"{g['number']}. {g['factor_title']} ({g['factor']})"
        if g["origin"] == "addition":
            title += f" — {words['origin_addition']}"
        _cell_text(merged, title, bold=True)
        _shade(merged, SHADE_GROUP)
        _cant_split(row)
        if g["current_situation"]:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            paragraph = merged.paragraphs[0]
            paragraph.add_run(f"{words['current_situation']} : ").bold = True
            paragraph.add_run(g["current_situation"])
        if not g["hypotheses"]:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            _cell_text(merged, words["no_hypothesis"]).runs[0].italic = True
        for h in g["hypotheses"]:
            row = _row(
                table, [h["label"], "", _stat(h["probability"]), _stat(h["desirability"])], widths
            )
            _cant_split(row)
            cell = row.cells[1]
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
                    letters.append(f"[{words['letter_probable']}]")
                if h["most_desirable"]:
                    letters.append(f"[{words['letter_desirable']}]")
                if h["retained"]:
                    letters.append("[★]")
                marks = cell.add_paragraph().add_run(
                    " ".join(letters) + " " + " · ".join(h["marks"])
                )
                marks.bold = True
                marks.font.size = Pt(8)
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        text = f"{words['actions_can_reach']} : {g['actions_can_reach_label']}"
        if g["retained"]:
            r = g["retained"]
            text += f" · {words['mark_retained']} : {r['hypothesis']} ({r['decision_label']}"
            text += f" — {r['reason']})" if r["reason"] else ")"
        run = _cell_text(merged, text, size=8).runs[0]
        run.font.color.rgb = GREY
    _caption(document, words["table3"])
    if c["scenario"]["retained"]:
        document.add_heading(words["scenario"], level=3)
        document.add_paragraph(words["scenario_intro"])
        for r in c["scenario"]["retained"]:
            paragraph = _numbered(document, r["number"])
            paragraph.add_run(r["factor_title"]).bold = True
            paragraph.add_run(f" : {words['hypothesis'].lower()} {r['label']} ({r['hypothesis']})")
        if c["scenario"]["coherence"]:
            document.add_paragraph(c["scenario"]["coherence"]["sentence"])


def _actions(document: Any, c: dict[str, Any]) -> None:
    words = c["labels"]
    document.add_heading(f"5. {words['action_plan']}", level=2)
    document.add_paragraph(words["action_plan_intro"])
    if c["action_plan"]["empty"]:
        _note(document, words["no_actions_at_all"])
    if not c["action_plan"]["rows"]:
        return
    widths = [3.3, 6.3, 2.2, 5.2]
    table = _table(
        document,
        [words["factor"], words["retained_hypothesis"], words["aim"], words["actions"]],
        widths,
    )
    for r in c["action_plan"]["rows"]:
        row = _row(
            table,
            [f"{r['number']}. {r['factor_title']}", r["text"], r["aim_label"] or "–", ""],
            widths,
        )
        cell = row.cells[3]
        if not r["actions"]:
            cell.paragraphs[0].add_run(words["no_action"]).italic = True
        for k, a in enumerate(r["actions"]):
            text = a["text"] + (f" ({a['aim_label']})" if a["aim"] and a["aim"] != r["aim"] else "")
            if k == 0:
                cell.paragraphs[0].add_run(f"• {text}")
            else:
                cell.add_paragraph(f"• {text}")
    _caption(document, words["table4"])


def _impacts(document: Any, c: dict[str, Any]) -> None:
    words = c["labels"]
    document.add_heading(f"6. {words['impacts']}", level=2)
    document.add_paragraph(words["impacts_intro"])
    widths = [13.0, 4.0]
    table = _table(document, [words["activity"], words["hypotheses_count"]], widths)
    for a in c["impacts"]["activities"]:
        _row(table, [f"{a['code']}. {a['title']}", str(a["count"])], widths)
    _caption(document, words["count_per_activity"])
    if c["impacts"]["empty"]:
        _note(document, words["no_impacts"])
        return
    widths = [3.6, 8.2, 5.2]
    table = _table(
        document, [words["activity"], words["competences"], words["retained_hypothesis"]], widths
    )
    for a in c["impacts"]["activities"]:
        if not (a["count"] or a["competences"]):
            continue
        rows = a["competences"] or [None]
        for k, comp in enumerate(rows):
            hyps = comp["hypotheses"] if comp else a["hypotheses"]
            text = comp["text"] if comp else words["no_competence"]
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
    _caption(document, words["table5"])


def _appendix(document: Any, c: dict[str, Any]) -> None:
    words = c["labels"]
    ap = c["appendix"]
    document.add_page_break()
    document.add_heading(words["appendix"], level=1)
    document.add_heading(words["panel_composition"], level=2)
    widths = [13.0, 4.0]
    table = _table(document, [words["sector"], words["experts"]], widths)
    for p in ap["panel"]:
        _row(table, [p["sector"], str(p["count"])], widths)
    row = _row(table, [words["total"], str(ap["panel_size"])], widths)
    for cell in row.cells:
        cell.paragraphs[0].runs[0].bold = True

    document.add_heading(words["consensus"], level=2)
    for key, name in (
        ("kendall_vote", "kendall_w_vote"),
        ("kendall_disagreement", "kendall_w_disagreement"),
    ):
        k = ap[key]
        if k and k["w"] is not None:
            text = f"W = {format_number(k['w'], 3)}"
            if k["p_value"] is not None:
                text += f", {words['p_value']} = {format_number(k['p_value'], 3)}"
        else:
            text = words["not_available"]
        document.add_paragraph(f"{words[name]} : {text}", style=_style(document, "List Bullet"))
    if ap["selection_probability"]:
        document.add_heading(words["bootstrap_title"], level=3)
        document.add_paragraph(words["bootstrap_intro"])
        widths = [1.5, 12.0, 3.5]
        table = _table(
            document, [words["code"], words["factor"], words["selection_probability"]], widths
        )
        for b in ap["selection_probability"]:
            _row(
                table,
                [b["code"], b["title"], format_number(b["probability"], 2, fixed=True)],
                widths,
            )
    if ap["consensus_summary"]:
        document.add_heading(words["iqr_title"], level=3)
        document.add_paragraph(ap["consensus_summary"])
    document.add_heading(words["coherence"], level=2)
    coherence = ap["coherence"]
    if coherence:
        text = coherence["sentence"]
        if coherence["inconsistency"] is not None:
            text += f" ({words['inconsistency']} : {format_number(coherence['inconsistency'])})"
        document.add_paragraph(text)
    else:
        document.add_paragraph(words["coherence_none"])
    document.add_heading(words["parameters"], level=2)
    widths = [4.5, 12.5]
    table = _table(
        document, [words["computation"], f"{words['parameter']} = {words['value']}"], widths
    )
    for p in ap["parameter_groups"]:
        _row(table, [p["computation"], p["text"]], widths)
    _note(document, f"{words['generated_by']} · {c['cover']['date']}")
