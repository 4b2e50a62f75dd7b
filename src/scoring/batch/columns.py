"""Records encoded once into columns of integer codes, for the vectorised batch path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from ..fixedpoint import SCALE, scaled
from ..models import ActivityRecord, Member
from ..vocabulary import Vocabulary

ABSENT = 0  # code of a missing (None) value
UNKNOWN = -1  # code of a value the vocabulary does not define
FIELDS = ("subtype", "status", "role", "level")
# Column dtypes: small codes compare and copy several times faster than int64.
DTYPES: dict[str, type[np.integer[Any]]] = {
    "member": np.int32, "kind": np.int16, "subtype": np.int16, "status": np.int16, "role": np.int16,
    "level": np.int16, "date": np.int32, "scored_on": np.int32,
}
MAX_CODES = 2**15 - 2  # values per field that an int16 code column holds
COMBINED_LIMIT = 2**22  # largest (kind, subtype, status, role, level) table built for screening
Codes = npt.NDArray[np.signedinteger[Any]]  # an integer column, narrowed to its DTYPES entry


@dataclass(frozen=True)
class Codebook:
    """Integer codes for every vocabulary value, and which codes each kind allows."""

    kinds: dict[str, int]
    values: dict[str, dict[str, int]]  # field → code → int (1-based; 0 = absent)
    flags: dict[str, int]  # flag → bit
    allowed: dict[str, npt.NDArray[np.bool_]]  # field → [kind, code] table
    allowed_flags: npt.NDArray[np.uint64]  # kind → mask of allowed flag bits

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> Codebook:
        """The codebook of ``vocabulary``."""
        kinds = {k: i for i, k in enumerate(vocabulary.kinds)}
        values: dict[str, dict[str, int]] = {}
        allowed: dict[str, npt.NDArray[np.bool_]] = {}
        if len(kinds) > MAX_CODES:
            raise ValueError(f"the batch path supports at most {MAX_CODES} record kinds")
        for field in FIELDS:
            codes = sorted({c for k in vocabulary.kinds for c in vocabulary.allowed(k, field)})  # type: ignore[arg-type]
            if len(codes) > MAX_CODES:
                raise ValueError(f"the batch path supports at most {MAX_CODES} values of {field}")
            values[field] = {c: i + 1 for i, c in enumerate(codes)}
            table = np.zeros((len(kinds), len(codes) + 1), dtype=bool)
            table[:, ABSENT] = True
            for kind, k in kinds.items():
                for code in vocabulary.allowed(kind, field):  # type: ignore[arg-type]
                    table[k, values[field][code]] = True
            allowed[field] = table
        flag_codes = sorted({f for k in vocabulary.kinds for f in vocabulary.allowed(k, "flags")})
        if len(flag_codes) > 64:
            raise ValueError("the batch path supports at most 64 distinct flags")
        flags = {f: i for i, f in enumerate(flag_codes)}
        allowed_flags = np.zeros(len(kinds), dtype=np.uint64)
        for kind, k in kinds.items():
            for f in vocabulary.allowed(kind, "flags"):
                allowed_flags[k] |= np.uint64(1 << flags[f])
        return cls(kinds, values, flags, allowed, allowed_flags)

    def mask(self, flags: Sequence[str]) -> int:
        """The bit mask of ``flags`` (unknown flags are ignored here; screening rejects them)."""
        return sum(1 << self.flags[f] for f in flags if f in self.flags)

    @cached_property
    def combined(self) -> npt.NDArray[np.bool_] | None:
        """Whether each (kind, subtype, status, role, level) is allowed, every axis indexed by
        code + 1 (slot 0: unknown); None when the table would be too large."""
        padded = []
        for field in FIELDS:
            table = self.allowed[field]
            pad = np.zeros((table.shape[0] + 1, table.shape[1] + 1), dtype=bool)
            pad[1:, 1:] = table
            padded.append(pad)
        shape = (len(self.kinds) + 1, *(t.shape[1] for t in padded))
        if int(np.prod(shape)) > COMBINED_LIMIT:
            return None
        out = np.ones(shape, dtype=bool)
        for axis, pad in enumerate(padded, start=1):
            view = [1] * len(shape)
            view[0], view[axis] = pad.shape
            out &= pad.reshape(view)
        return out


@dataclass(frozen=True)
class RecordColumns:
    """Every input record as one row of integer columns; ``records`` keeps the originals so a
    member's full explanation can be built on demand."""

    records: Sequence[ActivityRecord]
    ids: Sequence[str]
    member: Codes
    kind: Codes
    subtype: Codes
    status: Codes
    role: Codes
    level: Codes
    flags: npt.NDArray[np.unsignedinteger[Any]]  # bit masks, narrowed to the bits in use
    flags_unknown: npt.NDArray[np.bool_]
    signers: npt.NDArray[np.int64]
    quantity: npt.NDArray[np.int64]
    quantity_exact: npt.NDArray[np.bool_]
    date: Codes
    scored_on: Codes
    deleted: npt.NDArray[np.bool_]
    same_as: dict[int, str]
    repeated_ids: frozenset[str]  # ids carried by more than one record
    linked: tuple[int, ...]  # records on a same_as chain (with a link, or linked to)
    checked_against: Vocabulary | None = None  # every code already checked for its kind under this (columnar reading)

    def __post_init__(self) -> None:
        """Narrow the integer columns to :data:`DTYPES`, and the flag bits to the smallest
        unsigned type that holds them (a copy only when given wider ones)."""
        for name, dtype in DTYPES.items():
            column = getattr(self, name)
            if column.dtype != dtype:
                object.__setattr__(self, name, column.astype(dtype))
        narrow = unsigned_for(int(self.flags.max()).bit_length() if len(self.flags) else 0)
        if self.flags.dtype != narrow:
            object.__setattr__(self, "flags", self.flags.astype(narrow))

    def __len__(self) -> int:
        return len(self.ids)


def encode(records: Sequence[ActivityRecord], member_index: dict[str, int], book: Codebook) -> RecordColumns:
    """Encode validated records into columns (one pass per column)."""
    n = len(records)

    def codes(values: list[str | None], table: dict[str, int]) -> Codes:
        return np.fromiter(
            (ABSENT if v is None else table.get(v, UNKNOWN) for v in values), dtype=np.int16, count=n
        )

    # A kind is never absent, so its codes start at 0 (no ABSENT code).
    kinds = np.fromiter((book.kinds.get(r.kind, UNKNOWN) for r in records), dtype=np.int16, count=n)
    flag_lists = [r.flags for r in records]
    ids = [r.id for r in records]
    same_as = {i: r.same_as for i, r in enumerate(records) if r.same_as is not None}
    repeated: frozenset[str] = frozenset()
    if len(set(ids)) != n:
        repeated = frozenset(rid for rid, k in Counter(ids).items() if k > 1)
    involved = {ids[i] for i in same_as} | set(same_as.values())
    linked = tuple(positions(ids, involved)) if involved else ()
    quantities = [r.quantity for r in records]
    q_scaled = [scaled(q) if q != 1 else SCALE for q in quantities]
    return RecordColumns(
        records=records,
        ids=ids,
        member=np.fromiter((member_index.get(r.member_id, -1) for r in records), dtype=np.int32, count=n),
        kind=kinds,
        subtype=codes([r.subtype for r in records], book.values["subtype"]),
        status=codes([r.status for r in records], book.values["status"]),
        role=codes([r.role for r in records], book.values["role"]),
        level=codes([r.level for r in records], book.values["level"]),
        flags=np.fromiter((book.mask(f) if f else 0 for f in flag_lists), dtype=np.uint64, count=n),
        flags_unknown=np.fromiter(
            (bool(f) and any(x not in book.flags for x in f) for f in flag_lists), dtype=bool, count=n
        ),
        signers=np.fromiter((r.signers for r in records), dtype=np.int64, count=n),
        quantity=np.fromiter((q if q is not None else 0 for q in q_scaled), dtype=np.int64, count=n),
        quantity_exact=np.fromiter((q is not None for q in q_scaled), dtype=bool, count=n),
        date=np.fromiter((r.date.toordinal() for r in records), dtype=np.int32, count=n),
        scored_on=np.fromiter(
            (r.scored_on.toordinal() if r.scored_on else -1 for r in records), dtype=np.int32, count=n
        ),
        deleted=np.fromiter((r.deleted for r in records), dtype=bool, count=n),
        same_as=same_as,
        repeated_ids=repeated,
        linked=linked,
    )


def unsigned_for(bits: int) -> type[np.unsignedinteger[Any]]:
    """The smallest unsigned integer type that holds ``bits`` flag bits."""
    return next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if bits <= np.iinfo(t).bits)


def strings_at(strings: Sequence[str], rows: list[int]) -> list[str]:
    """``[strings[i] for i in rows]``, in one call where the sequence offers one (ids read from a
    file stay in an Arrow array, where one element at a time is slow)."""
    take = getattr(strings, "take_list", None)
    return list(take(rows)) if take is not None else [strings[i] for i in rows]


def positions(ids: Sequence[str], wanted: set[str] | frozenset[str]) -> list[int]:
    """Indices of the records whose id is in ``wanted`` (one pass, filtered at C level)."""
    flags = np.fromiter(map(wanted.__contains__, ids), dtype=bool, count=len(ids))
    return np.flatnonzero(flags).tolist()


def member_index(members: Sequence[Member]) -> dict[str, int]:
    """Member id → position in id order (the order of every per-member array)."""
    return {m: i for i, m in enumerate(sorted(m.id for m in members))}
