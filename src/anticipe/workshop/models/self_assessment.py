"""The self-assessment of a study: its questions (the competences asked, fixed when the
facilitator publishes it), its groups of respondents (each with its own link), and the
respondents' answers.

A respondent has no account and nothing that says who they are: no name, no e-mail, no
address, no browser, no time. Their browser holds a secret (a cookie); the database keeps
its SHA-256 only (:func:`~anticipe.workshop.models.token_digest`), so nobody, facilitators
and administrators included, can act as a respondent or tie answers to a person. A group's
answers are shown only as counts, once the facilitator has closed it and when it has at
least ``min_group_size`` respondents (:meth:`RespondentGroup.shows_counts`).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anticipe.study.limits import MAX_MIN_GROUP_SIZE
from anticipe.study.self_assessment import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR
from anticipe.workshop.models.panel import token_digest
from anticipe.workshop.models.study import Study


def new_link_token() -> str:
    """The unguessable part of a group's link (96 bits)."""
    return secrets.token_urlsafe(12)


class SelfAssessment(models.Model):
    """A study's self-assessment: the competences it asks (in order) once published, the
    questionnaire as it was published, and the smallest group whose counts are shown."""

    study = models.OneToOneField(Study, on_delete=models.CASCADE, related_name="self_assessment")
    competences = models.JSONField(default=list, blank=True)  # codes, fixed when published
    # the questionnaire as published (anticipe.study.self_assessment.snapshot): the
    # competences asked with their texts and links, so that a link or a text changed on the
    # desk afterwards never changes how the answers are read ({} before publication)
    questionnaire = models.JSONField(default=dict, blank=True)
    published = models.BooleanField(default=False)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR), MaxValueValidator(MAX_MIN_GROUP_SIZE)],
        help_text=_(
            "A group's results are shown, and exported, only once it is closed and when at "
            "least this many people answered."
        ),
    )
    simulated = models.BooleanField(default=False)  # imported from a study file that says so

    def __str__(self) -> str:
        return f"self-assessment of {self.study}"


class RespondentGroup(models.Model):
    """A group of respondents (a training group, a cohort): its own link and QR code, its
    answers counted together. An imported group carries only its counts."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="respondent_groups")
    code = models.CharField(_("group code"), max_length=40)
    label = models.CharField(_("label"), max_length=200, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_link_token)
    closed = models.BooleanField(default=False)
    imported = models.BooleanField(default=False)  # counts read from a study file
    simulated = models.BooleanField(default=False)
    imported_respondents = models.PositiveIntegerField(default=0)
    imported_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "code"], name="unique_respondent_group_code")
        ]

    def __str__(self) -> str:
        return self.code

    def respondent_count(self) -> int:
        """How many answered at least one question (pressing Start alone does not count:
        empty respondents would fill a group up to its minimum around one real answer)."""
        if self.imported:
            return self.imported_respondents
        return sum(1 for answers in self.respondents.values_list("answers", flat=True) if answers)

    def shows_counts(self, min_group_size: int) -> bool:
        """Whether the group's counts may be shown or exported: closed (nobody can answer
        any more, so no one can compare the counts before and after one person's answers)
        and at least `min_group_size` respondents."""
        return self.closed and self.respondent_count() >= min_group_size

    def accepts_answers(self) -> bool:
        return not self.closed and not self.imported and not self.study.is_archived()


class Respondent(models.Model):
    """One person's answers in a group: competence code -> level id (or "?"). Nothing else:
    who they are is not known, their browser holds the secret whose digest is kept here."""

    group = models.ForeignKey(RespondentGroup, on_delete=models.CASCADE, related_name="respondents")
    secret_digest = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"respondent of {self.group}"

    @classmethod
    def create_in(cls, group: RespondentGroup) -> tuple[Respondent, str]:
        """A new respondent of `group` and their secret (given to their browser only)."""
        secret = secrets.token_urlsafe(32)
        return cls.objects.create(group=group, secret_digest=token_digest(secret)), secret

    @classmethod
    def holding(cls, group: RespondentGroup, secret: Any) -> Respondent | None:
        """The respondent of `group` whose secret is `secret` (None for anything else)."""
        if not isinstance(secret, str) or not secret or len(secret) > 100:
            return None
        return cls.objects.filter(group=group, secret_digest=token_digest(secret)).first()
