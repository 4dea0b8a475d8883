"""Rounds: each elicitation step of the method, opened and closed by the facilitator,
and the experts' answers in it."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from anticipe.workshop.models.factors import Factor, Hypothesis
from anticipe.workshop.models.panel import Expert
from anticipe.workshop.models.study import Activity, Study


class RoundClosed(Exception):  # noqa: N818 (a state, said to the expert)
    """An answer arrived after its round closed: it is refused, nothing is half-saved."""


class RoundQuerySet(models.QuerySet["Round"]):
    def open(self) -> RoundQuerySet:
        return self.filter(status=Round.Status.OPEN)

    def closed(self) -> RoundQuerySet:
        return self.filter(status=Round.Status.CLOSED)

    def earlier_closed(self, round_: Round) -> RoundQuerySet:
        """The closed iterations of `round_`'s step before it, first to last: those whose
        answers stand when it opens (each expert's latest)."""
        return (
            self.closed()
            .filter(study_id=round_.study_id, step=round_.step, iteration__lt=round_.iteration)
            .order_by("iteration", "id")
        )


class Round(models.Model):
    """One step of the method in which every expert answers."""

    class Step(models.TextChoices):
        PROPOSALS = "proposals", _("Change factors: proposals")
        FACTOR_VOTE = "factor_vote", _("Change factors: weighted vote")
        INFLUENCE = "influence", _("Influence matrix")
        SITUATIONS = "situations", _("Current and future situations")
        HYPOTHESIS_VOTE = "hypothesis_vote", _("Hypotheses: probability and desirability")
        ACTIONS = "actions", _("Actions")
        IMPACTS = "impacts", _("Impacts on activities and competences")

    class Status(models.TextChoices):
        DRAFT = "draft", _("not opened yet")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="rounds")
    step = models.CharField(max_length=20, choices=Step.choices)
    iteration = models.PositiveSmallIntegerField(default=1)  # 2, 3...: Delphi rounds
    # Delphi: only the answers given in this iteration count for the questions it asks
    # (False: an expert who does not answer keeps their earlier answer)
    respondents_only = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    settings = models.JSONField(default=dict, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "step", "iteration"], name="one_round_per_step_iteration"
            )
        ]

    def __str__(self) -> str:
        label = str(self.get_step_display())
        return label if self.iteration == 1 else f"{label} ({self.iteration})"

    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def has_group_feedback(self) -> bool:
        """Once closed, experts see the group's result next to their own answer (Delphi):
        the steps whose answers are numbers."""
        return self.status == self.Status.CLOSED and self.step in (
            self.Step.FACTOR_VOTE,
            self.Step.INFLUENCE,
            self.Step.HYPOTHESIS_VOTE,
        )

    def open(self) -> None:
        self.status = self.Status.OPEN
        self.opened_at = self.opened_at or timezone.now()
        self.closed_at = None
        self.save(update_fields=["status", "opened_at", "closed_at"])

    def close(self) -> None:
        """Close the round: taken under the round's lock, so a save in progress either
        finishes before (and is kept) or sees the round closed (and is refused)."""
        with transaction.atomic():
            locked = Round.objects.select_for_update().get(pk=self.pk)
            locked.status = self.Status.CLOSED
            locked.closed_at = timezone.now()
            locked.save(update_fields=["status", "closed_at"])
        self.status, self.closed_at = locked.status, locked.closed_at

    def lock_for_answer(self) -> Round:
        """Inside a transaction: lock the round and check it still takes answers."""
        locked = Round.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.OPEN:
            raise RoundClosed(str(self))
        return locked


class Answer(models.Model):
    """What every answer has: its round and its expert."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class FactorProposal(Answer):
    """A change factor an expert proposes, with a short explanation."""

    title = models.CharField(_("factor"), max_length=400)
    explanation = models.TextField(_("explanation"), blank=True)
    # The factor it became once the facilitator merged duplicates and edited wording.
    factor = models.ForeignKey(
        Factor, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )

    class Meta:
        ordering = ["id"]

    @property
    def token(self) -> str:
        """The proposal's name on the facilitator's pages and forms: a keyed digest of its
        id, never the id itself. Ids follow the order in which proposals arrived, and the
        live progress shows in which order the experts first answered: the two together
        would give each proposal its author."""
        return salted_hmac("anticipe.workshop.FactorProposal", str(self.pk)).hexdigest()[:20]


class FactorPoints(Answer):
    """Points an expert gives a factor in the weighted vote."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "factor"], name="one_vote_per_factor"
            )
        ]


class InfluenceScore(Answer):
    """How strongly `source` influences `target`, according to one expert."""

    class Value(models.TextChoices):
        NONE = "0", _("none")
        WEAK = "1", _("weak")
        MEDIUM = "2", _("medium")
        STRONG = "3", _("strong")
        POTENTIAL = "P", _("potential")
        DONT_KNOW = "?", _("don't know")

    source = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=1, choices=Value.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "source", "target"], name="one_score_per_cell"
            )
        ]

    def as_cell(self) -> Any:
        """The study file's cell: 0-3, "P" or None (don't know)."""
        if self.value == "?":
            return None
        if self.value == "P":
            return "P"
        return int(self.value)


class Situation(Answer):
    """An expert's description of a key factor today and at the horizon."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="+")
    current = models.TextField(_("current situation"), blank=True)
    future = models.TextField(_("possible futures at the horizon"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "factor"], name="one_situation_per_factor"
            )
        ]


class HypothesisVoteQuerySet(models.QuerySet["HypothesisVote"]):
    def fully_answered(self) -> HypothesisVoteQuerySet:
        """Votes whose two questions (probability, desirability) are both answered."""
        return self.filter(probability_answered=True, desirability_answered=True)


class HypothesisVote(Answer):
    """An expert's probability and desirability of a hypothesis, each answered separately:
    a value, or None for "don't know" once answered; a question not yet answered has its
    ``*_answered`` False (it is neither a value nor a "don't know")."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="+")
    probability = models.PositiveSmallIntegerField(null=True, blank=True)
    desirability = models.PositiveSmallIntegerField(null=True, blank=True)
    probability_answered = models.BooleanField(default=True)
    desirability_answered = models.BooleanField(default=True)

    objects = HypothesisVoteQuerySet.as_manager()

    @property
    def fully_answered(self) -> bool:
        """Both questions answered (the rule of :meth:`HypothesisVoteQuerySet.fully_answered`)."""
        return self.probability_answered and self.desirability_answered

    def shown(self, question: str) -> str:
        """The answer to `question` as the expert's page shows it: the value, "?" for
        "don't know", "" when not answered yet."""
        if not getattr(self, f"{question}_answered"):
            return ""
        value = getattr(self, question)
        return "?" if value is None else str(value)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "hypothesis"], name="one_vote_per_hypothesis"
            )
        ]


class ActionProposal(Answer):
    """An action an expert proposes for a retained hypothesis."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("action"))

    class Meta:
        ordering = ["id"]


class ImpactProposal(Answer):
    """An activity an expert sees strongly affected by a retained hypothesis, and the
    competences it will call for."""

    hypothesis = models.ForeignKey(Hypothesis, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    competences = models.TextField(_("competences needed"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "expert", "hypothesis", "activity"],
                name="one_impact_proposal_per_pair",
            )
        ]
