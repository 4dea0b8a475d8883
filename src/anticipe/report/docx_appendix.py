"""The method appendix of the Word report: every statistic behind the body, each table
computed from simulated answers with its flag (the same content as ``appendix.html``)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from anticipe.report.html import concordance_text, format_number, statistic_text
from anticipe.report.structural_appendix import chart_png, charts, document_parts

if TYPE_CHECKING:
    from anticipe.report.docx import _Word


def appendix(w: _Word) -> None:
    _ = w.t.gettext
    ap = w.c["appendix"]
    w.document.add_page_break()
    w.heading("appendix", 1)
    w.para(
        _(
            "This appendix gives, for an analyst, the numbers behind the report's tables and "
            "how each was computed."
        )
    )
    if ap["panel"]:
        w.title(_("Panel composition"), 2)
        table = w.table([_("Sector"), _("Experts")], [8.0, 3.0])
        for p in ap["panel"]:
            w.row(table, [p["sector"], str(p["count"])])
        total = w.row(table, [_("Total"), str(ap["panel_size"])])
        for cell in total.cells:
            cell.paragraphs[0].runs[0].bold = True
        w.flag("panel")
    _iterations(w, ap)
    _factors(w, ap)
    _votes(w, ap)
    pictures = _structural_parts(w)
    if ap["coherence"]:
        w.title(_("Coherence of the retained scenario"), 2)
        sentence = w.c["scenario"]["coherence"]
        w.para(
            " ".join(
                x for x in (sentence and sentence["sentence"], ap["coherence"]["measure"]) if x
            )
        )
        w.flag("cross_impacts")
    _parameters(w, ap)
    _add_pictures(w, pictures)


def _factors(w: _Word, ap: dict[str, Any]) -> None:
    """Each factor's vote, influence, dependence and probability of selection."""
    _ = w.t.gettext
    if not ap["factors"]:
        return
    w.title(_("The change factors: vote, influence and dependence"), 2)
    for shown, name, key in (
        (ap["voted"], _("Kendall's W (weighted vote)"), "kendall_vote"),
        (ap["mapped"], _("Kendall's W (influences, across experts)"), "kendall_disagreement"),
    ):
        if shown:
            value = concordance_text(ap[key], w.lang)
            w.para(_("{name}: {value}").format(name=name, value=value))
    headers, widths = [_("Code"), _("Factor")], [1.3, 6.1]
    if ap["voted"]:
        headers += [_("Rank"), _("Points"), _("Experts")]
        widths += [1.2, 1.3, 1.3]
    if ap["mapped"]:
        headers += [_("Influence"), _("Dependence"), _("Quadrant"), _("Probability of selection")]
        widths += [1.5, 1.7, 1.6, 1.9]
    table = w.table(headers, widths)
    for f in ap["factors"]:
        values = [f["code"], f["title"]]
        if ap["voted"]:
            values += [
                _number(f["rank"]),
                format_number(f["points"], w.lang),
                _number(f["support"]),
            ]
        if ap["mapped"]:
            values += [format_number(f[k], w.lang) for k in ("influence", "dependence")]
            values += [f["quadrant"], format_number(f["probability"], w.lang, 2, fixed=True)]
        w.row(table, values)
    if ap["mapped"]:
        w.note(
            _(
                "Probability of selection: share of the resamplings of the panel (drawn with "
                "replacement) in which the factor is selected; near 1 or 0 the selection is "
                "robust, near 0.5 it rests on a few experts."
            )
        )
    w.flag("factor_vote")
    w.flag("influence_matrices")


def _number(value: int | None) -> str:
    return "–" if value is None else str(value)


def _votes(w: _Word, ap: dict[str, Any]) -> None:
    _ = w.t.gettext
    if not ap["hypothesis_votes"]:
        return
    w.title(_("Votes on the hypotheses"), 2)
    if ap["consensus_summary"]:
        w.para(ap["consensus_summary"])
    rows = [
        [
            f"{v['number']} {v['label']}",
            statistic_text(v["probability"], w.lang),
            statistic_text(v["desirability"], w.lang),
            " · ".join(v["marks"]),
        ]
        for v in ap["hypothesis_votes"]
    ]
    headers = [_("Hypothesis"), _("Probability: median (IQR)"), _("Desirability: median (IQR)")]
    w.table_of([*headers, _("Marks")], [2.0, 3.2, 3.2, 8.6], rows)
    w.flag("hypothesis_votes")
    w.title(_("Retention of each key factor's hypothesis"), 3)
    reach = _("Actions can reach the most desirable hypothesis")
    rows = [
        [
            f"{r['number']}. {r['title']}",
            r["reach"],
            r["hypothesis"],
            r["decision"] + (f" — {r['reason']}" if r["reason"] else ""),
        ]
        for r in ap["retentions"]
    ]
    w.table_of([_("Key factor"), reach, _("Retained"), _("Decision")], [6.0, 3.5, 2.0, 5.5], rows)


def _parameters(w: _Word, ap: dict[str, Any]) -> None:
    _ = w.t.gettext
    w.title(_("Parameters of the computations"), 2)
    table = w.table([_("Computation"), _("Setting"), _("Value")], [5.0, 6.5, 5.5])
    previous = None
    for p in ap["parameters"]:
        row = w.row(table, [p["computation"], p["parameter"], p["value"]])
        if p["computation"] == previous:
            run = row.cells[0].paragraphs[0].runs[0]
            run.font.color.rgb = w.muted
        previous = p["computation"]
    w.note(_("Generated by Anticipe") + f" · {w.c['generated']}")


def _iterations(w: _Word, ap: dict[str, Any]) -> None:
    """How the Delphi iterations were counted, and the minimum number of answers."""
    _ = w.t.gettext
    if ap.get("iterations"):
        w.title(_("Delphi iterations"), 2)
        w.para(ap["iterations_sentence"])
        table = w.table([_("Step"), _("Standing answers")], [6.0, 11.0])
        for r in ap["iterations"]:
            w.row(table, [r["step"], r["text"]])
    if ap.get("minimum_sentence"):
        w.para(ap["minimum_sentence"])


def _structural_parts(w: _Word) -> list[tuple[Any, int]]:
    """The potential planes and the graphs of influences (anticipe.report.structural_appendix),
    each chart's paragraph left empty: its paragraph and the chart's index, for
    :func:`_add_pictures` once the rest is laid out (the charts are drawn meanwhile)."""
    places: list[tuple[Any, int]] = []
    for kind, part in document_parts(w.c, lambda index: index):
        if kind == "heading":
            w.title(part, 2)
        elif kind == "text":
            w.para(part)
        elif kind == "picture":
            paragraph = w.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            places.append((paragraph, part[0]))
            w.para(part[1])
        else:
            headers, rows = part
            table = w.table(headers, [1.5, 6.5, 6.5, 2.5])
            for row in rows:
                w.row(table, row)
    return places


def _add_pictures(w: _Word, places: list[tuple[Any, int]]) -> None:
    """The appendix' charts put in their paragraphs, in order (waiting for their drawing)."""
    pictures = w.pictures
    for paragraph, index in places:
        png = pictures().get(f"appendix-{index}") if pictures is not None else None
        if png is None:
            png = chart_png(charts(w.c)[index], w.lang)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(16))
