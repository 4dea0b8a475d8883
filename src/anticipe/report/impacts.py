"""The report's impacts: Table 5 (the competences each activity will need, with the
change factors whose retained hypotheses call for them) and the count per activity.

Table 5 is grouped by activity, one row per impacting evolution, as the published reports
have it: the impacts of an activity that name the same competences are one joint row
("8. … + 9. …"), and an activity's count is its number of rows — the evolutions that
impact it, a joint row counting once (the seed's « sept hypothèses » on « accompagner »).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.report.frameworks import link_labels
from anticipe.study.frameworks import Framework, study_frameworks

HypothesisIndex = Mapping[str, tuple[dict[str, Any], dict[str, Any]]]
Labels = Callable[[Mapping[str, Any]], list[str]]


def _factor_ref(hyp_index: HypothesisIndex, lang: str) -> Callable[[str], dict[str, Any]]:
    """A retained hypothesis as Table 5 names it: its factor's number and title."""
    t = translator(lang)

    def ref(code: str) -> dict[str, Any]:
        group, h = hyp_index.get(code, ({}, {}))
        title = str(group.get("factor_title", code))
        if group.get("reworded_title"):
            title = t.gettext("{title} (reworded)").format(title=title)
        number = group.get("number")
        return {
            "hypothesis": code,
            "number": number,
            "factor": group.get("factor", ""),
            "factor_title": title,
            "heading": f"{number}. {title}" if number is not None else title,
            "label": h.get("label", ""),
        }

    return ref


def _activity_rows(
    links: list[Mapping[str, Any]],
    competences: Mapping[str, Mapping[str, Any]],
    ref: Callable[[str], dict[str, Any]],
    labels: Labels,
) -> list[dict[str, Any]]:
    """An activity's rows of Table 5: its impacts, those naming the same competences
    joined in one row (in the order of their first impact)."""
    rows: dict[frozenset[str], dict[str, Any]] = {}
    for link in links:
        codes = list(dict.fromkeys(link.get("competences", [])))
        row = rows.setdefault(
            frozenset(codes),
            {
                "competences": [
                    {
                        "code": c,
                        "text": competences.get(c, {}).get("text", c),
                        "frameworks": labels(competences.get(c, {})),
                    }
                    for c in codes
                ],
                "factors": [],
            },
        )
        if link["hypothesis"] not in [f["hypothesis"] for f in row["factors"]]:
            row["factors"].append(ref(link["hypothesis"]))
    return list(rows.values())


def _ranking(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The activities by their number of impacting evolutions (ties share a rank)."""
    ranking = []
    previous: int | None = None
    rank = 0
    for k, a in enumerate(sorted(table, key=lambda a: -a["count"]), start=1):
        if a["count"] != previous:
            rank, previous = k, a["count"]
        ranking.append({"rank": rank, "code": a["code"], "title": a["title"], "count": a["count"]})
    return ranking


def impact_tables(
    study: Mapping[str, Any],
    activities: list[Mapping[str, Any]],
    hyp_index: HypothesisIndex,
    lang: str,
) -> dict[str, Any]:
    """Table 5's rows per activity, each activity's count and rank, and the competences
    by recurrence."""
    comps = {c["code"]: c for c in study.get("competences", [])}
    links = list(study.get("impacts", []))
    recurrence: Counter[str] = Counter()
    for link in links:
        recurrence.update(link.get("competences", []))
    ref = _factor_ref(hyp_index, lang)
    frameworks: dict[str, Framework] = study_frameworks(study)

    def labels(competence: Mapping[str, Any]) -> list[str]:
        return link_labels(competence, frameworks, lang)

    table = []
    for act in activities:
        act_links = [i for i in links if i["activity"] == act["code"]]
        rows = _activity_rows(act_links, comps, ref, labels)
        table.append(
            {
                "code": act["code"],
                "title": act["title"],
                "count": len(rows),
                "hypotheses": [ref(h) for h in dict.fromkeys(i["hypothesis"] for i in act_links)],
                "rows": rows,
            }
        )
    competences = [
        {
            "code": c["code"],
            "text": c["text"],
            "frameworks": labels(c),
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
