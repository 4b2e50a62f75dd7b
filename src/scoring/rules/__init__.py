"""Built-in rule types, one small module per family. They are registered through the same
plugin hook as external rule types (see :mod:`scoring.hookspecs`)."""

from .base import Measure, Outcome, RuleParams, RuleType, SplitParams, Tally, Weight
from .commitment import Commitment
from .fixed import DeductFromFull, Fixed
from .lifecycle import Lifecycle
from .tables import LevelPoints, StatusPoints
from .units import FromNth, Once, PerUnit, Shortfall


def builtin_rule_types() -> tuple[RuleType, ...]:  # type: ignore[type-arg]
    """Fresh instances of every built-in rule type."""
    return (
        PerUnit(),
        Once(),
        FromNth(),
        Shortfall(),
        StatusPoints(),
        LevelPoints(),
        Lifecycle(),
        Fixed(),
        DeductFromFull(),
        Commitment(),
    )


__all__ = [
    "Measure",
    "Outcome",
    "RuleParams",
    "RuleType",
    "SplitParams",
    "Tally",
    "Weight",
    "builtin_rule_types",
]
