"""The report context: every fact the study report shows, computed once.

:func:`build_report_context` turns a study (and its analysis) into plain data that each
format (HTML, PDF, DOCX, XLSX) only lays out: no renderer computes anything. The study
gives the texts (job, activities, factors, hypotheses, actions, competences, the
facilitator's chapters) and the panel's decisions; the analysis
(:func:`anticipe.study.analysis.analyse_study`) gives the numbers, read under the keys it
declares. Sentences are written here in the study's language (the package's gettext
catalogue); the renderers translate their own headings with the same catalogue.

The body follows the published reports (Tables 2 to 5 without statistics); every
statistic is in the appendix. When some answers of the study are simulated, each figure
or table computed from them carries a flag (``flags``: one sentence per simulated part)
and no sentence of the body concludes from them; a study without simulated answers has
no flag at all. The parts of the context live in :mod:`.evolutions` (Tables 3 and 4),
:mod:`.impacts` (Table 5) and :mod:`.appendix`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from anticipe.i18n import language_or_default, translator
from anticipe.presentation import date_text, display_title, simulated_part_label
from anticipe.report.appendix import appendix_context
from anticipe.report.chapters import chapter_texts
from anticipe.report.evolutions import (
    action_plan,
    as_float,
    coherence,
    hypothesis_grid,
    hypothesis_groups,
    retained_scenario,
)
from anticipe.report.frameworks import frameworks_chapter
from anticipe.report.impacts import impact_tables
from anticipe.report.profile import profile_section
from anticipe.report.structural_appendix import structural_appendix
from anticipe.report.training import new_section, training_section
from anticipe.study.minimum import withheld
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

    `analysis` is the study's :func:`anticipe.study.analysis.analyse_study` (computed here
    when None); `date` the day the report is made (ISO ``YYYY-MM-DD``, today when None),
    shown on the cover when the study gives no publication date (``report.date``).
    Returns plain JSON-serialisable data: ``language``, ``words``, ``outline`` (the
    numbered headings, shared by the table of contents), ``cover``, ``flags``, ``texts``
    (the facilitator's chapters, or the standard description of a step), ``synthesis``,
    ``key_activities``, ``method``, ``perimeter``, ``factors``, ``vote``, ``map``,
    ``key_factors``, ``hypotheses``, ``grid``, ``scenario``, ``action_plan``, ``impacts``,
    ``frameworks`` (the chapter on the reference frameworks: :mod:`anticipe.report.frameworks`),
    ``profile`` (the job's competence profile, a section of that chapter:
    :mod:`anticipe.report.profile`), ``new`` (what the profile adds to today's, a table of
    that chapter) and ``training`` (the training-needs chapter: :mod:`anticipe.report.training`),
    ``appendix``, ``structural_appendix`` (the potential planes and the graphs of
    influences: :mod:`anticipe.report.structural_appendix`), ``key_factor_numbers``, ``generated``.
    """
    if analysis is None:
        from anticipe.study.analysis import analyse_study

        analysis = analyse_study(dict(study))
    lang = language_or_default(study.get("language", "fr"))
    simulated = simulated_parts(study)
    factors_by_code = {f["code"]: f for f in study.get("factors", [])}
    activities = list(study.get("perimeter", {}).get("activities", []))
    key_factors = _key_factors(analysis, factors_by_code, lang)
    hypotheses = hypothesis_groups(analysis, key_factors, lang)
    hyp_index = {h["code"]: (group, h) for group in hypotheses for h in group["hypotheses"]}
    retained = retained_scenario(hypotheses, hyp_index)
    impacts = impact_tables(study, activities, hyp_index, lang)
    report = study.get("report") or {}
    frameworks = frameworks_chapter(study, lang)
    retained_codes = [r["hypothesis"] for r in retained]
    new = new_section(study, retained_codes, lang)
    training = training_section(study, retained_codes, lang)
    new["table"] = 9  # the tables' numbers: what is new, then the needs (when shown)
    training["table"] = 9 + int(not new["empty"] and not frameworks["empty"])
    return {
        "language": lang,
        "words": _words(lang),
        "outline": _outline(
            report, lang, frameworks=not frameworks["empty"], training=not training["empty"]
        ),
        "cover": _cover(study, lang, date),
        "flags": _flags(study, analysis, simulated, lang),
        "texts": _texts(report, study, analysis, lang),
        "synthesis": _synthesis(study),
        "key_activities": impacts["ranking"],
        "method": _method(study, lang, simulated),
        "perimeter": _perimeter(activities),
        **_factors(standing_study(dict(study)), analysis, factors_by_code, lang),
        "map": _map(analysis, factors_by_code, key_factors),
        "no_map": _no_map(analysis, lang),
        "key_factors": key_factors,
        "hypotheses": hypotheses,
        "grid": hypothesis_grid(hypotheses, lang),
        "scenario": {
            "retained": retained,
            # a sentence that concludes from simulated cross-impacts is no finding
            "coherence": None if "cross_impacts" in simulated else coherence(analysis, lang),
        },
        "action_plan": action_plan(study, retained, report.get("action_notes") or {}, lang),
        "impacts": impacts,
        "frameworks": frameworks,
        "profile": profile_section(study, retained_codes, lang),
        "new": new,
        "training": training,
        "appendix": appendix_context(study, analysis, factors_by_code, hypotheses, lang),
        "structural_appendix": structural_appendix(analysis, factors_by_code, key_factors, lang),
        "key_factor_numbers": {k["code"]: k["number"] for k in key_factors},
        "generated": date or _dt.date.today().isoformat(),
    }


# --------------------------------------------------------------------------- helpers


def simulated_parts(study: Mapping[str, Any]) -> list[str]:
    """The parts of the study whose answers are simulated (none for a real study)."""
    simulation = study.get("simulation") or {}
    return [p for p in SIMULATED_PARTS if p in (simulation.get("simulated") or [])]


def _synthesis(study: Mapping[str, Any]) -> list[dict[str, str]]:
    """Part 1's sections, the empty ones left out."""
    return [
        {"title": s.get("title", ""), "markdown": s.get("markdown", "")}
        for s in study.get("synthesis", [])
        if (s.get("title") or "").strip() or (s.get("markdown") or "").strip()
    ]


def _words(lang: str) -> dict[str, str]:
    """The report's words whose French differs from the site's for the same English (a
    message context); the templates cannot mark them for ``makemessages``, so they come
    from here."""
    t = translator(lang)
    return {
        "key_factors": t.pgettext("report", "Key factors"),
        "explanatory_content": t.pgettext("report", "Explanatory content"),
    }


def _outline(
    report: Mapping[str, Any], lang: str, *, frameworks: bool = False, training: bool = False
) -> list[dict[str, Any]]:
    """The report's headings in order, numbered as the body numbers them (the table of
    contents and every format read this one list). Chapters without text are left out, the
    chapter on the reference frameworks when no competence is linked (`frameworks`), the
    training needs when the study has no training catalogue (`training`)."""
    _ = translator(lang).gettext
    chapters = chapter_texts(report)
    entries: list[tuple[str, str, str, int]] = [
        ("introduction", "", _("Introduction"), 1),
        ("part1", "", _("Part 1 – Summary of the results"), 1),
        ("part2", "", _("Part 2 – The method and the results step by step"), 1),
        ("perimeter", "1", _("The job's perimeter"), 2),
        ("factors", "2", _("The most important change factors"), 2),
        ("selection", "3", _("Selecting the most influential factors"), 2),
        ("hypotheses", "4", _("Probable and desirable evolutions and the evolution profile"), 2),
        ("impacts", "5", _("Impacts on activities and competence needs"), 2),
        ("reference_frameworks", "6", _("European reference frameworks"), 2),
        ("training_needs", "7" if frameworks else "6", _("Training needs"), 2),
        ("references", "", _("References"), 1),
        ("appendix", "", _("Method appendix"), 1),
    ]
    return [
        {
            "id": key,
            "number": number,
            "title": title,
            "heading": f"{number}. {title}" if number else title,
            "level": level,
        }
        for key, number, title, level in entries
        if (key not in ("introduction", "references") or key in chapters)
        and (key != "reference_frameworks" or frameworks)
        and (key != "training_needs" or training)
    ]


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
    """The cover's notice, in the report's language only (the file's own note may mix
    languages: it is not repeated)."""
    _ = translator(lang).gettext
    parts = [simulated_part_label(p, lang) for p in simulation.get("simulated", [])]
    text = _(
        "Some answers in this study are simulated (generated, not given by real experts): "
        "{parts}. The results that depend on them illustrate the method and are not "
        "experts' results; each one says so where it is shown."
    )
    return {
        "title": _("Simulated answers"),
        "text": text.format(parts=", ".join(parts) or "–"),
        "parts": list(simulation.get("simulated", [])),
    }


def _cover(study: Mapping[str, Any], lang: str, date: str | None) -> dict[str, Any]:
    _ = translator(lang).gettext
    job = study.get("job", {})
    report = study.get("report") or {}
    source = study.get("source")
    simulation = study.get("simulation")
    published = str(report.get("date") or "")
    return {
        "kicker": _("Skills foresight report"),
        "title": str(report.get("title") or job.get("title", "")),
        "job": job.get("title", ""),
        "subtitle": _("Foresight study of the job: {job}").format(job=job.get("title", "")),
        "job_description": job.get("description", ""),
        "job_code": job.get("code", ""),
        "organisation": str(report.get("organisation") or ""),
        "authors": str(report.get("authors") or ""),
        "licence": str(report.get("licence") or ""),
        "horizon": _horizon(study, lang),
        "date": date_text(published or date or _dt.date.today().isoformat(), lang),
        "source": _source(source, lang) if source else None,
        "simulation": _simulation_notice(simulation, lang) if simulation else None,
    }


def _source(source: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The source's fields, and ``text``: one line citing it (publisher, citation, and
    the date in words when the citation does not already give it)."""
    out = {k: str(source.get(k, "")) for k in ("publisher", "citation", "url", "date", "note")}
    parts = [out["citation"]] if out["citation"] else []
    if out["publisher"] and not out["citation"].startswith(out["publisher"]):
        parts.insert(0, out["publisher"])
    text = ". ".join(parts)
    when = date_text(out["date"], lang)
    if when and when not in text and out["date"] not in text:
        text += f" ({when})"
    out["text"] = text
    return out


def _flags(
    study: Mapping[str, Any], analysis: Mapping[str, Any], simulated: list[str], lang: str
) -> dict[str, str]:
    """One sentence per simulated part, shown beside each figure or table computed from
    it; empty for a study without simulated answers. ``key_factors`` and ``shortlist``
    are flagged only when no decision of the panel is recorded (then the analysis'
    proposal, computed from simulated answers, is shown)."""
    _ = translator(lang).gettext
    sentence = _(
        "Computed from simulated answers ({part}): this illustrates the method; it is not a "
        "result of the experts."
    )
    flags = {p: sentence.format(part=simulated_part_label(p, lang)) for p in simulated}
    decided_keys = all(k["decided"] for k in analysis["key_factors"])
    if "influence_matrices" in flags and not decided_keys:
        flags["key_factors"] = flags["influence_matrices"]
    if "factor_vote" in flags and not (study.get("factor_vote") or {}).get("shortlist"):
        flags["shortlist"] = flags["factor_vote"]
    if (study.get("training_catalogue") or {}).get("simulated"):
        flags["training_catalogue"] = _(
            "Illustrative training catalogue (simulated): the coverage shown illustrates the "
            "method; it is not a real training offer."
        )
    assessment = study.get("self_assessment") or {}
    if assessment.get("simulated") or any(g.get("simulated") for g in assessment.get("groups", [])):
        flags["self_assessment"] = _(
            "Computed from simulated self-assessments: the shares below the level expected "
            "illustrate the method; they are not answers of respondents."
        )
    return flags


def _texts(
    report: Mapping[str, Any], study: Mapping[str, Any], analysis: Mapping[str, Any], lang: str
) -> dict[str, dict[str, str]]:
    """Each chapter's place: the facilitator's Markdown when written, else the report's
    standard description of the step (``text``), else nothing (left out)."""
    _ = translator(lang).gettext
    standard = {
        "factors": _factors_intro(study, analysis, lang),
        "selection": _(
            "Each expert rated the influence of each factor on each other from 0 (none) to "
            "3 (strong), or P (potential). Compiling the experts' matrices places each "
            "factor by its influence (vertical) and dependence (horizontal); the axes cross "
            "at the means. The most influential and least dependent factors (upper left "
            "box) are kept as key factors."
        ),
        "hypotheses": _(
            "For each key factor, the experts described the current and future situations; "
            "the facilitator synthesised them into short evolution hypotheses, on which the "
            "experts voted for probability and desirability. When the panel judges that "
            "actions can reach the most desirable hypothesis, it is retained; otherwise the "
            "most probable one."
        ),
        "actions": _(
            "For each retained hypothesis, the panel proposes actions to provoke the change "
            "(desirable hypothesis) or to prepare for it (probable hypothesis)."
        ),
        "impacts": _(
            "For each retained hypothesis, the panel named the activities strongly affected "
            "and the competences needed to carry them out in this new context."
        ),
    }
    chapters = chapter_texts(report)
    keys = {*chapters, *standard}
    return {
        key: {"markdown": chapters[key]} if key in chapters else {"text": standard[key]}
        for key in keys
    }


def _no_map(analysis: Mapping[str, Any], lang: str) -> str:
    """What the report says where Graph 1 would be, without a structural analysis."""
    _ = translator(lang).gettext
    if (short := withheld(analysis, "structural_analysis")) is not None:
        return _(
            "No structural analysis: {matrices} matrices are fewer than the study's minimum "
            "number of answers ({minimum})."
        ).format(matrices=short[0], minimum=short[1])
    return _("No influence matrix was entered.")


def _factors_intro(study: Mapping[str, Any], analysis: Mapping[str, Any], lang: str) -> str:
    _ = translator(lang).gettext
    if (short := withheld(analysis, "factor_vote")) is not None:
        return _(
            "The weighted vote's {ballots} ballots are fewer than the study's minimum number "
            "of answers ({minimum}): no ranking is shown, and every proposed factor is listed."
        ).format(ballots=short[0], minimum=short[1])
    if not (study.get("factor_vote") and analysis["factor_vote"]):
        return _("No weighted vote was entered: every proposed factor is listed.")
    return _(
        "The experts proposed change factors, then distributed points among them in a "
        "weighted vote; the factors kept are listed below by code."
    )


def _method(study: Mapping[str, Any], lang: str, simulated: list[str]) -> dict[str, Any]:
    """The standard description of the method (Part 2's opening when the facilitator has
    not written one). The panel's size is said only when the panel is real."""
    _ = translator(lang).gettext
    panel = study.get("panel", [])
    sentence = ""
    if panel and "panel" not in simulated:
        sectors = panel_sectors(dict(study))
        sentence = _("The panel brought together {n} experts from {s} sectors.").format(
            n=len(panel), s=len(sectors)
        )
    return {
        "intro": _(
            "The Abilitic2Perform method brings together a panel of experts in successive "
            "workshops led by a facilitator. It alternates collective reflection and "
            "individual votes; the facilitator compiles the results of each step, which feed "
            "the next."
        ),
        "steps": [
            _("The job's perimeter: its activities and their tasks."),
            _(
                "The change factors the experts propose, then a weighted vote to keep the most "
                "important."
            ),
            _(
                "Structural analysis: each expert rates the influence of each factor on each "
                "other from 0 (none) to 3 (strong); the most influential and least dependent "
                "factors become the key factors."
            ),
            _(
                "Evolution hypotheses: the facilitator synthesises the situations the experts "
                "describe into hypotheses, which the experts vote on for probability and "
                "desirability; one is retained per key factor, and an action plan provokes or "
                "prepares for it."
            ),
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


def _code_order(code: str) -> tuple[str, int, str]:
    """A factor code's place in code order: A2 before A10."""
    head = code.rstrip("0123456789")
    tail = code[len(head) :]
    return (head, int(tail) if tail else -1, code)


def _factors(
    study: Mapping[str, Any],
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> dict[str, Any]:
    """Table 2: the factors kept, in code order, without statistics (the vote's points are
    in the appendix)."""
    _ = translator(lang).gettext
    vote = analysis["factor_vote"]
    rows = {item["factor"]: item for item in vote["ranking"]} if vote else {}
    codes = _shortlist_codes(study, vote) or list(factors_by_code)
    table = []
    for code in sorted(codes, key=_code_order):
        factor = factors_by_code.get(code, {})
        row = rows.get(code, {})
        table.append(
            {
                "code": code,
                "title": str(factor.get("title", code)),
                "reworded_title": str(factor.get("reworded_title", "")),
                "description": str(factor.get("description", "")),
                "points": as_float(row.get("points")),
                "support": row.get("support"),
                "rank": row.get("rank"),
            }
        )
    return {
        "factors": table,
        "vote": {
            "present": bool(study.get("factor_vote")) and bool(rows),
            "caption": _("Table 2: The {n} important change factors").format(n=len(table)),
            "ranked": sorted(
                (f for f in table if f["rank"] is not None), key=lambda f: (f["rank"], f["code"])
            ),
            "proposed": len(factors_by_code),
        },
    }


def _key_factors(
    analysis: Mapping[str, Any],
    factors_by_code: Mapping[str, Mapping[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    """The key factors as the analysis gives them: the panel's decision or the proposal.
    ``title`` is the factor's title as first voted; ``reworded_title`` its later
    rewording; ``display_title`` the one later tables go by."""
    _ = translator(lang).gettext
    origin_labels = {"selection": _("selection"), "addition": _("panel's addition")}
    out = []
    for k, item in enumerate(analysis["key_factors"], start=1):
        code = str(item["code"])
        factor = factors_by_code.get(code) or {}
        origin = "addition" if item["origin"] == "addition" else "selection"
        out.append(
            {
                "number": k,
                "code": code,
                "title": str(factor.get("title") or code),
                "reworded_title": str(factor.get("reworded_title") or ""),
                "display_title": display_title(factor or None, code),
                "origin": origin,
                "origin_label": origin_labels[origin],
                "reason": str(item["reason"] or ""),
                "decided": bool(item["decided"]),
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
