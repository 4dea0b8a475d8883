"""The analysis of a whole study: every step of the method, run on a study file.

This module turns the study file's answers (labels, cells such as ``"P"`` or ``null``)
into the arrays the method core computes on, calls the core, and gathers the
results as plain values. The command line, the site and the reports all use
:func:`analyse_study`, so a number is computed in one place only.

The answers analysed are each expert's standing answers over the Delphi iterations
(:mod:`anticipe.study.standing`), with what fewer answers than the study's minimum
would decide withheld (:mod:`anticipe.study.minimum`). The analysis depends neither on
the experts' pseudonyms nor on the order the file lists them in: two files that differ
only by them give the same numbers.

Every result carries the parameters it was computed with (``"parameters"``), and the
whole analysis carries them all under ``analysis["parameters"]``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

import numpy as np
import numpy.typing as npt

from anticipe.method import cross_impact, disagreement, hypotheses, impacts
from anticipe.method import structural_analysis as micmac
from anticipe.method.cross_impact import (
    ScenarioConsistency,
    ScenarioSearch,
    ScoredScenario,
)
from anticipe.method.disagreement import Bootstrap, ExpertConcordance, LeaveOneOut
from anticipe.method.hypotheses import HypothesisStatistics, Retention, VoteStatistics
from anticipe.method.impacts import ImpactTable
from anticipe.method.structural_analysis import StructuralAnalysis
from anticipe.method.weighted_vote import WeightedVote, weighted_vote
from anticipe.study.errors import StudyInputError
from anticipe.study.limits import (
    MAX_FACTORS,
    MAX_POINTS,
    MAX_POTENTIAL_WEIGHT,
    MAX_RESAMPLES,
    MAX_SEED,
    MAX_STRUCTURAL_FACTORS,
    check_parameter,
)
from anticipe.study.messages import JsonValue, message
from anticipe.study.minimum import (
    StructuralMinimum,
    VoteMinimum,
    min_answers,
    vote_minimum,
    withhold_structural,
)
from anticipe.study.standing import StepIterations, iteration_counts, standing_study
from anticipe.study.study_file import (
    DEFAULT_DESIRABILITY_SCALE,
    DEFAULT_PROBABILITY_SCALE,
    Study,
)

Progress = Callable[[int, int], None]

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 2018
DEFAULT_STRUCTURAL = {"aggregation": "mean", "potential_weight": 3.0, "max_power": 30}
DEFAULT_CONSENSUS_MAX_IQR = 1.0


# -- answers as arrays ---------------------------------------------------------------------


def influence_arrays(
    matrices: Sequence[dict[str, Any]], size: int
) -> tuple[list[str], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Experts' influence matrices (study-file cells) as arrays.

    Returns the expert ids, the scores (experts x n x n, NaN for "don't know", 0 for a
    P cell) and the mask of P (potential influence) cells.
    """
    experts = [matrix["expert"] for matrix in matrices]
    scores = np.zeros((len(matrices), size, size), dtype=np.float64)
    potential = np.zeros((len(matrices), size, size), dtype=np.bool_)
    for index, matrix in enumerate(matrices):
        for row, cells in enumerate(matrix["rows"]):
            for column, cell in enumerate(cells):
                if cell is None:
                    scores[index, row, column] = np.nan
                elif cell == "P":
                    potential[index, row, column] = True
                else:
                    scores[index, row, column] = float(cell)
    return experts, scores, potential


def _structural_options(parameters: dict[str, Any]) -> dict[str, Any]:
    options = {**DEFAULT_STRUCTURAL, **parameters}
    return {
        "aggregation": options["aggregation"],
        "potential_weight": float(options["potential_weight"]),
        "max_power": int(options["max_power"]),
        "target_count": options.get("key_factor_count"),
    }


# -- step 2: the weighted vote ----------------------------------------------------------------


def analyse_factor_vote(study: Study) -> WeightedVote | None:
    """The weighted vote on the change factors (the experts' standing ballots), or None when
    the study has no ballots or fewer than its minimum number of answers
    (:func:`factor_vote_minimum`: the ranking of one ballot is that ballot)."""
    vote = standing_study(study).get("factor_vote")
    if not vote or not vote["ballots"]:
        return None
    if not vote_minimum(len(vote["ballots"]), min_answers(study))["enough"]:
        return None
    factors = [factor["code"] for factor in study["factors"]]
    return analyse_ballots(
        factors,
        vote["ballots"],
        method=vote["method"],
        points_per_expert=vote.get("points_per_expert"),
        shortlist_size=vote.get("shortlist_size"),
    )


def factor_vote_minimum(study: Study) -> VoteMinimum | None:
    """How many standing ballots the weighted vote has, and whether they reach the study's
    minimum number of answers (None without ballots)."""
    vote = standing_study(study).get("factor_vote")
    if not vote or not vote["ballots"]:
        return None
    return vote_minimum(len(vote["ballots"]), min_answers(study))


def analyse_ballots(
    factors: Sequence[str],
    ballots: Sequence[dict[str, Any]],
    *,
    method: str = "points",
    points_per_expert: float | None = None,
    shortlist_size: int | None = None,
) -> WeightedVote:
    """The weighted vote over ballots ``{"expert", "scores": {factor: points}}``.

    ``points_per_expert`` and ``shortlist_size`` are refused beyond the limits of
    :mod:`anticipe.study.limits` (:class:`~anticipe.study.errors.StudyInputError`).
    """
    check_parameter("points_per_expert", points_per_expert, 1, MAX_POINTS)
    check_parameter("shortlist_size", shortlist_size, 1, MAX_FACTORS)
    experts = [ballot["expert"] for ballot in ballots]
    index = {code: position for position, code in enumerate(factors)}
    scores = np.zeros((len(ballots), len(factors)), dtype=np.float64)
    for row, ballot in enumerate(ballots):
        for code, value in ballot["scores"].items():
            scores[row, index[code]] = float(value)
    return weighted_vote(
        scores,
        list(factors),
        experts,
        method="ranks" if method == "ranks" else "points",
        points_per_expert=points_per_expert,
        allow_unspent=True,
        shortlist_size=shortlist_size,
    )


# -- step 3: the structural analysis ------------------------------------------------------------


class Disagreement(TypedDict):
    """How much the structural analysis depends on which experts answered."""

    concordance: ExpertConcordance  #: Kendall's W over the experts' own rankings
    leave_one_out: LeaveOneOut | None  #: None with a single expert
    bootstrap: Bootstrap | None  #: None with 0 resamples


class InfluenceAnalysis(TypedDict):
    """The result of :func:`analyse_influence_matrices`."""

    #: None (and the disagreement) with fewer matrices than the minimum number of answers
    structural_analysis: StructuralAnalysis | None
    disagreement: Disagreement | None
    minimum: StructuralMinimum  #: what the minimum number of answers withheld


def _bootstrap(
    matrices: Sequence[dict[str, Any]],
    codes: list[str],
    options: dict[str, Any],
    resamples: int,
    seed: int,
    progress: Progress | None,
) -> Bootstrap:
    """The bootstrap over experts, on the matrices in the order of their cells (not of
    their experts' ids nor of the file): it draws experts by position, and so does not
    depend on the pseudonyms nor on the order the file lists the experts in."""
    ordered = sorted(matrices, key=lambda matrix: json.dumps(matrix["rows"]))
    experts, scores, potential = influence_arrays(ordered, len(codes))
    return disagreement.bootstrap_experts(
        scores,
        codes,
        seed=seed,
        n_resamples=resamples,
        potential=potential,
        experts=experts,
        progress=progress,
        **options,
    )


def analyse_influence_matrices(
    factors: Sequence[str],
    matrices: Sequence[dict[str, Any]],
    *,
    parameters: dict[str, Any] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    min_answers: int = 1,
) -> InfluenceAnalysis:
    """Structural analysis (MICMAC) of the experts' matrices, with the disagreement.

    Returns the results of
    :func:`anticipe.method.structural_analysis.structural_analysis` and of the
    bootstrap, leave-one-expert-out and Kendall's W of :mod:`anticipe.method.disagreement`
    (the bootstrap is left out when `resamples` is 0), with what fewer answers than
    `min_answers` would decide or show withheld
    (:func:`anticipe.study.minimum.withhold_structural`); with fewer matrices than
    `min_answers`, neither (None): the group's matrix of so few experts would all but show
    each of theirs. The bootstrap takes the matrices
    in the order of their content, whatever their order and experts' ids. `resamples`,
    `seed` and the parameters are refused beyond the limits of
    :mod:`anticipe.study.limits` (:class:`~anticipe.study.errors.StudyInputError`).
    """
    _check_structural_parameters(parameters or {}, resamples, seed)
    codes = list(factors)
    experts, scores, potential = influence_arrays(matrices, len(codes))
    if len(experts) < min_answers:
        return {
            "structural_analysis": None,
            "disagreement": None,
            "minimum": {"experts": len(experts), "enough": False, "cells_withheld": 0},
        }
    options = _structural_options(parameters or {})
    result = micmac.structural_analysis(
        scores, codes, potential=potential, experts=experts, **options
    )
    spread: Disagreement = {
        "concordance": disagreement.expert_concordance(
            scores, codes, potential=potential, experts=experts
        ),
        "leave_one_out": disagreement.leave_one_expert_out(
            scores, codes, potential=potential, experts=experts, **options
        )
        if len(experts) > 1
        else None,
        "bootstrap": _bootstrap(matrices, codes, options, resamples, seed, progress)
        if resamples > 0
        else None,
    }
    withheld = withhold_structural(result, min_answers)
    return {"structural_analysis": result, "disagreement": spread, "minimum": withheld}


def _check_structural_parameters(parameters: dict[str, Any], resamples: int, seed: int) -> None:
    """The parameters given to the structural analysis directly (the command line's
    options), within the limits the study file's schema sets for its own."""
    check_parameter("resamples", resamples, 0, MAX_RESAMPLES)
    check_parameter("seed", seed, 0, MAX_SEED)
    weight = parameters.get("potential_weight")
    check_parameter("potential_weight", weight, 0, MAX_POTENTIAL_WEIGHT)
    check_parameter(
        "key_factor_count", parameters.get("key_factor_count"), 1, MAX_STRUCTURAL_FACTORS
    )


class KeyFactorDecision(TypedDict):
    """One key factor (:func:`key_factor_decisions`)."""

    code: str
    origin: str  #: "selection" or "addition" (the study file's origins)
    reason: str | None
    decided: bool  #: False for the analysis' mere proposal
    title: str  #: the factor's current title
    quadrant: str | None  #: in the direct plane, None without a structural analysis


def key_factor_decisions(
    study: Study, structural: StructuralAnalysis | None
) -> list[KeyFactorDecision]:
    """The key factors: the panel's recorded decision, or else the analysis' proposal."""
    titles = {factor["code"]: factor_title(factor) for factor in study["factors"]}
    quadrants = structural["direct"]["quadrant"] if structural else {}
    recorded = study.get("key_factors")
    if recorded:
        chosen = [(key["code"], key["origin"], key.get("reason"), True) for key in recorded]
    elif structural is not None:
        chosen = [(code, "selection", None, False) for code in structural["selection"]["selected"]]
    else:
        chosen = []
    return [
        {
            "code": code,
            "origin": origin,
            "reason": reason,
            "decided": decided,
            "title": titles.get(code, code),
            "quadrant": quadrants.get(code),
        }
        for code, origin, reason, decided in chosen
    ]


def factor_title(factor: dict[str, Any]) -> str:
    """The title a factor goes by now (its rewording, if the panel reworded it)."""
    title: str = factor.get("reworded_title") or factor["title"]
    return title


# -- step 4: hypotheses and the retained scenario --------------------------------------------------


def _scale(hypotheses_section: dict[str, Any], name: str) -> tuple[int, int]:
    default = DEFAULT_PROBABILITY_SCALE if name == "probability" else DEFAULT_DESIRABILITY_SCALE
    scale = hypotheses_section.get(f"{name}_scale", default)
    return int(scale["min"]), int(scale["max"])


class RecordedRetention(TypedDict):
    """The panel's recorded decision on a factor's hypothesis (the study file's ``retained``)."""

    hypothesis: str
    decision: str  #: "rule" or "override"
    reason: NotRequired[str]


class HypothesisRow(TypedDict):
    """One hypothesis of a factor, as entered, with its statistics and marks."""

    code: str
    label: str
    text: str
    merged_from: list[str]
    probability: VoteStatistics | None  #: None when not voted on (a merge, too few)
    desirability: VoteStatistics | None
    most_probable: bool
    most_desirable: bool
    retained: bool


class FactorHypotheses(TypedDict):
    """One key factor's hypotheses (:func:`analyse_hypotheses`)."""

    factor: str
    title: str
    current_situation: str | None
    actions_can_reach_desirable: bool | None
    hypotheses: list[HypothesisRow]
    statistics: HypothesisStatistics | None  #: None when fewer than two were voted on
    retention: Retention | None  #: None when it cannot be computed yet
    #: the recorded decision's hypothesis, or else the rule's proposal, or None
    retained: str | None
    decision: RecordedRetention | None
    note: str | None


@dataclass(frozen=True)
class _VoteContext:
    """What every factor's hypothesis votes are read with."""

    experts: list[str]
    votes: dict[tuple[str, str], Mapping[str, Any]]  # (expert, hypothesis) -> vote
    probability_scale: tuple[int, int]
    desirability_scale: tuple[int, int]
    consensus: float
    titles: dict[str, str]
    min_answers: int


def analyse_hypotheses(study: Study) -> list[FactorHypotheses]:
    """Vote statistics and retention for every key factor's hypotheses, on the experts'
    standing answers, with the study's minimum number of answers.

    One item per block of ``study["hypotheses"]["factors"]``.
    """
    minimum = min_answers(study)
    study = standing_study(study)
    section = study.get("hypotheses")
    if not section:
        return []
    parameters = study.get("parameters", {}).get("hypotheses", {})
    context = _VoteContext(
        experts=[expert["id"] for expert in study["panel"]],
        votes={(vote["expert"], vote["hypothesis"]): vote for vote in section.get("votes", [])},
        probability_scale=_scale(section, "probability"),
        desirability_scale=_scale(section, "desirability"),
        consensus=float(parameters.get("consensus_max_iqr", DEFAULT_CONSENSUS_MAX_IQR)),
        titles={factor["code"]: factor_title(factor) for factor in study["factors"]},
        min_answers=minimum,
    )
    return [_analyse_factor_hypotheses(block, context) for block in section["factors"]]


def _analyse_factor_hypotheses(block: dict[str, Any], context: _VoteContext) -> FactorHypotheses:
    merged = [h for h in block["hypotheses"] if h.get("merged_from")]
    voted = [h["code"] for h in block["hypotheses"] if not h.get("merged_from")]
    statistics = None
    retention = None
    if 2 <= len(voted) <= hypotheses.MAX_HYPOTHESES:
        statistics = _statistics(block["factor"], voted, context)
        retention, note = _retention(block, statistics, merged)
    else:
        note = f"{len(voted)} hypotheses voted on; the statistics need 2 to 5"
    recorded: RecordedRetention | None = block.get("retained")
    retained: str | None
    if recorded:
        retained = recorded["hypothesis"]
    elif retention is not None and retention["decided"]:
        retained = retention["retained"]
    else:
        retained = None
    if (
        recorded
        and recorded["decision"] == "rule"
        and retention is not None
        and retention["decided"]
        and retention["retained"] != recorded["hypothesis"]
    ):
        note = (
            f"the recorded decision ({recorded['hypothesis']}) differs from the rule's "
            f"proposal ({retention['retained']})"
        )
    return {
        "factor": block["factor"],
        "title": context.titles.get(block["factor"], block["factor"]),
        "current_situation": block.get("current_situation"),
        "actions_can_reach_desirable": block.get("actions_can_reach_desirable"),
        "hypotheses": _hypothesis_rows(block, statistics, retained),
        "statistics": statistics,
        "retention": retention,
        "retained": retained,
        "decision": recorded,
        "note": note,
    }


def _statistics(factor: str, voted: list[str], context: _VoteContext) -> HypothesisStatistics:
    """The statistics of the votes on a factor's hypotheses (those not merged)."""
    shape = (len(context.experts), len(voted))
    probability = np.full(shape, np.nan)
    desirability = np.full(shape, np.nan)
    # an expert answered a question when their vote has the key (null: don't know)
    probability_answered = np.zeros(shape, dtype=bool)
    desirability_answered = np.zeros(shape, dtype=bool)
    for row, expert in enumerate(context.experts):
        for column, code in enumerate(voted):
            vote = context.votes.get((expert, code))
            if vote is not None:
                probability_answered[row, column] = "probability" in vote
                desirability_answered[row, column] = "desirability" in vote
                if vote.get("probability") is not None:
                    probability[row, column] = vote["probability"]
                if vote.get("desirability") is not None:
                    desirability[row, column] = vote["desirability"]
    return hypotheses.hypothesis_statistics(
        factor,
        voted,
        context.experts,
        probability,
        desirability,
        probability_scale=context.probability_scale,
        desirability_scale=context.desirability_scale,
        consensus_max_iqr=context.consensus,
        probability_answered=probability_answered,
        desirability_answered=desirability_answered,
        min_answers=context.min_answers,
    )


def _retention(
    block: dict[str, Any], statistics: HypothesisStatistics, merged: list[dict[str, Any]]
) -> tuple[Retention | None, str | None]:
    """The retention by the rule or the recorded override, or why it cannot be computed."""
    reachable = block.get("actions_can_reach_desirable")
    if reachable is None:
        return None, "the panel has not said whether actions can reach the most desirable"
    recorded = block.get("retained")
    override = recorded if recorded and recorded["decision"] == "override" else None
    retention = hypotheses.retain(
        statistics,
        actions_can_reach_desirable=bool(reachable),
        override=override["hypothesis"] if override else None,
        reason=override.get("reason") if override else None,
        merges=[
            hypotheses.merge_hypotheses(
                statistics, h["merged_from"], code=h["code"], text=h["text"]
            )
            for h in merged
        ],
    )
    return retention, None


def _hypothesis_rows(
    block: dict[str, Any], statistics: HypothesisStatistics | None, retained: str | None
) -> list[HypothesisRow]:
    per_code: dict[str, hypotheses.HypothesisVotes] = {}
    most_probable: list[str] = []
    most_desirable: list[str] = []
    if statistics is not None:
        per_code = {item["hypothesis"]: item for item in statistics["hypotheses"]}
        most_probable = statistics["most_probable"]["hypotheses"]
        most_desirable = statistics["most_desirable"]["hypotheses"]
    rows: list[HypothesisRow] = []
    for hypothesis in block["hypotheses"]:
        code = hypothesis["code"]
        stats = per_code.get(code)
        rows.append(
            {
                "code": code,
                "label": hypothesis["label"],
                "text": hypothesis["text"],
                "merged_from": hypothesis.get("merged_from", []),
                "probability": stats["probability"] if stats else None,
                "desirability": stats["desirability"] if stats else None,
                "most_probable": code in most_probable,
                "most_desirable": code in most_desirable,
                "retained": code == retained,
            }
        )
    return rows


def scenario_variants(study: Study) -> tuple[list[str], list[list[str]]]:
    """Descriptors (key factors with hypotheses) and their variants for cross-impacts.

    A hypothesis merged into another is replaced by the merged one.
    """
    section = study.get("hypotheses") or {"factors": []}
    descriptors: list[str] = []
    variants: list[list[str]] = []
    for block in section["factors"]:
        replaced = {code for h in block["hypotheses"] for code in h.get("merged_from", [])}
        codes = [h["code"] for h in block["hypotheses"] if h["code"] not in replaced]
        if codes:
            descriptors.append(block["factor"])
            variants.append(codes)
    return descriptors, variants


def cross_impact_matrix(study: Study) -> tuple[list[str], list[list[str]], list[list[int]]]:
    """The study's cross-impacts as a CIB matrix over every variant (row impacts column)."""
    descriptors, variants = scenario_variants(study)
    flat = [code for codes in variants for code in codes]
    position = {code: index for index, code in enumerate(flat)}
    matrix = [[0] * len(flat) for _ in flat]
    for index, judgement in enumerate((study.get("cross_impacts") or {}).get("judgements", [])):
        source, target = judgement["source"], judgement["target"]
        if source not in position or target not in position:
            missing = source if source not in position else target
            raise StudyInputError(
                message("analysis.not_in_scenario", code=JsonValue(missing)),
                field=f"cross_impacts.judgements[{index}]",
            )
        matrix[position[source]][position[target]] = int(judgement["value"])
    return descriptors, variants, matrix


class RetainedHypothesis(TypedDict):
    """A key factor's retained hypothesis (None while undecided)."""

    factor: str
    hypothesis: str | None


class CoherentScenario(ScoredScenario):
    """A consistent scenario of the study, with its hypotheses' codes."""

    hypotheses: list[str]  #: the chosen hypothesis of each descriptor


class Coherence(TypedDict):
    """The cross-impact balance of the study's scenarios."""

    descriptors: list[str]  #: key factors with hypotheses
    variants: list[list[str]]  #: their hypotheses (a merge replaces what it merges)
    consistency: ScenarioConsistency | None  #: of the retained scenario, when complete
    consistent_scenarios: list[CoherentScenario]
    search: ScenarioSearch


class ScenarioAnalysis(TypedDict):
    """The result of :func:`analyse_scenario`."""

    retained: list[RetainedHypothesis]
    complete: bool  #: every key factor has its retained hypothesis
    coherence: Coherence | None  #: None without cross-impacts


def analyse_scenario(
    study: Study, hypothesis_results: Sequence[FactorHypotheses]
) -> ScenarioAnalysis:
    """The retained scenario and, when cross-impacts are entered, its coherence (CIB)."""
    retained: list[RetainedHypothesis] = [
        {"factor": item["factor"], "hypothesis": item["retained"]} for item in hypothesis_results
    ]
    complete = bool(retained) and all(item["hypothesis"] for item in retained)
    coherence = None
    if study.get("cross_impacts") and study["cross_impacts"]["judgements"]:
        chosen = {item["factor"]: item["hypothesis"] for item in retained} if complete else None
        coherence = _coherence(study, chosen)
    return {"retained": retained, "complete": complete, "coherence": coherence}


def _coherence(study: Study, chosen: dict[str, str | None] | None) -> Coherence:
    """Every consistent scenario and, for a ``chosen`` (complete) scenario, its consistency."""
    descriptors, variants, matrix = cross_impact_matrix(study)
    counts = [len(codes) for codes in variants]
    space = cross_impact.consistent_scenarios(matrix, counts)
    consistency = None
    if chosen is not None and all(factor in chosen for factor in descriptors):
        scenario = [
            codes.index(str(chosen[factor]))
            for factor, codes in zip(descriptors, variants, strict=True)
        ]
        consistency = cross_impact.scenario_consistency(
            matrix, counts, scenario, descriptors=descriptors, variants=variants
        )
    return {
        "descriptors": descriptors,
        "variants": variants,
        "consistency": consistency,
        "consistent_scenarios": [
            {
                "scenario": found["scenario"],
                "total_impact_score": found["total_impact_score"],
                "consistency_value": found["consistency_value"],
                "inconsistency": found["inconsistency"],
                "hypotheses": [variants[d][v] for d, v in enumerate(found["scenario"])],
            }
            for found in space["scenarios"]
        ],
        "search": {
            "count": space["count"],
            "scenario_count": space["scenario_count"],
            "nodes_visited": space["nodes_visited"],
            "search_order": space["search_order"],
            "parameters": space["parameters"],
        },
    }


# -- steps 5-6: impacts ---------------------------------------------------------------------------


class StudyImpacts(ImpactTable):
    """The result of :func:`analyse_impacts`."""

    competence_texts: dict[str, str]  #: the study's competences: code -> text


def analyse_impacts(study: Study) -> StudyImpacts | None:
    """Hypothesis x activity impacts with counts per activity and competences' recurrence."""
    links = study.get("impacts")
    if not links:
        return None
    competence_texts = {c["code"]: c["text"] for c in study.get("competences", [])}
    hypothesis_codes: list[str] = []
    for link in links:
        if link["hypothesis"] not in hypothesis_codes:
            hypothesis_codes.append(link["hypothesis"])
    activities = [activity["code"] for activity in study["perimeter"]["activities"]]
    table = impacts.impact_table(
        hypothesis_codes,
        activities,
        [
            {
                "hypothesis": link["hypothesis"],
                "activity": link["activity"],
                "competences": list(link.get("competences", [])),
            }
            for link in links
        ],
        normalise=False,
    )
    return {**table, "competence_texts": competence_texts}


# -- the whole study ----------------------------------------------------------------------


class DisagreementSettings(TypedDict):
    """The bootstrap's settings used for the study."""

    resamples: int
    seed: int


class HypothesesSettings(TypedDict):
    """The hypothesis statistics' settings used for the study."""

    consensus_max_iqr: float
    quantile_method: str


class StandingAnswersSettings(TypedDict):
    """How a step's standing answers were counted over its Delphi iterations."""

    iterations: list[int]  #: every iteration of the step
    respondents_only: list[int]  #: the iterations that counted only their respondents


class StudyParameters(TypedDict):
    """Every setting the study was analysed with (``parameters`` of :func:`analyse_study`)."""

    #: the defaults (``aggregation``, ``potential_weight``, ``max_power``) updated with
    #: the study file's ``parameters.structural_analysis``, as written there
    structural_analysis: dict[str, Any]
    disagreement: DisagreementSettings
    hypotheses: HypothesesSettings
    #: below this many answers, what would decide or show too few answers is withheld
    min_answers: int
    #: each step with answers: its iterations, those counting only their respondents
    standing_answers: dict[str, StandingAnswersSettings]


class AnalysisMinimum(TypedDict):
    """What the study's minimum number of answers withheld (``minimum`` of
    :func:`analyse_study`); the hypotheses' own are in their statistics' ``below_minimum``."""

    min_answers: int
    factor_vote: VoteMinimum | None  #: None without ballots
    structural_analysis: StructuralMinimum | None  #: None without matrices


class StudyAnalysis(TypedDict):
    """The result of :func:`analyse_study`: a step whose answers are not in the study is
    None (an empty list for ``key_factors`` and ``hypotheses``)."""

    parameters: StudyParameters
    factor_vote: WeightedVote | None
    structural_analysis: StructuralAnalysis | None
    disagreement: Disagreement | None
    key_factors: list[KeyFactorDecision]
    hypotheses: list[FactorHypotheses]
    scenario: ScenarioAnalysis
    impacts: StudyImpacts | None
    #: each step with answers: how many standing answers come from each iteration
    iterations: dict[str, StepIterations]
    minimum: AnalysisMinimum


def analyse_study(
    study: Study,
    *,
    resamples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> StudyAnalysis:
    """Run every analysis the study's answers allow.

    Parameters
    ----------
    study
        A study as returned by :func:`anticipe.study.study_file.read_study`.
    resamples, seed
        Bootstrap resamples over experts and its seed; default: the study's
        ``parameters.disagreement``, else 1000 and 2018.
    progress
        Called with ``(done, total)`` during the bootstrap.

    Returns
    -------
    StudyAnalysis
        Every step's results on the experts' standing answers, how many of those come
        from each iteration, what the minimum number of answers withheld, and the
        settings they were computed with.
    """
    counts = iteration_counts(study)
    parameters = _study_parameters(study, resamples, seed, counts)
    standing = standing_study(study)
    structural = None
    spread = None
    withheld = None
    section = standing.get("structural_analysis")
    if section and section["matrices"]:
        both = analyse_influence_matrices(
            section["factors"],
            section["matrices"],
            parameters=study.get("parameters", {}).get("structural_analysis", {}),
            resamples=parameters["disagreement"]["resamples"],
            seed=parameters["disagreement"]["seed"],
            progress=progress,
            min_answers=parameters["min_answers"],
        )
        structural, spread = both["structural_analysis"], both["disagreement"]
        withheld = both["minimum"]
    hypothesis_results = analyse_hypotheses(standing)
    return {
        "parameters": parameters,
        "factor_vote": analyse_factor_vote(standing),
        "structural_analysis": structural,
        "disagreement": spread,
        "key_factors": key_factor_decisions(standing, structural),
        "hypotheses": hypothesis_results,
        "scenario": analyse_scenario(standing, hypothesis_results),
        "impacts": analyse_impacts(standing),
        "iterations": counts,
        "minimum": {
            "min_answers": parameters["min_answers"],
            "factor_vote": factor_vote_minimum(standing),
            "structural_analysis": withheld,
        },
    }


def _study_parameters(
    study: Study, resamples: int | None, seed: int | None, counts: dict[str, StepIterations]
) -> StudyParameters:
    """The settings of the analysis: the arguments, else the study's, else the defaults."""
    study_parameters = study.get("parameters", {})
    spread_parameters = study_parameters.get("disagreement", {})
    return {
        "structural_analysis": {
            **DEFAULT_STRUCTURAL,
            **study_parameters.get("structural_analysis", {}),
        },
        "disagreement": {
            "resamples": int(
                resamples
                if resamples is not None
                else spread_parameters.get("resamples", DEFAULT_RESAMPLES)
            ),
            "seed": int(seed if seed is not None else spread_parameters.get("seed", DEFAULT_SEED)),
        },
        "hypotheses": {
            "consensus_max_iqr": float(
                study_parameters.get("hypotheses", {}).get(
                    "consensus_max_iqr", DEFAULT_CONSENSUS_MAX_IQR
                )
            ),
            "quantile_method": hypotheses.QUANTILE_METHOD,
        },
        "min_answers": min_answers(study),
        "standing_answers": {step: standing_settings(found) for step, found in counts.items()},
    }


def standing_settings(found: StepIterations) -> StandingAnswersSettings:
    """How a step's standing answers were counted: its iterations, and those that counted
    only their respondents."""
    return {"iterations": found["iterations"], "respondents_only": found["respondents_only"]}
