"""The report's training needs and what the study's profile adds to today's profile of the
job (issue 15).

- **What is new compared with today's profile** is a table of the chapter on the reference
  frameworks, when the study gives today's profile (``current_profile``): the framework
  areas and competences the profile adds, and the levels it raises, each with the study
  competences behind it (:func:`anticipe.study.training_needs.what_is_new`).
- **Training needs** is a chapter of its own, when the study has a training catalogue
  (``training_catalogue``): each need of the profile with the level expected, the modules
  covering it, the needs no module covers; with a column per self-assessment group (the
  share below the expected level) when the study file carries groups
  (:func:`anticipe.study.training_needs.training_needs`).

A simulated catalogue or group is flagged beside every table it shapes (the context's
``flags``: ``training_catalogue``, ``self_assessment``), as the retained hypotheses are when
their votes are simulated (the needs are the retained scenario's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from anticipe.i18n import gettext_noop, translator
from anticipe.presentation import EN_DASH, percent, percent_number
from anticipe.study.profile import competence_profile
from anticipe.study.training_needs import (
    WhatIsNew,
    expected_text,
    modules_text,
    training_needs,
    what_is_new,
)

NEW_KINDS = {
    "area": gettext_noop("new area"),
    "competence": gettext_noop("new competence"),
    "raised": gettext_noop("level raised"),
}


def new_rows(new: WhatIsNew, lang: str) -> list[list[str]]:
    """What is new as rows: what, framework, area or competence, level today, level
    expected, competences of the study."""
    t = translator(lang)
    rows = [
        [
            t.gettext(NEW_KINDS["area"]),
            area["name"],
            f"{area['id']}. {area['title']}",
            "",
            "",
            ", ".join(area["competences"]),
        ]
        for area in new["areas"]
    ]
    for kind, items in (("competence", new["competences"]), ("raised", new["raised"])):
        rows.extend(
            [
                t.gettext(NEW_KINDS[kind]),
                item["name"],
                f"{item['id']} {item['title']}",
                item["today_title"] or item["today"] or EN_DASH,
                item["level_title"] or item["level"] or EN_DASH,
                ", ".join(item["competences"]),
            ]
            for item in items
        )
    return rows


def new_headers(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("what"),
        _("framework"),
        _("area or competence"),
        _("level today"),
        _("level expected"),
        _("competences of the study"),
    ]


def new_section(study: Mapping[str, Any], retained: Iterable[str], lang: str) -> dict[str, Any]:
    """What is new compared with today's profile: ``empty`` (no today's profile), ``intro``,
    ``headers``, ``rows``."""
    t = translator(lang)
    profile = competence_profile(study, list(retained), lang)
    new = what_is_new(study, profile, lang)
    if new is None:
        return {"empty": True, "intro": "", "headers": [], "rows": []}
    intro = t.gettext(
        "Today's profile of the job has {today} framework competences ({source}). The study's "
        "profile adds {areas} areas and {competences} competences, and raises the level of "
        "{raised} competences."
    ).format(
        today=new["today"],
        source=new["source"] or EN_DASH,
        areas=len(new["areas"]),
        competences=len(new["competences"]),
        raised=len(new["raised"]),
    )
    return {
        "empty": False,
        "intro": intro,
        "headers": new_headers(lang),
        "rows": new_rows(new, lang),
    }


def training_section(
    study: Mapping[str, Any], retained: Iterable[str], lang: str
) -> dict[str, Any]:
    """The training-needs chapter: ``empty`` (no catalogue), ``intro``, ``summary``,
    ``groups`` (the self-assessment groups' labels, a column each), ``rows`` (each need:
    competence, strength, level expected, modules, covered, the groups' shares below),
    ``not_covered`` (a sentence), ``modules`` (the catalogue's modules)."""
    t = translator(lang)
    catalogue = study.get("training_catalogue")
    if not catalogue:
        return {"empty": True}
    profile = competence_profile(study, list(retained), lang)
    needs = training_needs(study, profile, None, lang)
    groups = list((study.get("self_assessment") or {}).get("groups", []))
    shares: dict[str, list[float | None]] = {r["code"]: [] for r in needs["rows"]}
    for group in groups:
        found = training_needs(study, profile, group["code"], lang)
        by_code = {r["code"]: r["below"] for r in found["rows"]}
        for code, column in shares.items():
            column.append(by_code.get(code))
    rows = [
        {
            "code": r["code"],
            "competence": f"{r['code']}. {r['text']}",
            "strength": r["strength"],
            "expected": expected_text(r["expected"]) or EN_DASH,
            "modules": modules_text(r) or t.gettext("not covered"),
            "covered": r["covered"],
            "below": [percent(share, lang, missing=EN_DASH) for share in shares[r["code"]]],
            # the shares as numbers (percent, rounded) for the workbook
            "below_values": [percent_number(share) for share in shares[r["code"]]],
        }
        for r in needs["rows"]
    ]
    uncovered = set(needs["not_covered"])
    title = catalogue.get("title") or t.gettext("the training catalogue")
    summary = t.gettext(
        "{covered} of the profile's {total} needs are covered by {modules} modules of {title}."
    ).format(covered=needs["covered"], total=len(rows), modules=needs["modules"], title=title)
    not_covered = (
        t.gettext("Needs no module covers: {codes}.").format(
            codes=", ".join(c["code"] for c in profile["competences"] if c["code"] in uncovered)
        )
        if needs["not_covered"]
        else t.gettext("Every need is covered by a module.")
    )
    intro = t.gettext(
        "The needs of the job's competence profile are the competences the retained scenario "
        "calls for or that have a level expected. A module covers a need when it names the "
        "competence, or one of its framework competences up to the level expected; the needs "
        "are listed most impacted first."
    )
    if groups:
        intro += " " + t.gettext(
            "For each self-assessment group, the share of its respondents below the level expected."
        )
    return {
        "empty": False,
        "intro": intro,
        "summary": summary,
        "groups": [g.get("label") or g["code"] for g in groups],
        "rows": rows,
        "not_covered": not_covered,
        "modules": [
            {
                "id": m["id"],
                "title": m["title"],
                "provider": m.get("provider", ""),
                "hours": m.get("duration_hours"),
            }
            for m in catalogue["modules"]
        ],
    }
