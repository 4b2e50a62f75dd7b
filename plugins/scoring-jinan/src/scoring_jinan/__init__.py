"""scoring plugin: Jinan (济南市, Shandong) 2015 method.

Registers the rule-set files in ``rule_sets/``; the rules themselves are data.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from scoring import hookimpl
from scoring.hookspecs import RegisterRuleSet

RULE_SETS = Path(str(files(__name__) / "rule_sets"))


@hookimpl
def scoring_register_rule_sets(register: RegisterRuleSet) -> None:
    """Register every rule file shipped in this package."""
    for path in sorted(RULE_SETS.glob("*.toml")):
        register(path)
