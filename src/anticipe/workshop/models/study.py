"""A study, the people who run or read it, and the job's perimeter."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anticipe.study.frameworks import Framework, study_frameworks

# Letters and digits that cannot be confused when read from a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code() -> str:
    """A short random study code that experts type to join in the room."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class StudyQuerySet(models.QuerySet["Study"]):
    def facilitated_by(self, user: Any) -> StudyQuerySet:
        """Studies the user runs (as owner or co-facilitator)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            members__user=user, members__role=StudyMember.Role.FACILITATOR
        ).distinct()

    def archived(self) -> StudyQuerySet:
        return self.filter(archived_at__isnull=False)

    def not_archived(self) -> StudyQuerySet:
        return self.filter(archived_at__isnull=True)

    def visible_to(self, user: Any) -> StudyQuerySet:
        """Studies the user may open: facilitated, or observed (published results)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(members__user=user, members__role=StudyMember.Role.FACILITATOR)
            | Q(members__user=user, members__role=StudyMember.Role.OBSERVER)
        ).distinct()


class Study(models.Model):
    """One run of the method on one job."""

    class Language(models.TextChoices):
        FRENCH = "fr", "Français"
        ENGLISH = "en", "English"

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("job"), max_length=200)
    job_description = models.TextField(_("description of the job"), blank=True)
    job_code = models.CharField(_("occupation code"), max_length=40, blank=True)
    horizon_years_min = models.PositiveSmallIntegerField(_("horizon from (years)"), default=3)
    horizon_years_max = models.PositiveSmallIntegerField(_("horizon to (years)"), default=5)
    horizon_label = models.CharField(_("horizon label"), max_length=60, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    # Archived: read-only and left out of the home page's list (until unarchived).
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    # Parts of the study file kept as they are: Part 1 text, the report as published (its
    # cover and the facilitator's chapters), its own reference frameworks, source credit,
    # simulation notice, analysis parameters.
    synthesis = models.JSONField(default=list, blank=True)
    report = models.JSONField(default=dict, blank=True)
    # The frameworks of competences the study's links name besides those Anticipe ships
    # (documents of anticipe.study.frameworks' format, checked when imported).
    reference_frameworks = models.JSONField(default=list, blank=True)
    # The services' side (study format 1.3): the job's competences today (framework
    # competences with the level held today) and a catalogue of training modules, in the
    # study file's form (anticipe.study.training_needs reads them); None when not given.
    current_profile = models.JSONField(null=True, blank=True)
    training_catalogue = models.JSONField(null=True, blank=True)
    source = models.JSONField(default=dict, blank=True)
    simulation = models.JSONField(null=True, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    #: The study's long documents (the report's chapters — tens of kilobytes in the example —,
    #: Part 1, its source and simulation notices, the services' profile and catalogue): the
    #: desk and the report read them, an expert's answer never does, so the expert's lookup
    #: on every answer leaves them out (:func:`anticipe.workshop.access.expert_of_study`).
    DOCUMENTS = (
        "synthesis",
        "report",
        "source",
        "simulation",
        "current_profile",
        "training_catalogue",
    )
    # Below this many answers, what would decide something or show too few answers is
    # withheld (anticipe.study.minimum); written to the study file's parameters.
    min_answers = models.PositiveSmallIntegerField(
        _("minimum number of answers"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Below this many answers to a question, the results that decide something "
            "(consensus, most probable and most desirable, key factors, the retention "
            "rule's proposal) and the detail of the answers are not shown."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    # -- rules --------------------------------------------------------------------------------
    def is_facilitated_by(self, user: Any) -> bool:
        return bool(
            user.is_authenticated
            and self.members.filter(user=user, role=StudyMember.Role.FACILITATOR).exists()
        )

    def is_observed_by(self, user: Any) -> bool:
        return bool(
            user.is_authenticated
            and self.members.filter(user=user, role=StudyMember.Role.OBSERVER).exists()
        )

    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def results_are_visible_to(self, user: Any) -> bool:
        """Facilitators see results as they come; observers once the study is published."""
        return self.is_facilitated_by(user) or (self.is_published() and self.is_observed_by(user))

    def is_archived(self) -> bool:
        return self.archived_at is not None

    def lowest_min_answers(self) -> int:
        """The lowest :attr:`min_answers` the facilitator may set now: any (1) until a round
        has opened, then the minimum in force. Lowered once answers exist, it would show and
        export the results of an iteration that fewer experts answered, such as one whose
        only respondent the live progress named."""
        if self.pk is None or not self.rounds.exclude(status="draft").exists():  # Round.Status
            return 1
        return self.min_answers

    def decisions_are_open(self) -> bool:
        """The panel's decisions can be changed until the study is published or archived."""
        return not self.is_published() and not self.is_archived()

    def frameworks(self) -> dict[str, Framework]:
        """The frameworks its competences may be linked to, by id: those Anticipe ships,
        then the study's own (``reference_frameworks``)."""
        return study_frameworks({"reference_frameworks": self.reference_frameworks})

    def next_expert_code(self) -> str:
        taken = set(self.experts.values_list("code", flat=True))
        number = len(taken) + 1
        while f"E{number:02d}" in taken:
            number += 1
        return f"E{number:02d}"

    def activities_in_order(self) -> QuerySet[Activity]:
        return self.activities.order_by("position", "id")


class StudyMember(models.Model):
    """A user's role in a study: facilitator (runs it) or observer (reads its results)."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("facilitator")
        OBSERVER = "observer", _("observer")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_roles"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_role_per_user_and_study")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class CodedItem(models.Model):
    """An item of one of the study's ordered lists that has a code (a factor, a hypothesis, a
    competence, an activity, a task): the code, and its place in the list (renumbered
    0, 1, 2... by :func:`anticipe.workshop.views.helpers.move_in_order`)."""

    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Activity(CodedItem):
    """An activity of the job (Table 1 of the seed report)."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=300)
    description = models.TextField(_("explanatory content"), blank=True)

    class Meta(CodedItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["study", "code"], name="unique_activity_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Task(CodedItem):
    """A task of an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)

    def __str__(self) -> str:
        return self.title


class AuditEvent(models.Model):
    """A facilitator's action on a study: who, when, what and why."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @classmethod
    def record(cls, study: Study, actor: Any, action: str, **detail: Any) -> AuditEvent:
        return cls.objects.create(
            study=study,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            detail=detail,
        )
