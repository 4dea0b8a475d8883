"""A study's copy, the template of the next job: what is copied and what never is.

Copied: the job and its horizon, the study's language and minimum number of answers, the
perimeter (activities and tasks) and the change factors (codes, titles, descriptions, in
their order); the evolution hypotheses if asked (not the merges made after a vote); the
services' side that a study of the next year starts from: today's profile of the job, the
training catalogue and the study's own reference frameworks they may name. The copy has no
competences (they are the panel's decisions), so what a module covers through one of the
study's competence codes is left out — next year's ``C12`` is another competence — and a
module that covered nothing else is not copied (the rule that keeps a catalogue in step with
the competences: :func:`anticipe.study.training_needs.catalogue_with_codes`); what it covers
through framework competences is kept.

Never copied: the panel (experts, invitations), the rounds and every answer, the panel's
decisions (shortlist, key factors, retained hypotheses, actions, impacts, competences,
cross-impacts), the report's texts, the self-assessment (its questions, groups, respondents
and their answers), the members other than the one copying (who becomes the copy's
facilitator), the audit log and the publication. The copy starts running, with a new study
code.
"""

from __future__ import annotations

import copy as deep
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from anticipe.study.training_needs import catalogue_with_codes
from anticipe.workshop.models import (
    Activity,
    AuditEvent,
    Factor,
    Hypothesis,
    Study,
    StudyMember,
    Task,
)

# The study's own fields that a copy keeps (the job, its horizon, how results are shown).
COPIED_FIELDS = (
    "job_description",
    "job_code",
    "horizon_years_min",
    "horizon_years_max",
    "horizon_label",
    "language",
    "min_answers",
)
TITLE_LENGTH = Study._meta.get_field("title").max_length or 200


def services_fields(study: Study) -> dict[str, Any]:
    """Today's profile, the training catalogue (without what it covers through the study's
    competences: the copy has none) and the study's own frameworks they may name."""
    catalogue = catalogue_with_codes(study.training_catalogue, [])
    if catalogue is not None and not catalogue["modules"]:
        catalogue = None  # no module left: no catalogue
    return {
        "reference_frameworks": deep.deepcopy(study.reference_frameworks),
        "current_profile": deep.deepcopy(study.current_profile),
        "training_catalogue": deep.deepcopy(catalogue),
    }


def copy_title(study: Study) -> str:
    """The copy's title, in the study's language: « Médiateur numérique (copie) »."""
    with translation.override(study.language):
        suffix = _(" (copy)")
    return study.title[: TITLE_LENGTH - len(suffix)] + suffix


def duplicate_study(study: Study, user: Any, *, hypotheses: bool = False) -> Study:
    """A new study made from `study`'s perimeter and factors (and hypotheses if asked), run
    by `user`; recorded in the audit log of both studies."""
    with transaction.atomic():
        copy = Study.objects.create(
            title=copy_title(study),
            created_by=user,
            **{name: getattr(study, name) for name in COPIED_FIELDS},
            **services_fields(study),
        )
        StudyMember.objects.create(study=copy, user=user, role=StudyMember.Role.FACILITATOR)
        for activity in study.activities_in_order().prefetch_related("tasks"):
            new = Activity.objects.create(
                study=copy,
                code=activity.code,
                title=activity.title,
                description=activity.description,
                position=activity.position,
            )
            Task.objects.bulk_create(
                Task(activity=new, code=task.code, title=task.title, position=task.position)
                for task in activity.tasks.all()
            )
        for factor in study.factors.order_by("position", "id"):
            new_factor = Factor.objects.create(
                study=copy,
                code=factor.code,
                title=factor.title,
                description=factor.description,
                reworded_title=factor.reworded_title,
                position=factor.position,
            )
            if hypotheses:
                Hypothesis.objects.bulk_create(
                    Hypothesis(
                        factor=new_factor,
                        code=h.code,
                        label=h.label,
                        text=h.text,
                        position=h.position,
                    )
                    for h in factor.hypotheses.filter(merged_from__isnull=True).order_by(
                        "position", "id"
                    )
                )
        AuditEvent.record(
            study,
            user,
            "study_duplicated",
            copy=copy.pk,
            title=copy.title,
            hypotheses=hypotheses,
        )
        AuditEvent.record(copy, user, "study_created_as_copy", source=study.pk, title=study.title)
    return copy
