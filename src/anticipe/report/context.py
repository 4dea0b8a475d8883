"""The report context: every fact the study report shows, computed once.

:func:`build_report_context` turns a study (and its analysis) into plain data that each
format (HTML, PDF, DOCX, XLSX) only lays out: no renderer computes anything. The study
gives the texts (job, activities, factors, hypotheses, actions, competences) and the
panel's decisions; the analysis (:func:`anticipe.study.analysis.analyse_study`) gives the
numbers (points, influence and dependence, vote statistics, coherence, counts).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from anticipe.report.i18n import messages, translate

Context = dict[str, Any]

QUADRANTS = ("driving", "relay", "dependent", "autonomous")
SIMULATED_PARTS = (
    "panel",
    "factor_vote",
    "influence_matrices",
    "hypothesis_votes",
    "cross_impacts",
)


def build_report_context(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any] | None = None,
    *,
    date: str | None = None,
) -> Context:
    """Build the report's data from a study, once, for every format.

    Parameters
    ----------
    study : dict
        A study, as returned by :func:`anticipe.study.study_file.read_study`.
    analysis : dict, optional
        Its analysis (:func:`anticipe.study.analysis.analyse_study`); computed here when
        None.
    date : str, optional
        The report's date (ISO ``YYYY-MM-DD``); today when None.

    Returns
    -------
    dict
        Plain JSON-serialisable data; see the module's keys: ``language``, ``labels``
        (the report's words), ``cover``, ``synthesis``, ``key_activities``, ``method``,
        ``perimeter``, ``factors``, ``vote``, ``map``, ``key_factors``, ``hypotheses``,
        ``scenario``, ``action_plan``, ``impacts``, ``appendix``.
    """
    if analysis is None:
        from anticipe.study.analysis import analyse_study

        analysis = analyse_study(dict(study))
    lang = study.get("language", "fr")
    lang = lang if lang in ("fr", "en") else "fr"
    labels = messages(lang)
    factors_by_code = {f["code"]: f for f in study.get("factors", [])}
    activities = list(study.get("perimeter", {}).get("activities", []))

    key_factors = _key_factors(study, analysis, factors_by_code, lang)
    number_of = {k["code"]: k["number"] for k in key_factors}
    hypotheses = _hypotheses(study, analysis, key_factors, lang)
    hyp_index = {h["code"]: (group, h) for group in hypotheses for h in group["hypotheses"]}
    retained = [
        {
            "number": g["number"],
            "factor": g["factor"],
            "factor_title": g["factor_title"],
            "hypothesis": g["retained"]["hypothesis"],
            "label": hyp_index[g["retained"]["hypothesis"]][1]["label"],
            "text": hyp_index[g["retained"]["hypothesis"]][1]["text"],
            "decision": g["retained"]["decision"],
        }
        for g in hypotheses
        if g["retained"] is not None and g["retained"]["hypothesis"] in hyp_index
    ]
    impacts = _impacts(study, analysis, activities, hyp_index, lang)
    context: Context = {
        "language": lang,
        "labels": labels,
        "cover": _cover(study, lang, date),
        "synthesis": [
            {"title": s.get("title", ""), "markdown": s.get("markdown", "")}
            for s in study.get("synthesis", [])
        ],
        "key_activities": impacts["ranking"],
        "method": {
            "intro": labels["method_intro"],
            "steps": [labels[f"step{i}"] for i in range(1, 7)],
            "panel": _panel_sentence(study, lang),
        },
        "perimeter": [
            {
                "code": a["code"],
                "title": a["title"],
                "description": a.get("description", ""),
                "tasks": [{"code": t["code"], "title": t["title"]} for t in a.get("tasks", [])],
            }
            for a in activities
        ],
        **_factors(study, analysis, factors_by_code, lang),
        "map": _map(study, analysis, factors_by_code, key_factors),
        "key_factors": key_factors,
        "hypotheses": hypotheses,
        "scenario": {
            "retained": retained,
            "coherence": _coherence(analysis, lang),
        },
        "action_plan": _action_plan(study, retained, lang),
        "impacts": impacts,
        "appendix": _appendix(study, analysis, factors_by_code, hypotheses, lang),
    }
    context["key_factor_numbers"] = number_of
    return context


# --------------------------------------------------------------------------- helpers


def _section(analysis: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = analysis.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _title(factor: Mapping[str, Any] | None, code: str) -> str:
    if factor is None:
        return code
    return str(factor.get("reworded_title") or factor.get("title") or code)


def _first(mapping: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in mapping and mapping[key] is not None:
            return mapping[key]
    return None


def _horizon(study: Mapping[str, Any], lang: str) -> str:
    horizon = study.get("horizon") or {}
    parts = []
    if horizon.get("years_min") and horizon.get("years_max"):
        parts.append(
            translate(lang, "horizon_years", min=horizon["years_min"], max=horizon["years_max"])
        )
    if horizon.get("label"):
        parts.append(str(horizon["label"]))
    return " – ".join(parts)


def _cover(study: Mapping[str, Any], lang: str, date: str | None) -> dict[str, Any]:
    job = study.get("job", {})
    source = study.get("source")
    simulation = study.get("simulation")
    notice = None
    if simulation:
        parts = [translate(lang, f"sim_{p}") for p in simulation.get("simulated", [])]
        notice = {
            "title": translate(lang, "simulated_notice_title"),
            "text": translate(lang, "simulated_notice", parts=", ".join(parts) or "–"),
            "note": simulation.get("note", ""),
            "parts": list(simulation.get("simulated", [])),
        }
    return {
        "title": translate(lang, "report"),
        "subtitle": translate(lang, "report_subtitle"),
        "job": job.get("title", ""),
        "job_description": job.get("description", ""),
        "job_code": job.get("code", ""),
        "horizon": _horizon(study, lang),
        "date": date or _dt.date.today().isoformat(),
        "source": _source(source) if source else None,
        "simulation": notice,
    }


def _source(source: Mapping[str, Any]) -> dict[str, str]:
    """The source's fields, and ``text``: one line citing it (publisher, citation, date)."""
    out = {k: str(source.get(k, "")) for k in ("publisher", "citation", "url", "date", "note")}
    parts = [out["citation"]] if out["citation"] else []
    if out["publisher"] and not out["citation"].startswith(out["publisher"]):
        parts.insert(0, out["publisher"])
    text = ". ".join(parts)
    if out["date"] and out["date"] not in text:
        text += f" ({out['date']})"
    out["text"] = text
    return out


def _panel_sentence(study: Mapping[str, Any], lang: str) -> str:
    panel = study.get("panel", [])
    if not panel:
        return ""
    sectors = {p.get("sector", "") for p in panel}
    return translate(lang, "panel_intro", n=len(panel), s=len(sectors))


# --------------------------------------------------------------------------- factors


def _vote_rows(vote: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for key in ("tally", "ranking", "factors"):
        items = vote.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, Mapping):
                    code = item.get("factor") or item.get("code")
                    if code is not None:
                        rows.setdefault(str(code), {}).update(item)
    return rows


def _shortlist_codes(study: Mapping[str, Any], vote: Mapping[str, Any]) -> list[str] | None:
    decided = (study.get("factor_vote") or {}).get("shortlist")
    if decided:
        return list(decided)
    shortlist = vote.get("shortlist")
    if isinstance(shortlist, Mapping) and shortlist.get("selected"):
        return list(shortlist["selected"])
    if isinstance(shortlist, list) and shortlist:
        return [s if isinstance(s, str) else s.get("factor", s.get("code")) for s in shortlist]
    return None


def _kendall(section: Mapping[str, Any]) -> dict[str, Any] | None:
    """Kendall's W of a section: ``concordance`` (a kendall_w result, or a result holding
    one under ``kendall``, as the experts' concordance of the disagreement does)."""
    for key in ("concordance", "kendall_w", "kendall"):
        value = section.get(key)
        if isinstance(value, Mapping) and "w" not in value:
            return _kendall(value)
        if isinstance(value, Mapping):
            w = _num(value.get("w"))
            return {
                "w": w,
                "p_value": _num(value.get("p_value")),
                "m": value.get("m"),
                "n": value.get("n"),
            }
        if _num(value) is not None:
            return {"w": _num(value), "p_value": None, "m": None, "n": None}
    return None


def _factors(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> dict[str, Any]:
    vote = _section(analysis, "factor_vote")
    rows = _vote_rows(vote)
    shortlist = _shortlist_codes(study, vote)
    has_vote = bool(study.get("factor_vote")) and bool(rows)
    codes = shortlist if shortlist else list(factors_by_code)
    if has_vote:
        codes = sorted(codes, key=lambda c: rows.get(c, {}).get("rank") or 10**6)
    table = []
    for code in codes:
        factor = factors_by_code.get(code, {})
        row = rows.get(code, {})
        table.append(
            {
                "code": code,
                "title": str(factor.get("title", code)),
                "reworded_title": str(factor.get("reworded_title", "")),
                "description": str(factor.get("description", "")),
                "points": _num(row.get("points")),
                "support": row.get("support"),
                "rank": row.get("rank"),
            }
        )
    return {
        "factors": table,
        "vote": {
            "present": has_vote,
            "intro": translate(lang, "vote_intro", n=len(table))
            if has_vote
            else translate(lang, "no_vote"),
            "caption": translate(lang, "table2", n=len(table)),
            "method": (study.get("factor_vote") or {}).get("method"),
            "ballots": len((study.get("factor_vote") or {}).get("ballots", [])),
            "proposed": len(factors_by_code),
            "concordance": _kendall(vote),
        },
    }


def _key_factors(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    raw = analysis.get("key_factors")
    if not isinstance(raw, list) or not raw:
        raw = study.get("key_factors", [])
    out = []
    for k, item in enumerate(raw, start=1):
        code = str(item["code"])
        origin = "addition" if item.get("origin") == "addition" else "selection"
        out.append(
            {
                "number": k,
                "code": code,
                "title": _title(factors_by_code.get(code), code),
                "origin": origin,
                "origin_label": translate(lang, f"origin_{origin}"),
                "reason": str(item.get("reason") or ""),
            }
        )
    return out


def _plane(sa: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    basis = (sa.get("parameters") or {}).get("selection_basis") or (
        (sa.get("selection") or {}).get("parameters") or {}
    ).get("basis")
    for name in (basis, "direct", "indirect"):
        if name and isinstance(sa.get(name), Mapping) and sa[name].get("influence"):
            return str(name), dict(sa[name])
    if isinstance(sa.get("influence"), Mapping):
        return "direct", dict(sa)
    return None


def _map(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    key_factors: list[dict[str, Any]],
) -> dict[str, Any] | None:
    sa = _section(analysis, "structural_analysis")
    found = _plane(sa)
    if found is None:
        return None
    basis, plane = found
    influence = plane["influence"]
    dependence = plane["dependence"]
    means = plane.get("means") or {}
    mean_i = _num(means.get("influence"))
    mean_d = _num(means.get("dependence"))
    if mean_i is None:
        mean_i = sum(influence.values()) / max(len(influence), 1)
    if mean_d is None:
        mean_d = sum(dependence.values()) / max(len(dependence), 1)
    selection = sa.get("selection") or {}
    selected = set(selection.get("selected") or [])
    origins = {k["code"]: k["origin"] for k in key_factors}
    points = []
    for code in influence:
        origin = origins.get(code)
        points.append(
            {
                "code": code,
                "title": _title(factors_by_code.get(code), code),
                "influence": float(influence[code]),
                "dependence": float(dependence[code]),
                "quadrant": (plane.get("quadrant") or {}).get(code),
                "selected": code in selected or origin == "selection",
                "added": origin == "addition",
            }
        )
    return {
        "basis": basis,
        "mean_influence": float(mean_i),
        "mean_dependence": float(mean_d),
        "points": points,
    }


# --------------------------------------------------------------------------- hypotheses


def _stat(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        return None
    return {
        "median": _num(value.get("median")),
        "q1": _num(value.get("q1")),
        "q3": _num(value.get("q3")),
        "iqr": _num(value.get("iqr")),
        "mean": _num(value.get("mean")),
        "n": value.get("n_answers", value.get("n")),
        "consensus": value.get("consensus"),
    }


def _analysis_groups(analysis: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    raw = analysis.get("hypotheses")
    groups: dict[str, dict[str, Any]] = {}
    if isinstance(raw, Mapping):
        raw = raw.get("factors", list(raw.values()))
    if isinstance(raw, list):
        for g in raw:
            if isinstance(g, Mapping) and "factor" in g:
                groups[str(g["factor"])] = dict(g)
    return groups


def _hyp_stats(group: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for source in (group.get("statistics"), group):
        if isinstance(source, Mapping) and isinstance(source.get("hypotheses"), list):
            for h in source["hypotheses"]:
                if isinstance(h, Mapping):
                    code = h.get("hypothesis") or h.get("code")
                    if code is not None:
                        out.setdefault(str(code), {}).update(h)
    return out


def _codes_of(value: Any) -> set[str]:
    if isinstance(value, Mapping):
        value = value.get("hypotheses", [])
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable):
        return {str(v) for v in value}
    return set()


def _hypotheses(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    key_factors: list[dict[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    entered = {g["factor"]: g for g in (study.get("hypotheses") or {}).get("factors", [])}
    analysed = _analysis_groups(analysis)
    out = []
    for kf in key_factors:
        code = kf["code"]
        group = entered.get(code, {})
        stats_group = analysed.get(code, {})
        stats = _hyp_stats(stats_group)
        probable = _codes_of(stats_group.get("most_probable"))
        desirable = _codes_of(stats_group.get("most_desirable"))
        decision = group.get("retained")
        retained_code = decision.get("hypothesis") if decision else None
        if retained_code is None:
            found = _first(stats_group, "retained", "retention")
            if isinstance(found, Mapping):
                found = found.get("retained") or found.get("hypothesis")
            retained_code = found if isinstance(found, str) else None
        rows = []
        for h in group.get("hypotheses", []):
            s = stats.get(h["code"], {})
            p = probable or {c for c, v in stats.items() if v.get("most_probable") is True}
            d = desirable or {c for c, v in stats.items() if v.get("most_desirable") is True}
            is_p, is_d = h["code"] in p, h["code"] in d
            marks = []
            if is_p and is_d:
                marks.append(translate(lang, "mark_both"))
            elif is_p:
                marks.append(translate(lang, "mark_probable"))
            elif is_d:
                marks.append(translate(lang, "mark_desirable"))
            if h["code"] == retained_code:
                marks.append(translate(lang, "mark_retained"))
            rows.append(
                {
                    "code": h["code"],
                    "label": h["label"],
                    "text": h["text"],
                    "merged_from": list(h.get("merged_from", [])),
                    "merged_note": translate(lang, "merged_from", codes=", ".join(h["merged_from"]))
                    if h.get("merged_from")
                    else "",
                    "most_probable": is_p,
                    "most_desirable": is_d,
                    "both": is_p and is_d,
                    "retained": h["code"] == retained_code,
                    "marks": marks,
                    "probability": _stat(s.get("probability")),
                    "desirability": _stat(s.get("desirability")),
                }
            )
        reach = group.get("actions_can_reach_desirable")
        retained = None
        if retained_code is not None:
            # without a recorded decision, the analysis' retained hypothesis is the rule's
            # proposal, not yet the panel's decision
            kind = decision.get("decision", "rule") if decision else "proposal"
            retained = {
                "hypothesis": retained_code,
                "decision": kind,
                "decision_label": translate(lang, f"decision_{kind}"),
                "reason": str((decision or {}).get("reason", "")),
            }
        out.append(
            {
                "number": kf["number"],
                "factor": code,
                "factor_title": kf["title"],
                "origin": kf["origin"],
                "current_situation": str(group.get("current_situation", "")),
                "actions_can_reach_desirable": reach,
                "actions_can_reach_label": translate(
                    lang, "unknown" if reach is None else ("yes" if reach else "no")
                ),
                "hypotheses": rows,
                "retained": retained,
            }
        )
    return out


def _coherence(analysis: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    scenario = _section(analysis, "scenario")
    coherence = _first(scenario, "coherence", "consistency")
    if isinstance(coherence, Mapping) and "consistent" not in coherence:
        coherence = coherence.get("consistency")
    if not isinstance(coherence, Mapping):
        return None
    consistent = bool(coherence.get("consistent"))
    breaking = coherence.get("inconsistent_descriptors") or coherence.get("breaking") or []
    names = [
        str(b.get("descriptor", b.get("name", b))) if isinstance(b, Mapping) else str(b)
        for b in breaking
    ]
    return {
        "consistent": consistent,
        "inconsistency": _num(coherence.get("inconsistency")),
        "descriptors": names,
        "sentence": translate(lang, "coherence_yes")
        if consistent
        else translate(lang, "coherence_no", descriptors=", ".join(names) or "–"),
    }


# --------------------------------------------------------------------------- actions, impacts


def _action_plan(
    study: Mapping[str, Any], retained: list[dict[str, Any]], lang: str
) -> dict[str, Any]:
    by_hypothesis: dict[str, list[dict[str, Any]]] = {}
    for action in study.get("actions", []):
        by_hypothesis.setdefault(action["hypothesis"], []).append(action)
    rows = []
    for r in retained:
        actions = by_hypothesis.get(r["hypothesis"], [])
        aims = [a.get("aim") for a in actions if a.get("aim")]
        aim = aims[0] if aims else None
        rows.append(
            {
                **r,
                "aim": aim,
                "aim_label": translate(lang, f"aim_{aim}") if aim else "",
                "actions": [
                    {
                        "text": a["text"],
                        "aim": a.get("aim"),
                        "aim_label": translate(lang, f"aim_{a['aim']}") if a.get("aim") else "",
                    }
                    for a in actions
                ],
            }
        )
    return {"rows": rows, "empty": not study.get("actions")}


def _impacts(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    activities: list[Mapping[str, Any]],
    hyp_index: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
    lang: str,
) -> dict[str, Any]:
    section = _section(analysis, "impacts")
    comps = {c["code"]: c for c in study.get("competences", [])}
    links = list(study.get("impacts", []))
    counts: dict[str, int] = {}
    raw_counts = section.get("activity_counts")
    if isinstance(raw_counts, list):
        for item in raw_counts:
            if isinstance(item, Mapping) and "activity" in item:
                counts[str(item["activity"])] = int(item.get("count", 0))
    elif isinstance(raw_counts, Mapping):
        counts = {str(k): int(v) for k, v in raw_counts.items()}
    if not counts:
        pairs = {(i["hypothesis"], i["activity"]) for i in links}
        counter = Counter(a for _, a in pairs)
        counts = {a["code"]: counter.get(a["code"], 0) for a in activities}
    recurrence: Counter[str] = Counter()
    for link in links:
        recurrence.update(link.get("competences", []))

    def hyp_ref(code: str) -> dict[str, Any]:
        group, h = hyp_index.get(code, ({}, {}))
        return {
            "hypothesis": code,
            "number": group.get("number"),
            "factor": group.get("factor", ""),
            "factor_title": group.get("factor_title", code),
            "label": h.get("label", ""),
        }

    table = []
    for act in activities:
        act_links = [i for i in links if i["activity"] == act["code"]]
        hyps = list(dict.fromkeys(i["hypothesis"] for i in act_links))
        comp_rows: dict[str, dict[str, Any]] = {}
        for link in act_links:
            for c in link.get("competences", []):
                row = comp_rows.setdefault(
                    c,
                    {
                        "code": c,
                        "text": comps.get(c, {}).get("text", c),
                        "frameworks": [
                            f"{f['framework']} {f['id']}"
                            for f in comps.get(c, {}).get("frameworks", [])
                        ],
                        "hypotheses": [],
                    },
                )
                if link["hypothesis"] not in [h["hypothesis"] for h in row["hypotheses"]]:
                    row["hypotheses"].append(hyp_ref(link["hypothesis"]))
        table.append(
            {
                "code": act["code"],
                "title": act["title"],
                "count": counts.get(act["code"], 0),
                "hypotheses": [hyp_ref(h) for h in hyps],
                "competences": list(comp_rows.values()),
            }
        )
    ranked = sorted(table, key=lambda a: -a["count"])
    ranking = []
    previous: int | None = None
    rank = 0
    for k, a in enumerate(ranked, start=1):
        if a["count"] != previous:
            rank, previous = k, a["count"]
        ranking.append({"rank": rank, "code": a["code"], "title": a["title"], "count": a["count"]})
    competences = [
        {
            "code": c["code"],
            "text": c["text"],
            "frameworks": [f"{f['framework']} {f['id']}" for f in c.get("frameworks", [])],
            "occurrences": recurrence.get(c["code"], 0),
        }
        for c in study.get("competences", [])
    ]
    competences.sort(key=lambda c: -c["occurrences"])
    return {
        "activities": table,
        "ranking": ranking,
        "competences": competences,
        "empty": not links,
    }


# --------------------------------------------------------------------------- appendix


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _flatten(prefix: str, value: Any, out: list[dict[str, str]], section: str) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, out, section)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for k, item in enumerate(value):
            _flatten(f"{prefix}[{k}]", item, out, section)
    else:
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif value is None:
            text = "–"
        else:
            text = str(value)
        out.append({"computation": section, "parameter": prefix, "value": text})


def _parameters(analysis: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every ``parameters`` record of the analysis, flattened to rows, without repeats."""
    rows: list[dict[str, str]] = []
    top = analysis.get("parameters")
    if isinstance(top, Mapping):
        for section, value in top.items():
            _flatten("", value, rows, str(section))

    def walk(path: list[str], value: Any, depth: int) -> None:
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            walk(path, value[0], depth)
            return
        if not isinstance(value, Mapping) or depth > 3:
            return
        if isinstance(value.get("parameters"), Mapping) and path:
            _flatten("", value["parameters"], rows, ".".join(path))
        for key, item in value.items():
            if key != "parameters":
                walk([*path, str(key)], item, depth + 1)

    for section, value in analysis.items():
        if section != "parameters":
            walk([str(section)], value, 0)
    seen: set[tuple[str, str, str]] = set()
    unique = []
    per_factor = {"actions_can_reach_desirable", "override", "reason"}
    for row in rows:
        if row["computation"] == "hypotheses.retention" and row["parameter"] in per_factor:
            continue  # decided factor by factor: shown in Table 3, not a global parameter
        key = (row["computation"], row["parameter"], row["value"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def _selection_probability(section: Mapping[str, Any]) -> dict[str, float]:
    for key in ("selection_probability", "probability_of_selection", "selection_probabilities"):
        value = section.get(key)
        if isinstance(value, Mapping):
            return {str(k): float(v) for k, v in value.items() if _num(v) is not None}
        if isinstance(value, list):
            out = {}
            for item in value:
                if isinstance(item, Mapping):
                    code = item.get("factor") or item.get("code")
                    p = _num(_first(item, "probability", "selection_probability"))
                    if code is not None and p is not None:
                        out[str(code)] = p
            return out
    bootstrap = section.get("bootstrap")
    if isinstance(bootstrap, Mapping):
        return _selection_probability(bootstrap)
    return {}


def _appendix(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    hypotheses: list[dict[str, Any]],
    lang: str,
) -> dict[str, Any]:
    panel = study.get("panel", [])
    sectors = Counter(str(p.get("sector", "")) for p in panel)
    disagreement = _section(analysis, "disagreement")
    probabilities = _selection_probability(disagreement)
    iqr_rows = []
    for group in hypotheses:
        for h in group["hypotheses"]:
            iqr_rows.append(
                {
                    "number": group["number"],
                    "factor": group["factor"],
                    "hypothesis": h["code"],
                    "label": h["label"],
                    "probability": h["probability"],
                    "desirability": h["desirability"],
                }
            )
    parameters = _parameters(analysis)
    groups: dict[str, list[str]] = {}
    for row in parameters:
        groups.setdefault(row["computation"], []).append(f"{row['parameter']} = {row['value']}")
    threshold = _num(
        ((analysis.get("parameters") or {}).get("hypotheses") or {}).get("consensus_max_iqr")
    )
    consensus = {}
    for scale in ("probability", "desirability"):
        answered = [r[scale] for r in iqr_rows if r[scale] and r[scale]["iqr"] is not None]
        consensus[scale] = {
            "consensus": sum(1 for s in answered if s["consensus"]),
            "total": len(answered),
        }
    return {
        "panel": [{"sector": s, "count": n} for s, n in sorted(sectors.items())],
        "panel_size": len(panel),
        "parameters": parameters,
        "parameter_groups": [
            {"computation": name, "text": "; ".join(items)} for name, items in groups.items()
        ],
        "consensus_summary": (
            translate(
                lang,
                "consensus_summary",
                threshold=_format(threshold) if threshold is not None else "–",
                p=consensus["probability"]["consensus"],
                pn=consensus["probability"]["total"],
                d=consensus["desirability"]["consensus"],
                dn=consensus["desirability"]["total"],
            )
            if consensus["probability"]["total"] or consensus["desirability"]["total"]
            else ""
        ),
        "consensus": consensus,
        "kendall_vote": _kendall(_section(analysis, "factor_vote")),
        "kendall_disagreement": _kendall(disagreement),
        "selection_probability": [
            {
                "code": code,
                "title": _title(factors_by_code.get(code), code),
                "probability": p,
            }
            for code, p in sorted(probabilities.items(), key=lambda kv: -kv[1])
        ],
        "hypothesis_dispersion": iqr_rows,
        "coherence": _coherence(analysis, lang),
    }
