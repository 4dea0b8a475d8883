"""Change factors, their evolution hypotheses, and the panel's decisions on them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anticipe.workshop.models.study import Activity, CodedItem, Study


class FactorQuerySet(models.QuerySet["Factor"]):
    def shortlisted(self) -> FactorQuerySet:
        """The factors kept by the weighted vote (those of the influence matrix)."""
        return self.filter(shortlisted=True).order_by("position", "id")

    def key(self) -> FactorQuerySet:
        """The key factors confirmed for the hypotheses step."""
        return self.exclude(key_origin="").order_by("key_position", "position", "id")


class Factor(CodedItem):
    """A change factor (A1...A20 in the seed report), with the decisions about it."""

    class KeyOrigin(models.TextChoices):
        NONE = "", _("not a key factor")
        SELECTION = "selection", _("selected by the structural analysis")
        ADDITION = "addition", _("added by the panel")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="factors")
    title = models.CharField(_("factor"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    reworded_title = models.CharField(_("reworded title"), max_length=400, blank=True)
    shortlisted = models.BooleanField(_("kept by the vote"), default=False)
    # Key factor decision (structural analysis step).
    key_origin = models.CharField(max_length=12, choices=KeyOrigin.choices, blank=True)
    key_reason = models.TextField(blank=True)
    key_position = models.PositiveIntegerField(default=0)
    # Hypotheses step: the situation today and the retention decision.
    current_situation = models.TextField(_("current situation"), blank=True)
    actions_can_reach_desirable = models.BooleanField(null=True, blank=True)
    retained = models.ForeignKey(
        "Hypothesis", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retained_override = models.BooleanField(default=False)
    retained_reason = models.TextField(blank=True)

    objects = FactorQuerySet.as_manager()

    class Meta(CodedItem.Meta):
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="unique_factor_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.current_title()}"

    def current_title(self) -> str:
        return self.reworded_title or self.title

    def is_key(self) -> bool:
        return bool(self.key_origin)

    def retain(
        self, hypothesis: Hypothesis | None, *, override: bool = False, reason: str = ""
    ) -> None:
        """Retain `hypothesis`: the rule's proposal, or an `override` of it with its `reason`;
        None withdraws the retention.

        A hypothesis of another factor, or one merged into another, is never retained (a
        ValueError: the views refuse it first, with :func:`anticipe.workshop.rules.
        retention_refusal`)."""
        if hypothesis is not None and (
            hypothesis.factor_id != self.pk or hypothesis.merged_into.exists()
        ):
            raise ValueError(f"{hypothesis.code} cannot be the retained hypothesis of {self.code}")
        self.retained = hypothesis
        self.retained_override = override
        self.retained_reason = reason
        self.save(update_fields=["retained", "retained_override", "retained_reason"])


class Hypothesis(CodedItem):
    """An evolution hypothesis of a key factor (scenario A-D in Table 3)."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="hypotheses")
    label = models.CharField(_("label"), max_length=16)
    text = models.TextField(_("hypothesis"))
    merged_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="merged_into"
    )

    class Meta(CodedItem.Meta):
        verbose_name_plural = _("hypotheses")
        constraints = [
            models.UniqueConstraint(fields=["factor", "code"], name="unique_hypothesis_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    def merge(self) -> Hypothesis | None:
        """The merge this hypothesis is part of (it stands for it in the scenario), if any."""
        return self.merged_into.order_by("position", "id").first()

    def has_plan(self) -> bool:
        """Whether the action plan or the impact table has entries for this hypothesis."""
        return self.actions.exists() or self.impacts.exists()


class Action(models.Model):
    """An action of the plan (Table 4), for a retained hypothesis."""

    class Aim(models.TextChoices):
        PROVOKE = "provoke", _("provoke a desirable change")
        PREPARE = "prepare", _("prepare for a probable change")

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="actions")
    aim = models.CharField(max_length=8, choices=Aim.choices, blank=True)
    text = models.TextField(_("action"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class Competence(CodedItem):
    """A competence the job will need (Table 5), optionally tied to frameworks."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="competences")
    text = models.TextField(_("competence"))
    frameworks = models.JSONField(default=list, blank=True)

    class Meta(CodedItem.Meta):
        constraints = [
            models.UniqueConstraint(fields=["study", "code"], name="unique_competence_code")
        ]


class Impact(models.Model):
    """A retained hypothesis that strongly affects an activity, and the competences it calls for."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="impacts")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="impacts")
    competences = models.ManyToManyField(Competence, blank=True, related_name="impacts")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hypothesis", "activity"], name="one_impact_per_hypothesis_and_activity"
            )
        ]


class CrossImpact(models.Model):
    """How much a hypothesis of one key factor favours (+) or hinders (-) one of another."""

    source = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_cross_impact_per_pair"),
            models.CheckConstraint(
                condition=models.Q(value__gte=-3, value__lte=3), name="cross_impact_in_range"
            ),
        ]
