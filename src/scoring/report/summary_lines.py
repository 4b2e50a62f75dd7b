"""Member summaries as JSON Lines: one object per member, in member-id order.

Each line holds what a portal lists for everyone — ``member_id``, ``status``, ``total`` (a
decimal string, as in the JSON result),
``grade``, ``grade_by_score``, ``gates`` (id → true / false / null when undecided),
``warnings`` (sorted rule ids) and ``rank`` (group, position, of) — written identically from a
reference :class:`~scoring.models.ScoringResult` or from a batch result. The batch writer builds
repeated fragments (grades, gate and warning combinations) once, so a national run of 650,000
members writes in well under a second.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..fixedpoint import SCALE
from ..models import ScoringResult

if TYPE_CHECKING:
    from ..batch import BatchResult

_EXEMPT_GATE = -2  # a gate state the batch result gives exempt members (no gates at all)
_STATE = {1: True, 0: False, -1: None}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decimal_text(value: Decimal | None) -> str:
    """A total as the JSON result writes it: a decimal string, exact, without exponent or
    trailing zeros (``null`` when not computable)."""
    if value is None:
        return "null"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return '"0"' if text in ("-0", "") else f'"{text}"'



def _line(
    member_id: str, status: str, total: str, grade: str, by_score: str, gates: str, warnings: str, rank: str
) -> str:
    return (
        f'{{"member_id":{member_id},"status":{status},"total":{total},"grade":{grade},'
        f'"grade_by_score":{by_score},"gates":{gates},"warnings":{warnings},"rank":{rank}}}\n'
    )


def result_lines(result: ScoringResult) -> str:
    """The summaries of a reference result (scorecards sorted by member id)."""
    out = []
    for card in sorted(result.scorecards, key=lambda c: c.member_id):
        rank = "null"
        if card.rank is not None:
            rank = _json({"group": card.rank.group, "position": card.rank.position, "of": card.rank.of})
        out.append(_line(
            _json(card.member_id), _json(card.status), decimal_text(card.total), _json(card.grade),
            _json(card.grade_by_score), _json({g.id: g.met for g in card.gates}),
            _json(sorted(w.rule_id for w in card.warnings)), rank,
        ))
    return "".join(out)


def batch_lines(result: BatchResult, member_ids: Sequence[str]) -> str:
    """The summaries of a batch result; ``member_ids`` are its members in id order."""
    return "".join(batch_chunks(result, member_ids))


def batch_chunks(result: BatchResult, member_ids: Sequence[str], chunk: int = 4096) -> Iterator[str]:
    """:func:`batch_lines`, ``chunk`` lines at a time (written as they come, a national output is
    never held in memory whole).

    Everything between the member id and the rank takes few distinct forms (totals, grades,
    gate and warning combinations), so each distinct middle part is rendered once."""
    n = len(result.total)
    parts = [
        _Part(result.exempt.astype(np.int64), ['"status":"assessed",', '"status":"exempt",']),
        _totals(result), _texts(result.grade, "grade"), _texts(result.grade_by_score, "grade_by_score"),
        _gates(result), _warnings(result),
    ]
    key = np.zeros(n, dtype=np.int64)
    for part in parts:
        if int(key.max(initial=0)) * len(part.fragments) > 2**62:  # keep the key inside int64
            key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
        key = key * len(part.fragments) + part.codes
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    middles = ["".join(p.fragments[int(p.codes[i])] for p in parts) for i in first.tolist()]
    encode = json.encoder.encode_basestring
    groups = [f'{{"group":{_json(g)},"position":' for g in result.group_names]
    top = int(max(result.rank_of.max(initial=0), result.rank_position.max(initial=0)))
    numbers = [str(k) for k in range(top + 1)]
    inverse = inverse.reshape(-1)
    for start in range(0, n, chunk):
        end = min(n, start + chunk)
        rows = zip(map(encode, member_ids[start:end]), inverse[start:end].tolist(),
                   result.rank_group_code[start:end].tolist(), result.rank_position[start:end].tolist(),
                   result.rank_of[start:end].tolist(), strict=True)
        yield "".join([
            f'{{"member_id":{m},{middles[k]}"rank":null}}\n' if g < 0
            else f'{{"member_id":{m},{middles[k]}"rank":{groups[g]}{numbers[p]},"of":{numbers[o]}}}}}\n'
            for m, k, g, p, o in rows
        ])


@dataclass(frozen=True)
class _Part:
    """One field of every line: a code per member into the distinct rendered fragments."""

    codes: npt.NDArray[np.int64]
    fragments: list[str]


def _totals(result: BatchResult) -> _Part:
    whole, part = np.divmod(result.total, SCALE)
    distinct, inverse = np.unique(whole, return_inverse=True)
    fragments = [f'"total":"{w}",' for w in distinct.tolist()]
    codes = inverse.reshape(-1).astype(np.int64)
    special = set(np.flatnonzero((part != 0) | ~result.known).tolist()) | set(result.off_grid)
    for i in sorted(special):  # fractions, off-grid and unknown totals: each its own fragment
        codes[i] = len(fragments)
        fragments.append(f'"total":{decimal_text(result.total_of(i))},')
    return _Part(codes, fragments)


def _texts(values: Sequence[str | None], name: str) -> _Part:
    table = {v: i for i, v in enumerate(dict.fromkeys(values))}  # first-seen order
    codes = np.fromiter(map(table.__getitem__, values), dtype=np.int64, count=len(values))
    return _Part(codes, [f'"{name}":{_json(v)},' for v in table])


def _combinations(states: np.ndarray, render: Callable[[tuple[int, ...]], str], base: int) -> _Part:
    """One fragment per distinct row of ``states`` (members × columns of small non-negative ints
    below ``base``)."""
    if states.shape[1] == 0:
        return _Part(np.zeros(states.shape[0], dtype=np.int64), [render(())])
    key = np.zeros(states.shape[0], dtype=np.int64)
    for j in range(states.shape[1]):
        key = key * base + states[:, j]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return _Part(inverse.reshape(-1).astype(np.int64), [render(tuple(states[i].tolist())) for i in first.tolist()])


def _gates(result: BatchResult) -> _Part:
    names = list(result.gates)
    shape = (len(result.total), len(names))
    states = np.stack([result.gates[g] - _EXEMPT_GATE for g in names], axis=1) if names else np.zeros(shape, np.int64)

    def render(row: tuple[int, ...]) -> str:
        gates = {g: _STATE[s + _EXEMPT_GATE] for g, s in zip(names, row, strict=True) if s != 0}
        return f'"gates":{_json(gates)},'

    return _combinations(states, render, 4)


def _warnings(result: BatchResult) -> _Part:
    names = sorted(result.warnings)
    shape = (len(result.total), len(names))
    fired = np.zeros(shape, np.int64)
    if names:
        fired = np.stack([result.warnings[w] for w in names], axis=1).astype(np.int64)

    def render(row: tuple[int, ...]) -> str:
        return '"warnings":' + _json([w for w, on in zip(names, row, strict=True) if on]) + ","

    return _combinations(fired, render, 2)
