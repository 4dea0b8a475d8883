"""What every results page shares: its tables of aggregates (shown on the page and
downloaded as CSV or XLSX by :mod:`anticipe.workshop.downloads`), its parameters table and
the rounds it shows (the iterations whose standing answers it computes on)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Round

# the analysis' section of each numeric step
ANALYSED: dict[str, str] = {
    Round.Step.FACTOR_VOTE: "factor_vote",
    Round.Step.INFLUENCE: "structural_analysis",
    Round.Step.HYPOTHESIS_VOTE: "hypotheses",
}


@dataclass
class Table:
    """A table of aggregates, as shown on a page and downloaded as CSV or XLSX."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def simulation_notice(answers: bool, services: bool = False) -> Table | None:
    """The first table of a download whose figures depend on simulated data: what the page
    says beside them, so that the file says it on its first lines (a CSV's first table has no
    title line). `answers`: some of the study's answers were generated (``Study.simulation``,
    the pages' notice); `services`: the training catalogue or a group's counts are. None when
    nothing is simulated."""
    rows: list[list[Any]] = []
    if answers:
        rows.append(
            [
                _("Simulated answers.")
                + " "
                + _(
                    "Some answers of this study were generated, not given by experts: its "
                    "results illustrate the method."
                )
            ]
        )
    if services:
        rows.append(
            [
                _(
                    "The training catalogue or the group's counts are simulated: they "
                    "illustrate the method."
                )
            ]
        )
    return Table("simulated", _("Simulated data"), [_("Simulated data")], rows) if rows else None


def parameter_table(rows: list[tuple[str, str]]) -> Table:
    """The parameters of a page's computations, one ``(name, value)`` a row."""
    return Table(
        "parameters", _("Parameters"), [_("parameter"), _("value")], [list(r) for r in rows]
    )


def round_info(
    rounds: Mapping[str, Round | None], analysis: Mapping[str, Any], step: str
) -> dict[str, Any] | None:
    """The rounds a step's page shows: its latest closed iteration and when it closed,
    how many of the standing answers come from each iteration, and the minimum number of
    answers."""
    round_ = rounds.get(step)
    if round_ is None:
        return None
    found = (analysis.get("iterations") or {}).get(ANALYSED[step])
    only = set(found["respondents_only"]) if found else set()
    return {
        "round": round_,
        "iteration": round_.iteration,
        "closed_at": round_.closed_at,
        "standing": [
            {**item, "respondents_only": item["iteration"] in only} for item in found["standing"]
        ]
        if found
        else [],
        "min_answers": analysis["parameters"].get("min_answers", 1),
    }


def delphi_parameters(analysis: Mapping[str, Any], step: str) -> list[tuple[str, str]]:
    """The parameters of how a step's answers were counted: the minimum number of answers,
    the iterations and those that counted only their respondents."""
    counted = analysis["parameters"].get("standing_answers", {}).get(ANALYSED[step])
    rows = [("min_answers", str(analysis["parameters"].get("min_answers", 1)))]
    if counted:
        rows += [
            ("standing_answers.iterations", ", ".join(map(str, counted["iterations"]))),
            (
                "standing_answers.respondents_only",
                ", ".join(map(str, counted["respondents_only"])) or "–",
            ),
        ]
    return rows
