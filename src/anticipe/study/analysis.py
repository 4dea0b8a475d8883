"""The analysis of a whole study: every step of the method, run on a study file.

This module turns the study file's answers (labels, cells such as ``"P"`` or ``null``)
into the arrays the method core computes on, calls the core, and gathers the
results as plain values. The command line, the site and the reports all use
:func:`analyse_study`, so a number is computed in one place only.

Every result carries the parameters it was computed with (``"parameters"``), and the
whole analysis carries them all under ``analysis["parameters"]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from anticipe.method import cross_impact, disagreement, hypotheses, impacts
from anticipe.method import structural_analysis as micmac
from anticipe.method.weighted_vote import weighted_vote
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


def analyse_factor_vote(study: Study) -> dict[str, Any] | None:
    """The weighted vote on the change factors, or None when the study has no ballots."""
    vote = study.get("factor_vote")
    if not vote or not vote["ballots"]:
        return None
    factors = [factor["code"] for factor in study["factors"]]
    return analyse_ballots(
        factors,
        vote["ballots"],
        method=vote["method"],
        points_per_expert=vote.get("points_per_expert"),
        shortlist_size=vote.get("shortlist_size"),
    )


def analyse_ballots(
    factors: Sequence[str],
    ballots: Sequence[dict[str, Any]],
    *,
    method: str = "points",
    points_per_expert: float | None = None,
    shortlist_size: int | None = None,
) -> dict[str, Any]:
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


def analyse_influence_matrices(
    factors: Sequence[str],
    matrices: Sequence[dict[str, Any]],
    *,
    parameters: dict[str, Any] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Structural analysis (MICMAC) of the experts' matrices, with the disagreement.

    Returns ``{"structural_analysis": ..., "disagreement": ...}``: the results of
    :func:`anticipe.method.structural_analysis.structural_analysis` and of the
    bootstrap, leave-one-expert-out and Kendall's W of :mod:`anticipe.method.disagreement`
    (the bootstrap is left out when `resamples` is 0). `resamples`, `seed` and the
    parameters are refused beyond the limits of :mod:`anticipe.study.limits`
    (:class:`~anticipe.study.errors.StudyInputError`).
    """
    _check_structural_parameters(parameters or {}, resamples, seed)
    codes = list(factors)
    experts, scores, potential = influence_arrays(matrices, len(codes))
    options = _structural_options(parameters or {})
    result = micmac.structural_analysis(
        scores, codes, potential=potential, experts=experts, **options
    )
    spread: dict[str, Any] = {
        "concordance": disagreement.expert_concordance(
            scores, codes, potential=potential, experts=experts
        ),
        "leave_one_out": disagreement.leave_one_expert_out(
            scores, codes, potential=potential, experts=experts, **options
        )
        if len(experts) > 1
        else None,
        "bootstrap": disagreement.bootstrap_experts(
            scores,
            codes,
            seed=seed,
            n_resamples=resamples,
            potential=potential,
            experts=experts,
            progress=progress,
            **options,
        )
        if resamples > 0
        else None,
    }
    return {"structural_analysis": result, "disagreement": spread}


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


def key_factor_decisions(study: Study, structural: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The key factors: the panel's recorded decision, or else the analysis' proposal.

    Each item is ``{"code", "title", "origin": "selection" | "addition", "reason",
    "decided": bool, "quadrant"}``; ``decided`` is False for a mere proposal.
    """
    titles = {factor["code"]: factor_title(factor) for factor in study["factors"]}
    recorded = study.get("key_factors")
    if recorded:
        items = [
            {
                "code": key["code"],
                "origin": key["origin"],
                "reason": key.get("reason"),
                "decided": True,
            }
            for key in recorded
        ]
    elif structural is not None:
        items = [
            {"code": code, "origin": "selection", "reason": None, "decided": False}
            for code in structural["selection"]["selected"]
        ]
    else:
        items = []
    quadrants = structural["direct"]["quadrant"] if structural else {}
    for item in items:
        item["title"] = titles.get(item["code"], item["code"])
        item["quadrant"] = quadrants.get(item["code"])
    return items


def factor_title(factor: dict[str, Any]) -> str:
    """The title a factor goes by now (its rewording, if the panel reworded it)."""
    title: str = factor.get("reworded_title") or factor["title"]
    return title


# -- step 4: hypotheses and the retained scenario --------------------------------------------------


def _scale(hypotheses_section: dict[str, Any], name: str) -> tuple[int, int]:
    default = DEFAULT_PROBABILITY_SCALE if name == "probability" else DEFAULT_DESIRABILITY_SCALE
    scale = hypotheses_section.get(f"{name}_scale", default)
    return int(scale["min"]), int(scale["max"])


def analyse_hypotheses(study: Study) -> list[dict[str, Any]]:
    """Vote statistics and retention for every key factor's hypotheses.

    One item per block of ``study["hypotheses"]["factors"]``: ``{"factor", "title",
    "current_situation", "hypotheses": [{"code", "label", "text", "merged_from",
    "probability", "desirability", "most_probable", "most_desirable", "retained"}],
    "statistics", "retention", "retained", "note"}``. ``statistics`` is the result of
    :func:`anticipe.method.hypotheses.hypothesis_statistics` (None when fewer than two
    hypotheses were voted on), ``retention`` that of :func:`~anticipe.method.hypotheses.retain`
    (None when it cannot be computed yet), ``retained`` the recorded decision's
    hypothesis code, or else the rule's proposal, or None.
    """
    section = study.get("hypotheses")
    if not section:
        return []
    parameters = study.get("parameters", {}).get("hypotheses", {})
    consensus = float(parameters.get("consensus_max_iqr", DEFAULT_CONSENSUS_MAX_IQR))
    probability_scale = _scale(section, "probability")
    desirability_scale = _scale(section, "desirability")
    titles = {factor["code"]: factor_title(factor) for factor in study["factors"]}
    experts = [expert["id"] for expert in study["panel"]]
    votes = {(vote["expert"], vote["hypothesis"]): vote for vote in section.get("votes", [])}
    results = []
    for block in section["factors"]:
        merged = [h for h in block["hypotheses"] if h.get("merged_from")]
        voted = [h["code"] for h in block["hypotheses"] if not h.get("merged_from")]
        statistics = None
        retention = None
        note = None
        if 2 <= len(voted) <= hypotheses.MAX_HYPOTHESES:
            probability = np.full((len(experts), len(voted)), np.nan)
            desirability = np.full((len(experts), len(voted)), np.nan)
            # an expert answered a question when their vote has the key (null: don't know)
            probability_answered = np.zeros(probability.shape, dtype=bool)
            desirability_answered = np.zeros(desirability.shape, dtype=bool)
            for row, expert in enumerate(experts):
                for column, code in enumerate(voted):
                    vote = votes.get((expert, code))
                    if vote is not None:
                        probability_answered[row, column] = "probability" in vote
                        desirability_answered[row, column] = "desirability" in vote
                        if vote.get("probability") is not None:
                            probability[row, column] = vote["probability"]
                        if vote.get("desirability") is not None:
                            desirability[row, column] = vote["desirability"]
            statistics = hypotheses.hypothesis_statistics(
                block["factor"],
                voted,
                experts,
                probability,
                desirability,
                probability_scale=probability_scale,
                desirability_scale=desirability_scale,
                consensus_max_iqr=consensus,
                probability_answered=probability_answered,
                desirability_answered=desirability_answered,
            )
            reachable = block.get("actions_can_reach_desirable")
            if reachable is None:
                note = "the panel has not said whether actions can reach the most desirable"
            else:
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
        else:
            note = f"{len(voted)} hypotheses voted on; the statistics need 2 to 5"
        recorded = block.get("retained")
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
        results.append(
            {
                "factor": block["factor"],
                "title": titles.get(block["factor"], block["factor"]),
                "current_situation": block.get("current_situation"),
                "actions_can_reach_desirable": block.get("actions_can_reach_desirable"),
                "hypotheses": _hypothesis_rows(block, statistics, retained),
                "statistics": statistics,
                "retention": retention,
                "retained": retained,
                "decision": recorded,
                "note": note,
            }
        )
    return results


def _hypothesis_rows(
    block: dict[str, Any], statistics: dict[str, Any] | None, retained: str | None
) -> list[dict[str, Any]]:
    per_code = {}
    most_probable: list[str] = []
    most_desirable: list[str] = []
    if statistics is not None:
        per_code = {item["hypothesis"]: item for item in statistics["hypotheses"]}
        most_probable = statistics["most_probable"]["hypotheses"]
        most_desirable = statistics["most_desirable"]["hypotheses"]
    rows = []
    for hypothesis in block["hypotheses"]:
        code = hypothesis["code"]
        stats = per_code.get(code, {})
        rows.append(
            {
                "code": code,
                "label": hypothesis["label"],
                "text": hypothesis["text"],
                "merged_from": hypothesis.get("merged_from", []),
                "probability": stats.get("probability"),
                "desirability": stats.get("desirability"),
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


def analyse_scenario(study: Study, hypothesis_results: list[dict[str, Any]]) -> dict[str, Any]:
    """The retained scenario and, when cross-impacts are entered, its coherence (CIB).

    ``{"retained": [{"factor", "hypothesis"}], "complete": bool, "coherence": None |
    {"consistency": ..., "consistent_scenarios": ..., "retained_is_consistent": bool}}``.
    """
    retained = [
        {"factor": item["factor"], "hypothesis": item["retained"]} for item in hypothesis_results
    ]
    complete = bool(retained) and all(item["hypothesis"] for item in retained)
    coherence = None
    if study.get("cross_impacts") and study["cross_impacts"]["judgements"]:
        descriptors, variants, matrix = cross_impact_matrix(study)
        counts = [len(codes) for codes in variants]
        space = cross_impact.consistent_scenarios(matrix, counts)
        consistency = None
        chosen = {item["factor"]: item["hypothesis"] for item in retained}
        if complete and all(factor in chosen for factor in descriptors):
            scenario = [
                codes.index(chosen[factor])
                for factor, codes in zip(descriptors, variants, strict=True)
            ]
            consistency = cross_impact.scenario_consistency(
                matrix, counts, scenario, descriptors=descriptors, variants=variants
            )
        coherence = {
            "descriptors": descriptors,
            "variants": variants,
            "consistency": consistency,
            "consistent_scenarios": [
                {
                    **found,
                    "hypotheses": [variants[d][v] for d, v in enumerate(found["scenario"])],
                }
                for found in space["scenarios"]
            ],
            "search": {key: value for key, value in space.items() if key != "scenarios"},
        }
    return {"retained": retained, "complete": complete, "coherence": coherence}


# -- steps 5-6: impacts ---------------------------------------------------------------------------


def analyse_impacts(study: Study) -> dict[str, Any] | None:
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
    result = impacts.impact_table(
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
    result["competence_texts"] = competence_texts
    return result


# -- the whole study ----------------------------------------------------------------------


def analyse_study(
    study: Study,
    *,
    resamples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
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
    dict
        ``parameters``, ``factor_vote``, ``structural_analysis``, ``disagreement``,
        ``key_factors``, ``hypotheses``, ``scenario``, ``impacts``; a step whose answers
        are not in the study is None (an empty list for ``key_factors`` and
        ``hypotheses``).
    """
    study_parameters = study.get("parameters", {})
    spread_parameters = study_parameters.get("disagreement", {})
    resamples = int(
        resamples
        if resamples is not None
        else spread_parameters.get("resamples", DEFAULT_RESAMPLES)
    )
    seed = int(seed if seed is not None else spread_parameters.get("seed", DEFAULT_SEED))
    structural_parameters = study_parameters.get("structural_analysis", {})

    structural = None
    spread = None
    section = study.get("structural_analysis")
    if section and section["matrices"]:
        both = analyse_influence_matrices(
            section["factors"],
            section["matrices"],
            parameters=structural_parameters,
            resamples=resamples,
            seed=seed,
            progress=progress,
        )
        structural, spread = both["structural_analysis"], both["disagreement"]
    hypothesis_results = analyse_hypotheses(study)
    return {
        "parameters": {
            "structural_analysis": {**DEFAULT_STRUCTURAL, **structural_parameters},
            "disagreement": {"resamples": resamples, "seed": seed},
            "hypotheses": {
                "consensus_max_iqr": float(
                    study_parameters.get("hypotheses", {}).get(
                        "consensus_max_iqr", DEFAULT_CONSENSUS_MAX_IQR
                    )
                ),
                "quantile_method": hypotheses.QUANTILE_METHOD,
            },
        },
        "factor_vote": analyse_factor_vote(study),
        "structural_analysis": structural,
        "disagreement": spread,
        "key_factors": key_factor_decisions(study, structural),
        "hypotheses": hypothesis_results,
        "scenario": analyse_scenario(study, hypothesis_results),
        "impacts": analyse_impacts(study),
    }


def study_path_label(path: str | Path) -> str:
    """How a study file is named in messages."""
    return str(path)
