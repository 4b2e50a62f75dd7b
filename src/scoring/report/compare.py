"""Comparing rule sets on the same inputs: grade transitions, changed members and why, distributions.

Library use (no CLI needed)::

    from scoring.report.compare import compare
    comparison = compare(base, [variant], members, records, Period.year(2024))
    comparison.variants[0].transitions.count("competent", "incompetent")
    comparison.model_dump_json()          # JSON-ready, decimals as strings

A member's result *changed* when its total, final grade, score band, gates or warnings differ;
each change lists the line items whose points differ.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from ..engine import HistoryEntry, score
from ..models import ActivityRecord, LineItem, Member, Period, Scorecard, ScoringResult, Warning
from ..ruleset import RuleSet
from ..text import Text
from .summary import Distribution, band_key, distribution, grade_key, grade_labels, sector_of

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


def compare(
    base: RuleSet,
    variants: Sequence[RuleSet],
    members: Iterable[Member],
    records: Iterable[ActivityRecord],
    period: Period,
    *,
    history: Iterable[HistoryEntry | ScoringResult] = (),
) -> Comparison:
    """Score ``members`` and ``records`` under ``base`` and each variant, and compare."""
    members = list(members)
    records = list(records)
    history = list(history)
    results = [score(rs, members, records, period, history=history) for rs in (base, *variants)]
    return compare_results(base, results[0], list(zip(variants, results[1:], strict=True)), members)


def compare_results(
    base: RuleSet,
    base_result: ScoringResult,
    variants: Sequence[tuple[RuleSet, ScoringResult]],
    members: Iterable[Member],
) -> Comparison:
    """Compare results already computed (all on the same inputs and period)."""
    by_id = {m.id: m for m in members}
    return Comparison(
        period=base_result.period,
        base=RuleSetRef.of(base),
        grades=grade_labels(base),
        distribution=distribution(base, base_result, by_id),
        variants=tuple(_compare_one(base, base_result, rs, res, by_id) for rs, res in variants),
        members=len(base_result.scorecards),
    )


def _compare_one(
    base: RuleSet, before: ScoringResult, variant: RuleSet, after: ScoringResult, members: Mapping[str, Member]
) -> VariantComparison:
    pairs = _pairs(before, after)
    changes = tuple(c for c in (_member_change(b, a, members) for b, a in pairs) if c is not None)
    return VariantComparison(
        variant=RuleSetRef.of(variant),
        grades=grade_labels(variant),
        transitions=_transitions(base, variant, [(grade_key(b), grade_key(a)) for b, a in pairs]),
        band_transitions=_transitions(base, variant, [(band_key(b), band_key(a)) for b, a in pairs]),
        distribution=distribution(variant, after, members),
        changes=changes,
        members=len(pairs),
        grade_changed=sum(c.grade_changed for c in changes),
        warnings_changed=sum(c.warnings_changed for c in changes),
        total_changed=sum(c.total_before != c.total_after for c in changes),
    )


def _pairs(before: ScoringResult, after: ScoringResult) -> list[tuple[Scorecard, Scorecard]]:
    later = {c.member_id: c for c in after.scorecards}
    return [(c, later[c.member_id]) for c in before.scorecards if c.member_id in later]


def _transitions(base: RuleSet, variant: RuleSet, moves: Sequence[tuple[str, str]]) -> Transitions:
    counter = Counter(moves)
    rows = _keys(grade_labels(base), {b for b, _ in moves})
    columns = _keys(grade_labels(variant), {a for _, a in moves})
    return Transitions(
        rows=rows, columns=columns,
        counts=tuple(tuple(counter.get((r, c), 0) for c in columns) for r in rows),
    )


def _keys(labels: Mapping[str, Text], seen: set[str]) -> tuple[str, ...]:
    """Every band of the rule set, then the pseudo-grades that occur, then anything unexpected."""
    pseudo = ("exempt", "none")
    keys = [k for k in labels if k not in pseudo or k in seen]
    return (*keys, *sorted(seen - set(keys)))


def _member_change(before: Scorecard, after: Scorecard, members: Mapping[str, Member]) -> MemberChange | None:
    w_before = [_warning(w) for w in before.warnings]
    w_after = [_warning(w) for w in after.warnings]
    keys_before = {w.key for w in w_before}
    keys_after = {w.key for w in w_after}
    gates = _gate_changes(before, after)
    lines = _line_changes(before.lines, after.lines)
    change = MemberChange(
        member_id=before.member_id, name=before.member_name, sector=sector_of(members, before.member_id),
        total_before=before.total, total_after=after.total,
        grade_before=grade_key(before), grade_after=grade_key(after),
        band_before=band_key(before), band_after=band_key(after),
        warnings_added=tuple(w for w in w_after if w.key not in keys_before),
        warnings_removed=tuple(w for w in w_before if w.key not in keys_after),
        gates=gates, lines=lines,
    )
    same = (change.total_before == change.total_after and not change.grade_changed
            and change.band_before == change.band_after and not change.warnings_changed and not gates)
    return None if same else change


def _warning(w: Warning) -> WarningRef:
    return WarningRef(rule_id=w.rule_id, kind=w.kind, action=w.action, action_label=w.action_label,
                      level=w.level, message=w.message)


def _gate_changes(before: Scorecard, after: Scorecard) -> tuple[GateChange, ...]:
    b = {g.id: g for g in before.gates}
    a = {g.id: g for g in after.gates}
    out = []
    for gate_id in [*b, *(k for k in a if k not in b)]:
        met_b = b[gate_id].met if gate_id in b else None
        met_a = a[gate_id].met if gate_id in a else None
        if met_b != met_a or (gate_id in b) != (gate_id in a):
            label = (a.get(gate_id) or b[gate_id]).label
            out.append(GateChange(gate_id=gate_id, label=label, before=met_b, after=met_a))
    return tuple(out)


def _line_changes(before: Sequence[LineItem], after: Sequence[LineItem]) -> tuple[LineChange, ...]:
    b = {line.rule_id: line for line in before}
    a = {line.rule_id: line for line in after}
    out = []
    for rule_id in [*b, *(k for k in a if k not in b)]:
        lb, la = b.get(rule_id), a.get(rule_id)
        points_b = lb.points if lb else None
        points_a = la.points if la else None
        line = la if la is not None else lb
        if line is None or (points_b == points_a and (lb is None) == (la is None)):
            continue
        out.append(LineChange(
            rule_id=rule_id, label=line.label, category=line.category, before=points_b, after=points_a,
            in_base=lb is not None, in_variant=la is not None, record_ids=line.record_ids,
            cite_before=lb.cite if lb else None, cite_after=la.cite if la else None,
        ))
    return tuple(out)
