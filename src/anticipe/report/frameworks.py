"""The report's chapter on the European reference frameworks: the study's competences as
the frameworks name them (the links of a competence, study format 1.2), the areas they
cover, the levels the job expects; and how Table 5 writes a competence's links.

A framework's texts are shown in the study's language (its French titles, for DigComp the
French labels of the matching ESCO concepts); a framework whose competences carry ESCO
concepts is shown with the sentence ESCO's terms of use ask for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import punctuation
from anticipe.study.frameworks import Framework, linked_framework, study_frameworks


def link_labels(
    competence: Mapping[str, Any], frameworks: Mapping[str, Framework], lang: str
) -> list[str]:
    """A competence's links as Table 5 writes them: "DigComp 2.2 2.4 (level 5 – Advanced)"
    (the framework's short name; a link to a framework Anticipe does not hold as written)."""
    t = translator(lang)
    labels = []
    for link in competence.get("frameworks", []):
        framework = linked_framework(link["framework"], frameworks)
        name = framework.name if framework is not None else link["framework"]
        level_id = link.get("level")
        level = framework.level(level_id) if framework is not None and level_id else None
        if level is not None:
            labels.append(
                t.gettext("{framework} {id} (level {level})").format(
                    framework=name, id=link["id"], level=level.title.in_language(lang)
                )
            )
        else:
            labels.append(f"{name} {link['id']}")
    return labels


def _levels(framework: Framework, level_ids: list[str], lang: str) -> str:
    ranked = sorted(set(level_ids), key=lambda level: framework.level_rank(level) or 0)
    return ", ".join(
        level.title.in_language(lang)
        for level_id in ranked
        if (level := framework.level(level_id)) is not None
    )


def _framework_part(
    framework: Framework, links: list[tuple[Mapping[str, Any], Mapping[str, Any]]], lang: str
) -> dict[str, Any]:
    """One framework: each of its areas with the framework competences the study links
    (their study competences and expected levels), the areas left uncovered."""
    t = translator(lang)
    by_competence: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    for competence, link in links:
        by_competence.setdefault(link["id"], []).append((competence, link))
    areas = []
    for area in framework.areas:
        rows = []
        for item in framework.competences:
            if item.area != area.id or item.id not in by_competence:
                continue
            linked = by_competence[item.id]
            colon = punctuation(":", lang)  # French spacing before the colon
            others = [
                f"{edition}{colon} {title.in_language(lang)}"
                for edition, title in item.other_titles
            ]
            rows.append(
                {
                    "id": item.id,
                    "title": item.title.in_language(lang),
                    "other_titles": others,
                    "levels": _levels(
                        framework, [link["level"] for _c, link in linked if link.get("level")], lang
                    ),
                    "competences": list(
                        dict.fromkeys(f"{c['code']}. {c['text']}" for c, _link in linked)
                    ),
                }
            )
        areas.append({"id": area.id, "title": area.title.in_language(lang), "rows": rows})
    covered = [area for area in areas if area["rows"]]
    uncovered = [f"{area['id']}. {area['title']}" for area in areas if not area["rows"]]
    return {
        "id": framework.id,
        "name": framework.name,
        "title": framework.title.in_language(lang),
        "heading": _heading(framework.name, framework.title.in_language(lang)),
        "coverage": t.gettext("{covered} of its {total} areas covered").format(
            covered=len(covered), total=len(areas)
        ),
        "areas": covered,
        "uncovered": (
            t.gettext("Areas no competence of the study is linked to: {areas}.").format(
                areas="; ".join(uncovered)
            )
            if uncovered
            else ""
        ),
        "attribution": framework.attribution.in_language(lang),
        "citation": framework.citation,
        "esco": framework.esco_attribution,
    }


def _heading(name: str, title: str) -> str:
    """The framework's heading: "name — title", or the title alone where it names the
    framework already ("DigComp 2.2 : le cadre européen…", not "DigComp 2.2 — DigComp 2.2 :
    …"; "Cadre européen … (DigCompEdu)")."""
    if not title:
        return name
    named = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title)  # a word, not within one
    return title if named else f"{name} — {title}"


def frameworks_chapter(study: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The chapter's data: ``empty`` (no competence is linked), ``intro``, ``frameworks``
    (each linked framework, in the order Anticipe offers them), ``unlinked`` (the study's
    competences without a link), ``others`` (links to frameworks Anticipe does not hold,
    as written), ``esco`` (the ESCO sentence, when a shown framework uses ESCO)."""
    t = translator(lang)
    frameworks = study_frameworks(study)
    competences = list(study.get("competences", []))
    links: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    others: list[str] = []
    for competence in competences:
        for link in competence.get("frameworks", []):
            framework = linked_framework(link["framework"], frameworks)
            if framework is None or framework.competence(link["id"]) is None:
                others.append(f"{competence['code']}: {link['framework']} {link['id']}")
                continue
            links.setdefault(framework.id, []).append((competence, link))
    parts = [
        _framework_part(framework, links[framework.id], lang)
        for framework in frameworks.values()
        if framework.id in links
    ]
    linked_codes = {c["code"] for c in competences if c.get("frameworks")}
    unlinked = [f"{c['code']}. {c['text']}" for c in competences if c["code"] not in linked_codes]
    names = ", ".join(part["name"] for part in parts)
    intro = t.gettext(
        "{linked} of the study's {total} competences are linked to the competences of {names}; "
        "beside each, the level the job is expected to need."
    ).format(linked=len(linked_codes), total=len(competences), names=names or "—")
    sentence = next((part["esco"] for part in parts if part["esco"]), None)
    esco = t.gettext(sentence) if sentence else None
    return {
        "empty": not parts and not others,
        "intro": intro,
        "frameworks": parts,
        "unlinked": unlinked,
        "others": others,
        "esco": esco,
    }
