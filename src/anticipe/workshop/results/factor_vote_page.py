"""Step 2's results page: the ranked factors with their points and support, the cut at N,
Kendall's W, and the page's tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Round
from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.labels import flatten_parameters
from anticipe.workshop.results.tables import (
    Table,
    delphi_parameters,
    parameter_table,
    round_info,
)


def vote_page(results: StudyResults) -> dict[str, Any]:
    """Step 2: the ranked factors with points and support, the cut at N, Kendall's W."""
    vote = results.analysis["factor_vote"]
    page: dict[str, Any] = {
        "vote": vote,
        "round": round_info(results.rounds, results.analysis, Round.Step.FACTOR_VOTE),
        "left_out": results.left_out(Round.Step.FACTOR_VOTE),
        "tables": [],
    }
    if vote is None:
        return page
    rows = _vote_rows(results, vote)
    shortlist = vote["shortlist"]
    page.update(
        rows=rows,
        shortlist=shortlist,
        cut_after=_cut_after(rows) if shortlist else None,
        ballots=len(vote["experts"]),
        concordance=vote["concordance"],
        parameters=flatten_parameters(vote["parameters"])
        + flatten_parameters(vote["concordance"]["parameters"], "concordance")
        + delphi_parameters(results.analysis, Round.Step.FACTOR_VOTE),
    )
    page["tables"] = [
        _ranking_table(rows),
        _concordance_table(vote["concordance"]),
        parameter_table(page["parameters"]),
    ]
    return page


def _vote_rows(results: StudyResults, vote: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each factor in rank order, with its points, support, mean and where it stands."""
    titles = results.factor_titles
    tally = {item["factor"]: item for item in vote["tally"]}
    shortlist = vote["shortlist"]
    selected = set(shortlist["selected"]) if shortlist else set()
    tied_at_cut = set(shortlist["tied_at_cut"]) if shortlist else set()
    kept = set((results.document.get("factor_vote") or {}).get("shortlist", []))
    return [
        {
            "code": item["factor"],
            "title": titles.get(item["factor"], item["factor"]),
            "rank": item["rank"],
            "tied": item["tied"],
            "points": item["points"],
            "support": item["support"],
            "mean": tally[item["factor"]]["mean"],
            "within_cut": item["factor"] in selected,
            "tied_at_cut": item["factor"] in tied_at_cut,
            "kept": item["factor"] in kept,
        }
        for item in vote["ranking"]
    ]


def _cut_after(rows: list[dict[str, Any]]) -> str | None:
    """The last factor above the cut (the ties at the cut excluded)."""
    if not rows:
        return None
    above = [row for row in rows if row["within_cut"] and not row["tied_at_cut"]]
    return rows[len(above) - 1]["code"] if above else None


RANKING_COLUMNS = (
    "rank",
    "tied",
    "code",
    "title",
    "points",
    "support",
    "mean",
    "within_cut",
    "tied_at_cut",
    "kept",
)


def _ranking_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        "factor_vote",
        _("Weighted vote on the change factors"),
        [
            _("rank"),
            _("tied"),
            _("code"),
            _("factor"),
            _("points"),
            _("experts who gave points"),
            _("mean points per expert"),
            _("within the cut"),
            _("tied at the cut"),
            _("kept"),
        ],
        [[row[name] for name in RANKING_COLUMNS] for row in rows],
    )


def _concordance_table(concordance: Mapping[str, Any]) -> Table:
    return Table(
        "concordance",
        _("Kendall's W"),
        [
            _("W"),
            _("chi-square"),
            _("degrees of freedom"),
            _("p-value"),
            _("experts"),
            _("factors"),
        ],
        [[concordance[name] for name in ("w", "chi2", "dof", "p_value", "m", "n")]],
    )
