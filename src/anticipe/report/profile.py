"""The report's section on the job's competence profile (in the chapter on the reference
frameworks): each competence with the activities it serves, its links and expected levels,
and how strongly the retained scenario impacts it (the number of retained hypotheses whose
impacts name it: :mod:`anticipe.study.profile`); then the same per area of each framework.

When the retained hypotheses come from simulated votes, every format shows the flag of the
hypothesis votes beside the section's tables, and no sentence concludes from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.study.profile import competence_profile


def _link_label(link: Mapping[str, Any], lang: str) -> str:
    t = translator(lang)
    if link["level_title"]:
        return t.gettext("{framework} {id} (level {level})").format(
            framework=link["name"], id=link["id"], level=link["level_title"]
        )
    return f"{link['name']} {link['id']}"


def profile_section(study: Mapping[str, Any], retained: Iterable[str], lang: str) -> dict[str, Any]:
    """The section's data: ``empty`` (no competence), ``intro`` (how strength is counted),
    ``rows`` (each
    competence, most impacted first, then the study's order), ``areas`` (each framework's
    areas with their linked competences and strength)."""
    t = translator(lang)
    profile = competence_profile(study, list(retained), lang)
    titles = {a["code"]: a["title"] for a in profile["activities"]}
    ordered = sorted(profile["competences"], key=lambda c: -c["strength"])
    rows = [
        {
            "code": c["code"],
            "competence": f"{c['code']}. {c['text']}",
            "activities": [f"{a}. {titles.get(a, a)}" for a in c["activities"]],
            "links": [_link_label(link, lang) for link in c["links"]],
            "strength": c["strength"],
            "hypotheses": c["hypotheses"],
        }
        for c in ordered
    ]
    areas = [
        {
            "framework": f["name"],
            "area": f"{a['id']}. {a['title']}",
            "linked": [
                f"{item['id']} ({', '.join(item['competences'])})"
                for item in a["competences"]
                if item["competences"]
            ],
            "strength": a["strength"],
        }
        for f in profile["frameworks"]
        for a in f["areas"]
    ]
    intro = t.gettext(
        "The job's competence profile: for each competence, the activities it serves, its "
        "links to the frameworks with the level expected, and how strongly it is impacted — "
        "the number of retained hypotheses (of {retained}) whose impacts name it. Per area of "
        "a framework, the number of retained hypotheses whose impacts name a competence "
        "linked to the area."
    ).format(retained=len(profile["retained"]))
    return {
        "empty": not rows,
        "intro": intro,
        "rows": rows,
        "areas": areas,
    }
