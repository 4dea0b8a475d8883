"""The study's analysis computed in the background: when a round closes or a decision changes
the study, never in a page's request.

Every facilitator's action is recorded as an :class:`~anticipe.workshop.models.AuditEvent`;
once the action's transaction is committed, :func:`analysis_changed` enqueues
:func:`refresh_study_results` for the actions that can change the results (closing a round,
the shortlist, the key factors, the retention...). The task computes the study's analysis
(:func:`anticipe.workshop.results.study_results`): the structural analysis with its bootstrap
is stored in the database (:class:`~anticipe.workshop.models.StructuralResult`), the rest in
Django's cache, so the results pages find them ready.

A page that finds the structural analysis missing (a study imported, a result deleted, a
worker still busy) asks for it with :func:`request_structural_results`: one job per state
(the row's unique key makes a second page, or a second server, join the queued job), taken
over when it failed or was lost. Where tasks run immediately (the default), the job has run
when this returns and the page shows the result; with a worker, the page says the analysis is
being computed and asks again every few seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from anticipe.method.errors import MethodInputError
from anticipe.study.errors import StudyInputError
from anticipe.workshop.models import AuditEvent, StructuralResult, Study
from anticipe.workshop.results import study_results
from anticipe.workshop.results.influence_round import compute_iterations
from anticipe.workshop.rules import decision_problems

logger = logging.getLogger(__name__)

# the recorded actions that cannot change the results (any other one refreshes them)
UNRELATED_ACTIONS: Final = frozenset(
    {
        "expert_added",
        "expert_edited",
        "experts_imported",
        "invitation_issued",
        "invitations_sent",
        "join_code_renewed",
        "letters_edited",
        "member_added",
        "member_removed",
        "member_role_changed",
        "reminders_sent",
        "report_edited",
        "respondent_group_added",
        "respondent_group_closed",
        "round_created",
        "round_deleted",
        "round_opened",
        "self_assessment_min_group",
        "self_assessment_published",
        "study_archived",
        "study_created",
        "study_created_as_copy",
        "study_duplicated",
        "study_published",
        "study_unarchived",
        # the services' side: no number of the analysis depends on it
        "current_profile_added",
        "current_profile_removed",
        "current_profile_source",
        "training_catalogue_imported",
        "training_catalogue_removed",
    }
)


@task()
def refresh_study_results(study_id: int) -> str:
    """Compute the study's analysis for its current state (stored, then found by the pages);
    returns what became of it."""
    study = Study.objects.filter(pk=study_id).first()
    if study is None:
        return "nothing to do"
    # each iteration's, for the Delphi iterations page: they depend on the answers only, so
    # they are computed whatever the decisions (and first: the last iteration's is usually the
    # study's own, then found stored)
    failed = _attempt(compute_iterations, study, "the iterations of study %s")
    if failed:
        return failed
    if decision_problems(study):
        return "unusable decisions"  # the pages say why; nothing more to compute
    failed = _attempt(study_results, study, "study %s")
    if failed:
        return failed
    return "ready"


def _attempt(work: Callable[[Study], object], study: Study, what: str) -> str:
    """`work` done on the study: "" when it was, else what became of it (the study cannot
    be analysed, or the work failed), its pages told to stop waiting."""
    try:
        work(study)
    except (StudyInputError, MethodInputError) as error:
        _fail(study, what + " cannot be analysed: %s", error)
        return "cannot be analysed"
    except Exception as error:
        _fail(study, "the analysis of " + what + " failed: %s", error)
        return "failed"
    return ""


def _fail(study: Study, message: str, error: Exception) -> None:
    """A job that could not finish: its pages stop waiting for it."""
    logger.exception(message, study.pk, error)
    StructuralResult.objects.filter(study=study, status=StructuralResult.Status.QUEUED).update(
        status=StructuralResult.Status.FAILED, updated_at=timezone.now()
    )


def request_structural_results(study: Study, key: str, *, retry: bool = True) -> StructuralResult:
    """Ask for the structural analysis of state ``key`` of the study, unless it is ready or
    queued (or failed, without ``retry``): returns its row as it is after asking (ready at
    once where tasks run immediately)."""
    try:
        with transaction.atomic():
            row = StructuralResult.objects.create(study=study, key=key)
    except IntegrityError:
        row = StructuralResult.objects.get(study=study, key=key)
        if row.status == StructuralResult.Status.READY:
            return row
        if row.status == StructuralResult.Status.QUEUED and not row.is_stale():
            return row
        if row.status == StructuralResult.Status.FAILED and not retry:
            return row
        taken = StructuralResult.objects.filter(
            pk=row.pk, status=row.status, updated_at=row.updated_at
        ).update(status=StructuralResult.Status.QUEUED, updated_at=timezone.now())
        if not taken:  # another request took it over first
            row.refresh_from_db()
            return row
    refresh_study_results.enqueue(study.pk)
    row.refresh_from_db()
    return row


@receiver(post_save, sender=AuditEvent, dispatch_uid="anticipe-analysis-changed")
def analysis_changed(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    """An action that can change the results: their computation, once it is committed."""
    if created and instance.action not in UNRELATED_ACTIONS:
        study_id = instance.study_id
        transaction.on_commit(lambda: refresh_study_results.enqueue(study_id))
