"""pytest plugin: collects ``*.cases.toml`` files and runs every case in them as a test item.

Enabled automatically through the ``pytest11`` entry point when ``cppcc-scoring`` is installed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..plugins import Registry
from ..ruleset import RuleSet
from .cases import Case, CaseFile, load_case_file, resolve_rule_set, run_case


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect rule-set case files."""
    if file_path.name.endswith(".cases.toml"):
        return RuleSetCases.from_parent(parent, path=file_path)
    return None


class RuleSetCases(pytest.File):
    """A ``*.cases.toml`` file: one test item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        spec = load_case_file(self.path)
        for case in spec.cases:
            yield RuleSetCase.from_parent(self, name=case.id, spec=spec, case=case)


class RuleSetCase(pytest.Item):
    """One worked example scored against its rule set."""

    def __init__(self, *, spec: CaseFile, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.case = case

    def runtest(self) -> None:
        rule_set = resolve_rule_set(self.spec.rule_set, self.path.parent, _by_id(self.config))
        outcome = run_case(self.case, rule_set, self.spec.period)
        if not outcome.passed:
            raise CaseMismatch(self.case.id, outcome.mismatches)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseMismatch):
            head = f"case {excinfo.value.case_id} ({self.case.description}):"
            return "\n  ".join((head, *excinfo.value.mismatches))
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case {self.case.id}"


class CaseMismatch(AssertionError):
    """A case's scorecard differs from what the case expects."""

    def __init__(self, case_id: str, mismatches: tuple[str, ...]) -> None:
        super().__init__(case_id)
        self.case_id = case_id
        self.mismatches = mismatches


_REGISTRY = pytest.StashKey["Registry"]()


def _by_id(config: pytest.Config) -> Callable[[str], RuleSet]:
    """Resolve rule-set ids through the installed plugins (registry built once per session)."""
    if _REGISTRY not in config.stash:
        config.stash[_REGISTRY] = Registry.build()
    return config.stash[_REGISTRY].load
