"""scoring — duty-performance scorecards for CPPCC members (政协委员履职量化考评).

The public surface is small: load a rule set, build members and records, call :func:`score`.
Everything not listed in ``__all__`` is internal.
"""

from ._version import __version__
from .engine import HistoryEntry, load_history, score
from .errors import ConfigurationError, InputError, PluginError, Problem, RuleSetError, ScoringError
from .hookspecs import hookimpl
from .models import (
    Accounting,
    ActivityRecord,
    CategoryScore,
    GateResult,
    LineItem,
    Member,
    Notification,
    Period,
    Provenance,
    Rank,
    RecordOutcome,
    RequirementResult,
    Scorecard,
    ScoringResult,
    Warning,
)
from .ruleset import RuleSet, load_rule_set, parse_rule_set
from .text import Text

__all__ = [
    "Accounting",
    "ActivityRecord",
    "CategoryScore",
    "ConfigurationError",
    "GateResult",
    "HistoryEntry",
    "InputError",
    "LineItem",
    "Member",
    "Notification",
    "Period",
    "PluginError",
    "Problem",
    "Provenance",
    "Rank",
    "RecordOutcome",
    "RequirementResult",
    "RuleSet",
    "RuleSetError",
    "Scorecard",
    "ScoringError",
    "ScoringResult",
    "Text",
    "Warning",
    "__version__",
    "hookimpl",
    "load_history",
    "load_rule_set",
    "parse_rule_set",
    "score",
]
