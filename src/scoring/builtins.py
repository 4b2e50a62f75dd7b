"""The built-in rule types, registered through the same hook as any external plugin."""

from __future__ import annotations

from .hookspecs import RegisterRuleType, hookimpl
from .rules import builtin_rule_types


@hookimpl
def scoring_register_rule_types(register: RegisterRuleType) -> None:
    """Register every rule type in :mod:`scoring.rules`."""
    for rule_type in builtin_rule_types():
        register(rule_type)
