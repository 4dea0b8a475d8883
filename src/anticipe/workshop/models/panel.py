"""The panel: experts and how they get in (personal link or study code)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anticipe.workshop.models.study import Study

INVITATION_LIFETIME = timedelta(days=14)


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256 (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


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
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the expert's personal data were erased (their answers stay, under the pseudonym).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="unique_expert_code")]

    def __str__(self) -> str:
        return self.code

    def display_name(self) -> str:
        return self.name or self.code

    def grant_access(self) -> str:
        """A new secret for this expert's browser (the previous one stops working)."""
        secret = secrets.token_urlsafe(32)
        self.access_digest = token_digest(secret)
        if self.joined_at is None:
            self.joined_at = timezone.now()
        self.save(update_fields=["access_digest", "joined_at"])
        return secret

    def is_erased(self) -> bool:
        return self.erased_at is not None

    def personal_data(self) -> dict[str, Any]:
        """What the site holds about this person, for them to take away (their answers are
        not personal data of this kind: they stay anonymous, under the pseudonym)."""
        return {
            "study": self.study.title,
            "pseudonym": self.code,
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
        }

    def erase(self) -> None:
        """Blank the name, e-mail and organisation, and revoke every way in (the browser's
        secret, the invitation links). The answers stay, under the pseudonym, so the study's
        results do not change; the sector stays too (the panel's composition)."""
        with transaction.atomic():
            self.invitations.all().delete()
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

    objects = InvitationQuerySet.as_manager()

    @classmethod
    def issue(cls, expert: Expert) -> tuple[Invitation, str]:
        """Create an invitation; returns it and its token (to put in the link, once)."""
        token = secrets.token_urlsafe(24)
        invitation = cls.objects.create(
            expert=expert,
            digest=token_digest(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        return invitation, token

    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
