"""The job's competence profile: each competence of the study with the activities it serves,
its links to the reference frameworks (and the level the job expects), and how strongly the
retained scenario impacts it; and the same per area of each linked framework.

How strongly a competence is impacted (its ``strength``) is defined plainly: the number of
distinct **retained** hypotheses whose impacts name the competence (an impact is "hypothesis
H, on activity A, calls for competences C…", Table 5 of the report). Impacts of a hypothesis
that is not retained are left out. The ``activities`` of a competence are the distinct
activities of those impacts, in the order of the perimeter. A competence no retained
impact names has strength 0 (it is in the study's list, not called for by the scenario).

A framework competence's strength is the number of distinct retained hypotheses whose
impacts name one of the study competences linked to it; an area's, the same over the
competences of the area (a hypothesis counts once per competence and once per area, however
many of its study competences are linked there). Its expected level is the highest level its
links give (by the framework's order of levels).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from anticipe.study.frameworks import Framework, linked_framework, study_frameworks


class ProfileLink(TypedDict):
    """A link of a study competence to a framework competence."""

    framework: str  #: the framework's id (as Anticipe holds it), or the name as written
    name: str  #: the framework's short name
    id: str  #: the framework competence's id
    title: str  #: its title in the study's language ("" when Anticipe does not hold it)
    area: str  #: its area's id ("" when unknown)
    level: str  #: the level expected ("" when none)
    level_title: str


class ProfileCompetence(TypedDict):
    """A competence of the study in the profile."""

    code: str
    text: str
    activities: list[str]  #: codes of the activities its retained impacts concern
    hypotheses: list[str]  #: the retained hypotheses whose impacts name it
    strength: int  #: len(hypotheses)
    links: list[ProfileLink]


class FrameworkCompetenceProfile(TypedDict):
    """A framework competence of an area: the study competences linked to it."""

    id: str
    title: str
    competences: list[str]  #: codes of the study competences linked to it
    hypotheses: list[str]
    strength: int
    level: str  #: the highest level expected by its links ("" when none)
    level_title: str


class AreaProfile(TypedDict):
    """An area of a linked framework: all its competences, linked or not."""

    id: str
    title: str
    competences: list[FrameworkCompetenceProfile]
    hypotheses: list[str]
    strength: int


class FrameworkProfile(TypedDict):
    id: str
    name: str
    areas: list[AreaProfile]


class ActivityProfile(TypedDict):
    code: str
    title: str
    competences: list[str]  #: codes of the competences its retained impacts call for


class CompetenceProfile(TypedDict):
    """The result of :func:`competence_profile`."""

    retained: list[str]  #: the retained hypotheses the profile counts
    activities: list[ActivityProfile]
    competences: list[ProfileCompetence]  #: in the study's order
    frameworks: list[FrameworkProfile]  #: the frameworks a competence is linked to
    max_strength: int  #: the highest strength of a study competence (0 when none)


def recorded_retained(study: Mapping[str, Any]) -> list[str]:
    """The retained hypotheses the study file records (each factor's ``retained``)."""
    blocks = (study.get("hypotheses") or {}).get("factors", [])
    return [
        b["retained"]["hypothesis"] for b in blocks if (b.get("retained") or {}).get("hypothesis")
    ]


def _link(link: Mapping[str, Any], frameworks: Mapping[str, Framework], lang: str) -> ProfileLink:
    framework = linked_framework(link["framework"], frameworks)
    item = framework.competence(link["id"]) if framework is not None else None
    level_id = str(link.get("level") or "")
    level = framework.level(level_id) if framework is not None and level_id else None
    return {
        "framework": framework.id if framework is not None else link["framework"],
        "name": framework.name if framework is not None else link["framework"],
        "id": link["id"],
        "title": item.title.in_language(lang) if item is not None else "",
        "area": item.area if item is not None else "",
        "level": level_id,
        "level_title": level.title.in_language(lang) if level is not None else "",
    }


def _highest(framework: Framework, levels: Iterable[str]) -> str:
    ranked = [lv for lv in levels if lv and framework.level_rank(lv) is not None]
    return max(ranked, key=lambda lv: framework.level_rank(lv) or 0, default="")


def _framework_profile(
    framework: Framework, competences: list[ProfileCompetence], lang: str
) -> FrameworkProfile:
    areas: list[AreaProfile] = []
    for area in framework.areas:
        items: list[FrameworkCompetenceProfile] = []
        area_hypotheses: dict[str, None] = {}
        for item in framework.competences:
            if item.area != area.id:
                continue
            codes: list[str] = []
            hypotheses: dict[str, None] = {}
            levels: list[str] = []
            for comp in competences:
                for link in comp["links"]:
                    if link["framework"] == framework.id and link["id"] == item.id:
                        if comp["code"] not in codes:
                            codes.append(comp["code"])
                        hypotheses.update(dict.fromkeys(comp["hypotheses"]))
                        levels.append(link["level"])
            level = _highest(framework, levels)
            found = framework.level(level) if level else None
            area_hypotheses.update(hypotheses)
            items.append(
                {
                    "id": item.id,
                    "title": item.title.in_language(lang),
                    "competences": codes,
                    "hypotheses": list(hypotheses),
                    "strength": len(hypotheses),
                    "level": level,
                    "level_title": found.title.in_language(lang) if found is not None else "",
                }
            )
        areas.append(
            {
                "id": area.id,
                "title": area.title.in_language(lang),
                "competences": items,
                "hypotheses": list(area_hypotheses),
                "strength": len(area_hypotheses),
            }
        )
    return {"id": framework.id, "name": framework.name, "areas": areas}


def competence_profile(
    study: Mapping[str, Any], retained: Iterable[str] | None = None, lang: str | None = None
) -> CompetenceProfile:
    """The job's competence profile of `study` (see the module's description).

    `retained` gives the retained hypotheses (e.g. the analysis' retained scenario, which
    includes the rule's proposals not yet recorded); None reads those the study file records.
    `lang` is the language of the framework titles (the study's when None).
    """
    lang = lang or str(study.get("language") or "fr")
    kept = list(dict.fromkeys(recorded_retained(study) if retained is None else retained))
    chosen = set(kept)
    order = {a["code"]: k for k, a in enumerate(study.get("perimeter", {}).get("activities", []))}
    frameworks = study_frameworks(study)
    hypotheses: dict[str, dict[str, None]] = {}
    activities: dict[str, dict[str, None]] = {}
    per_activity: dict[str, dict[str, None]] = {}
    for impact in study.get("impacts", []):
        if impact["hypothesis"] not in chosen:
            continue
        for code in impact.get("competences", []):
            hypotheses.setdefault(code, {})[impact["hypothesis"]] = None
            activities.setdefault(code, {})[impact["activity"]] = None
            per_activity.setdefault(impact["activity"], {})[code] = None
    competences: list[ProfileCompetence] = []
    for comp in study.get("competences", []):
        code = comp["code"]
        found = list(hypotheses.get(code, {}))
        competences.append(
            {
                "code": code,
                "text": comp["text"],
                "activities": sorted(activities.get(code, {}), key=lambda a: order.get(a, 1 << 30)),
                "hypotheses": found,
                "strength": len(found),
                "links": [_link(link, frameworks, lang) for link in comp.get("frameworks", [])],
            }
        )
    linked = {link["framework"] for comp in competences for link in comp["links"]}
    return {
        "retained": kept,
        "activities": [
            {
                "code": a["code"],
                "title": a["title"],
                "competences": list(per_activity.get(a["code"], {})),
            }
            for a in study.get("perimeter", {}).get("activities", [])
        ],
        "competences": competences,
        "frameworks": [
            _framework_profile(framework, competences, lang)
            for framework in frameworks.values()
            if framework.id in linked
        ],
        "max_strength": max((c["strength"] for c in competences), default=0),
    }
