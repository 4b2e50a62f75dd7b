"""Tools for rule-set and plugin authors: data-driven cases (always available) and, behind the
``cppcc-scoring[testing]`` extra, hypothesis strategies in :mod:`scoring.testing.strategies`."""

from .cases import Case, CaseFile, CaseOutcome, load_case_file, resolve_rule_set, run_case
from .check import PluginReport, check_plugin

__all__ = [
    "Case",
    "CaseFile",
    "CaseOutcome",
    "PluginReport",
    "check_plugin",
    "load_case_file",
    "resolve_rule_set",
    "run_case",
]
