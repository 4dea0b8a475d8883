"""The site's studies as study files, and back.

:func:`export_study` writes a study of the database as a study file document (the format
of :mod:`anticipe.study.study_file`, shared with the command line and the reports);
:func:`import_study` creates a study from one. Export, import and export again gives the
same document.

A study file is pseudonymous: experts appear by their code (E01...) and sector only;
their names, organisations and e-mail addresses stay in the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from anticipe.study.study_file import FORMAT_VERSION, check_study
from anticipe.study.study_file import Study as StudyDocument
from anticipe.workshop.models import (
    Action,
    Activity,
    Competence,
    CrossImpact,
    Expert,
    Factor,
    FactorPoints,
    Hypothesis,
    HypothesisVote,
    Impact,
    InfluenceScore,
    Round,
    Study,
    StudyMember,
    Task,
)

DEFAULT_SCALE = {"min": 1, "max": 4}

Document = dict[str, Any]


# -- export -------------------------------------------------------------------------------------


def answered_round(study: Study, step: str) -> Round | None:
    """The round whose answers stand for a step: the latest iteration that was opened."""
    return (
        study.rounds.filter(step=step)
        .exclude(status=Round.Status.DRAFT)
        .order_by("-iteration")
        .first()
    )


# -- which rounds' answers stand for each step; the study as a document ----------------


def closed_rounds(study: Study) -> dict[str, Round | None]:
    """For each step, its latest closed iteration (None when no iteration is closed)."""
    chosen: dict[str, Round | None] = dict.fromkeys(Round.Step.values)
    for round_ in study.rounds.closed().order_by("iteration", "id"):
        chosen[round_.step] = round_
    return chosen


def answered_rounds(study: Study) -> dict[str, Round | None]:
    """For each step, its latest iteration that was opened (what the study file exports)."""
    chosen: dict[str, Round | None] = dict.fromkeys(Round.Step.values)
    for round_ in study.rounds.exclude(status=Round.Status.DRAFT).order_by("iteration", "id"):
        chosen[round_.step] = round_
    return chosen


def iterations(study: Study, step: str) -> list[Round]:
    """The closed iterations of a step, first to last."""
    return list(study.rounds.closed().filter(step=step).order_by("iteration", "id"))


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
    rounds: Mapping[str, Round | None] | None = None,
    *,
    with_matrices: bool = True,
) -> Document:
    """The study as a study file document, like ``export_study`` (without its schema check).

    `rounds` says which round's answers stand for each numeric step (default: the latest
    opened iteration, as the export does). Without `with_matrices`, the structural
    analysis section lists its factors but no matrix (see :func:`study_results`).
    """
    if rounds is None:
        rounds = answered_rounds(study)
    look = study_lookups(study)
    document = _study_header(study)
    document["perimeter"] = {"activities": _activities(study)}
    document["panel"] = _panel(study)
    document["factors"] = [_factor(f) for f in look.factors]
    _set(document, "factor_vote", _factor_vote(look, rounds.get(Round.Step.FACTOR_VOTE)))
    _set(
        document,
        "structural_analysis",
        _structural(study, look, rounds.get(Round.Step.INFLUENCE), with_matrices),
    )
    _set(document, "key_factors", _key_factors(look))
    _load_hypotheses(study, look)
    _set(document, "hypotheses", _hypotheses(look, rounds.get(Round.Step.HYPOTHESIS_VOTE)))
    _set(document, "cross_impacts", _cross_impacts(study, look))
    _set(document, "actions", _actions(study, look))
    _set(document, "competences", _competences(study))
    _set(document, "impacts", _impacts(study, look))
    if study.parameters:
        document["parameters"] = study.parameters
    return document


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
    return document


def _panel(study: Study) -> list[dict[str, Any]]:
    """The experts by code and sector only (a study file is pseudonymous)."""
    return [
        {"id": code, "sector": sector, **({"simulated": True} if simulated else {})}
        for code, sector, simulated in study.experts.order_by("code").values_list(
            "code", "sector", "simulated"
        )
    ]


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


def _factor_vote(look: StudyLookups, round_: Round | None) -> dict[str, Any] | None:
    shortlist = [f.code for f in look.factors if f.shortlisted]
    if round_ is None and not shortlist:
        return None
    settings = round_.settings if round_ else {}
    vote: dict[str, Any] = {"method": settings.get("method", "points")}
    if settings.get("points_per_expert"):
        vote["points_per_expert"] = settings["points_per_expert"]
    if settings.get("shortlist_size"):
        vote["shortlist_size"] = settings["shortlist_size"]
    vote["ballots"] = ballots_of_round(look, round_) if round_ is not None else []
    if shortlist:
        vote["shortlist"] = shortlist
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
    return [{"expert": code, "scores": scores} for code, scores in ballots.items()]


def influence_codes(look: StudyLookups, round_: Round) -> list[str]:
    """The factors of an influence round: fixed when it opened, else the shortlist now."""
    if round_.settings.get("factors"):
        return list(round_.settings["factors"])
    return [f.code for f in look.factors if f.shortlisted]


def _structural(
    study: Study, look: StudyLookups, round_: Round | None, with_matrices: bool
) -> dict[str, Any] | None:
    if round_ is None:
        return None
    codes = influence_codes(look, round_)
    if not codes:
        return None
    return {
        "factors": codes,
        "matrices": influence_matrices(look, round_, codes) if with_matrices else [],
    }


def influence_matrices(look: StudyLookups, round_: Round, codes: list[str]) -> list[dict[str, Any]]:
    """Every expert's influence matrix of a round, as study file cells, by expert code."""
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
            grid = [[0 if r == c else None for c in range(size)] for r in range(size)]
            grids[code] = grid
        if i != j:
            grid[i][j] = None if value == "?" else ("P" if value == "P" else int(value))
    return [{"expert": code, "rows": rows} for code, rows in sorted(grids.items())]


def _load_hypotheses(study: Study, look: StudyLookups) -> None:
    look.hypotheses = list(
        Hypothesis.objects.filter(factor__study=study)
        .prefetch_related("merged_from")
        .order_by("position", "id")
    )
    look.hypothesis_codes = {h.pk: h.code for h in look.hypotheses}


def _hypotheses(look: StudyLookups, round_: Round | None) -> dict[str, Any] | None:
    by_factor: dict[int, list[Hypothesis]] = defaultdict(list)
    for hypothesis in look.hypotheses:
        by_factor[hypothesis.factor_id].append(hypothesis)
    with_hypotheses = [f for f in look.factors if f.is_key() or by_factor.get(f.pk)]
    with_hypotheses.sort(key=lambda f: (not f.is_key(), f.key_position, f.position))
    if not any(by_factor.get(f.pk) for f in with_hypotheses):
        return None
    settings = round_.settings if round_ else {}
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
    if round_ is not None:
        section["votes"] = votes_of_round(look, round_)
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
    """The study as a study file document (checked against the schema)."""
    document: StudyDocument = study_document(study)
    check_study(document, source=f"study {study.pk}")
    return document


# -- import -------------------------------------------------------------------------------------


@transaction.atomic
def import_study(document: StudyDocument, *, owner: Any) -> Study:
    """Create a study from a study file document; `owner` becomes its facilitator.

    The document must already be checked (:func:`anticipe.study.study_file.check_study`);
    it is checked again here. All or nothing: a failure leaves no partial study.
    """
    check_study(document)
    study = _create_study(document, owner)
    activities = _import_activities(study, document["perimeter"]["activities"])
    experts = {
        item["id"]: Expert.objects.create(
            study=study,
            code=item["id"],
            sector=item["sector"],
            simulated=item.get("simulated", False),
        )
        for item in document["panel"]
    }
    vote = document.get("factor_vote", {})
    structural = document.get("structural_analysis", {})
    factors = _import_factors(study, document, vote, structural)
    if vote:
        _import_factor_vote(study, vote, experts, factors)
    if structural:
        _import_influence(study, structural, experts, factors)
    hypotheses = _import_hypotheses(study, document.get("hypotheses"), experts, factors)
    _import_scenario_work(study, document, hypotheses, activities)
    return study


def _create_study(document: StudyDocument, owner: Any) -> Study:
    """The study itself, with `owner` as its facilitator."""
    job = document["job"]
    horizon = document.get("horizon", {})
    study = Study.objects.create(
        title=job["title"],
        job_description=job.get("description", ""),
        job_code=job.get("code", ""),
        horizon_years_min=horizon.get("years_min", 3),
        horizon_years_max=horizon.get("years_max", 5),
        horizon_label=horizon.get("label", ""),
        language=document["language"],
        synthesis=document.get("synthesis", []),
        report=document.get("report", {}),
        source=document.get("source", {}),
        simulation=document.get("simulation"),
        parameters=document.get("parameters", {}),
        created_by=owner,
    )
    StudyMember.objects.create(study=study, user=owner, role=StudyMember.Role.FACILITATOR)
    return study


def _import_activities(study: Study, items: list[dict[str, Any]]) -> dict[str, Activity]:
    """The perimeter's activities with their tasks, by code."""
    activities: dict[str, Activity] = {}
    for position, item in enumerate(items):
        activity = Activity.objects.create(
            study=study,
            code=item["code"],
            title=item["title"],
            description=item.get("description", ""),
            position=position,
        )
        activities[activity.code] = activity
        Task.objects.bulk_create(
            Task(activity=activity, code=t["code"], title=t["title"], position=p)
            for p, t in enumerate(item.get("tasks", []))
        )
    return activities


def _import_factors(
    study: Study, document: StudyDocument, vote: dict[str, Any], structural: dict[str, Any]
) -> dict[str, Factor]:
    """The change factors by code (shortlisted when in the shortlist or the influence
    matrix), then the key factors in their order."""
    shortlisted = set(vote.get("shortlist", [])) | set(structural.get("factors", []))
    factors: dict[str, Factor] = {}
    for position, item in enumerate(document["factors"]):
        factors[item["code"]] = Factor.objects.create(
            study=study,
            code=item["code"],
            title=item["title"],
            description=item.get("description", ""),
            reworded_title=item.get("reworded_title", ""),
            position=position,
            shortlisted=item["code"] in shortlisted,
        )
    for position, key in enumerate(document.get("key_factors", [])):
        factor = factors[key["code"]]
        factor.key_origin = key["origin"]
        factor.key_reason = key.get("reason", "")
        factor.key_position = position
        factor.save(update_fields=["key_origin", "key_reason", "key_position"])
    return factors


def _import_scenario_work(
    study: Study,
    document: StudyDocument,
    hypotheses: dict[str, Hypothesis],
    activities: dict[str, Activity],
) -> None:
    """The cross-impacts, actions, competences and impacts."""
    CrossImpact.objects.bulk_create(
        CrossImpact(
            source=hypotheses[j["source"]], target=hypotheses[j["target"]], value=j["value"]
        )
        for j in document.get("cross_impacts", {}).get("judgements", [])
    )
    Action.objects.bulk_create(
        Action(
            hypothesis=hypotheses[a["hypothesis"]],
            aim=a.get("aim", ""),
            text=a["text"],
            position=p,
        )
        for p, a in enumerate(document.get("actions", []))
    )
    competences = {
        c["code"]: Competence.objects.create(
            study=study,
            code=c["code"],
            text=c["text"],
            frameworks=c.get("frameworks", []),
            position=p,
        )
        for p, c in enumerate(document.get("competences", []))
    }
    for position, item in enumerate(document.get("impacts", [])):
        impact = Impact.objects.create(
            hypothesis=hypotheses[item["hypothesis"]],
            activity=activities[item["activity"]],
            position=position,
        )
        impact.competences.set([competences[code] for code in item.get("competences", [])])


def _closed_round(study: Study, step: str, settings: dict[str, Any]) -> Round:
    round_ = Round.objects.create(study=study, step=step, settings=settings)
    round_.open()
    round_.close()
    return round_


def _import_factor_vote(
    study: Study, vote: dict[str, Any], experts: dict[str, Expert], factors: dict[str, Factor]
) -> None:
    settings = {"method": vote["method"]}
    for key in ("points_per_expert", "shortlist_size"):
        if key in vote:
            settings[key] = vote[key]
    round_ = _closed_round(study, Round.Step.FACTOR_VOTE, settings)
    FactorPoints.objects.bulk_create(
        FactorPoints(
            round=round_, expert=experts[ballot["expert"]], factor=factors[code], points=int(points)
        )
        for ballot in vote["ballots"]
        for code, points in ballot["scores"].items()
    )


def _import_influence(
    study: Study,
    structural: dict[str, Any],
    experts: dict[str, Expert],
    factors: dict[str, Factor],
) -> None:
    codes = structural["factors"]
    round_ = _closed_round(study, Round.Step.INFLUENCE, {"factors": list(codes)})
    scores = []
    for matrix in structural["matrices"]:
        expert = experts[matrix["expert"]]
        for i, row in enumerate(matrix["rows"]):
            for j, cell in enumerate(row):
                if i == j:
                    continue
                value = "?" if cell is None else str(cell)
                scores.append(
                    InfluenceScore(
                        round=round_,
                        expert=expert,
                        source=factors[codes[i]],
                        target=factors[codes[j]],
                        value=value,
                    )
                )
    InfluenceScore.objects.bulk_create(scores, batch_size=2000)


def _import_hypotheses(
    study: Study,
    section: dict[str, Any] | None,
    experts: dict[str, Expert],
    factors: dict[str, Factor],
) -> dict[str, Hypothesis]:
    hypotheses: dict[str, Hypothesis] = {}
    if not section:
        return hypotheses
    for block in section["factors"]:
        factor = factors[block["factor"]]
        for position, item in enumerate(block["hypotheses"]):
            hypotheses[item["code"]] = Hypothesis.objects.create(
                factor=factor,
                code=item["code"],
                label=item["label"],
                text=item["text"],
                position=position,
            )
        for item in block["hypotheses"]:
            if item.get("merged_from"):
                hypotheses[item["code"]].merged_from.set(
                    [hypotheses[code] for code in item["merged_from"]]
                )
        factor.current_situation = block.get("current_situation", "")
        factor.actions_can_reach_desirable = block.get("actions_can_reach_desirable")
        retained = block.get("retained")
        if retained:
            factor.retained = hypotheses[retained["hypothesis"]]
            factor.retained_override = retained["decision"] == "override"
            factor.retained_reason = retained.get("reason", "")
        factor.save()
    votes = section.get("votes")
    scales = {
        "probability_scale": section.get("probability_scale", DEFAULT_SCALE),
        "desirability_scale": section.get("desirability_scale", DEFAULT_SCALE),
    }
    if votes is not None:
        round_ = _closed_round(study, Round.Step.HYPOTHESIS_VOTE, scales)
        HypothesisVote.objects.bulk_create(
            HypothesisVote(
                round=round_,
                expert=experts[vote["expert"]],
                hypothesis=hypotheses[vote["hypothesis"]],
                probability=vote.get("probability"),
                desirability=vote.get("desirability"),
                probability_answered="probability" in vote,
                desirability_answered="desirability" in vote,
            )
            for vote in votes
        )
    return hypotheses
