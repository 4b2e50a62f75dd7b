"""Vectorised screening: one outcome code per record, with exactly the reference path's rules
(see :mod:`scoring.engine.screening`); the rare cases (duplicate ids, ``same_as`` links) are
settled by the reference functions themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..engine.screening import _representative
from ..models import Period
from ..ruleset import RuleSet
from .columns import FIELDS, UNKNOWN, Codebook, RecordColumns, positions, strings_at
from .members import MemberColumns

# Outcome codes. 0 = accepted so far; the engine later turns it into counted or no_rule.
REASONS = (
    "accepted", "counted", "no_rule", "deleted", "outside_period", "after_as_of", "outside_membership",
    "same_as", "duplicate_identical", "duplicate_conflict", "unknown_member", "unknown_code",
)
CODE = {name: i for i, name in enumerate(REASONS)}
REJECTED = frozenset({"duplicate_conflict", "unknown_member", "unknown_code"})


@dataclass(frozen=True)
class BatchScreening:
    """Outcome code per record and, for duplicated ids, each record's duplicate index."""

    code: npt.NDArray[np.int8]
    duplicate: dict[int, int]
    same_as_target: dict[int, str]

    @property
    def accepted(self) -> npt.NDArray[np.bool_]:
        """Records that reach scoring."""
        accepted: npt.NDArray[np.bool_] = self.code == 0
        return accepted


def screen(
    rule_set: RuleSet, roster: MemberColumns, cols: RecordColumns, book: Codebook, period: Period
) -> BatchScreening:
    """Screen every record (vectorised), in the reference path's order of checks."""
    code = np.zeros(len(cols), dtype=np.int8)

    def settle(mask: npt.NDArray[np.bool_], reason: str) -> None:
        code[mask & (code == 0)] = CODE[reason]

    duplicate = _duplicates(cols, code)
    settle(cols.member < 0, "unknown_member")
    checked = cols.checked_against
    if checked is None or not (checked is rule_set.vocabulary or checked == rule_set.vocabulary):
        settle(_unknown_codes(cols, book), "unknown_code")
    settle(cols.deleted, "deleted")
    when = cols.date
    if rule_set.spec.policy.date_basis == "scoring":
        when = np.where(cols.scored_on >= 0, cols.scored_on, cols.date)
    settle((when < period.start.toordinal()) | (when > period.end.toordinal()), "outside_period")
    settle(when > period.cutoff.toordinal(), "after_as_of")
    settle(_outside_membership(roster, cols, when, period), "outside_membership")
    same_as_target = _same_as(cols, code)
    return BatchScreening(code, duplicate, same_as_target)


def _outside_membership(
    roster: MemberColumns, cols: RecordColumns, when: npt.NDArray[np.signedinteger[Any]], period: Period
) -> npt.NDArray[np.bool_]:
    """Records dated outside their member's membership; only members who joined or left within
    the period are looked at (records outside the period are settled already)."""
    cut = (roster.joined > period.start.toordinal()) | (roster.left < period.end.toordinal())
    outside = np.zeros(len(cols), dtype=bool)
    if not cut.any():
        return outside
    # np.take: indexing with a narrow int array is slower (it widens the index first)
    rows = np.flatnonzero(np.take(np.append(cut, False), cols.member))  # member -1 → False
    member = cols.member[rows]
    outside[rows] = (when[rows] < roster.joined[member]) | (when[rows] > roster.left[member])
    return outside


def _unknown_codes(cols: RecordColumns, book: Codebook) -> npt.NDArray[np.bool_]:
    """Records with a code their kind does not allow: one lookup of the combined code when the
    vocabulary is small enough, else one lookup per field."""
    table = book.combined
    if table is None:
        return _unknown_codes_by_field(cols, book)
    key: npt.NDArray[np.signedinteger[Any]] = cols.kind.astype(np.int32 if table.size < 2**31 else np.intp)
    key += 1
    for field, width in zip(FIELDS, table.shape[1:], strict=True):
        key *= width
        key += getattr(cols, field)
        key += 1
    bad: npt.NDArray[np.bool_] = ~np.take(table.reshape(-1), key)
    bad |= cols.flags_unknown
    flagged = np.flatnonzero(cols.flags)
    if len(flagged):
        kind = cols.kind[flagged]
        allowed = book.allowed_flags[np.where(kind == UNKNOWN, 0, kind)]
        bad[flagged] |= (cols.flags[flagged] & ~allowed) != 0
    return bad


def _unknown_codes_by_field(cols: RecordColumns, book: Codebook) -> npt.NDArray[np.bool_]:
    bad = cols.kind == UNKNOWN
    kind = np.where(bad, 0, cols.kind)
    for field in FIELDS:
        values = getattr(cols, field)
        table = book.allowed[field]
        bad |= values == UNKNOWN
        bad |= ~table[kind, np.where(values == UNKNOWN, 0, values)]
    bad |= cols.flags_unknown
    bad |= (cols.flags & ~book.allowed_flags[kind]) != 0
    result: npt.NDArray[np.bool_] = bad
    return result


def _duplicates(cols: RecordColumns, code: npt.NDArray[np.int8]) -> dict[int, int]:
    """Settle copies of duplicated ids as the reference path does (ordered by content)."""
    duplicate: dict[int, int] = {}
    if not cols.repeated_ids:
        return duplicate
    groups: dict[str, list[int]] = {}
    for i in positions(cols.ids, cols.repeated_ids):
        groups.setdefault(cols.ids[i], []).append(i)
    for indices in groups.values():
        ordered = sorted(indices, key=lambda i: cols.records[i].model_dump_json())
        first = cols.records[ordered[0]]
        conflict = any(cols.records[i] != first for i in ordered[1:])
        for n, i in enumerate(ordered):
            duplicate[i] = n
            if conflict:
                code[i] = CODE["duplicate_conflict"]
            elif n:
                code[i] = CODE["duplicate_identical"]
    return duplicate


def _same_as(cols: RecordColumns, code: npt.NDArray[np.int8]) -> dict[int, str]:
    """Keep one record per item exactly as the reference path does; returns index → kept id."""
    if not cols.same_as:
        return {}
    # Only records on some same_as chain matter: those with a link and those linked to.
    linked = np.array(cols.linked, dtype=np.intp)
    rows = linked[code[linked] == 0].tolist()
    index = dict(zip(strings_at(cols.ids, rows), rows, strict=True))
    linking = np.fromiter(cols.same_as, dtype=np.intp, count=len(cols.same_as))
    kept: dict[int, str] = {}
    chains = []
    for i in linking[code[linking] == 0].tolist():
        j = index.get(cols.same_as[i])
        if j is not None and j not in cols.same_as:
            kept[i] = cols.same_as[i]  # the common case: a link to a record that links nowhere
        else:
            chains.append(i)
    if chains:  # longer chains, cycles, dangling links: the reference function decides
        candidates = {rid: cols.records[j] for rid, j in index.items()}
        for i in chains:
            record = cols.records[i]
            rep = _representative(record, candidates)
            if rep.id != record.id:
                kept[i] = rep.id
    code[np.fromiter(kept, dtype=np.intp, count=len(kept))] = CODE["same_as"]
    return kept
