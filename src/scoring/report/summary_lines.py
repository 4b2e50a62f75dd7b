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
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

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
    encode = json.encoder.encode_basestring
    ids = list(map(encode, member_ids))
    status = np.where(result.exempt, '"exempt"', '"assessed"').tolist()
    return "".join(map(
        _line, ids, status, _totals(result), _texts(result.grade), _texts(result.grade_by_score),
        _gates(result), _warnings(result), _ranks(result),
    ))


def _totals(result: BatchResult) -> list[str]:
    whole, part = np.divmod(result.total, SCALE)
    texts: list[str] = np.char.mod('"%d"', whole).tolist() if len(whole) else []
    for i in np.flatnonzero((part != 0) | ~result.known).tolist():
        texts[i] = decimal_text(result.total_of(i))
    for i in result.off_grid:
        texts[i] = decimal_text(result.total_of(i))
    return texts


def _texts(values: Iterable[str | None]) -> list[str]:
    cache: dict[str | None, str] = {}
    return [cache[v] if v in cache else cache.setdefault(v, _json(v)) for v in values]


def _combinations(states: np.ndarray, render: Callable[[tuple[int, ...]], str], base: int) -> list[str]:
    """One fragment per distinct row of ``states`` (members × columns of small non-negative ints
    below ``base``), taken for every member."""
    if states.shape[1] == 0:
        return [render(())] * states.shape[0]
    key = np.zeros(states.shape[0], dtype=np.int64)
    for j in range(states.shape[1]):
        key = key * base + states[:, j]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    fragments = [render(tuple(states[i].tolist())) for i in first.tolist()]
    return [fragments[k] for k in inverse.reshape(-1).tolist()]


def _gates(result: BatchResult) -> list[str]:
    names = list(result.gates)
    shape = (len(result.total), len(names))
    states = np.stack([result.gates[g] - _EXEMPT_GATE for g in names], axis=1) if names else np.zeros(shape, np.int64)

    def render(row: tuple[int, ...]) -> str:
        return _json({g: _STATE[s + _EXEMPT_GATE] for g, s in zip(names, row, strict=True) if s != 0})

    return _combinations(states, render, 4)


def _warnings(result: BatchResult) -> list[str]:
    names = sorted(result.warnings)
    shape = (len(result.total), len(names))
    fired = np.zeros(shape, np.int64)
    if names:
        fired = np.stack([result.warnings[w] for w in names], axis=1).astype(np.int64)

    def render(row: tuple[int, ...]) -> str:
        return _json([w for w, on in zip(names, row, strict=True) if on])

    return _combinations(fired, render, 2)


def _ranks(result: BatchResult) -> list[str]:
    groups = [f'{{"group":{_json(g)},"position":' for g in result.group_names]
    numbers = [str(k) for k in range(int(max(result.rank_of.max(initial=0), result.rank_position.max(initial=0))) + 1)]
    return [
        "null" if code < 0 else f'{groups[code]}{numbers[position]},"of":{numbers[of]}}}'
        for code, position, of in zip(
            result.rank_group_code.tolist(), result.rank_position.tolist(), result.rank_of.tolist(), strict=True
        )
    ]
