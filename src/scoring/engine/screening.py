"""Screening: every input record is accepted, ignored with a reason, or rejected with a reason.

Screening is independent of record order: records are processed sorted by id, duplicate ids
are resolved by content, and ``same_as`` links keep exactly one record of each pair.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ..models import ActivityRecord, Member, Period, RecordOutcome
from ..models.accounting import reason_label
from ..models.trusted import trusted
from ..ruleset import RuleSet
from ..text import Text, t

Settled = Literal["ignored", "rejected"]


def reason(code: str, detail: str | None = None) -> Text:
    """The bilingual reason for ``code``, optionally with a detail appended."""
    base = reason_label(code)
    if detail is None:
        return base
    return t(zh=f"{base.zh}：{detail}", en=f"{base.get('en')}: {detail}")


@dataclass
class Screening:
    """Accepted records per member, and the final outcome of every record not accepted."""

    accepted: dict[str, list[ActivityRecord]] = field(default_factory=lambda: defaultdict(list))
    outcomes: list[RecordOutcome] = field(default_factory=list)
    read: int = 0

    def settle(
        self, record: ActivityRecord, outcome: Settled, code: str, detail: str | None = None, *,
        why: Text | None = None, duplicate: int = 0,
    ) -> None:
        """Record a non-accepted outcome (``ignored`` or ``rejected``) for ``record`` (the
        ``duplicate``-th extra record carrying its id)."""
        self.outcomes.append(trusted(RecordOutcome,
            record_id=record.id, duplicate=duplicate, member_id=record.member_id, outcome=outcome,
            reason=why or reason(code, detail), reason_code=code, rules=(),
        ))


def screen(
    rule_set: RuleSet, members: Mapping[str, Member], records: Iterable[ActivityRecord], period: Period
) -> Screening:
    """Check each record against members, vocabulary, period and membership dates."""
    result = Screening()
    by_id: dict[str, list[ActivityRecord]] = defaultdict(list)
    for record in records:
        result.read += 1
        by_id[record.id].append(record)
    candidates: list[ActivityRecord] = []
    allowed = _allowed_codes(rule_set)
    for rid in sorted(by_id):
        copies = by_id[rid]
        if len(copies) > 1:
            # Copies are ordered by content, never by input position, so outcomes are order-free.
            copies = sorted(copies, key=lambda r: r.model_dump_json())
            if any(c != copies[0] for c in copies[1:]):
                # Conflicting copies: every copy is rejected; which one is right is unknowable.
                for n, copy in enumerate(copies):
                    result.settle(copy, "rejected", "duplicate_conflict", duplicate=n)
                continue
            for n, copy in enumerate(copies[1:], start=1):
                result.settle(copy, "ignored", "duplicate_identical", duplicate=n)
        first = copies[0]
        problem = _vocabulary_problem(allowed, first)
        if first.member_id not in members:
            result.settle(first, "rejected", "unknown_member", first.member_id)
        elif problem is not None:
            result.settle(first, "rejected", "unknown_code", why=problem)
        elif first.deleted:
            result.settle(first, "ignored", "deleted")
        else:
            when = _date_of(rule_set, first)
            member = members[first.member_id]
            if not (period.start <= when <= period.end):
                result.settle(first, "ignored", "outside_period", when.isoformat())
            elif when > period.cutoff:
                result.settle(first, "ignored", "after_as_of", when.isoformat())
            elif (member.joined and when < member.joined) or (member.left and when > member.left):
                result.settle(first, "ignored", "outside_membership", when.isoformat())
            else:
                candidates.append(first)
    _drop_same_as(result, candidates)
    return result


def _drop_same_as(result: Screening, candidates: list[ActivityRecord]) -> None:
    """Keep one record per item: following ``same_as`` links from any record reaches the kept
    one — the end of the chain, or the smallest id of a cycle (order-free by construction)."""
    ids = {r.id: r for r in candidates}
    for record in candidates:
        kept = _representative(record, ids)
        if kept.id == record.id:
            result.accepted[record.member_id].append(record)
        else:
            result.settle(record, "ignored", "same_as", why=t(
                zh=f"与记录 {kept.id} 为同一事项，只计一次", en=f"same item as record {kept.id}; counted once"
            ))


def _representative(record: ActivityRecord, ids: Mapping[str, ActivityRecord]) -> ActivityRecord:
    path: list[ActivityRecord] = [record]
    seen = {record.id}
    current = record
    while current.same_as is not None and current.same_as in ids:
        current = ids[current.same_as]
        if current.id in seen:  # a cycle: its smallest id is kept
            cycle = path[[r.id for r in path].index(current.id):]
            return min(cycle, key=lambda r: r.id)
        seen.add(current.id)
        path.append(current)
    return current


def _date_of(rule_set: RuleSet, record: ActivityRecord) -> dt.date:
    if rule_set.spec.policy.date_basis == "scoring" and record.scored_on is not None:
        return record.scored_on
    return record.date


_FIELDS = ("subtype", "status", "role", "level", "flags")


def _allowed_codes(rule_set: RuleSet) -> dict[str, dict[str, frozenset[str]]]:
    """kind → field → allowed codes, computed once per run."""
    vocab = rule_set.vocabulary
    return {
        kind: {name: frozenset(vocab.allowed(kind, name)) for name in _FIELDS}  # type: ignore[arg-type]
        for kind in vocab.kinds
    }


def _vocabulary_problem(allowed_by_kind: dict[str, dict[str, frozenset[str]]], record: ActivityRecord) -> Text | None:
    codes = allowed_by_kind.get(record.kind)
    if codes is None:
        return t(zh=f"未知的记录类型 '{record.kind}'", en=f"unknown record kind '{record.kind}'")
    for name in ("subtype", "status", "role", "level"):
        code = getattr(record, name)
        if code is not None and code not in codes[name]:
            allowed = sorted(codes[name])
            return t(
                zh=f"{record.kind} 记录的 {name} '{code}' 不在词表中（可用：{'、'.join(allowed) or '无'}）",
                en=f"{record.kind} {name} '{code}' is not in the vocabulary (allowed: {', '.join(allowed) or 'none'})",
            )
    flags = codes["flags"]
    for flag in record.flags:
        if flag not in flags:
            listed = sorted(flags)
            return t(
                zh=f"{record.kind} 记录的标记 '{flag}' 不在词表中（可用：{'、'.join(listed) or '无'}）",
                en=f"{record.kind} flag '{flag}' is not in the vocabulary (allowed: {', '.join(listed) or 'none'})",
            )
    return None
