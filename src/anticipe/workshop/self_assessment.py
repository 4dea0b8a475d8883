"""The self-assessment on the site: a study's questionnaire (from the study layer, in the
reader's language), a group's counts and what may be shown of them, and the study file's
``self_assessment`` block (closed groups with enough respondents, counts only).

Once published, the questionnaire is read from its snapshot
(:attr:`SelfAssessment.questionnaire`, :func:`~anticipe.study.self_assessment.snapshot`),
never from the study's competences as they are now: a link, a level or a text changed on the
desk afterwards, a competence renamed or deleted, changes neither the questions asked nor
how the answers already given are read (the respondent's pages and result, the groups'
counts, the study file's block and through it the training needs).

The one rule of what a group shows is :meth:`RespondentGroup.shows_counts`: closed, and at
least the study's ``min_group_size`` respondents. Pages and the study file both go through
:func:`shown_groups`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from anticipe.study.self_assessment import (
    DEFAULT_MIN_GROUP_SIZE,
    GroupAggregate,
    Questionnaire,
    aggregate,
    count_answers,
    published_document,
    questionnaire,
    snapshot,
    withhold_small,
)
from anticipe.workshop.models import RespondentGroup, SelfAssessment, Study


def settings_of(study: Study) -> SelfAssessment:
    """The study's self-assessment, to read (unpublished and unsaved when it has none yet:
    a page never writes)."""
    found = SelfAssessment.objects.filter(study=study).first()
    return found if found is not None else SelfAssessment(study=study)


def settings_to_change(study: Study) -> SelfAssessment:
    """The study's self-assessment, made if needed and locked until the transaction ends
    (for an action that changes it)."""
    SelfAssessment.objects.get_or_create(study=study)
    return SelfAssessment.objects.select_for_update().get(study=study)


def min_group_size(study: Study) -> int:
    return settings_of(study).min_group_size


def competences_document(study: Study) -> dict[str, Any]:
    """What the questionnaire reads of the study: its competences with their links, its own
    frameworks, its language."""
    return {
        "language": study.language,
        "reference_frameworks": study.reference_frameworks,
        "competences": [
            {"code": c.code, "text": c.text, "frameworks": c.frameworks}
            for c in study.competences.order_by("position", "id")
        ],
    }


def publish_snapshot(study: Study, settings: SelfAssessment, competences: list[str]) -> None:
    """Fix the questionnaire on `competences` as the desk has them now (a competence a
    study file's groups were asked on stays as the file carried it)."""
    settings.competences = competences
    settings.questionnaire = snapshot(
        competences_document(study), competences, settings.questionnaire or None
    )


def asked_document(study: Study, settings: SelfAssessment | None = None) -> Mapping[str, Any]:
    """What the questionnaire reads once published: its snapshot (the study's competences
    as they are now for one the snapshot does not hold)."""
    settings = settings if settings is not None else settings_of(study)
    return published_document(competences_document(study), settings.questionnaire)


def study_questionnaire(
    study: Study,
    language: str,
    competences: list[str] | None = None,
    settings: SelfAssessment | None = None,
) -> Questionnaire:
    """The questionnaire of `study` as published (or on `competences`), in `language`
    (`settings`: the study's self-assessment, when already at hand)."""
    settings = settings if settings is not None else settings_of(study)
    if competences is None:
        competences = list(settings.competences)
    return questionnaire(asked_document(study, settings), competences, language)


def group_counts(group: RespondentGroup, questions: Questionnaire) -> dict[str, dict[str, int]]:
    """The group's counts per competence and level (an imported group's as imported)."""
    if group.imported:
        return {code: dict(levels) for code, levels in group.imported_counts.items()}
    answers = group.respondents.values_list("answers", flat=True)
    return count_answers(questions, answers)


def group_questions(
    group: RespondentGroup, language: str, published: Questionnaire | None = None
) -> Questionnaire:
    """The questions a group answered: the published ones (`published` when already at
    hand), or an imported group's."""
    if group.imported:
        return study_questionnaire(group.study, language, list(group.imported_counts))
    return published if published is not None else study_questionnaire(group.study, language)


@dataclass(frozen=True)
class GroupView:
    """A group as the facilitator's page shows it: its results only when they may be."""

    group: RespondentGroup
    respondents: int
    results: GroupAggregate | None  # None: closed and big enough, or not shown
    minimum: int  # the smallest group shown, which it was judged against


def group_view(
    group: RespondentGroup, minimum: int, language: str, published: Questionnaire | None = None
) -> GroupView:
    """A group with its aggregate when it may be shown (closed, at least `minimum`)."""
    count = group.respondent_count()
    results = None
    if group.shows_counts(minimum):
        questions = group_questions(group, language, published)
        results = aggregate(questions, group_counts(group, questions), count, minimum)
    return GroupView(group, count, results, minimum)


def shown_groups(
    study: Study, language: str, published: Questionnaire | None = None
) -> list[GroupView]:
    """Every group of the study, with its aggregate when it may be shown (the published
    questions read once for all: `published` when already at hand)."""
    settings = settings_of(study)
    if published is None and settings.published:
        published = study_questionnaire(study, language, settings=settings)
    return [
        group_view(group, settings.min_group_size, language, published)
        for group in study.respondent_groups.all()
    ]


def shown_group(study: Study, group_id: int, language: str) -> GroupView | None:
    """The study's group `group_id` when its counts may be shown (None when the study has no
    such group, or while it is open, or when it is too small): what the page shows of it."""
    group = study.respondent_groups.filter(pk=group_id).first()
    if group is None:
        return None
    found = group_view(group, min_group_size(study), language)
    return found if found.results is not None else None


def study_file_block(study: Study) -> dict[str, Any] | None:
    """The study file's ``self_assessment`` block: closed groups with at least the minimum
    of respondents, as counts (None when there is none and nothing to say)."""
    settings = SelfAssessment.objects.filter(study=study).first()
    if settings is None:
        return None
    groups = []
    published = (
        study_questionnaire(study, study.language, settings=settings)
        if settings.published
        else None
    )
    for group in study.respondent_groups.all():
        if not group.shows_counts(settings.min_group_size):
            continue
        questions = group_questions(group, study.language, published)
        given = withhold_small(group_counts(group, questions), settings.min_group_size)
        # the questions as published (a competence renamed or deleted since is kept: the
        # block's questionnaire carries it)
        counts = {q["competence"]: given.get(q["competence"], {}) for q in questions["questions"]}
        item: dict[str, Any] = {"code": group.code}
        if group.label:
            item["label"] = group.label
        item["respondents"] = group.respondent_count()
        if group.simulated:
            item["simulated"] = True
        item["competences"] = [
            {"competence": code, "levels": {k: v for k, v in levels.items() if v}}
            for code, levels in counts.items()
        ]
        groups.append(item)
    block: dict[str, Any] = {}
    if settings.simulated or any(g.get("simulated") for g in groups):
        block["simulated"] = True
    block["min_group_size"] = settings.min_group_size
    if settings.questionnaire.get("competences"):
        block["questionnaire"] = file_questionnaire(settings.questionnaire)
    block["groups"] = groups
    return block


def file_questionnaire(fixed: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as the study file carries it (its language is the file's)."""
    found: dict[str, Any] = {"competences": fixed["competences"]}
    if fixed.get("reference_frameworks"):
        found["reference_frameworks"] = fixed["reference_frameworks"]
    return found


def import_block(study: Study, block: dict[str, Any] | None) -> None:
    """Read a study file's ``self_assessment`` block: its minimum and its groups, imported
    as closed groups that carry their counts only."""
    if not block:
        return
    carried = block.get("questionnaire")
    SelfAssessment.objects.create(
        study=study,
        min_group_size=block.get("min_group_size", DEFAULT_MIN_GROUP_SIZE),
        simulated=bool(block.get("simulated", False)),
        # the questions the groups' counts answer, as the file carries them
        questionnaire={"language": study.language, **carried} if carried else {},
    )
    for item in block["groups"]:
        RespondentGroup.objects.create(
            study=study,
            code=item["code"],
            label=item.get("label", ""),
            closed=True,
            imported=True,
            simulated=bool(item.get("simulated", block.get("simulated", False))),
            imported_respondents=item["respondents"],
            imported_counts={c["competence"]: c["levels"] for c in item["competences"]},
        )
