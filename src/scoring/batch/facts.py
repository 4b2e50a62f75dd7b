"""Per-member tallies of every measure, computed for all members at once.

A measure's records are found with vectorised masks over the code columns; their weights are
exact fixed-point integers; ``numpy.bincount`` sums them per member. A member with a record
whose weight is unknown (unpublished) or not exact at 10⁻⁶ is marked *irregular* and scored by
the reference path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..fixedpoint import SCALE, Ints, ratio
from ..rules.base import Measure, SplitParams, Weight
from ..selectors import Selector
from .columns import ABSENT, Codebook, RecordColumns

Bools = npt.NDArray[np.bool_]
_EXACT_FLOAT = 2**52
_FEW = 6  # up to this many wanted codes, equality tests beat a lookup table


@dataclass(frozen=True)
class BatchTally:
    """One measure for every member: record counts, scaled value sums, and irregular members."""

    count: Ints
    value: Ints
    irregular: Bools
    records: Bools  # which records matched (for the accounting)


def selector_mask(sel: Selector, cols: RecordColumns, book: Codebook) -> Bools:
    """Records matching ``sel`` (vectorised form of :meth:`Selector.matches`)."""
    kind = book.kinds.get(sel.kind)
    if kind is None:
        return np.zeros(len(cols), dtype=bool)
    mask = cols.kind == kind
    for field in ("subtype", "status", "role", "level"):
        wanted = getattr(sel, field)
        if wanted is None:
            continue
        table = book.values[field]
        codes = sorted({table[c] for c in wanted if c in table})
        if field == "role" and "sole" in wanted:
            codes.insert(0, ABSENT)  # a record without a role counts as sole
        mask &= _one_of(getattr(cols, field), codes, len(table))
    flag, held = cols.flags.dtype.type, int(np.iinfo(cols.flags.dtype).max)  # bits the column can hold
    if sel.flags:
        need = book.mask(sel.flags)
        mask &= (cols.flags & flag(need & held)) == need if need <= held else False
    if sel.not_flags:
        mask &= (cols.flags & flag(book.mask(sel.not_flags) & held)) == 0
    result: Bools = mask
    return result


def _one_of(column: npt.NDArray[np.signedinteger[Any]], codes: list[int], size: int) -> Bools:
    """``column`` ∈ ``codes``: a few equality tests on the small code column (much faster than a
    table lookup, which widens the index), or a lookup for long lists."""
    if len(codes) > _FEW:
        lookup = np.zeros(size + 2, dtype=bool)  # slot -1 (unknown code) stays False
        lookup[codes] = True
        found: Bools = lookup[column]
        return found
    if not codes:
        return np.zeros(len(column), dtype=bool)
    found = column == codes[0]
    for c in codes[1:]:
        found |= column == c
    return found


def tally(
    measure: Measure, cols: RecordColumns, accepted: Bools, n_members: int, book: Codebook,
    cache: dict[Selector, Bools] | None = None,
) -> BatchTally:
    """The tally of ``measure`` over the accepted records, per member."""
    if cache is not None and measure.selector in cache:
        mask = cache[measure.selector]
    else:
        mask = selector_mask(measure.selector, cols, book) & accepted
        if cache is not None:
            cache[measure.selector] = mask
    members = cols.member[mask]
    count: Ints = np.bincount(members, minlength=n_members)
    weight = measure.weight
    if weight == Weight():
        return BatchTally(count, count * SCALE, np.zeros(n_members, dtype=bool), mask)
    values, ok = _weights(weight, cols, mask, book)
    irregular = np.zeros(n_members, dtype=bool)
    irregular[members[~ok]] = True
    values = np.where(ok, values, 0)
    if np.abs(values).sum() < _EXACT_FLOAT:
        sums = np.rint(np.bincount(members, weights=values.astype(np.float64), minlength=n_members))
        value = sums.astype(np.int64)
    else:
        value = np.zeros(n_members, dtype=np.int64)
        np.add.at(value, members, values)
    return BatchTally(count, value, irregular, mask)


def _weights(weight: Weight, cols: RecordColumns, mask: Bools, book: Codebook) -> tuple[Ints, Bools]:
    """Scaled weights of the matching records, and which of them are known and exact."""
    if weight.unit == "quantity":
        values = cols.quantity[mask].copy()
        ok = cols.quantity_exact[mask].copy()
    else:
        values = np.full(int(mask.sum()), SCALE, dtype=np.int64)
        ok = np.ones(values.shape, dtype=bool)
    if weight.table_field is not None:
        num, den = _table(weight, book)
        codes = getattr(cols, weight.table_field)[mask]
        n, d = num[codes], den[codes]
        ok &= d > 0
        values, ok = _scale(values, n, np.where(d > 0, d, 1), ok)
    if weight.split is not None:
        n, d, known = _shares(weight.split, cols, mask, book)
        values, ok = _scale(values, n, d, ok & known)
    return values, ok


def _scale(values: Ints, num: Ints, den: Ints, ok: Bools) -> tuple[Ints, Bools]:
    product = values * num
    quotient, remainder = np.divmod(product, den)
    safe = np.abs(values) < 2**62 // np.maximum(np.abs(num), 1)
    return quotient, ok & (remainder == 0) & safe


def _table(weight: Weight, book: Codebook) -> tuple[Ints, Ints]:
    """Per-code numerator/denominator of a points table (denominator 0 = not published)."""
    field = weight.table_field
    assert field is not None
    codes = book.values[field]
    num = np.zeros(len(codes) + 1, dtype=np.int64)
    den = np.zeros(len(codes) + 1, dtype=np.int64)
    for code, points in weight.table:
        slot = codes.get(code)
        if slot is not None:
            num[slot], den[slot] = ratio(points)
    if field == "role" and "sole" in codes:
        num[ABSENT], den[ABSENT] = num[codes["sole"]], den[codes["sole"]]
    return num, den


def _shares(split: SplitParams, cols: RecordColumns, mask: Bools, book: Codebook) -> tuple[Ints, Ints, Bools]:
    """Each matching record's co-author share as numerator/denominator (see ``share_of``)."""
    roles = book.values["role"]
    role = cols.role[mask]
    signers = cols.signers[mask]
    n = np.ones(role.shape, dtype=np.int64)
    d = np.ones(role.shape, dtype=np.int64)
    known = np.ones(role.shape, dtype=bool)
    fp, fq = ratio(split.first)
    several = signers > 1
    collective = role == roles.get("collective_main", -9)
    sole = (role == ABSENT) | (role == roles.get("sole", -9))
    first = several & (role == roles.get("first", -9))
    n[first], d[first] = fp, fq
    co = several & ~sole & ~first & ~collective  # any other role on a co-signed item
    if isinstance(split.co, str):  # rest_equal: (1 - first) / (signers - 1)
        n[co] = fq - fp
        d[co] = fq * (signers[co] - 1)
    else:
        cp, cq = ratio(split.co)
        n[co], d[co] = cp, cq
    if split.collective_main is None:
        known &= ~collective
    else:
        cp, cq = ratio(split.collective_main)
        n[collective], d[collective] = cp, cq
    return n, d, known
