"""Steps 5-6's results page: the action plan of the retained scenario, the impacts of the
retained hypotheses on the job's activities, the competences gathered, and the page's
tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.labels import aim_label, flatten_parameters
from anticipe.workshop.results.tables import Table, parameter_table


def impacts_page(results: StudyResults) -> dict[str, Any]:
    """Steps 5-6: the action plan, the hypothesis x activity table, the competences."""
    plan, other_actions = _action_plan(results)
    impacts = results.analysis["impacts"]
    page: dict[str, Any] = {
        "plan": plan,
        "other_actions": other_actions,
        "impacts": impacts,
        "tables": [_actions_table(plan)],
    }
    if impacts is None:
        return page
    hypotheses = results.hypotheses_by_code
    activity_titles = {a["code"]: a["title"] for a in results.document["perimeter"]["activities"]}
    columns = [
        {
            "code": code,
            "label": hypotheses.get(code, {}).get("label", ""),
            "factor": hypotheses.get(code, {}).get("factor", ""),
        }
        for code in impacts["hypotheses"]
    ]
    table = _impact_rows(impacts, activity_titles, len(columns))
    competences = [
        {
            **item,
            "text": impacts["competence_texts"].get(item["competence"], item["competence"]),
            "activity_titles": [activity_titles.get(a, a) for a in item["activities"]],
        }
        for item in impacts["competences"]
    ]
    page.update(columns=columns, table=table, competences=competences)
    page["parameters"] = flatten_parameters(impacts["parameters"])
    page["tables"] += [
        _impacts_table(columns, table),
        _competences_table(competences),
        parameter_table(page["parameters"]),
    ]
    return page


def _action_plan(results: StudyResults) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The retained hypothesis of each key factor with its actions, and the actions of
    hypotheses not retained."""
    hypotheses = results.hypotheses_by_code
    titles = results.factor_titles
    retained = [
        {
            "factor": item["factor"],
            "factor_title": titles.get(item["factor"], item["factor"]),
            "hypothesis": item["hypothesis"],
            "label": hypotheses.get(item["hypothesis"] or "", {}).get("label", ""),
            "text": hypotheses.get(item["hypothesis"] or "", {}).get("text", ""),
        }
        for item in results.analysis["scenario"]["retained"]
    ]
    actions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for action in results.document.get("actions", []):
        actions[action["hypothesis"]].append(action)
    plan = [{**r, "actions": actions.get(r["hypothesis"] or "", [])} for r in retained]
    other_actions = [
        {"hypothesis": code, "label": hypotheses.get(code, {}).get("label", ""), "actions": items}
        for code, items in actions.items()
        if code not in {r["hypothesis"] for r in retained}
    ]
    return plan, other_actions


def _impact_rows(
    impacts: Mapping[str, Any], activity_titles: Mapping[str, str], n_columns: int
) -> list[dict[str, Any]]:
    """Each activity: which retained hypotheses impact it, how many, its rank."""
    counts = {item["activity"]: item for item in impacts["activity_counts"]}
    ranking = {item["activity"]: item for item in impacts["activity_ranking"]}
    return [
        {
            "code": code,
            "title": activity_titles.get(code, code),
            "cells": [bool(impacts["matrix"][row][column]) for row in range(n_columns)],
            "count": counts[code]["count"],
            "rank": ranking[code]["rank"],
            "tied": ranking[code]["tied"],
        }
        for column, code in enumerate(impacts["activities"])
    ]


def _actions_table(plan: list[dict[str, Any]]) -> Table:
    return Table(
        "actions",
        _("Action plan"),
        [_("factor"), _("hypothesis"), _("label"), _("aim"), _("action")],
        [
            [r["factor"], r["hypothesis"], r["label"], aim_label(a.get("aim")), a["text"]]
            for r in plan
            for a in r["actions"]
        ],
    )


def _impacts_table(columns: list[dict[str, Any]], table: list[dict[str, Any]]) -> Table:
    return Table(
        "impacts",
        _("Impacts of the retained hypotheses on the activities"),
        [_("activity"), _("title"), *[c["code"] for c in columns], _("count"), _("rank")],
        [
            [r["code"], r["title"], *[1 if c else 0 for c in r["cells"]], r["count"], r["rank"]]
            for r in table
        ],
    )


def _competences_table(competences: list[dict[str, Any]]) -> Table:
    return Table(
        "competences",
        _("Competences gathered"),
        [_("code"), _("competence"), _("occurrences"), _("rank"), _("activities"), _("hypotheses")],
        [
            [
                c["competence"],
                c["text"],
                c["occurrences"],
                c["rank"],
                ", ".join(c["activities"]),
                ", ".join(c["hypotheses"]),
            ]
            for c in competences
        ],
    )
