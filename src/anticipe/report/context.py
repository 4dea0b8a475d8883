"""The report context: every fact the study report shows, computed once.

:func:`build_report_context` turns a study (and its analysis) into plain data that each
format (HTML, PDF, DOCX, XLSX) only lays out: no renderer computes anything. The study
gives the texts (job, activities, factors, hypotheses, actions, competences) and the
panel's decisions; the analysis (:func:`anticipe.study.analysis.analyse_study`) gives the
numbers (points, influence and dependence, vote statistics, the hypotheses most probable,
most desirable and retained, coherence, counts), read under the keys it declares.
Sentences are written here in the study's language (the package's gettext catalogue);
the renderers translate their own headings with the same catalogue.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from anticipe.i18n import language_or_default, translator
from anticipe.presentation import (
    EN_DASH,
    aim_verb,
    display_title,
    flatten_parameters,
    general,
    retention_label,
)
from anticipe.report.delphi import delphi_appendix
from anticipe.report.structural_appendix import structural_appendix
from anticipe.study.standing import standing_study
from anticipe.study.study_file import panel_sectors

Context = dict[str, Any]

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
        Plain JSON-serialisable data; see the module's keys: ``language``, ``words``
        (the report's words that depend on the report's own context of use), ``cover``,
        ``synthesis``, ``key_activities``, ``method``, ``perimeter``, ``factors``,
        ``vote``, ``map``, ``key_factors``, ``hypotheses``, ``scenario``, ``action_plan``,
        ``impacts``, ``appendix``, ``structural_appendix`` (the potential planes and the
        graphs of influences: :mod:`anticipe.report.structural_appendix`),
        ``key_factor_numbers``.
    """
    if analysis is None:
        from anticipe.study.analysis import analyse_study

        analysis = analyse_study(dict(study))
    lang = language_or_default(study.get("language", "fr"))
    factors_by_code = {f["code"]: f for f in study.get("factors", [])}
    activities = list(study.get("perimeter", {}).get("activities", []))
    key_factors = _key_factors(analysis, factors_by_code, lang)
    hypotheses = _hypotheses(analysis, key_factors, lang)
    hyp_index = {h["code"]: (group, h) for group in hypotheses for h in group["hypotheses"]}
    retained = _retained(hypotheses, hyp_index)
    impacts = _impacts(study, analysis, activities, hyp_index)
    return {
        "language": lang,
        "words": _words(lang),
        "cover": _cover(study, lang, date),
        "synthesis": [
            {"title": s.get("title", ""), "markdown": s.get("markdown", "")}
            for s in study.get("synthesis", [])
        ],
        "key_activities": impacts["ranking"],
        "method": _method(study, lang),
        "perimeter": _perimeter(activities),
        **_factors(standing_study(dict(study)), analysis, factors_by_code, lang),
        "map": _map(analysis, factors_by_code, key_factors),
        "key_factors": key_factors,
        "hypotheses": hypotheses,
        "scenario": {"retained": retained, "coherence": _coherence(analysis, lang)},
        "action_plan": _action_plan(study, retained, lang),
        "impacts": impacts,
        "appendix": _appendix(study, analysis, factors_by_code, hypotheses, lang),
        "structural_appendix": structural_appendix(analysis, factors_by_code, key_factors, lang),
        "key_factor_numbers": {k["code"]: k["number"] for k in key_factors},
    }


# --------------------------------------------------------------------------- helpers


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _words(lang: str) -> dict[str, str]:
    """The report's words whose French differs from the site's for the same English (a
    message context); the templates cannot mark them for ``makemessages``, so they come
    from here."""
    t = translator(lang)
    return {
        "key_factors": t.pgettext("report", "Key factors"),
        "explanatory_content": t.pgettext("report", "Explanatory content"),
    }


def _horizon(study: Mapping[str, Any], lang: str) -> str:
    horizon = study.get("horizon") or {}
    parts = []
    if horizon.get("years_min") and horizon.get("years_max"):
        years = translator(lang).gettext("{min} to {max} years")
        parts.append(years.format(min=horizon["years_min"], max=horizon["years_max"]))
    if horizon.get("label"):
        parts.append(str(horizon["label"]))
    return " – ".join(parts)


def _simulation_notice(simulation: Mapping[str, Any], lang: str) -> dict[str, Any]:
    _ = translator(lang).gettext
    part_names = {
        "panel": _("the panel"),
        "factor_vote": _("the weighted vote on factors"),
        "influence_matrices": _("the influence matrices"),
        "hypothesis_votes": _("the votes on hypotheses"),
        "cross_impacts": _("the cross-impacts"),
    }
    parts = [part_names[p] for p in simulation.get("simulated", [])]
    text = _(
        "Some answers in this study are simulated (generated, not given by real experts): "
        "{parts}. The results that depend on them illustrate the method and are not "
        "experts' results."
    )
    return {
        "title": _("Simulated answers"),
        "text": text.format(parts=", ".join(parts) or "–"),
        "note": simulation.get("note", ""),
        "parts": list(simulation.get("simulated", [])),
    }


def _cover(study: Mapping[str, Any], lang: str, date: str | None) -> dict[str, Any]:
    _ = translator(lang).gettext
    job = study.get("job", {})
    source = study.get("source")
    simulation = study.get("simulation")
    return {
        "title": _("Skills foresight report"),
        "subtitle": _("Foresight study of the job"),
        "job": job.get("title", ""),
        "job_description": job.get("description", ""),
        "job_code": job.get("code", ""),
        "horizon": _horizon(study, lang),
        "date": date or _dt.date.today().isoformat(),
        "source": _source(source) if source else None,
        "simulation": _simulation_notice(simulation, lang) if simulation else None,
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


def _method(study: Mapping[str, Any], lang: str) -> dict[str, Any]:
    _ = translator(lang).gettext
    panel = study.get("panel", [])
    sentence = ""
    if panel:
        sectors = panel_sectors(dict(study))
        sentence = _("The panel brought together {n} experts from {s} sectors.").format(
            n=len(panel), s=len(sectors)
        )
    return {
        "intro": _(
            "The Abilitic2Perform method brings together a panel of experts led by a "
            "facilitator. It alternates collective reflection and individual votes; the "
            "results of each step feed the next."
        ),
        "steps": [
            _("The job's perimeter: its activities and their tasks."),
            _("Listing change factors, then a weighted vote to keep the most important."),
            _(
                "Structural analysis: each expert rates the influence of each factor on the "
                "others; the most influential and least dependent factors become the key "
                "factors."
            ),
            _(
                "Evolution hypotheses for each key factor, voted on probability and "
                "desirability; one hypothesis is retained per factor."
            ),
            _("An action plan to provoke or prepare for each retained hypothesis."),
            _("Impacts on activities and competence needs."),
        ],
        "panel": sentence,
    }


def _perimeter(activities: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "code": a["code"],
            "title": a["title"],
            "description": a.get("description", ""),
            "tasks": [{"code": t["code"], "title": t["title"]} for t in a.get("tasks", [])],
        }
        for a in activities
    ]


# --------------------------------------------------------------------------- factors


def _shortlist_codes(study: Mapping[str, Any], vote: Mapping[str, Any] | None) -> list[str]:
    """The panel's shortlist when decided, else the vote's, else none (every factor)."""
    decided = (study.get("factor_vote") or {}).get("shortlist")
    if decided:
        return list(decided)
    if vote is not None and vote["shortlist"] is not None:
        return list(vote["shortlist"]["selected"])
    return []


def _kendall(result: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Kendall's W of a ``kendall_w`` result (None when there is none)."""
    if result is None:
        return None
    return {
        "w": _num(result["w"]),
        "p_value": _num(result["p_value"]),
        "m": result["m"],
        "n": result["n"],
    }


def _factors(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> dict[str, Any]:
    _ = translator(lang).gettext
    vote = analysis["factor_vote"]
    rows = {item["factor"]: item for item in vote["ranking"]} if vote else {}
    has_vote = bool(study.get("factor_vote")) and bool(rows)
    codes = _shortlist_codes(study, vote) or list(factors_by_code)
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
    if has_vote:
        intro = _(
            "The experts distributed their points among the proposed factors; the {n} "
            "factors with the most points are kept."
        ).format(n=len(table))
    else:
        intro = _("No weighted vote was entered: every proposed factor is listed.")
    return {
        "factors": table,
        "vote": {
            "present": has_vote,
            "intro": intro,
            "caption": _("Table 2: The {n} important change factors").format(n=len(table)),
            "method": (study.get("factor_vote") or {}).get("method"),
            "ballots": len((study.get("factor_vote") or {}).get("ballots", [])),
            "proposed": len(factors_by_code),
            "concordance": _kendall(vote["concordance"]) if vote else None,
        },
    }


def _key_factors(
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    """The key factors as the analysis gives them: the panel's decision or the proposal."""
    _ = translator(lang).gettext
    origin_labels = {"selection": _("selection"), "addition": _("panel's addition")}
    out = []
    for k, item in enumerate(analysis["key_factors"], start=1):
        code = str(item["code"])
        origin = "addition" if item["origin"] == "addition" else "selection"
        out.append(
            {
                "number": k,
                "code": code,
                "title": display_title(factors_by_code.get(code), code),
                "origin": origin,
                "origin_label": origin_labels[origin],
                "reason": str(item["reason"] or ""),
            }
        )
    return out


def _map(
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    key_factors: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """Graph 1's data: the plane the key factors were selected on."""
    sa = analysis["structural_analysis"]
    if sa is None:
        return None
    basis = str(sa["parameters"]["selection_basis"])
    plane = sa[basis]
    if not plane["influence"]:
        return None
    selected = set(sa["selection"]["selected"])
    origins = {k["code"]: k["origin"] for k in key_factors}
    points = [
        {
            "code": code,
            "title": display_title(factors_by_code.get(code), code),
            "influence": float(value),
            "dependence": float(plane["dependence"][code]),
            "quadrant": plane["quadrant"].get(code),
            "selected": code in selected or origins.get(code) == "selection",
            "added": origins.get(code) == "addition",
        }
        for code, value in plane["influence"].items()
    ]
    return {
        "basis": basis,
        "mean_influence": float(plane["means"]["influence"]),
        "mean_dependence": float(plane["means"]["dependence"]),
        "points": points,
    }


# --------------------------------------------------------------------------- hypotheses


def _stat(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "median": _num(value["median"]),
        "q1": _num(value["q1"]),
        "q3": _num(value["q3"]),
        "iqr": _num(value["iqr"]),
        "mean": _num(value["mean"]),
        "n": value["n_answers"],
        "consensus": value["consensus"],
    }


def _marks(row: Mapping[str, Any], lang: str) -> list[str]:
    """A hypothesis' marks in words (the colours and letters only repeat them)."""
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


def _hypothesis_row(row: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """One hypothesis of Table 3, with the marks the analysis set on it."""
    merged_from = list(row["merged_from"] or [])
    merged_note = translator(lang).gettext("merge of {codes}").format(codes=", ".join(merged_from))
    return {
        "code": row["code"],
        "label": row["label"],
        "text": row["text"],
        "merged_from": merged_from,
        "merged_note": merged_note if merged_from else "",
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


def _hypotheses(
    analysis: Mapping[str, Any], key_factors: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    _ = translator(lang).gettext
    reach_labels = {None: _("not stated"), True: _("yes"), False: _("no")}
    analysed = {str(g["factor"]): g for g in analysis["hypotheses"]}
    out = []
    for kf in key_factors:
        group = analysed.get(kf["code"])
        reach = group["actions_can_reach_desirable"] if group else None
        out.append(
            {
                "number": kf["number"],
                "factor": kf["code"],
                "factor_title": kf["title"],
                "origin": kf["origin"],
                "current_situation": str(group["current_situation"] or "") if group else "",
                "actions_can_reach_desirable": reach,
                "actions_can_reach_label": reach_labels[reach],
                "hypotheses": [_hypothesis_row(h, lang) for h in group["hypotheses"]]
                if group
                else [],
                "retained": _retention(group, lang) if group else None,
            }
        )
    return out


def _retained(
    hypotheses: list[dict[str, Any]],
    hyp_index: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The retained scenario: each key factor's retained hypothesis, in order."""
    return [
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


def _coherence(analysis: Mapping[str, Any], lang: str) -> dict[str, Any] | None:
    coherence = analysis["scenario"]["coherence"]
    consistency = coherence["consistency"] if coherence else None
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
        "inconsistency": _num(consistency["inconsistency"]),
        "descriptors": names,
        "sentence": sentence,
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
                "aim_label": aim_verb(aim, lang),
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
    return {"rows": rows, "empty": not study.get("actions")}


def _competence_rows(
    links: list[Mapping[str, Any]],
    competences: Mapping[str, Mapping[str, Any]],
    hyp_ref: Any,
) -> list[dict[str, Any]]:
    """The competences an activity's impacts name, each with the hypotheses naming it."""
    rows: dict[str, dict[str, Any]] = {}
    for link in links:
        for c in link.get("competences", []):
            row = rows.setdefault(
                c,
                {
                    "code": c,
                    "text": competences.get(c, {}).get("text", c),
                    "frameworks": _frameworks(competences.get(c, {})),
                    "hypotheses": [],
                },
            )
            if link["hypothesis"] not in [h["hypothesis"] for h in row["hypotheses"]]:
                row["hypotheses"].append(hyp_ref(link["hypothesis"]))
    return list(rows.values())


def _frameworks(competence: Mapping[str, Any]) -> list[str]:
    return [f"{f['framework']} {f['id']}" for f in competence.get("frameworks", [])]


def _ranking(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities by their number of impacting hypotheses (ties share a rank)."""
    ranking = []
    previous: int | None = None
    rank = 0
    for k, a in enumerate(sorted(table, key=lambda a: -a["count"]), start=1):
        if a["count"] != previous:
            rank, previous = k, a["count"]
        ranking.append({"rank": rank, "code": a["code"], "title": a["title"], "count": a["count"]})
    return ranking


def _impacts(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    activities: list[Mapping[str, Any]],
    hyp_index: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
) -> dict[str, Any]:
    section = analysis["impacts"]
    counts = (
        {str(c["activity"]): int(c["count"]) for c in section["activity_counts"]} if section else {}
    )
    comps = {c["code"]: c for c in study.get("competences", [])}
    links = list(study.get("impacts", []))
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
        table.append(
            {
                "code": act["code"],
                "title": act["title"],
                "count": counts.get(act["code"], 0),
                "hypotheses": [hyp_ref(h) for h in hyps],
                "competences": _competence_rows(act_links, comps, hyp_ref),
            }
        )
    competences = [
        {
            "code": c["code"],
            "text": c["text"],
            "frameworks": _frameworks(c),
            "occurrences": recurrence.get(c["code"], 0),
        }
        for c in study.get("competences", [])
    ]
    competences.sort(key=lambda c: -c["occurrences"])
    return {
        "activities": table,
        "ranking": _ranking(table),
        "competences": competences,
        "empty": not links,
    }


# --------------------------------------------------------------------------- appendix


def _parameters(analysis: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every ``parameters`` record of the analysis, flattened to rows, without repeats."""
    rows: list[dict[str, str]] = []

    def add(section: str, parameters: Any) -> None:
        for name, value in flatten_parameters({"": parameters}):
            rows.append({"computation": section, "parameter": name, "value": value})

    for section, value in analysis["parameters"].items():
        add(str(section), value)

    def walk(path: list[str], value: Any, depth: int) -> None:
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            walk(path, value[0], depth)
            return
        if not isinstance(value, Mapping) or depth > 3:
            return
        if isinstance(value.get("parameters"), Mapping) and path:
            add(".".join(path), value["parameters"])
        for key, item in value.items():
            if key != "parameters":
                walk([*path, str(key)], item, depth + 1)

    for section, value in analysis.items():
        if section != "parameters":
            walk([str(section)], value, 0)
    return _unique_parameters(rows)


def _unique_parameters(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows without repeats, and without the retention's per-factor decisions."""
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
        for code, p in sorted(probabilities.items(), key=lambda kv: -kv[1])
    ]


def _dispersion(hypotheses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "number": group["number"],
            "factor": group["factor"],
            "hypothesis": h["code"],
            "label": h["label"],
            "probability": h["probability"],
            "desirability": h["desirability"],
        }
        for group in hypotheses
        for h in group["hypotheses"]
    ]


def _consensus(
    analysis: Mapping[str, Any], iqr_rows: list[dict[str, Any]], lang: str
) -> tuple[dict[str, dict[str, int]], str]:
    """How many votes reached a consensus, per scale, and the sentence saying it."""
    consensus = {}
    for scale in ("probability", "desirability"):
        answered = [r[scale] for r in iqr_rows if r[scale] and r[scale]["iqr"] is not None]
        consensus[scale] = {
            "consensus": sum(1 for s in answered if s["consensus"]),
            "total": len(answered),
        }
    if not (consensus["probability"]["total"] or consensus["desirability"]["total"]):
        return consensus, ""
    threshold = _num(analysis["parameters"]["hypotheses"]["consensus_max_iqr"])
    sentence = translator(lang).gettext(
        "Consensus (interquartile range ≤ {threshold}) on the probability of {p} hypotheses "
        "out of {pn}, on their desirability for {d} out of {dn}. The median and "
        "interquartile range of every vote are in Table 3."
    )
    return consensus, sentence.format(
        threshold=general(threshold, lang, missing=EN_DASH),
        p=consensus["probability"]["consensus"],
        pn=consensus["probability"]["total"],
        d=consensus["desirability"]["consensus"],
        dn=consensus["desirability"]["total"],
    )


def _appendix(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    hypotheses: list[dict[str, Any]],
    lang: str,
) -> dict[str, Any]:
    panel = study.get("panel", [])
    disagreement = analysis["disagreement"]
    iqr_rows = _dispersion(hypotheses)
    parameters = _parameters(analysis)
    groups: dict[str, list[str]] = {}
    for row in parameters:
        groups.setdefault(row["computation"], []).append(f"{row['parameter']} = {row['value']}")
    consensus, summary = _consensus(analysis, iqr_rows, lang)
    vote = analysis["factor_vote"]
    return {
        "panel": [{"sector": s, "count": n} for s, n in panel_sectors(dict(study))],
        "panel_size": len(panel),
        **delphi_appendix(analysis, lang),
        "parameters": parameters,
        "parameter_groups": [
            {"computation": name, "text": "; ".join(items)} for name, items in groups.items()
        ],
        "consensus_summary": summary,
        "consensus": consensus,
        "kendall_vote": _kendall(vote["concordance"]) if vote else None,
        "kendall_disagreement": _kendall(disagreement["concordance"]["kendall"])
        if disagreement
        else None,
        "selection_probability": _selection_probability(disagreement, factors_by_code),
        "hypothesis_dispersion": iqr_rows,
        "coherence": _coherence(analysis, lang),
    }
