"""The job's competence profile as a results page: each competence with the activities it
serves, its framework links and expected levels, and how strongly the retained scenario
impacts it (:func:`anticipe.study.profile.competence_profile`, the one definition), a bar
chart per area of each linked framework, and the page's tables (downloaded as CSV/XLSX)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anticipe.i18n import language_or_default
from anticipe.study.profile import competence_profile
from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.tables import Table

STEPS = 10
"""A bar's length is drawn in tenths of the longest (CSS classes ``bar-0`` … ``bar-10``)."""


def _step(value: int, longest: int) -> int:
    return round(STEPS * value / longest) if longest else 0


def profile_page(results: StudyResults) -> dict[str, Any]:
    """The profile's rows (most impacted first), the areas with their bars, the tables."""
    retained = [
        r["hypothesis"] for r in results.analysis["scenario"]["retained"] if r["hypothesis"]
    ]
    lang = language_or_default(get_language() or "fr")
    profile = competence_profile(results.document, retained, lang)
    titles = {a["code"]: a["title"] for a in profile["activities"]}
    rows = [
        {
            **c,
            "activity_titles": [f"{a}. {titles.get(a, a)}" for a in c["activities"]],
            "bar": _step(c["strength"], profile["max_strength"]),
        }
        for c in sorted(profile["competences"], key=lambda c: -c["strength"])
    ]
    frameworks = []
    for f in profile["frameworks"]:
        longest = max((i["strength"] for a in f["areas"] for i in a["competences"]), default=0)
        areas = [
            {
                **a,
                "items": [{**i, "bar": _step(i["strength"], longest)} for i in a["competences"]],
            }
            for a in f["areas"]
        ]
        frameworks.append({**f, "areas": areas, "longest": longest})
    return {
        "profile": profile,
        "rows": rows,
        "frameworks": frameworks,
        "tables": [_competences_table(rows), _areas_table(frameworks)],
    }


def _competences_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        "profile",
        _("The job's competence profile"),
        [
            _("code"),
            _("competence"),
            _("activities"),
            _("framework links (level expected)"),
            _("retained hypotheses naming it"),
            _("hypotheses"),
        ],
        [
            [
                r["code"],
                r["text"],
                "; ".join(r["activity_titles"]),
                "; ".join(
                    f"{link['name']} {link['id']}"
                    + (f" ({link['level_title']})" if link["level_title"] else "")
                    for link in r["links"]
                ),
                r["strength"],
                ", ".join(r["hypotheses"]),
            ]
            for r in rows
        ],
    )


def _areas_table(frameworks: list[dict[str, Any]]) -> Table:
    return Table(
        "areas",
        _("Retained hypotheses per framework competence"),
        [
            _("framework"),
            _("area"),
            _("framework competence"),
            _("competences of the study"),
            _("level expected"),
            _("retained hypotheses"),
        ],
        [
            [
                f["name"],
                f"{a['id']}. {a['title']}",
                f"{i['id']} {i['title']}",
                ", ".join(i["competences"]),
                i["level_title"],
                i["strength"],
            ]
            for f in frameworks
            for a in f["areas"]
            for i in a["items"]
        ],
    )
