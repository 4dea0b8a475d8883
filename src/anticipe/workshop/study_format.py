"""The site's studies as study files, and back.

:func:`study_document` is a study of the database as a study file document (the format of
:mod:`anticipe.study.study_file`, version 1.2, shared with the command line and the
reports) with every **closed** iteration of each step: the desk analyses it (a round still
open is never read). :func:`export_study` is that document under fresh pseudonyms
(:mod:`anticipe.workshop.pseudonyms`); :func:`import_study` creates a study from a
document of version 1.0, 1.1 or 1.2, one closed round per iteration. Importing an export gives
a study whose document is that export.

A study file is pseudonymous: its experts appear by a pseudonym drawn at each export, never
the panel's codes, and the panel's sectors as counts only; names, organisations and e-mail
addresses stay in the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from anticipe.study.standing import NOT_ANSWERED, IterationRule, iteration_rules
from anticipe.study.study_file import FORMAT_VERSION, check_study
from anticipe.study.study_file import Study as StudyDocument
from anticipe.study.training_needs import catalogue_with_codes
from anticipe.workshop import rules
from anticipe.workshop.models import (
    Action,
    CrossImpact,
    Factor,
    FactorPoints,
    Hypothesis,
    HypothesisVote,
    Impact,
    InfluenceScore,
    Round,
    Study,
)
from anticipe.workshop.pseudonyms import pseudonymised
from anticipe.workshop.self_assessment import study_file_block
from anticipe.workshop.study_import import DEFAULT_SCALE, import_study, record_import

Document = dict[str, Any]

__all__ = [
    "DEFAULT_SCALE",
    "Document",
    "StudyLookups",
    "analysis_header",
    "answered_round",
    "closed_rounds",
    "counted_rounds",
    "export_study",
    "import_study",
    "iteration_rules_of",
    "iterations",
    "left_out",
    "record_import",
    "study_document",
    "study_lookups",
    "study_parameters",
]


# -- export -------------------------------------------------------------------------------------


def answered_round(study: Study, step: str) -> Round | None:
    """The round whose answers stand for a step: the latest iteration that was opened."""
    return (
        study.rounds.filter(step=step)
        .exclude(status=Round.Status.DRAFT)
        .order_by("-iteration")
        .first()
    )


# -- which rounds' answers stand for each step -----------------------------------------------

Iterations = Mapping[str, Sequence[Round]]  # each step's closed iterations, first to last


def closed_rounds(study: Study) -> dict[str, list[Round]]:
    """For each step, its closed iterations, first to last (empty: none closed)."""
    chosen: dict[str, list[Round]] = {step: [] for step in Round.Step.values}
    for round_ in study.rounds.closed().order_by("iteration", "id"):
        chosen[round_.step].append(round_)
    return chosen


def counted(study: Study, step: str, rounds: Sequence[Round]) -> list[Round]:
    """Of a step's closed iterations (first to last), those whose answers count: those
    answered by at least the study's minimum number of experts (``min_answers``). The
    facilitator knows who answered an iteration: the results of a smaller one (or how they
    moved from the one before) would be those few experts' answers, and in the export a
    pseudonym's other iterations with them. An iteration left out is left out of the
    standing answers too: what its few experts answered there counts only if they answer
    it again in an iteration that counts."""
    if not rounds:
        return []
    respondents = rules.closed_round_respondents(study, step)
    return [r for r in rounds if respondents.get(r.pk, 0) >= study.min_answers]


def iterations(study: Study, step: str, until: int | None = None) -> list[Round]:
    """The closed iterations of a step that count (:func:`counted`), first to last (up to
    iteration `until`)."""
    rounds = study.rounds.closed().filter(step=step).order_by("iteration", "id")
    kept = counted(study, step, list(rounds))
    return [r for r in kept if until is None or r.iteration <= until]


def left_out(study: Study, step: str, kept: Sequence[Round] | None = None) -> list[dict[str, int]]:
    """The closed iterations of `step` that do not count (:func:`counted`; `kept`: those
    that do, when known), each with how many experts answered it:
    ``{"iteration", "experts"}``."""
    closed = list(study.rounds.closed().filter(step=step).order_by("iteration", "id"))
    kept_ids = {r.pk for r in (counted(study, step, closed) if kept is None else kept)}
    if len(kept_ids) == len(closed):
        return []
    respondents = rules.closed_round_respondents(study, step)
    return [
        {"iteration": r.iteration, "experts": respondents.get(r.pk, 0)}
        for r in closed
        if r.pk not in kept_ids
    ]


# the steps whose answers the study file holds per expert (the others' texts: rules.shown_texts)
NUMERIC_STEPS = (Round.Step.FACTOR_VOTE, Round.Step.INFLUENCE, Round.Step.HYPOTHESIS_VOTE)


def counted_rounds(study: Study) -> dict[str, list[Round]]:
    """For each step, its closed iterations that count (:func:`counted`; every closed round
    of a step of texts, whose texts :func:`~anticipe.workshop.rules.shown_texts` sorts):
    what the desk's results and the export hold."""
    return {
        step: counted(study, step, rounds) if step in NUMERIC_STEPS else rounds
        for step, rounds in closed_rounds(study).items()
    }


def iteration_rules_of(rounds: Sequence[Round]) -> list[IterationRule]:
    """How each of these iterations counts (:mod:`anticipe.study.standing`)."""
    return iteration_rules({"iterations": [iteration_entry(r) for r in rounds]})


def iteration_entry(round_: Round) -> dict[str, Any]:
    """A round as an entry of its step's ``iterations``: its number, whether it counts only
    its respondents, and (hypothesis votes) the hypotheses it asked when not all."""
    entry: dict[str, Any] = {"iteration": round_.iteration}
    if round_.respondents_only:
        entry["respondents_only"] = True
    if round_.step == Round.Step.HYPOTHESIS_VOTE and round_.settings.get("hypotheses"):
        entry["hypotheses"] = list(round_.settings["hypotheses"])
    return entry


# -- the study file document -----------------------------------------------------------


@dataclass
class StudyLookups:
    """Codes of the study's rows by id, fetched once."""

    experts: dict[int, str]
    factors: list[Factor]
    factor_codes: dict[int, str]
    hypotheses: list[Hypothesis] = field(default_factory=list)
    hypothesis_codes: dict[int, str] = field(default_factory=dict)


def study_lookups(study: Study) -> StudyLookups:
    experts = dict(study.experts.values_list("id", "code"))
    factors = list(study.factors.order_by("position", "id"))
    return StudyLookups(
        experts=experts, factors=factors, factor_codes={f.pk: f.code for f in factors}
    )


def study_document(
    study: Study,
    rounds: Iterations | None = None,
    *,
    with_matrices: bool = True,
) -> Document:
    """The study as a study file document under the panel's codes (``export_study`` is it
    under fresh pseudonyms, checked).

    `rounds` says which iterations' answers the numeric steps hold (default: the closed
    iterations that count, :func:`counted_rounds`). Without `with_matrices`, the structural analysis
    section lists its factors and iterations but no matrix, and the self-assessment's
    counts are left out (the analysis' document: see
    :func:`anticipe.workshop.results.study_results`).
    """
    if rounds is None:
        rounds = counted_rounds(study)
    look = study_lookups(study)
    document = _study_header(study)
    document["perimeter"] = {"activities": _activities(study)}
    document["panel"] = _panel(study)
    _set(document, "panel_sectors", _panel_sectors(study))
    document["factors"] = [_factor(f) for f in look.factors]
    _set(document, "factor_vote", _factor_vote(look, rounds.get(Round.Step.FACTOR_VOTE, [])))
    _set(
        document,
        "structural_analysis",
        _structural(look, rounds.get(Round.Step.INFLUENCE, []), with_matrices),
    )
    _set(document, "key_factors", _key_factors(look))
    _load_hypotheses(study, look)
    _set(document, "hypotheses", _hypotheses(look, rounds.get(Round.Step.HYPOTHESIS_VOTE, [])))
    _set(document, "cross_impacts", _cross_impacts(study, look))
    _set(document, "actions", _actions(study, look))
    _set(document, "competences", _competences(study))
    _catalogue_in_step(document)
    _set(document, "impacts", _impacts(study, look))
    document["parameters"] = study_parameters(study)
    if with_matrices:  # the whole study file; the analysis never reads the self-assessment
        _set(document, "self_assessment", study_file_block(study))
    return document


def study_parameters(study: Study) -> dict[str, Any]:
    """The study's analysis parameters, with its minimum number of answers."""
    return {**study.parameters, "min_answers": study.min_answers}


def analysis_header(study: Study) -> Document:
    """What the analysis of part of a study needs besides its answers: the format's version
    and the study's parameters."""
    return {"anticipe_study": FORMAT_VERSION, "parameters": study_parameters(study)}


def _set(document: Document, key: str, value: Any) -> None:
    """Write a section of the document, left out when it is empty (None, [] or {})."""
    if value:
        document[key] = value


def _study_header(study: Study) -> Document:
    """The format version, language, job, horizon, source, simulation, synthesis and the
    report as published."""
    document: Document = {
        "anticipe_study": FORMAT_VERSION,
        "language": study.language,
        "job": {"title": study.title},
    }
    if study.job_description:
        document["job"]["description"] = study.job_description
    if study.job_code:
        document["job"]["code"] = study.job_code
    horizon: dict[str, Any] = {
        "years_min": study.horizon_years_min,
        "years_max": study.horizon_years_max,
    }
    if study.horizon_label:
        horizon["label"] = study.horizon_label
    document["horizon"] = horizon
    _set(document, "source", study.source)
    _set(document, "simulation", study.simulation)
    _set(document, "synthesis", study.synthesis)
    _set(document, "report", study.report)
    _set(document, "reference_frameworks", study.reference_frameworks)
    _set(document, "current_profile", study.current_profile)
    _set(document, "training_catalogue", study.training_catalogue)  # in step: _catalogue_in_step
    return document


def _catalogue_in_step(document: Document) -> None:
    """What the catalogue covers names the study's competences as they are now (a deleted
    competence is left out: the desk keeps it in step, this guards older data); read from the
    document's competences, without another query."""
    if "training_catalogue" not in document:
        return
    codes = [c["code"] for c in document.get("competences", [])]
    catalogue = catalogue_with_codes(document["training_catalogue"], codes)
    if catalogue is None:
        del document["training_catalogue"]
    else:
        document["training_catalogue"] = catalogue  # its place in the document kept


def _panel(study: Study) -> list[dict[str, Any]]:
    """The experts by code only (a study file is pseudonymous; sectors are counted)."""
    return [
        {"id": code, **({"simulated": True} if simulated else {})}
        for code, simulated in study.experts.order_by("code").values_list("code", "simulated")
    ]


def _panel_sectors(study: Study) -> list[dict[str, Any]]:
    """How many experts come from each sector (never a sector per expert)."""
    counts: dict[str, int] = defaultdict(int)
    for sector in study.experts.values_list("sector", flat=True):
        counts[sector.strip() or "–"] += 1
    return [{"sector": sector, "experts": n} for sector, n in sorted(counts.items())]


def _factor(factor: Factor) -> dict[str, Any]:
    return {
        "code": factor.code,
        "title": factor.title,
        **({"description": factor.description} if factor.description else {}),
        **({"reworded_title": factor.reworded_title} if factor.reworded_title else {}),
    }


def _key_factors(look: StudyLookups) -> list[dict[str, Any]]:
    """The key factors in their order, with their origin and reason."""
    keys = sorted(
        (f for f in look.factors if f.key_origin), key=lambda f: (f.key_position, f.position)
    )
    return [
        {
            "code": f.code,
            "origin": f.key_origin,
            **({"reason": f.key_reason} if f.key_reason else {}),
        }
        for f in keys
    ]


def _cross_impacts(study: Study, look: StudyLookups) -> dict[str, Any] | None:
    codes = look.hypothesis_codes
    cross = [
        {"source": codes[s], "target": codes[t], "value": v}
        for s, t, v in CrossImpact.objects.filter(source__factor__study=study)
        .order_by("id")
        .values_list("source_id", "target_id", "value")
    ]
    return {"judgements": cross} if cross else None


def _actions(study: Study, look: StudyLookups) -> list[dict[str, Any]]:
    return [
        {"hypothesis": look.hypothesis_codes[h], **({"aim": aim} if aim else {}), "text": text}
        for h, aim, text in Action.objects.filter(hypothesis__factor__study=study)
        .order_by("position", "id")
        .values_list("hypothesis_id", "aim", "text")
    ]


def _competences(study: Study) -> list[dict[str, Any]]:
    return [
        {"code": c.code, "text": c.text, **({"frameworks": c.frameworks} if c.frameworks else {})}
        for c in study.competences.order_by("position", "id")
    ]


def _impacts(study: Study, look: StudyLookups) -> list[dict[str, Any]]:
    """Each impact of a hypothesis on an activity, with the competences it calls for."""
    impacts = list(
        Impact.objects.filter(activity__study=study)
        .select_related("activity")
        .order_by("position", "id")
    )
    if not impacts:
        return []
    linked: dict[int, list[str]] = defaultdict(list)
    for impact_id, code in (
        Impact.competences.through.objects.filter(impact__in=impacts)
        .order_by("competence__position", "competence__id")
        .values_list("impact_id", "competence__code")
    ):
        linked[impact_id].append(code)
    return [
        {
            "hypothesis": look.hypothesis_codes[impact.hypothesis_id],
            "activity": impact.activity.code,
            "competences": linked.get(impact.pk, []),
        }
        for impact in impacts
    ]


def _activities(study: Study) -> list[dict[str, Any]]:
    result = []
    for activity in study.activities.prefetch_related("tasks").order_by("position", "id"):
        item: dict[str, Any] = {"code": activity.code, "title": activity.title}
        if activity.description:
            item["description"] = activity.description
        tasks = [{"code": t.code, "title": t.title} for t in activity.tasks.all()]
        if tasks:
            item["tasks"] = tasks
        result.append(item)
    return result


def _factor_vote(look: StudyLookups, rounds: Sequence[Round]) -> dict[str, Any] | None:
    shortlist = [f.code for f in look.factors if f.shortlisted]
    if not rounds and not shortlist:
        return None
    vote = factor_vote_section(look, rounds)
    if shortlist:
        vote["shortlist"] = shortlist
    return vote


def factor_vote_section(look: StudyLookups, rounds: Sequence[Round]) -> dict[str, Any]:
    """The weighted vote of these iterations: the latest's settings, every ballot."""
    settings = rounds[-1].settings if rounds else {}
    vote: dict[str, Any] = {"method": settings.get("method", "points")}
    if settings.get("points_per_expert"):
        vote["points_per_expert"] = settings["points_per_expert"]
    if settings.get("shortlist_size"):
        vote["shortlist_size"] = settings["shortlist_size"]
    if rounds:
        vote["iterations"] = [iteration_entry(r) for r in rounds]
    vote["ballots"] = [ballot for r in rounds for ballot in ballots_of_round(look, r)]
    return vote


def ballots_of_round(look: StudyLookups, round_: Round) -> list[dict[str, Any]]:
    """The weighted vote's ballots of a round, as in the study file (by expert code)."""
    order = {f.pk: (f.position, f.pk) for f in look.factors}
    rows = sorted(
        FactorPoints.objects.filter(round=round_).values_list("expert_id", "factor_id", "points"),
        key=lambda row: (look.experts[row[0]], order[row[1]]),
    )
    ballots: dict[str, dict[str, int]] = {}
    for expert_id, factor_id, points in rows:
        ballots.setdefault(look.experts[expert_id], {})[look.factor_codes[factor_id]] = points
    return [
        {"expert": code, "iteration": round_.iteration, "scores": scores}
        for code, scores in ballots.items()
    ]


def influence_codes(look: StudyLookups, round_: Round) -> list[str]:
    """The factors of an influence round: fixed when it opened, else the shortlist now."""
    if round_.settings.get("factors"):
        return list(round_.settings["factors"])
    return [f.code for f in look.factors if f.shortlisted]


def _structural(
    look: StudyLookups, rounds: Sequence[Round], with_matrices: bool
) -> dict[str, Any] | None:
    if not rounds:
        return None
    codes = influence_codes(look, rounds[-1])
    if not codes:
        return None
    return structural_section(look, rounds, codes, with_matrices)


def structural_section(
    look: StudyLookups, rounds: Sequence[Round], codes: list[str], with_matrices: bool = True
) -> dict[str, Any]:
    """The influence matrices of these iterations over the factors `codes`."""
    return {
        "factors": codes,
        "iterations": [iteration_entry(r) for r in rounds],
        "matrices": [m for r in rounds for m in influence_matrices(look, r, codes)]
        if with_matrices
        else [],
    }


def influence_matrices(look: StudyLookups, round_: Round, codes: list[str]) -> list[dict[str, Any]]:
    """Every expert's influence matrix of a round, as study file cells, by expert code
    (``"-"``: a cell the expert did not answer in this round)."""
    index = {code: i for i, code in enumerate(codes)}
    position = {pk: index.get(code) for pk, code in look.factor_codes.items()}
    size = len(codes)
    grids: dict[str, list[list[Any]]] = {}
    for expert_id, source_id, target_id, value in InfluenceScore.objects.filter(
        round=round_
    ).values_list("expert_id", "source_id", "target_id", "value"):
        i, j = position.get(source_id), position.get(target_id)
        if i is None or j is None:
            continue
        code = look.experts[expert_id]
        grid = grids.get(code)
        if grid is None:
            grid = [[0 if r == c else NOT_ANSWERED for c in range(size)] for r in range(size)]
            grids[code] = grid
        if i != j:
            grid[i][j] = None if value == "?" else ("P" if value == "P" else int(value))
    return [
        {"expert": code, "iteration": round_.iteration, "rows": rows}
        for code, rows in sorted(grids.items())
    ]


def _load_hypotheses(study: Study, look: StudyLookups) -> None:
    look.hypotheses = list(
        Hypothesis.objects.filter(factor__study=study)
        .prefetch_related("merged_from")
        .order_by("position", "id")
    )
    look.hypothesis_codes = {h.pk: h.code for h in look.hypotheses}


def _hypotheses(look: StudyLookups, rounds: Sequence[Round]) -> dict[str, Any] | None:
    by_factor: dict[int, list[Hypothesis]] = defaultdict(list)
    for hypothesis in look.hypotheses:
        by_factor[hypothesis.factor_id].append(hypothesis)
    with_hypotheses = [f for f in look.factors if f.is_key() or by_factor.get(f.pk)]
    with_hypotheses.sort(key=lambda f: (not f.is_key(), f.key_position, f.position))
    if not any(by_factor.get(f.pk) for f in with_hypotheses):
        return None
    settings = rounds[-1].settings if rounds else {}
    section: dict[str, Any] = {
        "probability_scale": settings.get("probability_scale", DEFAULT_SCALE),
        "desirability_scale": settings.get("desirability_scale", DEFAULT_SCALE),
        "factors": [],
    }
    for factor in with_hypotheses:
        hypotheses = by_factor.get(factor.pk, [])
        if not hypotheses:
            continue
        block: dict[str, Any] = {"factor": factor.code}
        if factor.current_situation:
            block["current_situation"] = factor.current_situation
        block["hypotheses"] = []
        for hypothesis in hypotheses:
            item: dict[str, Any] = {
                "code": hypothesis.code,
                "label": hypothesis.label,
                "text": hypothesis.text,
            }
            merged = [
                h.code for h in sorted(hypothesis.merged_from.all(), key=lambda h: h.position)
            ]
            if merged:
                item["merged_from"] = merged
            block["hypotheses"].append(item)
        if factor.actions_can_reach_desirable is not None:
            block["actions_can_reach_desirable"] = factor.actions_can_reach_desirable
        if factor.retained_id is not None:
            retained: dict[str, Any] = {
                "hypothesis": look.hypothesis_codes.get(factor.retained_id, ""),
                "decision": "override" if factor.retained_override else "rule",
            }
            if factor.retained_reason:
                retained["reason"] = factor.retained_reason
            block["retained"] = retained
        section["factors"].append(block)
    if rounds:
        section["iterations"] = [iteration_entry(r) for r in rounds]
        section["votes"] = [vote for r in rounds for vote in votes_of_round(look, r)]
    return section


def votes_of_round(look: StudyLookups, round_: Round) -> list[dict[str, Any]]:
    """The probability and desirability votes of a round, as in the study file."""
    factors = {f.pk: f for f in look.factors}
    hypotheses = {h.pk: h for h in look.hypotheses}

    def order(row: tuple[Any, ...]) -> tuple[Any, ...]:
        hypothesis = hypotheses[row[1]]
        factor = factors[hypothesis.factor_id]
        return (
            look.experts[row[0]],
            factor.key_position,
            factor.position,
            hypothesis.position,
            hypothesis.pk,
        )

    rows = sorted(
        HypothesisVote.objects.filter(round=round_).values_list(
            "expert_id",
            "hypothesis_id",
            "probability",
            "desirability",
            "probability_answered",
            "desirability_answered",
        ),
        key=order,
    )
    # a question answered has its key (null: don't know); one not answered yet has none
    return [
        {
            "expert": look.experts[expert_id],
            "hypothesis": look.hypothesis_codes[hypothesis_id],
            "iteration": round_.iteration,
            **({"probability": probability} if probability_answered else {}),
            **({"desirability": desirability} if desirability_answered else {}),
        }
        for (
            expert_id,
            hypothesis_id,
            probability,
            desirability,
            probability_answered,
            desirability_answered,
        ) in rows
    ]


def export_study(study: Study) -> StudyDocument:
    """The study as a study file document, checked against the schema: every closed
    iteration of each step answered by at least the study's minimum of experts
    (:func:`counted_rounds`; never a round still open), its experts under pseudonyms drawn
    afresh for this export (never the panel's codes or order), the panel's sectors as
    counts, and the self-assessment's groups that may be shown, as counts."""
    document: StudyDocument = pseudonymised(study_document(study, rounds=counted_rounds(study)))
    check_study(document, source=f"study {study.pk}")
    return document
