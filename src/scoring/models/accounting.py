"""Records that were not counted, by reason: the one summary both engines give and the CLI prints.

A record of an unknown member is rejected and a deleted one ignored; a caller who only reads the
scorecards would never learn of them. :class:`AccountingSummary` says how many records were set
aside for each reason, with the first few of them, and :meth:`AccountingSummary.line` says it in
one line in Chinese or English. The reference engine's :meth:`scoring.models.Accounting.summary`
and the batch engine's :meth:`scoring.batch.BatchResult.accounting_summary` build the same
summary from the same records; ``scoring score/explain/compare`` print its line on standard error.

The reason labels (:data:`REASON_LABELS`) live here, below the engines, so that the result models
can word their own summary.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from ..text import Lang, Text, t

SetAside = Literal["ignored", "rejected"]

REASON_LABELS: Mapping[str, Text] = MappingProxyType({
    "duplicate_conflict": t(zh="记录编号重复且内容不同", en="duplicate record id with different content"),
    "duplicate_identical": t(zh="与同编号记录完全相同，只计一次", en="identical duplicate of another record"),
    "unknown_member": t(zh="委员编号不在委员名单中", en="member id not in the member list"),
    "deleted": t(zh="记录已删除（软删除）", en="soft-deleted record"),
    "outside_period": t(zh="日期不在考核期内", en="date outside the assessment period"),
    "after_as_of": t(zh="日期晚于截止日期", en="date after the as-of date"),
    "outside_membership": t(zh="日期不在该委员任职期间", en="date outside the member's membership"),
    "no_rule": t(zh="本规则集没有适用于此记录的规则或要求", en="no rule or requirement of this rule set applies"),
    "same_as": t(zh="与另一记录为同一事项，只计一次", en="same item as another record; counted once"),
    "unknown_code": t(zh="取值不在词表中", en="a value is not in the vocabulary"),
})
"""the general text of each reason code a record outcome carries"""

EXAMPLES = 3
"""records named per reason in a summary, by default"""


def reason_label(code: str) -> Text:
    """The general text of a reason code (the code itself for one this module does not know)."""
    return REASON_LABELS.get(code, t(zh=code, en=code))


@dataclass(frozen=True)
class ReasonCount:
    """The records set aside for one reason: how many, and the first few (smallest record ids)."""

    code: str
    outcome: SetAside
    count: int
    record_ids: tuple[str, ...]
    member_ids: tuple[str, ...]
    """the member id each of :attr:`record_ids` names (shown for ``unknown_member``)"""

    @property
    def label(self) -> Text:
        """What the reason means, e.g. 委员编号不在委员名单中 / member id not in the member list."""
        return reason_label(self.code)

    def text(self, lang: Lang) -> str:
        """'委员编号不在委员名单中 1 条（R026：委员 M999）' / 'member id not in the member list: 1 (R026:
        member M999)'; the record ids, then ``等`` / ``…`` when there are more."""
        zh = lang == "zh"
        if self.code == "unknown_member":
            shown = [f"{r}：委员 {m}" if zh else f"{r}: member {m}" for r, m in zip(
                self.record_ids, self.member_ids, strict=True)]
        else:
            shown = list(self.record_ids)
        more = len(self.record_ids) < self.count
        if zh:
            ids = f"（{'、'.join(shown)}{' 等' if more else ''}）" if shown else ""
            return f"{self.label.get(lang)} {self.count} 条{ids}"
        ids = f" ({', '.join(shown)}{', …' if more else ''})" if shown else ""
        return f"{self.label.get(lang)}: {self.count}{ids}"


@dataclass(frozen=True)
class AccountingSummary:
    """How many records were read and counted, and those set aside, reason by reason (rejected
    reasons first, then ignored ones; the most frequent first)."""

    read: int
    counted: int
    reasons: tuple[ReasonCount, ...]

    @classmethod
    def build(
        cls, read: int, counted: int, by_reason: Mapping[str, tuple[SetAside, int]],
        examples: Mapping[str, Iterable[tuple[str, str]]], limit: int = EXAMPLES,
    ) -> AccountingSummary:
        """From the count and outcome of each reason and its records as (record id, member id)
        pairs, of which the ``limit`` smallest distinct record ids are kept."""
        reasons = []
        for code, (outcome, count) in by_reason.items():
            if count == 0:
                continue
            first = first_records(examples.get(code, ()), limit)
            reasons.append(ReasonCount(code, outcome, count, tuple(r for r, _ in first), tuple(m for _, m in first)))
        reasons.sort(key=lambda r: (r.outcome != "rejected", -r.count, r.code))
        return cls(read=read, counted=counted, reasons=tuple(reasons))

    @property
    def rejected(self) -> int:
        """Records rejected (unknown member, unknown value, conflicting duplicate)."""
        return sum(r.count for r in self.reasons if r.outcome == "rejected")

    @property
    def ignored(self) -> int:
        """Records ignored by a policy of the rule set (deleted, outside the period …)."""
        return sum(r.count for r in self.reasons if r.outcome == "ignored")

    @property
    def everything_counted(self) -> bool:
        """True when no record was set aside."""
        return not self.reasons

    def rejected_ids(self) -> tuple[str, ...]:
        """The record ids named for the rejected reasons (the first few of each)."""
        return tuple(i for r in self.reasons if r.outcome == "rejected" for i in r.record_ids)

    def line(self, lang: Lang = "zh") -> str:
        """The summary in one line ('' when every record was counted), e.g. ``读取 28 条记录，计分 23
        条，拒绝 1 条，忽略 4 条。拒绝：委员编号不在委员名单中 1 条（R026：委员 M999）。忽略：…`` or
        ``28 records read, 23 counted, 1 rejected, 4 ignored. rejected: …``."""
        if self.everything_counted:
            return ""
        zh = lang == "zh"
        parts = [
            f"读取 {self.read} 条记录，计分 {self.counted} 条，拒绝 {self.rejected} 条，忽略 {self.ignored} 条。"
            if zh else f"{self.read} records read, {self.counted} counted, {self.rejected} rejected, "
                       f"{self.ignored} ignored."
        ]
        for outcome, name in (("rejected", "拒绝" if zh else "rejected"), ("ignored", "忽略" if zh else "ignored")):
            texts = [r.text(lang) for r in self.reasons if r.outcome == outcome]
            if texts:
                parts.append(f"{name}：{'；'.join(texts)}。" if zh else f"{name}: {' | '.join(texts)}.")
        return ("" if zh else " ").join(parts)


def first_records(pairs: Iterable[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """The (record id, member id) pairs of the ``limit`` smallest distinct record ids, in order."""
    distinct = dict(pairs)  # a repeated record id (duplicates) is named once
    return [(r, distinct[r]) for r in first_ids(distinct, limit)]


def first_ids(ids: Iterable[str], limit: int) -> list[str]:
    """The ``limit`` smallest distinct ids, in order (one pass: a national file's millions of
    ignored records are never sorted whole; only when the smallest repeat is a set made)."""
    ids = ids if isinstance(ids, (list, tuple, set, dict)) else list(ids)
    smallest = heapq.nsmallest(limit, ids)
    distinct = list(dict.fromkeys(smallest))
    return distinct if len(distinct) == len(smallest) else heapq.nsmallest(limit, set(ids))
