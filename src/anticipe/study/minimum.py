"""The minimum number of answers: what the analysis withholds below it.

A statistic that decides something needs enough answers to be trusted, and an aggregate
of very few answers all but shows each of them. Below the study's minimum number of
answers (``parameters.min_answers`` of the study file, 3 by default):

- the hypothesis votes: a question's statistics (median, quartiles, consensus, its
  distribution) are withheld, and a key factor whose hypotheses do not all reach the
  minimum has no most probable or most desirable hypothesis: the retention rule proposes
  nothing (:func:`anticipe.method.hypotheses.hypothesis_statistics`, ``min_answers``);
- the weighted vote: with fewer ballots than the minimum there is no ranking, no points
  and no shortlist (the ranking of one ballot is that ballot; :func:`vote_minimum`);
- the influence matrix: with fewer matrices than the minimum there is no structural
  analysis at all (no group matrix, plane nor key factor: the group's matrix of one expert
  is theirs), and a cell answered by fewer experts than the minimum shows no dispersion
  (:func:`withhold_structural`).

A study file of version 1.0 had no minimum: it is read with a minimum of 1 unless its
parameters say otherwise. Its analysis is then the one it always had, but for one case: a
key factor with a voted hypothesis nobody answered has no most probable (or most
desirable) hypothesis any more (it used to be chosen among the others).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from anticipe.method.structural_analysis import StructuralAnalysis

DEFAULT_MIN_ANSWERS = 3
NO_MINIMUM = 1  # a study file of version 1.0


def min_answers(study: Mapping[str, Any]) -> int:
    """The study's minimum number of answers: its setting, else 3 (1 for a 1.0 file)."""
    default = NO_MINIMUM if study.get("anticipe_study") == "1.0" else DEFAULT_MIN_ANSWERS
    return int((study.get("parameters") or {}).get("min_answers", default))


class VoteMinimum(TypedDict):
    """What the minimum withheld from a weighted vote."""

    ballots: int  #: the experts' standing ballots
    enough: bool  #: at least the minimum: the vote is tallied and shown


def vote_minimum(ballots: int, minimum: int) -> VoteMinimum:
    """Whether `ballots` ballots are enough for the weighted vote to be tallied."""
    return {"ballots": ballots, "enough": ballots >= minimum}


class StructuralMinimum(TypedDict):
    """What the minimum withheld from a structural analysis."""

    experts: int  #: the experts whose matrices were analysed
    enough: bool  #: at least the minimum: the key factors are proposed
    cells_withheld: int  #: cells answered by fewer experts than the minimum (and by some)


def withhold_structural(structural: StructuralAnalysis, minimum: int) -> StructuralMinimum:
    """Withhold, in `structural`, what fewer answers than `minimum` would decide or show:
    the selection of key factors (fewer matrices), each cell's dispersion (fewer answers to
    the cell). Returns what was withheld."""
    experts = len(structural["experts"])
    enough = experts >= minimum
    if not enough:
        structural["selection"]["selected"] = []
        structural["selection"]["candidates"] = []
    dispersion = structural["dispersion"]
    withheld = 0
    for i, row in enumerate(dispersion["n_answers"]):
        for j, count in enumerate(row):
            if i != j and 0 < count < minimum:
                withheld += 1
                dispersion["iqr"][i][j] = None
                dispersion["share_at_least_1"][i][j] = None
                dispersion["share_potential"][i][j] = None
    return {"experts": experts, "enough": enough, "cells_withheld": withheld}


def withheld(analysis: Mapping[str, Any], step: str) -> tuple[int, int] | None:
    """How many ballots (`step` "factor_vote") or matrices ("structural_analysis") an
    analysis of :func:`anticipe.study.analysis.analyse_study` had, and the minimum they did
    not reach, when the minimum withheld that step (None otherwise)."""
    minimum = analysis.get("minimum") or {}
    found = minimum.get(step)
    if not found or found["enough"]:
        return None
    return found.get("ballots", found.get("experts", 0)), int(minimum["min_answers"])
