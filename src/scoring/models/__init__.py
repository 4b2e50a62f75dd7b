"""Typed, frozen models of inputs and results."""

from .accounting import AccountingSummary, ReasonCount
from .inputs import ActivityRecord, Member, Period
from .results import (
    Accounting,
    CategoryScore,
    GateResult,
    LineItem,
    Notification,
    Provenance,
    Rank,
    RecordOutcome,
    RequirementResult,
    Scorecard,
    ScoringResult,
    Warning,
)

__all__ = [
    "Accounting",
    "AccountingSummary",
    "ActivityRecord",
    "CategoryScore",
    "GateResult",
    "LineItem",
    "Member",
    "Notification",
    "Period",
    "Provenance",
    "Rank",
    "ReasonCount",
    "RecordOutcome",
    "RequirementResult",
    "Scorecard",
    "ScoringResult",
    "Warning",
]
