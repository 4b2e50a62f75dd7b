"""Comparing rule sets on the same inputs: grade transitions, changed members and why, distributions.

Library use (no CLI needed)::

    from scoring.report.compare import compare
    comparison = compare(base, [variant], members, records, Period.year(2024))
    comparison.variants[0].transitions.count("competent", "incompetent")
    comparison.model_dump_json()          # JSON-ready, decimals as strings

A member's result *changed* when its total, final grade, score band, gates or warnings differ;
each change lists the line items whose points differ. The models are in :mod:`.comparison`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..engine import HistoryEntry, score
from ..models import ActivityRecord, LineItem, Member, Period, Scorecard, ScoringResult, Warning
from ..ruleset import RuleSet
from ..text import Text
from .comparison import (
    Comparison,
    GateChange,
    LineChange,
    MemberChange,
    RuleSetRef,
    Transitions,
    VariantComparison,
    WarningRef,
)
from .summary import band_key, distribution, grade_key, grade_labels, sector_of

__all__ = [
    "Comparison",
    "GateChange",
    "LineChange",
    "MemberChange",
    "RuleSetRef",
    "Transitions",
    "VariantComparison",
    "WarningRef",
    "compare",
    "compare_results",
]

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
