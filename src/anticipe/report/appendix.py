"""The report's method appendix: every statistic behind the body, for an analyst.

The panel by sector (counts only), each factor's points in the weighted vote, its
influence and dependence and the bootstrap's probability that it is selected, Kendall's W,
each
hypothesis' votes (median and interquartile range) and how it was retained, the
coherence of the retained scenario, and the parameters of every computation in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import (
    EN_DASH,
    display_title,
    general,
    parameter_words,
    quadrant_label,
)
from anticipe.report.delphi import delphi_appendix
from anticipe.report.evolutions import as_float, coherence
from anticipe.study.study_file import panel_sectors


def _kendall(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Kendall's W of a ``kendall_w`` result (None when there is none)."""
    if result is None:
        return None
    return {
        "w": as_float(result["w"]),
        "p_value": as_float(result["p_value"]),
        "m": result["m"],
        "n": result["n"],
    }


# --------------------------------------------------------------------------- parameters


def _parameter_records(analysis: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """Every ``parameters`` record of the analysis as (computation, name, value)."""

    def flat(section: str, parameters: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
        for name, value in parameters.items():
            if isinstance(value, Mapping):
                yield from flat(f"{section}.{name}", value)
            else:
                yield section, str(name), value

    for section, value in analysis["parameters"].items():
        if isinstance(value, Mapping):
            yield from flat(str(section), value)

    def walk(path: list[str], value: Any, depth: int) -> Iterator[tuple[str, str, Any]]:
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            yield from walk(path, value[0], depth)
            return
        if not isinstance(value, Mapping) or depth > 3:
            return
        if isinstance(value.get("parameters"), Mapping) and path:
            yield from flat(".".join(path), value["parameters"])
        for key, item in value.items():
            if key != "parameters":
                yield from walk([*path, str(key)], item, depth + 1)

    for section, value in analysis.items():
        if section != "parameters":
            yield from walk([str(section)], value, 0)


# decided factor by factor (shown with each factor's retention), not global settings
_PER_FACTOR = {"actions_can_reach_desirable", "override", "reason"}


def parameter_rows(analysis: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    """The parameters in words, each setting once: the same setting with the same value
    in several computations (the bootstrap repeats the structural analysis') is shown
    where it first appears."""
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for computation, name, value in _parameter_records(analysis):
        if name in _PER_FACTOR:
            continue
        words, setting, shown = parameter_words(computation, name, value, lang)
        if (setting, shown) in seen:
            continue
        seen.add((setting, shown))
        rows.append({"computation": words, "parameter": setting, "value": shown})
    return rows


def raw_parameters(analysis: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every parameter as the analysis recorded it (the workbook's data sheet)."""
    return [
        {"computation": c, "parameter": n, "value": v} for c, n, v in _parameter_records(analysis)
    ]


# --------------------------------------------------------------------------- statistics


def _selection_probability(
    disagreement: Mapping[str, Any] | None,
    factors_by_code: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The bootstrap's probability that each factor is selected, most probable first."""
    bootstrap = disagreement["bootstrap"] if disagreement else None
    probabilities = bootstrap["selection_probability"] if bootstrap else {}
    return [
        {
            "code": code,
            "title": display_title(factors_by_code.get(code), code),
            "probability": float(p),
        }
        for code, p in sorted(probabilities.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _factor_statistics(
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    selection: list[dict[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    """Each factor's vote (rank, points, experts) and place on the selection's plane
    (influence, dependence, quadrant, bootstrap's probability of selection), in code order
    when there is a plane, else by rank."""
    vote = analysis["factor_vote"]
    ranking = {str(r["factor"]): r for r in vote["ranking"]} if vote else {}
    sa = analysis["structural_analysis"]
    plane = sa[str(sa["parameters"]["selection_basis"])] if sa else None
    influence = plane["influence"] if plane else {}
    probability = {b["code"]: b["probability"] for b in selection}
    codes = list(influence) or sorted(ranking, key=lambda c: (ranking[c]["rank"], c))
    rows = []
    for code in codes:
        r = ranking.get(code) or {}
        rows.append(
            {
                "code": code,
                "title": display_title(factors_by_code.get(code), code),
                "rank": r.get("rank"),
                "points": as_float(r.get("points")),
                "support": r.get("support"),
                "influence": as_float(influence.get(code)),
                "dependence": as_float(plane["dependence"].get(code)) if plane else None,
                "quadrant": quadrant_label(plane["quadrant"].get(code), lang) if plane else "",
                "probability": probability.get(code),
            }
        )
    return rows


def _votes(hypotheses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each hypothesis' votes, under its factor, with how the factor's was retained."""
    return [
        {
            "number": group["number"],
            "factor": group["factor"],
            "hypothesis": h["code"],
            "label": h["label"],
            "probability": h["probability"],
            "desirability": h["desirability"],
            "marks": h["marks"],
        }
        for group in hypotheses
        for h in group["hypotheses"]
    ]


def _retentions(hypotheses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "number": g["number"],
            "factor": g["factor"],
            "title": g["factor_title"],
            "reach": g["actions_can_reach_label"],
            "hypothesis": g["retained"]["hypothesis"] if g["retained"] else EN_DASH,
            "decision": g["retained"]["decision_label"] if g["retained"] else EN_DASH,
            "reason": g["retained"]["reason"] if g["retained"] else "",
        }
        for g in hypotheses
    ]


def _consensus(
    analysis: Mapping[str, Any], votes: list[dict[str, Any]], lang: str
) -> tuple[dict[str, dict[str, int]], str]:
    """How many votes reached a consensus, per scale, and the sentence saying it."""
    consensus = {}
    for scale in ("probability", "desirability"):
        answered = [r[scale] for r in votes if r[scale] and r[scale]["iqr"] is not None]
        consensus[scale] = {
            "consensus": sum(1 for s in answered if s["consensus"]),
            "total": len(answered),
        }
    if not (consensus["probability"]["total"] or consensus["desirability"]["total"]):
        return consensus, ""
    threshold = as_float(analysis["parameters"]["hypotheses"]["consensus_max_iqr"])
    sentence = translator(lang).gettext(
        "Consensus (interquartile range ≤ {threshold}) on the probability of {p} hypotheses "
        "out of {pn}, on their desirability for {d} out of {dn}."
    )
    return consensus, sentence.format(
        threshold=general(threshold, lang, missing=EN_DASH),
        p=consensus["probability"]["consensus"],
        pn=consensus["probability"]["total"],
        d=consensus["desirability"]["consensus"],
        dn=consensus["desirability"]["total"],
    )


def _coherence_measure(analysis: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    """The cross-impact balance as a measure (inconsistency, descriptors involved); the
    sentence concluding from it is the body's, only for real cross-impacts."""
    result = coherence(analysis, lang)
    if result is None:
        return None
    _ = translator(lang).gettext
    text = _("Inconsistency of the retained scenario (cross-impact balance): {value}.")
    return {
        **result,
        "measure": text.format(value=general(result["inconsistency"], lang, missing=EN_DASH)),
    }


def appendix_context(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    hypotheses: list[dict[str, Any]],
    lang: str,
) -> dict[str, Any]:
    """The appendix's data (see the module)."""
    panel = study.get("panel", [])
    disagreement = analysis["disagreement"]
    votes = _votes(hypotheses)
    consensus, summary = _consensus(analysis, votes, lang)
    vote = analysis["factor_vote"]
    selection = _selection_probability(disagreement, factors_by_code)
    return {
        "panel": [{"sector": s, "count": n} for s, n in panel_sectors(dict(study))],
        "panel_size": len(panel),
        **delphi_appendix(analysis, lang),
        "factors": _factor_statistics(analysis, factors_by_code, selection, lang),
        "voted": bool(vote),
        "mapped": analysis["structural_analysis"] is not None,
        "kendall_vote": _kendall(vote["concordance"]) if vote else None,
        "kendall_disagreement": _kendall(disagreement["concordance"]["kendall"])
        if disagreement
        else None,
        "selection_probability": selection,
        "hypothesis_votes": votes,
        "retentions": _retentions(hypotheses),
        "consensus": consensus,
        "consensus_summary": summary,
        "coherence": _coherence_measure(analysis, lang),
        "parameters": parameter_rows(analysis, lang),
        "raw_parameters": raw_parameters(analysis),
    }
