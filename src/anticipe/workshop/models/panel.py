"""The panel: experts and how they get in (personal link, study code, return code).

A browser is an expert when its session holds that expert's access secret; only the secret's
digest is stored, and granting a new access replaces it (one device at a time). The return
code, shown only on the expert's own pages, lets the expert come back on another device with
the study code; it changes with every new access, so that nobody who once held the expert's
access (a facilitator who opened a link before handing it over, say) can use it later.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anticipe.study.characters import one_line
from anticipe.workshop.models.study import JOIN_CODE_ALPHABET, Study

INVITATION_LIFETIME = timedelta(days=14)
RETURN_CODE_GROUPS = 3  # of 4 characters: 12 characters of 32, 60 bits
RETURN_CODE_GROUP = 4


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256 (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def new_return_code() -> str:
    """A return code as the expert reads it: ``ABCD-EFGH-JKLM``, in letters and digits that
    cannot be confused."""
    characters = "".join(
        secrets.choice(JOIN_CODE_ALPHABET) for _ in range(RETURN_CODE_GROUPS * RETURN_CODE_GROUP)
    )
    return "-".join(
        characters[i : i + RETURN_CODE_GROUP] for i in range(0, len(characters), RETURN_CODE_GROUP)
    )


def normalised_return_code(typed: str) -> str:
    """A return code as typed (any case, spaces or dashes) in the form it is stored."""
    characters = "".join(c for c in typed.upper() if c.isalnum())
    return "-".join(
        characters[i : i + RETURN_CODE_GROUP] for i in range(0, len(characters), RETURN_CODE_GROUP)
    )


class Expert(models.Model):
    """A member of one study's panel. Answers are stored under the expert, never shown
    individually to anyone else."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="experts")
    code = models.CharField(_("pseudonym"), max_length=32)
    name = models.CharField(_("name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    simulated = models.BooleanField(default=False)
    # Digest of the expert's session secret: a browser that holds the secret is this expert.
    access_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # Digest of the return code shown to the expert (with the study code: another device).
    return_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # Joined in the room with the study code (an entry the facilitator may merge into an
    # invited one).
    joined_with_code = models.BooleanField(default=False)
    # No device may open this entry any more: two entries with answers given on two devices
    # were merged into it (see anticipe.workshop.panel_rules.merge_experts).
    access_closed = models.BooleanField(default=False)
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the expert's personal data were erased (their answers stay, under the pseudonym).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="unique_expert_code")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        # a name, an organisation or a sector shows as typed: no control reverses it
        self.name, self.organisation, self.sector = (
            one_line(self.name),
            one_line(self.organisation),
            one_line(self.sector),
        )
        super().save(*args, **kwargs)

    def display_name(self) -> str:
        return self.name or self.code

    def grant_access(self) -> tuple[str, str]:
        """A new secret for this expert's browser and a new return code (the previous
        ones stop working); returns both, to keep in that browser's session only."""
        secret = secrets.token_urlsafe(32)
        return_code = new_return_code()
        self.access_digest = token_digest(secret)
        self.return_digest = token_digest(return_code)
        if self.joined_at is None:
            self.joined_at = timezone.now()
        self.save(update_fields=["access_digest", "return_digest", "joined_at"])
        return secret, return_code

    def renew_return_code(self) -> str:
        """A new return code (the previous one stops working); returns it."""
        return_code = new_return_code()
        self.return_digest = token_digest(return_code)
        self.save(update_fields=["return_digest"])
        return return_code

    def sign_out(self) -> None:
        """No browser is this expert any more (the return code still works)."""
        self.access_digest = ""
        self.save(update_fields=["access_digest"])

    def close_access(self) -> None:
        """No browser, link or return code opens this entry any more."""
        self.access_digest = ""
        self.return_digest = ""
        self.access_closed = True
        self.save(update_fields=["access_digest", "return_digest", "access_closed"])
        self.invitations.filter(used_at__isnull=True).delete()

    def is_erased(self) -> bool:
        return self.erased_at is not None

    def personal_data(self) -> dict[str, Any]:
        """What the site holds about this person, for them to take away. Neither their
        answers nor their pseudonym are in it: the answers stay anonymous, and a pseudonym
        beside a name would let whoever reads the file link the two."""
        return {
            "study": self.study.title,
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "sector": self.sector,
            "joined_at": _iso(self.joined_at),
            "erased_at": _iso(self.erased_at),
            "invitations": [
                {
                    "created_at": _iso(invitation.created_at),
                    "expires_at": _iso(invitation.expires_at),
                    "used_at": _iso(invitation.used_at),
                }
                for invitation in self.invitations.order_by("created_at", "id")
            ],
            # the messages kept in the study's outbox (a site without a mail server)
            "messages": [
                {"subject": message.subject, "created_at": _iso(message.created_at)}
                for message in self.outbox.order_by("created_at", "id")
            ],
        }

    def erase(self) -> None:
        """Blank the name, e-mail and organisation, and revoke every way in (the browser's
        secret, the invitation links). The answers stay, under the pseudonym, so the study's
        results do not change; the sector stays too (the panel's composition)."""
        with transaction.atomic():
            self.invitations.all().delete()
            self.outbox.all().delete()
            self.name = self.email = self.organisation = ""
            self.access_digest = ""
            self.erased_at = self.erased_at or timezone.now()
            self.save(update_fields=["name", "email", "organisation", "access_digest", "erased_at"])


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A personal, single-use, expiring link that lets an expert in without a password."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="invitations")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Made before the expert's first answer (it may have been shown on the facilitator's
    # screen): it stops working once the expert has answered.
    before_answers = models.BooleanField(default=True)

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, expert: Expert, *, before_answers: bool) -> tuple[Invitation, str]:
        """Create an invitation; returns it and its token (to put in the link, once)."""
        token = secrets.token_urlsafe(24)
        invitation = cls.objects.create(
            expert=expert,
            digest=token_digest(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
            before_answers=before_answers,
        )
        return invitation, token

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


MAX_SECTORS = 50
MAX_OUTBOX_MESSAGES = 200  # per study: older messages are dropped


class PanelSettings(models.Model):
    """A study's panel settings: its sectors (suggested when adding an expert) and the
    letters of invitation and reminder (a blank subject or text is the default one, in the
    study's language; see :mod:`anticipe.workshop.invitations`)."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="panel_settings")
    sectors = models.JSONField(default=list, blank=True)
    facilitator_name = models.CharField(_("facilitator's name"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline for answers"), null=True, blank=True)
    invitation_subject = models.CharField(
        _("subject of the invitation"), max_length=200, blank=True
    )
    invitation_text = models.TextField(_("text of the invitation"), blank=True)
    reminder_subject = models.CharField(_("subject of the reminder"), max_length=200, blank=True)
    reminder_text = models.TextField(_("text of the reminder"), blank=True)

    def __str__(self) -> str:
        return f"panel settings of {self.study_id}"

    @classmethod
    def of(cls, study: Study) -> PanelSettings:
        """The study's settings (unsaved defaults when it has none yet)."""
        found = cls.objects.filter(study=study).first()
        return found if found is not None else cls(study=study)


class OutboxMessage(models.Model):
    """A message the site would have e-mailed, kept for the study's facilitators to read when
    the site has no mail server (the console or memory backend): nothing claims it was sent.
    The personal link is never kept (only its digest is stored anywhere): the text holds a
    mark in its place."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="outbox")
    expert = models.ForeignKey(
        Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox"
    )
    recipient = models.CharField(max_length=400)
    subject = models.CharField(max_length=400)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class MassMailing(models.Model):
    """An "invite all" or "remind all": the letters are sent by a background task, which
    records here how far it is and what happened (counts, and the names of the experts the
    mail server refused, for the facilitator; the audit log keeps only the counts)."""

    class Kind(models.TextChoices):
        INVITATIONS = "invitations", _("invitations")
        REMINDERS = "reminders", _("reminders")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being sent")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # who asked (for the audit log and the letters' reply-to) and the site's address as the
    # request saw it (the task builds the personal links with it)
    requested_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_url = models.CharField(max_length=500)
    total = models.PositiveIntegerField(default=0)  # letters to send in this mailing
    sent = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)  # in the outbox: no mail server
    failed = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)  # beyond the limit of one mailing
    failed_names = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # a mailing not heard from for this long lost its worker: another may be started
    STALE_AFTER = timedelta(minutes=10)

    class Meta:
        ordering = ("-created_at", "-pk")

    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_stale(self) -> bool:
        return not self.is_finished() and timezone.now() - self.updated_at > self.STALE_AFTER

    def done(self) -> int:
        return self.sent + self.kept + self.failed

    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done() / self.total))

    def audit(self) -> dict[str, int]:
        """The counts the audit log keeps (never who)."""
        return {"sent": self.sent, "kept": self.kept, "failed": self.failed, "left": self.left}
