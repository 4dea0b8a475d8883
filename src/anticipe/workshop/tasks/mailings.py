"""The panel's "invite all" and "remind all" as background work: a request records a
:class:`~anticipe.workshop.models.MassMailing` and enqueues :func:`send_mass_mailing`, which
sends the letters (:func:`anticipe.workshop.invitations.send_mailing_letters`) and records
its counts as it goes, so that a slow mail server never holds a request and the mailing's
page shows how far it is, whichever server answers. Where tasks run immediately (the
default), the mailing is done when the request that asked for it returns.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from anticipe.workshop.invitations import send_mailing_letters
from anticipe.workshop.models import AuditEvent, MassMailing, Study

logger = logging.getLogger(__name__)

AUDIT_ACTIONS: dict[str, str] = {
    MassMailing.Kind.INVITATIONS.value: "invitations_sent",
    MassMailing.Kind.REMINDERS.value: "reminders_sent",
}


def running_mailing(study: Study, kind: str) -> MassMailing | None:
    """The mailing of this kind still being sent for the study (not one whose worker was
    lost), if any: a second click finds it instead of starting another."""
    for mailing in study.mailings.filter(
        kind=kind, status__in=(MassMailing.Status.QUEUED, MassMailing.Status.RUNNING)
    ):
        if not mailing.is_stale():
            return mailing
    return None


def start_mailing(study: Study, kind: str, user: Any, base_url: str) -> MassMailing:
    """Record a mailing and enqueue its sending (unless one of this kind is being sent
    already: that one is returned). Called outside a transaction, so that the row is
    committed before a worker looks for it."""
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()
        found = running_mailing(study, kind)
        if found is not None:
            return found
        mailing = MassMailing.objects.create(
            study=study,
            kind=kind,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            base_url=base_url,
        )
    send_mass_mailing.enqueue(mailing.pk)  # the row is committed: a worker finds it
    mailing.refresh_from_db()
    return mailing


@task()
def send_mass_mailing(mailing_id: int) -> str:
    """Send a mailing's letters; returns what became of it."""
    mailing = (
        MassMailing.objects.select_related("study", "requested_by").filter(pk=mailing_id).first()
    )
    if mailing is None or mailing.is_finished():
        return "nothing to do"
    try:
        send_mailing_letters(mailing)
    except Exception:
        logger.exception("mailing %s of study %s", mailing_id, mailing.study_id)
        mailing.status = MassMailing.Status.FAILED
        mailing.save(update_fields=["status", "updated_at"])
        AuditEvent.record(
            mailing.study, mailing.requested_by, AUDIT_ACTIONS[mailing.kind], **mailing.audit()
        )
        return "failed"
    mailing.status = MassMailing.Status.DONE
    mailing.save(update_fields=["status", "updated_at"])
    AuditEvent.record(
        mailing.study, mailing.requested_by, AUDIT_ACTIONS[mailing.kind], **mailing.audit()
    )
    return "done"
