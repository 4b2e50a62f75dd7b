"""scoring plugin: Jilin City (吉林市, Jilin) five ones and exit mechanism.

Registers the rule-set files in ``rule_sets/``; the rules themselves are data.
"""

from __future__ import annotations

from scoring import hookimpl
from scoring.hookspecs import RegisterRuleSet
from scoring.plugins import packaged_rule_sets


@hookimpl
def scoring_register_rule_sets(register: RegisterRuleSet) -> None:
    """Register every rule file shipped in this package (``rule_sets/*.toml``)."""
    for path in packaged_rule_sets(__name__):
        register(path)
