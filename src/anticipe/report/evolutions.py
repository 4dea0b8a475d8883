"""The report's evolutions: Table 3 (each key factor's hypotheses and their marks), the
retained scenario, its coherence, and Table 4 (the action plan).

Table 3 is the published grid: one row per key factor, one column per hypothesis, the
marks as letters and symbols (most probable, most desirable, retained) and one restrained
style (the retained hypothesis in bold). The votes' medians and interquartile ranges are
kept on each hypothesis for the appendix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import aim_verb, retention_label


def as_float(value: Any) -> float | None:
    """A number of the analysis as a float; None for anything else (missing, a flag)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _stat(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "median": as_float(value["median"]),
        "q1": as_float(value["q1"]),
        "q3": as_float(value["q3"]),
        "iqr": as_float(value["iqr"]),
        "mean": as_float(value["mean"]),
        "n": value["n_answers"],
        "consensus": value["consensus"],
    }


def _marks(row: Mapping[str, Any], lang: str) -> list[str]:
    """A hypothesis' marks in words (the letters and the bold type only repeat them)."""
    _ = translator(lang).gettext
    marks = []
    if row["most_probable"] and row["most_desirable"]:
        marks.append(_("most probable and most desirable"))
    elif row["most_probable"]:
        marks.append(_("most probable"))
    elif row["most_desirable"]:
        marks.append(_("most desirable"))
    if row["retained"]:
        marks.append(_("retained"))
    return marks


def _merge_note(labels: list[str], lang: str) -> str:
    """ "Fusion des hypothèses B et C :" (the seed's words for a merge)."""
    t = translator(lang)
    if len(labels) > 1:
        joined = t.gettext("{first} and {last}").format(
            first=", ".join(labels[:-1]), last=labels[-1]
        )
    else:
        joined = "".join(labels)
    return t.gettext("Merge of hypotheses {labels}:").format(labels=joined)


def _hypothesis_row(row: Mapping[str, Any], labels: Mapping[str, str], lang: str) -> dict[str, Any]:
    """One hypothesis of Table 3, with the marks the analysis set on it."""
    merged_from = list(row["merged_from"] or [])
    return {
        "code": row["code"],
        "label": row["label"],
        "text": row["text"],
        "merged_from": merged_from,
        "merged_note": _merge_note([labels.get(c, c) for c in merged_from], lang)
        if merged_from
        else "",
        "most_probable": row["most_probable"],
        "most_desirable": row["most_desirable"],
        "both": row["most_probable"] and row["most_desirable"],
        "retained": row["retained"],
        "marks": _marks(row, lang),
        "probability": _stat(row["probability"]),
        "desirability": _stat(row["desirability"]),
    }


def _retention(group: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    """How a factor's hypothesis was retained: the panel's recorded decision, or the
    rule's proposal (the analysis' retained hypothesis without a recorded decision)."""
    if group["retained"] is None:
        return None
    decision = group["decision"]
    kind = decision["decision"] if decision else "proposal"
    return {
        "hypothesis": group["retained"],
        "decision": kind,
        "decision_label": retention_label(kind, lang),
        "reason": str((decision or {}).get("reason") or ""),
    }


def hypothesis_groups(
    analysis: Mapping[str, Any], key_factors: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """Each key factor with its hypotheses, marks, votes and retention, in order."""
    _ = translator(lang).gettext
    reach_labels = {None: _("not stated"), True: _("yes"), False: _("no")}
    analysed = {str(g["factor"]): g for g in analysis["hypotheses"]}
    out = []
    for kf in key_factors:
        group = analysed.get(kf["code"])
        reach = group["actions_can_reach_desirable"] if group else None
        labels = {str(h["code"]): str(h["label"]) for h in (group or {}).get("hypotheses", [])}
        out.append(
            {
                "number": kf["number"],
                "factor": kf["code"],
                "factor_title": kf["display_title"],
                "original_title": kf["title"],
                "reworded_title": kf["reworded_title"],
                "origin": kf["origin"],
                "current_situation": str(group["current_situation"] or "") if group else "",
                "actions_can_reach_desirable": reach,
                "actions_can_reach_label": reach_labels[reach],
                "hypotheses": [_hypothesis_row(h, labels, lang) for h in group["hypotheses"]]
                if group
                else [],
                "retained": _retention(group, lang) if group else None,
            }
        )
    return out


def hypothesis_grid(groups: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Table 3 as the published grid: a row per key factor, a column per hypothesis.

    Column k is headed by the label most hypotheses in place k have ("A", "B"...); a cell
    whose label differs (a merge, "BC") names its own. Cells past a factor's last
    hypothesis are empty (None).
    """
    t = translator(lang)
    width = max((len(g["hypotheses"]) for g in groups), default=0)
    columns = []
    for k in range(width):
        labels = Counter(g["hypotheses"][k]["label"] for g in groups if len(g["hypotheses"]) > k)
        # the most common label; among equals the shortest, then the first in order ("D"
        # before a merge "BC")
        columns.append(min(labels, key=lambda label: (-labels[label], len(label), label)))
    rows = []
    for g in groups:
        cells: list[dict[str, Any] | None] = []
        for k in range(width):
            h = g["hypotheses"][k] if k < len(g["hypotheses"]) else None
            cells.append(None if h is None else {**h, "own_label": h["label"] != columns[k]})
        reworded = ""
        if g["reworded_title"]:
            reworded = t.gettext("Reworded as: “{title}”").format(title=g["reworded_title"])
        rows.append(
            {
                "number": g["number"],
                "factor": g["factor"],
                "title": g["original_title"],
                "reworded": reworded,
                "addition": t.gettext("added by the panel") if g["origin"] == "addition" else "",
                "current_situation": g["current_situation"],
                "cells": cells,
                "empty": not g["hypotheses"],
            }
        )
    headers = [t.gettext("Hypothesis {label}").format(label=label) for label in columns]
    return {"headers": headers, "rows": rows, "legend": _legend(lang)}


def _legend(lang: str) -> list[dict[str, str]]:
    """Each mark of Table 3 with its meaning (the legend under the table)."""
    _ = translator(lang).gettext
    return [
        {"mark": _("P"), "meaning": _("most probable")},
        {"mark": _("D"), "meaning": _("most desirable")},
        {"mark": "★", "meaning": _("retained (in bold)")},
    ]


def retained_scenario(
    hypotheses: list[dict[str, Any]],
    hyp_index: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The retained scenario: each key factor's retained hypothesis, in order."""
    return [
        {
            "number": g["number"],
            "factor": g["factor"],
            "factor_title": g["factor_title"],
            "reworded": bool(g["reworded_title"]),
            "hypothesis": g["retained"]["hypothesis"],
            "label": hyp_index[g["retained"]["hypothesis"]][1]["label"],
            "text": hyp_index[g["retained"]["hypothesis"]][1]["text"],
            "decision": g["retained"]["decision"],
        }
        for g in hypotheses
        if g["retained"] is not None and g["retained"]["hypothesis"] in hyp_index
    ]


def coherence(analysis: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    """The cross-impact balance of the retained scenario, and the sentence saying it."""
    result = analysis["scenario"]["coherence"]
    consistency = result["consistency"] if result else None
    if consistency is None:
        return None
    _ = translator(lang).gettext
    consistent = bool(consistency["consistent"])
    names = [str(name) for name in consistency["inconsistent_descriptors"]]
    if consistent:
        sentence = _("The retained scenario is consistent (cross-impact balance).")
    else:
        sentence = _(
            "The retained scenario is not consistent (cross-impact balance); descriptors "
            "involved: {descriptors}."
        ).format(descriptors=", ".join(names) or "–")
    return {
        "consistent": consistent,
        "inconsistency": as_float(consistency["inconsistency"]),
        "descriptors": names,
        "sentence": sentence,
    }


def _points_without_actions(numbers: list[int], lang: str) -> str:
    """ "No action was proposed for points 6 and 7." (Table 4's note)."""
    if not numbers:
        return ""
    t = translator(lang)
    texts = [str(n) for n in numbers]
    joined = (
        t.gettext("{first} and {last}").format(first=", ".join(texts[:-1]), last=texts[-1])
        if len(texts) > 1
        else texts[0]
    )
    sentence = t.ngettext(
        "No action was proposed for point {points}.",
        "No action was proposed for points {points}.",
        len(numbers),
    )
    return sentence.format(points=joined)


def action_plan(
    study: Mapping[str, Any],
    retained: list[dict[str, Any]],
    notes: Mapping[str, str],
    lang: str,
) -> dict[str, Any]:
    """Table 4: a row per retained hypothesis with actions (and the facilitator's remark
    before them), then a note naming the points without any action."""
    t = translator(lang)
    by_hypothesis: dict[str, list[dict[str, Any]]] = {}
    for action in study.get("actions", []):
        by_hypothesis.setdefault(action["hypothesis"], []).append(action)
    rows, without = [], []
    for r in retained:
        actions = by_hypothesis.get(r["hypothesis"], [])
        note = str(notes.get(r["factor"]) or "").strip()
        if not actions and not note:
            without.append(r["number"])
            continue
        aims = [a.get("aim") for a in actions if a.get("aim")]
        title = r["factor_title"]
        if r["reworded"]:
            title = t.gettext("{title} (reworded)").format(title=title)
        rows.append(
            {
                **r,
                "factor_heading": f"{r['number']}. {title}",
                "note": note,
                "aim": aims[0] if aims else None,
                "aim_label": aim_verb(aims[0] if aims else None, lang),
                "actions": [
                    {
                        "text": a["text"],
                        "aim": a.get("aim"),
                        "aim_label": aim_verb(a.get("aim"), lang),
                    }
                    for a in actions
                ],
            }
        )
    return {
        "rows": rows,
        "without": _points_without_actions(without, lang) if rows else "",
        "empty": not study.get("actions"),
    }
