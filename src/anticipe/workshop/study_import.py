"""A study file imported into the site: one study with its panel, its factors and
decisions, and one closed round per iteration of each step with its answers (format 1.0 or
1.1; :func:`anticipe.workshop.study_format.study_document` of the study gives the document
back)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anticipe.study.minimum import min_answers
from anticipe.study.standing import NOT_ANSWERED
from anticipe.study.study_file import Study as StudyDocument
from anticipe.study.study_file import check_study, panel_sectors
from anticipe.workshop.models import (
    Action,
    Activity,
    AuditEvent,
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
from anticipe.workshop.self_assessment import import_block

DEFAULT_SCALE = {"min": 1, "max": 4}


@transaction.atomic
def import_study(document: StudyDocument, *, owner: Any) -> Study:
    """Create a study from a study file document; `owner` becomes its facilitator.

    The document must already be checked (:func:`anticipe.study.study_file.check_study`);
    it is checked again here. All or nothing: a failure leaves no partial study.
    """
    check_study(document)
    study = _create_study(document, owner)
    activities = _import_activities(study, document["perimeter"]["activities"])
    experts = _import_panel(study, document)
    vote = document.get("factor_vote", {})
    structural = document.get("structural_analysis", {})
    factors = _import_factors(study, document, vote, structural)
    if vote:
        _import_factor_vote(study, vote, experts, factors)
    if structural:
        _import_influence(study, structural, experts, factors)
    hypotheses = _import_hypotheses(study, document.get("hypotheses"), experts, factors)
    _import_scenario_work(study, document, hypotheses, activities)
    import_block(study, document.get("self_assessment"))
    return study


def record_import(study: Study, owner: Any, source: str) -> None:
    """The import in the study's audit log, with what came in: `source` is the file's name,
    or ``"example"`` for the example study."""
    AuditEvent.record(
        study,
        owner,
        "study_imported",
        file=source,
        factors=study.factors.count(),
        experts=study.experts.count(),
        rounds=study.rounds.count(),
    )


def _create_study(document: StudyDocument, owner: Any) -> Study:
    """The study itself, with `owner` as its facilitator; its minimum number of answers is
    the file's (1 for a 1.0 file, which had none)."""
    job = document["job"]
    horizon = document.get("horizon", {})
    parameters = dict(document.get("parameters", {}))
    parameters.pop("min_answers", None)
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
        reference_frameworks=document.get("reference_frameworks", []),
        current_profile=document.get("current_profile"),
        training_catalogue=document.get("training_catalogue"),
        source=document.get("source", {}),
        simulation=document.get("simulation"),
        parameters=parameters,
        min_answers=min_answers(document),
        created_by=owner,
    )
    StudyMember.objects.create(study=study, user=owner, role=StudyMember.Role.FACILITATOR)
    return study


def _import_panel(study: Study, document: StudyDocument) -> dict[str, Expert]:
    """The experts by id. A file that gives the sectors as counts only says how many experts
    each sector has, not who: its experts get the sectors in the order of the counts."""
    counted = iter(
        [sector for sector, count in panel_sectors(document) for _ in range(count)]
        if document.get("panel_sectors") is not None
        else []
    )
    return {
        item["id"]: Expert.objects.create(
            study=study,
            code=item["id"],
            sector=item.get("sector") or next(counted, "–"),
            simulated=item.get("simulated", False),
        )
        for item in document["panel"]
    }


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


def _closed_round(
    study: Study, step: str, settings: dict[str, Any], entry: dict[str, Any] | None = None
) -> Round:
    """A closed round of `step`: iteration `entry["iteration"]` (1 by default) and whether
    it counts only its respondents."""
    entry = entry or {}
    round_ = Round.objects.create(
        study=study,
        step=step,
        iteration=entry.get("iteration", 1),
        respondents_only=entry.get("respondents_only", False),
        settings=settings,
    )
    round_.open()
    round_.close()
    return round_


def _iteration_rounds(
    study: Study, step: str, section: dict[str, Any], answers: list[dict[str, Any]], settings: Any
) -> dict[int, Round]:
    """One closed round per iteration of a step: those its section lists and those its
    answers name (a 1.0 file: iteration 1). `settings` gives a round's settings from its
    entry."""
    entries = {item["iteration"]: item for item in section.get("iterations", [])}
    for answer in answers:
        entries.setdefault(answer.get("iteration", 1), {"iteration": answer.get("iteration", 1)})
    if not entries:
        entries[1] = {"iteration": 1}
    return {
        number: _closed_round(study, step, settings(entries[number]), entries[number])
        for number in sorted(entries)
    }


def _import_factor_vote(
    study: Study, vote: dict[str, Any], experts: dict[str, Expert], factors: dict[str, Factor]
) -> None:
    settings = {"method": vote["method"]}
    for key in ("points_per_expert", "shortlist_size"):
        if key in vote:
            settings[key] = vote[key]
    rounds = _iteration_rounds(
        study, Round.Step.FACTOR_VOTE, vote, vote["ballots"], lambda entry: dict(settings)
    )
    FactorPoints.objects.bulk_create(
        FactorPoints(
            round=rounds[ballot.get("iteration", 1)],
            expert=experts[ballot["expert"]],
            factor=factors[code],
            points=int(points),
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
    rounds = _iteration_rounds(
        study,
        Round.Step.INFLUENCE,
        structural,
        structural["matrices"],
        lambda entry: {"factors": list(codes)},
    )
    scores = []
    for matrix in structural["matrices"]:
        expert = experts[matrix["expert"]]
        for i, row in enumerate(matrix["rows"]):
            for j, cell in enumerate(row):
                if i == j or cell == NOT_ANSWERED:
                    continue
                value = "?" if cell is None else str(cell)
                scores.append(
                    InfluenceScore(
                        round=rounds[matrix.get("iteration", 1)],
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

    def settings(entry: dict[str, Any]) -> dict[str, Any]:
        asked = {"hypotheses": list(entry["hypotheses"])} if entry.get("hypotheses") else {}
        return {**scales, **asked}

    if votes is not None or section.get("iterations"):
        votes = votes or []
        rounds = _iteration_rounds(study, Round.Step.HYPOTHESIS_VOTE, section, votes, settings)
        HypothesisVote.objects.bulk_create(
            HypothesisVote(
                round=rounds[vote.get("iteration", 1)],
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
