"""The workshop's data, by step of the method."""

from anticipe.workshop.models.factors import (
    Action,
    Competence,
    CrossImpact,
    Factor,
    Hypothesis,
    Impact,
)
from anticipe.workshop.models.panel import Expert, Invitation, token_digest
from anticipe.workshop.models.reports import ReportFile
from anticipe.workshop.models.rounds import (
    ActionProposal,
    FactorPoints,
    FactorProposal,
    HypothesisVote,
    ImpactProposal,
    InfluenceScore,
    Round,
    RoundClosed,
    Situation,
)
from anticipe.workshop.models.study import (
    Activity,
    AuditEvent,
    LoginAttempt,
    Study,
    StudyMember,
    Task,
)

__all__ = [
    "Action",
    "ActionProposal",
    "Activity",
    "AuditEvent",
    "Competence",
    "CrossImpact",
    "Expert",
    "Factor",
    "FactorPoints",
    "FactorProposal",
    "Hypothesis",
    "HypothesisVote",
    "Impact",
    "ImpactProposal",
    "InfluenceScore",
    "Invitation",
    "LoginAttempt",
    "ReportFile",
    "Round",
    "RoundClosed",
    "Situation",
    "Study",
    "StudyMember",
    "Task",
    "token_digest",
]
