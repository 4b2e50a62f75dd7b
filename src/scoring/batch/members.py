"""Members encoded once into columns (one row per member, in member-id order), so the batch path
needs no per-member Python loop: role profiles, peer groups, exemptions and membership dates are
all read from integer arrays."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..engine.core import _index_members
from ..fixedpoint import Ints
from ..models import Member, Period
from .facts import Bools

NO_JOIN = 0  # ordinal of a missing joined date (before any real date)
NO_LEAVE = 10**7  # ordinal of a missing left date (after any real date)
ATTRIBUTES = ("sector", "committee", "group")  # the fields a ranking may group by


@dataclass(frozen=True, eq=False)  # compared by identity: the fields are arrays
class MemberColumns:
    """Every member as one row of columns, in member-id order (the order of every per-member array).

    ``profile`` codes index ``profiles`` (each a roles tuple as :class:`Member` stores it: sorted,
    unique); ``attributes[f]`` is (codes, distinct values) of the member field ``f``; ``exempt``
    marks members with an exemption reason (a non-empty ``Member.exempt``)."""

    members: Sequence[Member]
    ids: Sequence[str]
    profile: Ints
    profiles: tuple[tuple[str, ...], ...]
    joined: Ints
    left: Ints
    exempt: Bools
    attributes: Mapping[str, tuple[Ints, tuple[str | None, ...]]]

    def __len__(self) -> int:
        return len(self.profile)

    @cached_property
    def index(self) -> dict[str, int]:
        """Member id → row (built on first use: only history and readers need it)."""
        return {member_id: i for i, member_id in enumerate(self.ids)}

    @classmethod
    def of(cls, members: Iterable[Member]) -> MemberColumns:
        """The columns of ``members`` (identical duplicates merged; conflicting ones are an
        :class:`InputError`, as in :func:`scoring.score`)."""
        by_id = _index_members(members)
        ids = sorted(by_id)
        ordered = [by_id[i] for i in ids]
        n = len(ordered)
        profile, profiles = _codes([m.roles for m in ordered])
        return cls(
            members=ordered,
            ids=ids,
            profile=profile,
            profiles=tuple(profiles),  # type: ignore[arg-type]
            joined=np.fromiter((m.joined.toordinal() if m.joined else NO_JOIN for m in ordered), np.int64, n),
            left=np.fromiter((m.left.toordinal() if m.left else NO_LEAVE for m in ordered), np.int64, n),
            exempt=np.fromiter((bool(m.exempt) for m in ordered), bool, n),
            attributes={f: _attribute(ordered, f) for f in ATTRIBUTES},
        )

    def served_too_little(self, period: Period, min_days: int) -> Bools:
        """Members who served fewer than ``min_days`` days of ``period`` (``_exemption``'s arithmetic)."""
        start = np.maximum(self.joined, period.start.toordinal())
        end = np.minimum(self.left, period.end.toordinal())
        served = np.maximum(0, end - start + 1)
        result: Bools = served < min_days
        return result

    def combinations(self, fields: Sequence[str]) -> tuple[Ints, Ints]:
        """Each member's code of its distinct (``fields``…, roles) combination, and one
        representative member row per combination."""
        key, bound = self.profile.astype(np.int64), len(self.profiles)
        for f in fields:
            codes, values = self.attributes[f]
            if bound * (len(values) + 1) >= 2**62:  # keep the combined key inside int64
                _, key = np.unique(key, return_inverse=True)
                bound = len(self)
            key, bound = key * (len(values) + 1) + codes, bound * (len(values) + 1)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return inverse.reshape(-1).astype(np.int64), first.astype(np.int64)


def encode_members(members: Iterable[Member]) -> MemberColumns:
    """Encode members once, for several :func:`prepare` / :func:`score_batch` runs over them."""
    return MemberColumns.of(members)


def _codes(values: Sequence[object]) -> tuple[Ints, list[object]]:
    """Codes of ``values`` in order of first appearance, and the distinct values."""
    table: dict[object, int] = {}
    setdefault: Callable[[object, int], int] = table.setdefault
    codes = np.fromiter((setdefault(v, len(table)) for v in values), np.int64, len(values))
    return codes, list(table)


def _attribute(members: Sequence[Member], field: str) -> tuple[Ints, tuple[str | None, ...]]:
    codes, values = _codes([getattr(m, field) for m in members])
    return codes, tuple(values)  # type: ignore[arg-type]
