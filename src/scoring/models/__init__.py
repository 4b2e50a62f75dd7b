"""Typed, frozen models of inputs and results."""

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
    "ActivityRecord",
    "CategoryScore",
    "GateResult",
    "LineItem",
    "Member",
    "Notification",
    "Period",
    "Provenance",
    "Rank",
    "RecordOutcome",
    "RequirementResult",
    "Scorecard",
    "ScoringResult",
    "Warning",
]
