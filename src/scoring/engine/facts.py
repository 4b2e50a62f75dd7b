"""Per-member facts: every accepted record aggregated once into tallies of the measures that the
rule set's rules, requirements and triggers read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..models import ActivityRecord
from ..rules.base import ZERO, Measure, Tally


@dataclass(frozen=True)
class FactsPlan:
    """The measures that apply to members of one role profile, indexed by record kind."""

    measures: tuple[Measure, ...]
    by_kind: dict[str, tuple[Measure, ...]]

    @classmethod
    def of(cls, measures: Iterable[Measure]) -> FactsPlan:
        """A plan for ``measures`` (duplicates are aggregated once)."""
        unique = tuple(dict.fromkeys(measures))
        by_kind: dict[str, list[Measure]] = defaultdict(list)
        for m in unique:
            by_kind[m.selector.kind].append(m)
        return cls(unique, {k: tuple(v) for k, v in by_kind.items()})


class _Acc:
    __slots__ = ("count", "ids", "unknown", "value")

    def __init__(self) -> None:
        self.count = 0
        self.value = ZERO
        self.ids: list[str] = []
        self.unknown: list[str] = []


def aggregate(plan: FactsPlan, records: Sequence[ActivityRecord]) -> dict[Measure, Tally]:
    """Tallies of every measure in ``plan`` over ``records`` (which must be sorted by id, so that
    decimal sums are formed in one fixed order whatever the input order was)."""
    accs: dict[Measure, _Acc] = {}
    for record in records:
        for measure in plan.by_kind.get(record.kind, ()):
            if not measure.selector.matches(record):
                continue
            acc = accs.get(measure)
            if acc is None:
                acc = accs[measure] = _Acc()
            value: Decimal | None = measure.weight.value(record)
            acc.count += 1
            acc.ids.append(record.id)
            if value is None:
                acc.unknown.append(record.id)
            else:
                acc.value += value
    return {
        m: Tally(a.count, a.value, tuple(a.ids), tuple(a.unknown)) for m, a in accs.items()
    }
