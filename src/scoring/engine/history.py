"""History: earlier periods' results, read back to drive multi-period escalation rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import InputError, Problem
from ..models import Period, ScoringResult


class HistoryEntry(BaseModel):
    """What later periods need to know of one member's earlier result."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    member_id: str
    period: Period
    total: Decimal | None
    grade: str | None
    gates_failed: tuple[str, ...] = ()
    counters: dict[str, int] = {}
    term: str | None = None


def entries_of(result: ScoringResult) -> tuple[HistoryEntry, ...]:
    """History entries for every assessed member of ``result``."""
    return tuple(
        HistoryEntry(
            member_id=c.member_id, period=result.period, total=c.total, grade=c.grade,
            gates_failed=tuple(g.id for g in c.gates if g.met is False), counters=dict(c.counters), term=c.term,
        )
        for c in result.scorecards
        if c.status == "assessed"
    )


def load_history(path: str | Path) -> tuple[HistoryEntry, ...]:
    """Read a JSON result written by ``scoring score --format json`` (or ``ScoringResult``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.one(
            "无法读取历史结果文件", "cannot read history file", file=str(path), found=str(exc)
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError.one(
            "历史结果文件不是 UTF-8 编码的 JSON", "history file is not UTF-8 JSON", file=str(path),
            expected="the JSON written by `scoring score --format json`", found=f"byte at offset {exc.start}",
        ) from None
    try:
        return entries_of(ScoringResult.model_validate_json(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError([Problem(
            "历史结果文件格式不正确", "history file is not a scoring JSON result", file=str(path),
            key=".".join(map(str, first["loc"])), found=first["msg"],
        )]) from None


class History:
    """Earlier results indexed by member and period end; a missing period is simply absent."""

    def __init__(self, items: Iterable[HistoryEntry | ScoringResult]) -> None:
        self._by_member: dict[str, dict[tuple[dt.date, dt.date], HistoryEntry]] = {}
        for item in items:
            for entry in entries_of(item) if isinstance(item, ScoringResult) else (item,):
                key = (entry.period.start, entry.period.end)
                self._by_member.setdefault(entry.member_id, {})[key] = entry

    def member_ids(self) -> list[str]:
        """Members with any earlier result."""
        return sorted(self._by_member)

    def has(self, member_id: str) -> bool:
        """True when any earlier result of ``member_id`` is known."""
        return member_id in self._by_member

    def previous(self, member_id: str, period: Period, n: int) -> list[HistoryEntry] | None:
        """The ``n`` contiguous periods just before ``period`` (latest first), or None if any is missing."""
        entries = self._by_member.get(member_id, {})
        by_end = {end: e for (_, end), e in entries.items()}
        out: list[HistoryEntry] = []
        start = period.start
        for _ in range(n):
            entry = by_end.get(start - dt.timedelta(days=1))
            if entry is None:
                return None
            out.append(entry)
            start = entry.period.start
        return out

    def in_term(self, member_id: str, term: str | None, before: dt.date) -> list[HistoryEntry]:
        """Earlier entries of the same term that ended before ``before``."""
        if term is None:
            return []
        return [
            e for (_, end), e in sorted(self._by_member.get(member_id, {}).items())
            if e.term == term and end < before
        ]
