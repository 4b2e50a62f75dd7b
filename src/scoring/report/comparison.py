"""The result model of a rule-set comparison (see :mod:`.compare`): JSON-ready, decimals as strings."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Period
from ..ruleset import RuleSet
from ..text import Text
from .summary import Distribution

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class RuleSetRef(BaseModel):
    """Which rule set a side of the comparison used."""

    model_config = _FROZEN

    id: str
    version: str
    title: Text
    fingerprint: str
    example: bool = False

    @classmethod
    def of(cls, rule_set: RuleSet) -> RuleSetRef:
        """The reference of a compiled rule set."""
        return cls(id=rule_set.id, version=rule_set.version, title=rule_set.title,
                   fingerprint=rule_set.fingerprint, example=rule_set.spec.rule_set.example)


class Transitions(BaseModel):
    """Counts of members by base grade (rows) and variant grade (columns)."""

    model_config = _FROZEN

    rows: tuple[str, ...] = Field(description="base grade keys: band ids, then 'exempt' / 'none' if present")
    columns: tuple[str, ...] = Field(description="variant grade keys")
    counts: tuple[tuple[int, ...], ...] = Field(description="counts[i][j]: members from rows[i] to columns[j]")

    def count(self, before: str, after: str) -> int:
        """Members whose grade went from ``before`` to ``after`` (0 for unknown keys)."""
        if before not in self.rows or after not in self.columns:
            return 0
        return self.counts[self.rows.index(before)][self.columns.index(after)]

    @property
    def changed(self) -> int:
        """Members whose grade differs."""
        return sum(n for i, row in enumerate(self.counts) for j, n in enumerate(row)
                   if self.rows[i] != self.columns[j])


class WarningRef(BaseModel):
    """A warning as compared: same rule, kind, action and level means the same warning."""

    model_config = _FROZEN

    rule_id: str
    kind: str
    action: str
    action_label: Text
    level: int
    message: Text

    @property
    def key(self) -> tuple[str, str, str, int]:
        """Identity used for the comparison (messages may mention thresholds and differ)."""
        return (self.rule_id, self.kind, self.action, self.level)


class LineChange(BaseModel):
    """A line item whose points differ between base and variant."""

    model_config = _FROZEN

    rule_id: str
    label: Text
    category: str
    before: Decimal | None = Field(description="points under the base; None: not computable or no such rule")
    after: Decimal | None = Field(description="points under the variant; None: not computable or no such rule")
    in_base: bool = True
    in_variant: bool = True
    record_ids: tuple[str, ...] = Field(default=(), description="records behind the line (variant, else base)")
    cite_before: str | None = None
    cite_after: str | None = None


class GateChange(BaseModel):
    """A gate whose outcome differs (None: cannot be decided; absent gates are None)."""

    model_config = _FROZEN

    gate_id: str
    label: Text
    before: bool | None
    after: bool | None


class MemberChange(BaseModel):
    """One member whose result differs, and why."""

    model_config = _FROZEN

    member_id: str
    name: str
    sector: str
    total_before: Decimal | None
    total_after: Decimal | None
    grade_before: str = Field(description="grade key under the base (band id, 'exempt' or 'none')")
    grade_after: str
    band_before: str = Field(description="grade by score alone under the base")
    band_after: str
    warnings_added: tuple[WarningRef, ...] = ()
    warnings_removed: tuple[WarningRef, ...] = ()
    gates: tuple[GateChange, ...] = ()
    lines: tuple[LineChange, ...] = ()

    @property
    def grade_changed(self) -> bool:
        """The final grade differs."""
        return self.grade_before != self.grade_after

    @property
    def warnings_changed(self) -> bool:
        """Warnings were added or removed."""
        return bool(self.warnings_added or self.warnings_removed)

    @property
    def delta(self) -> Decimal | None:
        """Total after minus total before (None when either is not computable)."""
        if self.total_before is None or self.total_after is None:
            return None
        return self.total_after - self.total_before


class VariantComparison(BaseModel):
    """The base against one variant."""

    model_config = _FROZEN

    variant: RuleSetRef
    grades: dict[str, Text] = Field(description="labels of the variant's grade keys, best first")
    transitions: Transitions
    band_transitions: Transitions = Field(description="the same by grade by score (before gates and quotas)")
    distribution: Distribution
    changes: tuple[MemberChange, ...] = Field(description="members whose result differs, by member id")
    members: int
    grade_changed: int
    warnings_changed: int
    total_changed: int


class Comparison(BaseModel):
    """A baseline rule set against one or more variants, on the same members and records."""

    model_config = _FROZEN

    period: Period
    base: RuleSetRef
    grades: dict[str, Text] = Field(description="labels of the base's grade keys, best first")
    distribution: Distribution
    variants: tuple[VariantComparison, ...]
    members: int
