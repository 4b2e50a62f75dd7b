"""Per-member facts: every accepted record aggregated once into tallies of the measures that the
rule set's rules, requirements and triggers read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from ..models import ActivityRecord
from ..rules.base import ZERO, Measure, Tally, Weight

_UNIT = Weight()

Codes = tuple[Hashable, ...]
"""A record's codes, the only fields a selector reads: kind, subtype, status, role, level, flags."""


_codes: Callable[[dict[str, Any]], Codes] = itemgetter("kind", "subtype", "status", "role", "level", "flags")


def codes_of(record: ActivityRecord) -> Codes:
    """The fields of ``record`` that :meth:`Selector.matches` reads (read from the model's
    ``__dict__``, where pydantic keeps field values: one attribute access instead of six)."""
    return _codes(record.__dict__)

_record_id = attrgetter("id")


@dataclass(frozen=True)
class FactsPlan:
    """The measures that apply to members of one role profile, indexed by record kind.

    ``matching`` remembers, per combination of record codes, which measures (by position in
    ``measures``) a record adds to: a city has few such combinations, so after the first members
    each record costs one lookup. ``unit[k]``: whether measure ``k`` simply counts records.
    """

    measures: tuple[Measure, ...]
    by_kind: dict[str, tuple[int, ...]]
    unit: tuple[bool, ...]
    matching: dict[Codes, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, measures: Iterable[Measure]) -> FactsPlan:
        """A plan for ``measures`` (duplicates are aggregated once)."""
        unique = tuple(dict.fromkeys(measures))
        by_kind: dict[str, list[int]] = defaultdict(list)
        for k, m in enumerate(unique):
            by_kind[m.selector.kind].append(k)
        return cls(unique, {kind: tuple(v) for kind, v in by_kind.items()}, tuple(m.weight == _UNIT for m in unique))

    def measures_of(self, record: ActivityRecord) -> tuple[int, ...]:
        """Positions of the measures ``record`` adds to."""
        key: Codes = codes_of(record)
        found = self.matching.get(key)
        if found is None:
            found = self.matching[key] = tuple(
                k for k in self.by_kind.get(record.kind, ()) if self.measures[k].selector.matches(record)
            )
        return found


def aggregate(plan: FactsPlan, records: Sequence[ActivityRecord]) -> dict[Measure, Tally]:
    """Tallies of every measure in ``plan`` over ``records`` (which must be sorted by id, so that
    decimal sums are formed in one fixed order whatever the input order was)."""
    found: dict[int, list[ActivityRecord]] = {}
    matching, measures_of = plan.matching, plan.measures_of
    for record in records:
        hits = matching.get(_codes(record.__dict__))  # codes_of, inlined
        if hits is None:
            hits = measures_of(record)
        for k in hits:
            matched = found.get(k)
            if matched is None:
                found[k] = [record]
            else:
                matched.append(record)
    measures, unit = plan.measures, plan.unit
    return {measures[k]: _tally(measures[k].weight, matched, unit[k]) for k, matched in found.items()}


def _tally(weight: Weight, records: list[ActivityRecord], is_unit: bool) -> Tally:
    ids = tuple(map(_record_id, records))
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
