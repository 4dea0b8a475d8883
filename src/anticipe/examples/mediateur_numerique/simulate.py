"""Build the example study: the seed report's texts plus a seeded, simulated panel.

The seed report (Le Forem, mai 2018) publishes the outcomes of each step but not the
individual answers of its experts. This module rebuilds a complete study file from the
transcription (:mod:`.transcription`) and simulates ten experts whose answers lead to the
published outcomes:

- **factor vote**: each expert spreads ``POINTS_PER_EXPERT`` points over the 20 factors;
  every factor receives points, the key factors more;
- **influence matrices** (:mod:`.influence_panel`): ten experts answering around a
  shared view of the system, each with their own leniency, contrast, readings of a few
  factors, don't-knows and "P" habits, some cells contested by two camps; a drawn panel
  is kept when its analysis selects exactly the nine factors of the report's selection
  box (upper-left frame of its Graph 1), A16, added by the panel, is a relay factor,
  and the bootstrap over the experts shows a real panel's uncertainty
  (:func:`matrix_problems`); otherwise the panel is drawn again;
- **hypothesis votes**: probability and desirability on 1-4, drawn around targets that
  make the hypotheses the report marks most probable and most desirable come first.
- **self-assessment** (:func:`_self_assessment`): a group of ``N_RESPONDENTS`` trainees
  placing themselves on every competence of the profile, most below the job's expected
  levels; only the group's counts are written, marked ``simulated``.

Every draw comes from ``SEED``: one generator per simulated part (ballots, matrices,
votes, cross-impacts, self-assessment), spawned from ``numpy.random.SeedSequence(SEED)``,
so that changing how one part is simulated leaves the others as they are. Running the
module rewrites ``study.json`` byte for byte::

    uv run python -m anticipe.examples.mediateur_numerique.simulate

The generator checks its own outcome (:func:`check_outcomes`) before writing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from anticipe.examples.mediateur_numerique import transcription as t
from anticipe.examples.mediateur_numerique.influence_panel import influence_matrices
from anticipe.examples.mediateur_numerique.links import LINKS
from anticipe.examples.mediateur_numerique.training import current_profile, training_catalogue
from anticipe.study.self_assessment import (
    DEFAULT_MIN_GROUP_SIZE,
    DONT_KNOW,
    count_answers,
    profile_competences,
    questionnaire,
)
from anticipe.study.study_file import FORMAT_VERSION

SEED: Final[int] = 2018
N_EXPERTS: Final[int] = 10
POINTS_PER_EXPERT: Final[int] = 10
MAX_PANEL_DRAWS: Final[int] = 200
N_RESPONDENTS: Final[int] = 12  # the simulated self-assessment group
GENERATOR: Final[str] = "anticipe.examples.mediateur_numerique.simulate"
STUDY_FILE: Final[Path] = Path(__file__).with_name("study.json")

FACTOR_CODES: Final[list[str]] = [factor["code"] for factor in t.FACTORS]
DRIVING: Final[list[str]] = list(t.SELECTED_KEY_FACTORS)
RELAY: Final[str] = t.ADDED_KEY_FACTOR

SIMULATION_NOTE: Final[str] = (
    "Le rapport source ne publie pas les réponses individuelles des experts : le panel "
    "(dix experts répartis selon la composition décrite dans le rapport), les bulletins du "
    "vote pondéré, les matrices d'influence et les votes de probabilité et de désirabilité "
    "sont simulés, de façon reproductible, pour que chaque analyse retrouve les résultats "
    "publiés (facteurs clés, hypothèses les plus probables et les plus souhaitables). "
    "Les textes (métier, activités, facteurs, hypothèses, actions, compétences, impacts) "
    "sont ceux du rapport. / "
    "The source report does not publish the experts' individual answers: the panel (ten "
    "experts following the report's panel composition), the weighted-vote ballots, the "
    "influence matrices and the probability and desirability votes are simulated, "
    "reproducibly, so that every analysis finds the published outcomes (key factors, most "
    "probable and most desirable hypotheses). The texts (job, activities, factors, "
    "hypotheses, actions, competences, impacts) are the report's."
)

# Hypothesis vote targets (scale 1-4).
_TOP: Final[float] = 3.4
_OTHER_LOW: Final[float] = 1.7
_OTHER_HIGH: Final[float] = 2.5
_VOTE_NOISE: Final[float] = 0.6
_VOTE_UNKNOWN_SHARE: Final[float] = 0.02


def expert_ids(count: int = N_EXPERTS) -> list[str]:
    """The simulated experts' ids: ``E01``, ``E02``, ..."""
    return [f"E{number:02d}" for number in range(1, count + 1)]


def hypothesis_code(factor: str, label: str) -> str:
    """The code of a hypothesis: the factor and the label, e.g. ``A1-A``, ``A19-BC``."""
    return f"{factor}-{label}"


# -- transcription -> study sections ------------------------------------------------------


def _factors() -> list[dict[str, str]]:
    return [dict(factor) for factor in t.FACTORS]


def _key_factors() -> list[dict[str, str]]:
    keys = [{"code": code, "origin": "selection"} for code in t.SELECTED_KEY_FACTORS]
    keys.append(
        {"code": t.ADDED_KEY_FACTOR, "origin": "addition", "reason": t.ADDED_KEY_FACTOR_REASON}
    )
    return keys


def _hypothesis_blocks() -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for entry in t.KEY_FACTOR_HYPOTHESES:
        factor = entry["factor"]
        hypotheses: list[dict[str, Any]] = [
            {"code": hypothesis_code(factor, label), "label": label, "text": text}
            for label, text in entry["hypotheses"].items()
        ]
        merged = entry.get("merged")
        if merged is not None:
            hypotheses.append(
                {
                    "code": hypothesis_code(factor, merged["label"]),
                    "label": merged["label"],
                    "text": merged["text"],
                    "merged_from": [hypothesis_code(factor, x) for x in merged["merged_from"]],
                }
            )
        block: dict[str, Any] = {"factor": factor}
        if "current" in entry:
            block["current_situation"] = entry["hypotheses"][entry["current"]]
        block["hypotheses"] = hypotheses
        block["actions_can_reach_desirable"] = entry["actions_can_reach_desirable"]
        by_rule = entry["desirable"] if entry["actions_can_reach_desirable"] else entry["probable"]
        retained: dict[str, Any] = {
            "hypothesis": hypothesis_code(factor, entry["retained"]),
            "decision": "rule" if entry["retained"] == by_rule else "override",
        }
        if "retained_reason" in entry:
            retained["reason"] = entry["retained_reason"]
        block["retained"] = retained
        blocks.append(block)
    return blocks


def retained_hypotheses() -> dict[str, str]:
    """Key factor -> code of its retained hypothesis (Table 4 of the report)."""
    return {
        entry["factor"]: hypothesis_code(entry["factor"], entry["retained"])
        for entry in t.KEY_FACTOR_HYPOTHESES
    }


def _actions() -> list[dict[str, str]]:
    retained = retained_hypotheses()
    marks = {entry["factor"]: entry for entry in t.KEY_FACTOR_HYPOTHESES}
    actions: list[dict[str, str]] = []
    for entry in t.KEY_FACTOR_HYPOTHESES:
        factor = entry["factor"]
        # provoke a desirable retained change, prepare for a merely probable one
        desirable = marks[factor]["actions_can_reach_desirable"]
        for text in t.ACTIONS.get(factor, []):
            actions.append(
                {
                    "hypothesis": retained[factor],
                    "aim": "provoke" if desirable else "prepare",
                    "text": text,
                }
            )
    return actions


def _competences() -> list[dict[str, Any]]:
    """Table 5's competences, with their links to the European frameworks (links.py)."""
    competences: list[dict[str, Any]] = []
    for n, text in enumerate(t.COMPETENCES, start=1):
        competence: dict[str, Any] = {"code": f"C{n}", "text": text}
        links = LINKS.get(f"C{n}", ())
        if links:
            competence["frameworks"] = [
                {"framework": framework, "id": code, "level": level}
                for framework, code, level in links
            ]
        competences.append(competence)
    return competences


def _impacts() -> list[dict[str, Any]]:
    retained = retained_hypotheses()
    impacts: list[dict[str, Any]] = []
    for activity, factors, competences in t.IMPACT_ROWS:
        for factor in factors:
            impacts.append(
                {
                    "hypothesis": retained[factor],
                    "activity": activity,
                    "competences": [f"C{n}" for n in competences],
                }
            )
    return impacts


# -- simulation ---------------------------------------------------------------------------


def _panel(experts: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"id": expert, "sector": sector, "simulated": True}
        for expert, sector in zip(experts, t.PANEL_SECTORS, strict=True)
    ]


def _factor_ballots(rng: np.random.Generator, experts: Sequence[str]) -> list[dict[str, Any]]:
    key = set(t.SELECTED_KEY_FACTORS) | {t.ADDED_KEY_FACTOR}
    weights = np.array([3.0 if code in key else 1.0 for code in FACTOR_CODES])
    points = np.zeros((len(experts), len(FACTOR_CODES)), dtype=np.int64)
    for row in range(len(experts)):
        taste = weights * rng.gamma(2.0, 1.0, size=len(FACTOR_CODES))
        points[row] = rng.multinomial(POINTS_PER_EXPERT, taste / taste.sum())
    # every factor gets support: move one point from an expert's largest allocation
    for column in np.flatnonzero(points.sum(axis=0) == 0):
        row = int(rng.integers(len(experts)))
        donor = int(np.argmax(points[row]))
        points[row, donor] -= 1
        points[row, column] += 1
    return [
        {
            "expert": expert,
            "scores": {
                code: int(points[row, column])
                for column, code in enumerate(FACTOR_CODES)
                if points[row, column] > 0
            },
        }
        for row, expert in enumerate(experts)
    ]


def _matching_matrices(rng: np.random.Generator, experts: Sequence[str]) -> list[dict[str, Any]]:
    """The first panel of matrices drawn from `rng` whose analysis reaches the published
    key factors with a real panel's uncertainty (:func:`matrix_problems`).

    Factors close to a mean line are uncertain by design, so a drawn panel sometimes
    puts one on the other side of the line; the panel is then drawn again, from the
    same generator, so the seed still decides everything.
    """
    for _attempt in range(MAX_PANEL_DRAWS):
        matrices = influence_matrices(rng, experts)
        if not matrix_problems(matrices):
            return matrices
    raise RuntimeError(f"no panel out of {MAX_PANEL_DRAWS} reaches the published key factors")


def _vote_targets(rng: np.random.Generator, labels: Sequence[str], top: str) -> dict[str, float]:
    return {
        label: _TOP if label == top else float(rng.uniform(_OTHER_LOW, _OTHER_HIGH))
        for label in labels
    }


def _hypothesis_votes(rng: np.random.Generator, experts: Sequence[str]) -> list[dict[str, Any]]:
    votes: list[dict[str, Any]] = []
    for entry in t.KEY_FACTOR_HYPOTHESES:
        factor = entry["factor"]
        labels = list(entry["hypotheses"])  # merged hypotheses are not voted on
        probability = _vote_targets(rng, labels, entry["probable"])
        desirability = _vote_targets(rng, labels, entry["desirable"])
        for expert in experts:
            for label in labels:
                vote: dict[str, Any] = {
                    "expert": expert,
                    "hypothesis": hypothesis_code(factor, label),
                }
                for name, targets in (("probability", probability), ("desirability", desirability)):
                    value = int(np.clip(np.rint(targets[label] + rng.normal(0, _VOTE_NOISE)), 1, 4))
                    vote[name] = None if rng.random() < _VOTE_UNKNOWN_SHARE else value
                votes.append(vote)
    return votes


# -- the study ----------------------------------------------------------------------------


def scenario_variants() -> list[tuple[str, list[str]]]:
    """Each key factor with its hypotheses as scenario variants (a merge replaces its parts)."""
    result = []
    for block in _hypothesis_blocks():
        replaced = {code for h in block["hypotheses"] for code in h.get("merged_from", [])}
        codes = [h["code"] for h in block["hypotheses"] if h["code"] not in replaced]
        result.append((block["factor"], codes))
    return result


def _cross_impacts(rng: np.random.Generator) -> list[dict[str, Any]]:
    """Simulated cross-impacts (-3..+3) between hypotheses of different key factors.

    About a third of the ordered pairs of key factors are related. Where they are, the
    retained hypothesis of the source supports the retained hypothesis of the target and
    works against another of its hypotheses, and one other hypothesis of the source gets
    a random judgement: the retained scenario comes out coherent, as the panel judged it.
    """
    retained = retained_hypotheses()
    descriptors = scenario_variants()
    judgements: list[dict[str, Any]] = []
    for source_factor, source_codes in descriptors:
        for target_factor, target_codes in descriptors:
            if source_factor == target_factor or rng.random() > 0.35:
                continue
            kept_source, kept_target = retained[source_factor], retained[target_factor]
            others = [code for code in target_codes if code != kept_target]
            against = others[int(rng.integers(len(others)))]
            judgements.append(
                {"source": kept_source, "target": kept_target, "value": int(rng.integers(1, 3))}
            )
            judgements.append(
                {"source": kept_source, "target": against, "value": -int(rng.integers(1, 3))}
            )
            alternatives = [code for code in source_codes if code != kept_source]
            other_source = alternatives[int(rng.integers(len(alternatives)))]
            judgements.append(
                {
                    "source": other_source,
                    "target": target_codes[int(rng.integers(len(target_codes)))],
                    "value": int(rng.integers(-2, 3)),
                }
            )
    merged: dict[tuple[str, str], int] = {}
    for judgement in judgements:
        merged[(judgement["source"], judgement["target"])] = judgement["value"]
    return [
        {"source": source, "target": target, "value": value}
        for (source, target), value in merged.items()
        if value != 0
    ]


def _self_assessment(rng: np.random.Generator, study: dict[str, Any]) -> dict[str, Any]:
    """A simulated group of ``N_RESPONDENTS`` trainees who answered the self-assessment, as
    the study file keeps it (counts only). Each trainee has their own distance to the job's
    expected levels (most below it: they are in training), each answer that distance plus
    noise on the competence's scale, a few "I don't know" and blanks."""
    asked = questionnaire(study, profile_competences(study))["questions"]
    answers: list[dict[str, str]] = []
    for _respondent in range(N_RESPONDENTS):
        distance = rng.normal(-1.2, 1.0)
        given: dict[str, str] = {}
        for question in asked:
            draw = rng.random()
            if draw < 0.03:
                continue
            if draw < 0.08:
                given[question["competence"]] = DONT_KNOW
                continue
            ids = [level["id"] for level in question["levels"]]
            rank = ids.index(question["expected"]) + distance + rng.normal(0.0, 0.9)
            given[question["competence"]] = ids[int(np.clip(round(rank), 0, len(ids) - 1))]
        answers.append(given)
    counts = count_answers({"language": "fr", "questions": asked}, answers)
    return {
        "simulated": True,
        "min_group_size": DEFAULT_MIN_GROUP_SIZE,
        "groups": [
            {
                "code": "SIM-1",
                "label": "Groupe de formation simulé (illustration)",
                "respondents": N_RESPONDENTS,
                "simulated": True,
                "competences": [
                    {"competence": code, "levels": levels} for code, levels in counts.items()
                ],
            }
        ],
    }


def build_study(seed: int = SEED) -> dict[str, Any]:
    """The whole example study as plain JSON values (transcription + simulated answers)."""
    study = _foresight(seed)
    assessment_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(5)[4])
    study["self_assessment"] = _self_assessment(assessment_rng, study)
    return study


def _foresight(seed: int) -> dict[str, Any]:
    """The study without its self-assessment: the foresight's transcription and answers."""
    ballots_rng, matrices_rng, votes_rng, cross_rng = (
        np.random.default_rng(stream) for stream in np.random.SeedSequence(seed).spawn(4)
    )
    experts = expert_ids()
    panel = _panel(experts)
    ballots = _factor_ballots(ballots_rng, experts)
    matrices = _matching_matrices(matrices_rng, experts)
    votes = _hypothesis_votes(votes_rng, experts)
    cross_impacts = _cross_impacts(cross_rng)
    return {
        "anticipe_study": FORMAT_VERSION,
        "language": "fr",
        "job": dict(t.JOB),
        "horizon": dict(t.HORIZON),
        "source": dict(t.SOURCE),
        "simulation": {
            "simulated": [
                "panel",
                "factor_vote",
                "influence_matrices",
                "hypothesis_votes",
                "cross_impacts",
            ],
            "seed": seed,
            "generator": GENERATOR,
            "note": SIMULATION_NOTE,
        },
        "synthesis": [dict(section) for section in t.SYNTHESIS],
        "report": dict(t.REPORT),
        "perimeter": {"activities": [dict(activity, tasks=[]) for activity in t.ACTIVITIES]},
        "panel": panel,
        "factors": _factors(),
        "factor_vote": {
            "method": "points",
            "points_per_expert": POINTS_PER_EXPERT,
            "shortlist_size": len(FACTOR_CODES),
            "ballots": ballots,
            "shortlist": list(FACTOR_CODES),
        },
        "structural_analysis": {"factors": list(FACTOR_CODES), "matrices": matrices},
        "key_factors": _key_factors(),
        "hypotheses": {
            "probability_scale": {
                "min": 1,
                "max": 4,
                "labels": {"1": "improbable", "4": "très probable"},
            },
            "desirability_scale": {
                "min": 1,
                "max": 4,
                "labels": {"1": "non souhaitable", "4": "très souhaitable"},
            },
            "factors": _hypothesis_blocks(),
            "votes": votes,
        },
        "cross_impacts": {"judgements": cross_impacts},
        "actions": _actions(),
        "competences": _competences(),
        "impacts": _impacts(),
        "parameters": {"min_answers": 1},
        "current_profile": current_profile(),
        "training_catalogue": training_catalogue(),
    }


def dump(study: dict[str, Any]) -> str:
    """The study as JSON text (UTF-8, 2-space indent, key order kept, final newline)."""
    return json.dumps(study, ensure_ascii=False, indent=2) + "\n"


# -- checks of the simulated outcome ------------------------------------------------------


def mean_matrix(study: dict[str, Any], potential_weight: float = 0.0) -> npt.NDArray[np.float64]:
    """Mean of the experts' influence matrices; ``P`` counts ``potential_weight``, ``null``
    is left out of the mean of its cell."""
    matrices = study["structural_analysis"]["matrices"]
    stack = np.array(
        [
            [
                [
                    np.nan if cell is None else (potential_weight if cell == "P" else cell)
                    for cell in row
                ]
                for row in matrix["rows"]
            ]
            for matrix in matrices
        ],
        dtype=float,
    )
    mean: npt.NDArray[np.float64] = np.nanmean(stack, axis=0)
    return mean


def driving_factors(matrix: npt.NDArray[np.float64], codes: Sequence[str]) -> list[str]:
    """Factors with influence (row sum) above the mean and dependence (column sum) below."""
    influence = matrix.sum(axis=1)
    dependence = matrix.sum(axis=0)
    return [
        code
        for code, row, column in zip(codes, influence, dependence, strict=True)
        if row > influence.mean() and column < dependence.mean()
    ]


def _vote_answers(study: dict[str, Any], name: str) -> dict[str, list[int]]:
    answers: dict[str, list[int]] = {}
    for vote in study["hypotheses"]["votes"]:
        if vote.get(name) is not None:
            answers.setdefault(vote["hypothesis"], []).append(vote[name])
    return answers


def most_voted(study: dict[str, Any], name: str, key: str = "median") -> dict[str, list[str]]:
    """Key factor -> its hypotheses ranked first on the ``name`` vote (ties kept).

    ``key="median"`` ranks by median, then mean (the method's rule); ``key="mean"`` by
    mean alone. Merged hypotheses, which nobody voted on, are never first.
    """
    answers = _vote_answers(study, name)
    scores = {
        code: (
            (float(np.median(values)), float(np.mean(values)))
            if key == "median"
            else (float(np.mean(values)), 0.0)
        )
        for code, values in answers.items()
    }
    result: dict[str, list[str]] = {}
    for block in study["hypotheses"]["factors"]:
        codes = [h["code"] for h in block["hypotheses"] if h["code"] in scores]
        best = max(scores[code] for code in codes)
        result[block["factor"]] = [code for code in codes if scores[code] == best]
    return result


def check_outcomes(study: dict[str, Any]) -> list[str]:
    """What in the simulated answers departs from the published outcomes (empty: none)."""
    problems = _structural_problems(study)
    ballots = study["factor_vote"]["ballots"]
    supported = {code for ballot in ballots for code, points in ballot["scores"].items() if points}
    if supported != set(FACTOR_CODES):
        problems.append(f"factors without points: {sorted(set(FACTOR_CODES) - supported)}")
    for key in ("median", "mean"):
        probable = most_voted(study, "probability", key)
        desirable = most_voted(study, "desirability", key)
        for entry in t.KEY_FACTOR_HYPOTHESES:
            factor = entry["factor"]
            for name, firsts, label in (
                ("probable", probable, entry["probable"]),
                ("desirable", desirable, entry["desirable"]),
            ):
                if firsts[factor] != [hypothesis_code(factor, label)]:
                    problems.append(f"most {name} of {factor} by {key} is {firsts[factor]}")
    problems.extend(_scenario_problems(study))
    return problems


#: The bootstrap of the example must show a real panel's uncertainty: at least this share
#: of the factors with a selection probability strictly between 0 and 1, and at least
#: one key factor selected in fewer than ``KEY_FACTOR_DOUBT`` of the resamples.
UNCERTAIN_SHARE: Final[float] = 0.25
KEY_FACTOR_DOUBT: Final[float] = 0.9


def _structural_problems(study: dict[str, Any]) -> list[str]:
    return matrix_problems(study["structural_analysis"]["matrices"])


def matrix_problems(matrices: list[dict[str, Any]]) -> list[str]:
    """The analysis of the matrices (the method's defaults, as ``anticipe example`` runs
    it) against the published key factors, and the spread of the bootstrap."""
    from anticipe.study.analysis import analyse_influence_matrices

    both = analyse_influence_matrices(FACTOR_CODES, matrices)  # no minimum: never withheld
    structural, spread = both["structural_analysis"], both["disagreement"]
    assert structural is not None
    assert spread is not None
    direct = structural["direct"]["quadrant"]
    problems = []
    driving = [code for code in FACTOR_CODES if direct[code] == "driving"]
    if sorted(driving) != sorted(DRIVING):
        problems.append(f"driving factors of the direct plane are {driving}")
    if direct[RELAY] != "relay":
        problems.append(f"{RELAY} is {direct[RELAY]}, not relay")
    bootstrap = spread["bootstrap"]
    assert bootstrap is not None
    probability = bootstrap["selection_probability"]
    uncertain = [code for code, p in probability.items() if 0 < p < 1]
    if len(uncertain) < UNCERTAIN_SHARE * len(probability):
        problems.append(f"only {uncertain} have a selection probability between 0 and 1")
    if min(probability[code] for code in DRIVING) >= KEY_FACTOR_DOUBT:
        problems.append(f"every key factor is selected in {KEY_FACTOR_DOUBT:.0%} of resamples")
    return problems


def _scenario_problems(study: dict[str, Any]) -> list[str]:
    from anticipe.method.cross_impact import scenario_consistency

    variants = scenario_variants()
    flat = [code for _, codes in variants for code in codes]
    position = {code: index for index, code in enumerate(flat)}
    matrix = [[0] * len(flat) for _ in flat]
    for judgement in study["cross_impacts"]["judgements"]:
        matrix[position[judgement["source"]]][position[judgement["target"]]] = judgement["value"]
    retained = retained_hypotheses()
    scenario = [codes.index(retained[factor]) for factor, codes in variants]
    result = scenario_consistency(
        matrix,
        [len(codes) for _, codes in variants],
        scenario,
        descriptors=[factor for factor, _ in variants],
    )
    if result["consistent"]:
        return []
    return [f"retained scenario inconsistent for {result['inconsistent_descriptors']}"]


def write(path: Path = STUDY_FILE, seed: int = SEED) -> Path:
    """Build the study, check its outcomes and write it to ``path``."""
    study = build_study(seed)
    problems = check_outcomes(study)
    if problems:
        raise RuntimeError(
            "the simulated answers miss the published outcomes: " + "; ".join(problems)
        )
    path.write_text(dump(study), encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: rewrite ``study.json`` (or ``--output``) from the seed ``--seed``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--output", type=Path, default=STUDY_FILE)
    parser.add_argument("--seed", type=int, default=SEED)
    arguments = parser.parse_args(argv)
    written = write(arguments.output, arguments.seed)
    print(f"wrote {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
