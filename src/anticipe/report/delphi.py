"""The method appendix's account of the Delphi iterations: how standing answers were
counted, how many come from each iteration, and the minimum number of answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from anticipe.i18n import translator


def delphi_appendix(analysis: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """How the Delphi iterations were counted: the minimum number of answers, and for each
    step how many of its standing answers come from each iteration."""
    _ = translator(lang).gettext
    steps = {
        "factor_vote": _("Weighted vote (ballots)"),
        "structural_analysis": _("Influence matrix (cells)"),
        "hypotheses": _("Hypothesis votes (answers)"),
    }
    rows = []
    for step, found in (analysis.get("iterations") or {}).items():
        respondents_only = set(found["respondents_only"])
        parts = []
        for item in found["standing"]:
            text = _("iteration {n}: {count}").format(n=item["iteration"], count=item["answers"])
            if item["iteration"] in respondents_only:
                text += " " + _("(only its respondents)")
            parts.append(text)
        rows.append(
            {
                "step": steps.get(step, step),
                "standing": found["standing"],
                "text": " · ".join(parts),
            }
        )
    minimum = int(analysis["parameters"].get("min_answers", 1))
    return {
        "iterations": rows,
        "iteration_counts": dict(analysis.get("iterations") or {}),
        "iterations_sentence": _(
            "Each expert's latest answer over the iterations counts (an expert who skips an "
            "iteration keeps their earlier answer), unless an iteration counts only its own "
            "respondents. Standing answers by the iteration they come from:"
        ),
        "min_answers": minimum,
        "minimum_sentence": _(
            "Statistics that decide something (consensus, most probable and most desirable "
            "hypotheses, key factor selection, the retention rule's proposal) and per-cell "
            "aggregates are given only with at least {n} answers, the weighted vote's "
            "ranking and the structural analysis only with at least {n} ballots or "
            "matrices."
        ).format(n=minimum)
        if minimum > 1
        else "",
    }
