"""Shared test fixtures: the rule sets shipped by the plugin packages, and the hypothesis profile."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import scoring

REPO = Path(__file__).resolve().parents[1]

#: Every rule file shipped by the plugin packages, by rule-set id (= file stem).
RULE_SET_FILES: dict[str, Path] = {
    path.stem: path for path in sorted(REPO.glob("plugins/*/src/*/rule_sets/*.toml"))
}

# No deadline: scoring a generated city takes a few milliseconds, but a cold start (imports,
# first rule-set load) can take longer, and timing noise on shared CI machines is not a bug.
settings.register_profile(
    "scoring", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", parent=settings.get_profile("scoring"), max_examples=1000
)
# CI runs the same examples every time (a new random example must never turn a landing red);
# exploration happens in development runs and in the long fuzz runs.
settings.register_profile("ci", parent=settings.get_profile("scoring"), derandomize=True)
settings.load_profile(os.environ.get("SCORING_HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "scoring"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``shipped_name`` over every shipped rule set, and ``any_rule_set`` over them
    plus ``None`` (a random rule set), so new plugin rule sets are covered without edits."""
    names = sorted(RULE_SET_FILES)
    if "shipped_name" in metafunc.fixturenames:
        metafunc.parametrize("shipped_name", names)
    if "any_rule_set" in metafunc.fixturenames:
        metafunc.parametrize("any_rule_set", [None, *names], ids=["random", *names])


@cache
def real_rule_set(name: str) -> scoring.RuleSet:
    """A shipped rule set, loaded once per test session (rule sets are immutable)."""
    return scoring.load_rule_set(RULE_SET_FILES[name])


@pytest.fixture(scope="session")
def shipped() -> Callable[[str], scoring.RuleSet]:
    """Load a shipped rule set by id (cached), e.g. ``shipped("tongcheng-2019")``."""
    return real_rule_set


@pytest.fixture(scope="session")
def shipped_ids() -> list[str]:
    """Ids of every shipped rule set."""
    return sorted(RULE_SET_FILES)


@pytest.fixture(scope="session")
def rule_set_path() -> Callable[[str], Path]:
    """The path of a shipped rule file by id, e.g. ``rule_set_path("jinan-2015")``."""
    return RULE_SET_FILES.__getitem__


@pytest.fixture(scope="session")
def jinan() -> scoring.RuleSet:
    """The Jinan 2015 rule set."""
    return real_rule_set("jinan-2015")


@pytest.fixture(scope="session")
def tongcheng() -> scoring.RuleSet:
    """The Tongcheng 2019 rule set (no floor on the meetings category)."""
    return real_rule_set("tongcheng-2019")


@pytest.fixture(scope="session")
def tongcheng_floored() -> scoring.RuleSet:
    """The Tongcheng 2019 variant with the meetings category floored at 0."""
    return real_rule_set("tongcheng-2019-floored")


@pytest.fixture(scope="session")
def jilin() -> scoring.RuleSet:
    """The Jilin City structure with every number unpublished."""
    return real_rule_set("jilin-city")


@pytest.fixture(scope="session")
def jilin_example() -> scoring.RuleSet:
    """The Jilin City structure with example values."""
    return real_rule_set("jilin-city-example")
