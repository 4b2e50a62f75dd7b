"""The compiled rule set: validated, cross-checked, immutable, ready for the engine."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..errors import Problem
from ..models import Period
from ..rules.base import Measure, RuleParams, RuleType
from ..selectors import Selector
from ..text import Text
from ..vocabulary import Vocabulary
from .in_force import EffectiveDates, period_problem
from .schema import Category, EscalationStep, GradeBand, RuleSetSpec, RuleSpec


@dataclass(frozen=True)
class CompiledRule:
    """A rule bound to its rule type and validated parameters.

    ``unavailable`` is set when the rule depends on a value the method does not publish: the
    engine then reports its line as not computable (unless the member has no matching record).
    """

    spec: RuleSpec
    rule_type: RuleType  # type: ignore[type-arg]
    params: RuleParams | None
    measures: tuple[Measure, ...]
    unavailable: Text | None = None

    @property
    def id(self) -> str:
        """The rule id."""
        return self.spec.id

    def applies_to(self, roles: tuple[str, ...]) -> bool:
        """True when a member with ``roles`` is subject to this rule."""
        held = {"member", *roles}
        if self.spec.roles and not held.intersection(self.spec.roles):
            return False
        return not held.intersection(self.spec.not_roles)


@dataclass(frozen=True)
class RuleSet:
    """An effective rule set (base plus overlays), immutable and safe to share between threads."""

    spec: RuleSetSpec
    vocabulary: Vocabulary
    rules: tuple[CompiledRule, ...]
    fingerprint: str
    source: str | None = None
    chain: tuple[str, ...] = ()
    grades_unavailable: Text | None = None
    steps_unavailable: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))
    categories_unavailable: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))
    requirements_unavailable: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))
    eligibility_unavailable: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))
    quotas_unavailable: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def id(self) -> str:
        """The rule-set id."""
        return self.spec.rule_set.id

    @property
    def version(self) -> str:
        """The rule-set version."""
        return self.spec.rule_set.version

    @property
    def title(self) -> Text:
        """The rule-set title."""
        return self.spec.rule_set.title

    @property
    def effective_dates(self) -> EffectiveDates:
        """``[rule_set] effective_from`` / ``effective_to`` (inherited by variants)."""
        return EffectiveDates.of(self.spec.rule_set)

    def in_force(self, period: Period) -> bool:
        """True when the rule set's effective dates contain the whole ``period``."""
        return self.effective_dates.contains(period)

    def period_problem(self, period: Period) -> Problem | None:
        """Why ``period`` is not within the effective dates, or ``None`` when it is."""
        return period_problem(self.id, self.effective_dates, period)

    @property
    def categories(self) -> tuple[Category, ...]:
        """Categories in declaration order."""
        return self.spec.categories

    @property
    def grades(self) -> tuple[GradeBand, ...]:
        """Grade bands, best first."""
        return self.spec.grades

    @property
    def escalation(self) -> tuple[EscalationStep, ...]:
        """Exit-mechanism steps."""
        return self.spec.escalation

    def grade(self, band_id: str | None) -> GradeBand | None:
        """The band with ``band_id``."""
        return next((g for g in self.spec.grades if g.id == band_id), None)

    def grade_rank(self, band_id: str) -> int:
        """Position of a band, 0 = best."""
        return [g.id for g in self.spec.grades].index(band_id)

    def selectors(self) -> tuple[Selector, ...]:
        """Every selector the rule set reads (rules, requirements, triggers)."""
        out: list[Selector] = [m.selector for r in self.rules for m in r.measures]
        for gate in self.spec.gates:
            for req in gate.requirements:
                out += [alt.match for alt in (req.any_of or (req,)) if alt.match is not None]
        out += [s.trigger.match for s in self.spec.escalation if s.trigger.type == "records_at_least"]
        return tuple(out)


def fingerprint_of(spec: RuleSetSpec) -> str:
    """sha256 of the canonical JSON of the effective rule set (sorted keys, decimals as strings)."""
    canonical = json.dumps(spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
