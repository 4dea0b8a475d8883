"""The workshop's data, by step of the method."""

from anticipe.workshop.models.factors import (
    Action,
    Competence,
    CrossImpact,
    Factor,
    Hypothesis,
    Impact,
)
from anticipe.workshop.models.panel import (
    Expert,
    Invitation,
    MassMailing,
    OutboxMessage,
    PanelSettings,
    token_digest,
)
from anticipe.workshop.models.reports import ReportFile
from anticipe.workshop.models.results import StructuralResult
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
from anticipe.workshop.models.self_assessment import (
    Respondent,
    RespondentGroup,
    SelfAssessment,
)
from anticipe.workshop.models.study import (
    Activity,
    AuditEvent,
    Study,
    StudyMember,
    Task,
)
from anticipe.workshop.models.throttling import Throttle, ThrottleLimit

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
    "MassMailing",
    "OutboxMessage",
    "PanelSettings",
    "ReportFile",
    "Respondent",
    "RespondentGroup",
    "Round",
    "RoundClosed",
    "SelfAssessment",
    "Situation",
    "StructuralResult",
    "Study",
    "StudyMember",
    "Task",
    "Throttle",
    "ThrottleLimit",
    "token_digest",
]
