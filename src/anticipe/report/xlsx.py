"""The study report as a workbook (openpyxl): one sheet per table, plus the data.

Every text cell that a spreadsheet could read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is neutralised: an apostrophe is put before it
(OWASP's advice for CSV/spreadsheet injection), the cell is typed as text and marked with
the quote prefix, so no study text can ever run as a formula, even after a CSV export.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from anticipe.i18n import translator
from anticipe.presentation import typography

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="1D4E89")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def neutralise(value: Any) -> Any:
    """`value`, with an apostrophe before a text that could be read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        safe = neutralise(value)
        cell.value = safe
        cell.data_type = "s"
        if safe is not value:
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.alignment = WRAP


def _sheet(
    wb: Workbook,
    c: dict[str, Any],
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    widths: list[int],
) -> Worksheet:
    """A sheet of one table: translated headers, the language's typography in the texts,
    without the columns no row fills."""
    headers, rows, widths = _without_empty_columns(headers, rows, widths)
    language = c["language"]
    rows = [[typography(v, language) if isinstance(v, str) else v for v in row] for row in rows]
    ws: Worksheet = wb.create_sheet(_sheet_title(wb, title))
    for k, header in enumerate(headers, start=1):
        _put(ws, 1, k, header)
        ws.cell(row=1, column=k).font = HEADER_FONT
        ws.cell(row=1, column=k).fill = HEADER_FILL
    for r, values in enumerate(rows, start=2):
        for k, value in enumerate(values, start=1):
            _put(ws, r, k, value)
    for k, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return ws


def _sheet_title(wb: Workbook, title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    title = title[:31].strip() or "Sheet"
    base, n = title, 2
    while title in wb.sheetnames:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def _rounded(value: Any, digits: int = 2) -> Any:
    """A figure rounded for reading (the data sheet keeps the analysis' values)."""
    if isinstance(value, float):
        return round(value, digits)
    return value


def _stat(s: dict[str, Any] | None, key: str) -> Any:
    return None if not s else _rounded(s.get(key))


def _without_empty_columns(
    headers: list[str], rows: list[list[Any]], widths: list[int]
) -> tuple[list[str], list[list[Any]], list[int]]:
    """The table without the columns no row fills."""
    keep = [k for k in range(len(headers)) if any(row[k] not in (None, "") for row in rows)]
    return (
        [headers[k] for k in keep],
        [[row[k] for k in keep] for row in rows],
        [widths[k] for k in keep],
    )


def render_xlsx(context: dict[str, Any]) -> bytes:
    """The report as XLSX bytes: a sheet per table and a data sheet."""
    c = context
    wb = Workbook()
    _cover_sheet(wb, c)
    _perimeter_sheets(wb, c)
    _factor_sheets(wb, c)
    _hypotheses_sheet(wb, c)
    _action_plan_sheet(wb, c)
    _impact_sheets(wb, c)
    _frameworks_sheet(wb, c)
    _profile_sheet(wb, c)
    _new_sheet(wb, c)
    _training_sheet(wb, c)
    _data_sheet(wb, c)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _words(c: dict[str, Any]) -> Any:
    """The catalogue of the report's language (``_("...")``, ``.pgettext(...)``)."""
    return translator(c["language"])


def _cover_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    cover = wb.active
    assert cover is not None
    cover.title = _sheet_title(wb, _("Report"))
    info = c["cover"]
    facts = [
        (info["kicker"], info["title"]),
        (_("Job"), info["job"]),
        (_("Date"), info["date"]),
        (_("Organisation"), info["organisation"]),
        (_("Authors"), info["authors"]),
        (_("Horizon"), info["horizon"]),
        (_("Job code"), info["job_code"]),
        (_("Licence"), info["licence"]),
    ]
    source = info["source"]
    if source:
        facts += [(_("Source"), source["text"]), ("URL", source["url"]), ("", source["note"])]
    if info["simulation"]:
        facts.append((info["simulation"]["title"], info["simulation"]["text"]))
    for r, (name, value) in enumerate([f for f in facts if f[1]], start=1):
        _put(cover, r, 1, typography(name, c["language"]))
        _put(cover, r, 2, typography(value, c["language"]))
        cover.cell(row=r, column=1).font = Font(bold=True)
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 100


def _perimeter_sheets(wb: Workbook, c: dict[str, Any]) -> None:
    """The key activities and Table 1."""
    _ = _words(c).gettext
    _sheet(
        wb,
        c,
        _("Key activities"),
        [_("Rank"), _("Code"), _("Activity"), _("Evolutions impacting it")],
        [[a["rank"], a["code"], a["title"], a["count"]] for a in c["key_activities"]],
        [8, 8, 60, 16],
    )
    tasks = [("\n".join(f"{t['code']} {t['title']}" for t in a["tasks"])) for a in c["perimeter"]]
    _sheet(
        wb,
        c,
        _short(_("Table 1: The job's perimeter")),
        [_("Code"), _("Activity"), c["words"]["explanatory_content"], _("Tasks")],
        [
            [a["code"], a["title"], a["description"], text]
            for a, text in zip(c["perimeter"], tasks, strict=True)
        ],
        [8, 40, 80, 50],
    )


def _factor_sheets(wb: Workbook, c: dict[str, Any]) -> None:
    """Table 2 and Graph 1's data (the vote's points with them: the sheets are data)."""
    _ = _words(c).gettext
    _sheet(
        wb,
        c,
        _short(c["vote"]["caption"]),
        [_("Code"), _("Factor"), _("Reworded title"), _("Rank"), _("Points"), _("Experts")],
        [
            [
                f["code"],
                f["title"],
                f["reworded_title"],
                f["rank"],
                _rounded(f["points"]),
                f["support"],
            ]
            for f in c["factors"]
        ],
        [8, 70, 50, 8, 10, 10],
    )
    if not c["map"]:
        return
    keys = {k["code"]: k["origin_label"] for k in c["key_factors"]}
    rows = [
        [
            f["code"],
            f["title"],
            _rounded(f["influence"]),
            _rounded(f["dependence"]),
            f["quadrant"],
            keys.get(f["code"], ""),
            _rounded(f["probability"]),
        ]
        for f in c["appendix"]["factors"]
    ]
    rows.append(
        [
            "",
            _("mean"),
            _rounded(c["map"]["mean_influence"]),
            _rounded(c["map"]["mean_dependence"]),
            "",
            "",
            None,
        ]
    )
    headers = [_("Code"), _("Factor"), _("Influence"), _("Dependence"), _("Quadrant")]
    headers += [c["words"]["key_factors"], _("Probability of selection")]
    _sheet(
        wb,
        c,
        _short(_("Graph 1: Influence / dependence map of the factors")),
        headers,
        rows,
        [8, 60, 12, 12, 14, 20, 14],
    )


def _hypotheses_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """Table 3: one row per hypothesis, with its marks and vote statistics."""
    _ = _words(c).gettext
    yes = _("yes")
    rows: list[list[Any]] = []
    for g in c["hypotheses"]:
        head = [g["number"], g["factor"], g["factor_title"]]
        for h in g["hypotheses"]:
            p, d = h["probability"], h["desirability"]
            marks = [
                yes if h[mark] else "" for mark in ("most_probable", "most_desirable", "retained")
            ]
            rows.append(
                [
                    *head,
                    h["label"],
                    h["merged_note"],
                    h["text"],
                    *marks,
                    _stat(p, "median"),
                    _stat(p, "iqr"),
                    _stat(d, "median"),
                    _stat(d, "iqr"),
                    _stat(p, "n"),
                ]
            )
    headers = [
        *("#", _("Code"), _("Factor"), _("Hypothesis"), _("Merged hypotheses"), _("Text")),
        *(_("most probable"), _("most desirable"), _("retained")),
        *(_("Probability: median"), _("Probability: IQR")),
        *(_("Desirability: median"), _("Desirability: IQR")),
        _("Answers"),
    ]
    _sheet(
        wb,
        c,
        _short(_("Table 3: The evolution hypotheses of each key factor")),
        headers,
        rows,
        [5, 8, 40, 8, 24, 80, 12, 12, 10, 12, 12, 12, 12, 10],
    )


def _action_plan_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    _ = _words(c).gettext
    rows: list[list[Any]] = []
    for r in c["action_plan"]["rows"]:
        head = [r["number"], r["factor_title"], r["text"], r["note"]]
        for a in r["actions"] or [{"aim_label": "", "text": ""}]:
            rows.append([*head, a["aim_label"], a["text"]])
    _sheet(
        wb,
        c,
        _short(_("Table 4: The action plan")),
        [
            "#",
            _("Change factor"),
            _("Retained evolution hypothesis"),
            _("Remark"),
            _("Aim"),
            _("Actions"),
        ],
        rows,
        [5, 40, 80, 50, 12, 80],
    )


def _impact_sheets(wb: Workbook, c: dict[str, Any]) -> None:
    """Table 5 (a row per competence of each of its rows) and the count per activity."""
    _ = _words(c).gettext
    activities = c["impacts"]["activities"]
    rows = [
        [
            a["code"],
            a["title"],
            comp["text"],
            ", ".join(comp["frameworks"]),
            " + ".join(f["heading"] for f in r["factors"]),
        ]
        for a in activities
        for r in a["rows"]
        for comp in r["competences"]
    ]
    _sheet(
        wb,
        c,
        _short(_("Table 5: Major competences")),
        [_("Code"), _("Activity"), _("Competence"), _("Frameworks"), _("Impacting change factor")],
        rows,
        [8, 40, 70, 20, 50],
    )
    _sheet(
        wb,
        c,
        _("Impacts per activity"),
        [_("Code"), _("Activity"), _("Evolutions impacting it"), _("Hypotheses")],
        [
            [a["code"], a["title"], a["count"], ", ".join(h["hypothesis"] for h in a["hypotheses"])]
            for a in activities
        ],
        [8, 60, 16, 40],
    )


def _frameworks_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """The study's competences in the European frameworks (a row per link), with the
    frameworks' credits (and the ESCO sentence) below."""
    chapter = c["frameworks"]
    if chapter["empty"]:
        return
    _ = _words(c).gettext
    rows: list[list[Any]] = [
        [f["name"], f"{a['id']}. {a['title']}", r["id"], r["title"], comp, r["levels"]]
        for f in chapter["frameworks"]
        for a in f["areas"]
        for r in a["rows"]
        for comp in r["competences"]
    ]
    rows.append([""] * 6)
    rows.extend([f["name"], f["attribution"], "", "", "", ""] for f in chapter["frameworks"])
    if chapter["esco"]:
        rows.append(["ESCO", chapter["esco"], "", "", "", ""])
    _sheet(
        wb,
        c,
        _short(_("Table 6: The study's competences in the European frameworks")),
        [
            _("Framework"),
            _("Area"),
            _("Code"),
            _("Framework competence"),
            _("Competence"),
            _("Level expected"),
        ],
        rows,
        [14, 36, 8, 50, 70, 18],
    )


def _profile_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """The job's competence profile (a row per competence, most impacted first), shown with
    the chapter on the frameworks; the flag of the hypothesis votes below when simulated."""
    profile = c["profile"]
    if profile["empty"] or c["frameworks"]["empty"]:
        return
    _ = _words(c).gettext
    rows: list[list[Any]] = [
        [
            r["competence"],
            "; ".join(r["activities"]),
            "; ".join(r["links"]),
            r["strength"],
            ", ".join(r["hypotheses"]),
        ]
        for r in profile["rows"]
    ]
    rows.append([""] * 5)
    rows.append([profile["intro"], "", "", "", ""])
    if c["flags"].get("hypothesis_votes"):
        rows.append([c["flags"]["hypothesis_votes"], "", "", "", ""])
    _sheet(
        wb,
        c,
        _short(_("Table 7: The job's competence profile")),
        [
            _("Competence"),
            _("Activities"),
            _("Frameworks (level expected)"),
            _("Retained hypotheses naming it"),
            _("Retained hypotheses"),
        ],
        rows,
        [70, 40, 50, 14, 30],
    )


def _flag_rows(c: dict[str, Any], parts: list[str], width: int) -> list[list[Any]]:
    """The flags of the simulated parts a table depends on, a row each (none when real)."""
    return [[c["flags"][p], *[""] * (width - 1)] for p in parts if c["flags"].get(p)]


def _new_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """What the study's profile adds to today's profile of the job (with the chapter on the
    frameworks)."""
    new = c["new"]
    if new["empty"] or c["frameworks"]["empty"]:
        return
    _ = _words(c).gettext
    rows: list[list[Any]] = [list(r) for r in new["rows"]]
    rows.append([""] * 6)
    rows.append([new["intro"], "", "", "", "", ""])
    rows.extend(_flag_rows(c, ["hypothesis_votes"], 6))
    caption = _("Table %(number)s: What is new compared with today's profile") % {
        "number": new["table"]
    }
    _sheet(wb, c, _short(caption), new["headers"], rows, [20, 16, 60, 18, 18, 30])


def _training_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """The training needs (a row per need, most impacted first): the shares below the level
    expected as percentages rounded to one decimal; the flags below when simulated."""
    training = c["training"]
    if training["empty"]:
        return
    _ = _words(c).gettext
    groups = training["groups"]
    width = 5 + len(groups)
    rows: list[list[Any]] = [
        [
            r["competence"],
            r["strength"],
            r["expected"],
            r["modules"],
            _("yes") if r["covered"] else _("no"),
            *r["below_values"],
        ]
        for r in training["rows"]
    ]
    rows.append([""] * width)
    for sentence in (training["summary"], training["not_covered"]):
        rows.append([sentence, *[""] * (width - 1)])
    parts = ["training_catalogue", *(["self_assessment"] if groups else []), "hypothesis_votes"]
    rows.extend(_flag_rows(c, parts, width))
    caption = _("Table %(number)s: Training needs and the modules that cover them") % {
        "number": training["table"]
    }
    _sheet(
        wb,
        c,
        _short(caption),
        [
            _("Competence"),
            _("Retained hypotheses naming it"),
            _("Level expected"),
            _("Modules"),
            _("covered"),
            *(f"{_('share below the expected level (%)')} – {g}" for g in groups),
        ],
        rows,
        [60, 14, 30, 70, 10, *([16] * len(groups))],
    )


def _short(caption: str) -> str:
    """ "Tableau 3 : Les hypothèses..." -> "Tableau 3"."""
    return caption.split(":")[0].strip()


def _data_sheet(wb: Workbook, c: dict[str, Any]) -> None:
    """The aggregated data, in long form: one row per (section, item, measure, value), as
    the analysis gives them (codes and unrounded values, for further computation)."""
    rows: list[list[Any]] = []
    for f in c["factors"]:
        rows += [
            ["factor_vote", f["code"], "points", f["points"]],
            ["factor_vote", f["code"], "support", f["support"]],
            ["factor_vote", f["code"], "rank", f["rank"]],
        ]
    for key in ("kendall_vote", "kendall_disagreement"):
        k = c["appendix"][key]
        if k:
            rows += [[key, "", "w", k["w"]], [key, "", "p_value", k["p_value"]]]
    if c["map"]:
        for p in c["map"]["points"]:
            rows += [
                ["structural_analysis", p["code"], "influence", p["influence"]],
                ["structural_analysis", p["code"], "dependence", p["dependence"]],
                ["structural_analysis", p["code"], "quadrant", p["quadrant"]],
            ]
        rows += [
            ["structural_analysis", "", "mean_influence", c["map"]["mean_influence"]],
            ["structural_analysis", "", "mean_dependence", c["map"]["mean_dependence"]],
        ]
    for b in c["appendix"]["selection_probability"]:
        rows.append(["disagreement", b["code"], "selection_probability", b["probability"]])
    for g in c["hypotheses"]:
        for h in g["hypotheses"]:
            for scale in ("probability", "desirability"):
                s = h[scale] or {}
                for measure in ("median", "q1", "q3", "iqr", "mean", "n"):
                    rows.append(["hypotheses", h["code"], f"{scale}_{measure}", s.get(measure)])
    for a in c["impacts"]["activities"]:
        rows.append(["impacts", a["code"], "count", a["count"]])
    for comp in c["impacts"]["competences"]:
        rows.append(["competences", comp["code"], "occurrences", comp["occurrences"]])
    coherence = c["appendix"]["coherence"]
    if coherence:
        rows += [
            ["scenario", "", "consistent", coherence["consistent"]],
            ["scenario", "", "inconsistency", coherence["inconsistency"]],
        ]
    for p in c["appendix"]["raw_parameters"]:
        value = p["value"]
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        rows.append(["parameters", p["computation"], p["parameter"], value])
    for s in c["appendix"]["panel"]:
        rows.append(["panel", s["sector"], "experts", s["count"]])
    for step, found in c["appendix"]["iteration_counts"].items():
        for item in found["standing"]:
            rows.append(["iterations", step, f"iteration_{item['iteration']}", item["answers"]])
    _sheet(
        wb,
        c,
        _words(c).gettext("Data"),
        ["section", "item", "measure", "value"],
        rows,
        [22, 30, 28, 40],
    )
