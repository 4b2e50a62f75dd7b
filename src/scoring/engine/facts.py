"""Per-member facts: every accepted record aggregated once into tallies of the measures that the
rule set's rules, requirements and triggers read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import ActivityRecord
from ..rules.base import ZERO, Measure, Tally, Weight

_UNIT = Weight()

Codes = tuple[Hashable, ...]
"""A record's codes, the only fields a selector reads: kind, subtype, status, role, level, flags."""


def codes_of(record: ActivityRecord) -> Codes:
    """The fields of ``record`` that :meth:`Selector.matches` reads."""
    return (record.kind, record.subtype, record.status, record.role, record.level, record.flags)


@dataclass(frozen=True)
class FactsPlan:
    """The measures that apply to members of one role profile, indexed by record kind.

    ``matching`` remembers, per combination of record codes, which measures a record adds to:
    a city has few such combinations, so after the first members each record costs one lookup.
    """

    measures: tuple[Measure, ...]
    by_kind: dict[str, tuple[Measure, ...]]
    matching: dict[Codes, tuple[tuple[Measure, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, measures: Iterable[Measure]) -> FactsPlan:
        """A plan for ``measures`` (duplicates are aggregated once)."""
        unique = tuple(dict.fromkeys(measures))
        by_kind: dict[str, list[Measure]] = defaultdict(list)
        for m in unique:
            by_kind[m.selector.kind].append(m)
        return cls(unique, {k: tuple(v) for k, v in by_kind.items()})

    def measures_of(self, record: ActivityRecord) -> tuple[tuple[Measure, bool], ...]:
        """The measures ``record`` adds to, each with whether its weight is simply 1 per record."""
        key = codes_of(record)
        found = self.matching.get(key)
        if found is None:
            found = self.matching[key] = tuple(
                (m, m.weight == _UNIT) for m in self.by_kind.get(record.kind, ()) if m.selector.matches(record)
            )
        return found


def aggregate(plan: FactsPlan, records: Sequence[ActivityRecord]) -> dict[Measure, Tally]:
    """Tallies of every measure in ``plan`` over ``records`` (which must be sorted by id, so that
    decimal sums are formed in one fixed order whatever the input order was)."""
    found: dict[Measure, list[ActivityRecord]] = {}
    unit: dict[Measure, bool] = {}
    matching, measures_of = plan.matching, plan.measures_of
    for record in records:
        key = (record.kind, record.subtype, record.status, record.role, record.level, record.flags)
        hits = matching.get(key)
        if hits is None:
            hits = measures_of(record)
        for measure, is_unit in hits:
            matched = found.get(measure)
            if matched is None:
                found[measure] = [record]
                unit[measure] = is_unit
            else:
                matched.append(record)
    return {m: _tally(m.weight, matched, unit[m]) for m, matched in found.items()}


def _tally(weight: Weight, records: list[ActivityRecord], is_unit: bool) -> Tally:
    ids = tuple(r.id for r in records)
    if is_unit:  # 0 + 1 + 1 + … is exactly Decimal(n)
        return Tally(len(ids), Decimal(len(ids)), ids, ())
    total = ZERO
    unknown: list[str] = []
    for record in records:
        value = weight.value(record)
        if value is None:
            unknown.append(record.id)
        else:
            total += value
    return Tally(len(ids), total, ids, tuple(unknown))
