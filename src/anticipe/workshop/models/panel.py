"""The panel: experts and how they get in (personal link or study code)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anticipe.workshop.models.study import Study

INVITATION_LIFETIME = timedelta(days=14)


def token_digest(token: str) -> str:
    """What is stored of a secret token: its SHA-256 (the token itself is never stored)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
