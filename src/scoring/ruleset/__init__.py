"""Rule sets: the TOML format, overlays, validation and the compiled form."""

from .compiled import CompiledRule, RuleSet
from .loader import compile_raw, load_rule_set, parse_rule_set
from .raw import RawRuleSet, parse_toml, read_toml
from .schema import RuleSetSpec

__all__ = [
    "CompiledRule",
    "RawRuleSet",
    "RuleSet",
    "RuleSetSpec",
    "compile_raw",
    "load_rule_set",
    "parse_rule_set",
    "parse_toml",
    "read_toml",
]
