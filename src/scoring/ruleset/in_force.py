"""When a rule set is in force: its ``[rule_set] effective_from`` / ``effective_to`` dates.

A rule set is *in force for a period* when its effective dates contain the whole period
(both ends inclusive; a missing end is open). Scoring a period the dates do not contain is
allowed — a city may apply a method to the year it was adopted in — but it is reported:
:func:`period_problem` says how the period and the dates differ, and the command line prints it as
a warning (an error with ``--strict-dates``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..models import Period
from ..text import Lang


@dataclass(frozen=True)
class EffectiveDates:
    """The days a method is in force: ``start`` to ``end``, both inclusive, ``None`` = open."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of(cls, meta: Any) -> EffectiveDates:
        """The dates of a ``[rule_set]`` table (a parsed dict or a :class:`~.schema.Meta`);
        values that are not dates count as absent (schema validation reports them)."""
        if isinstance(meta, dict):
            start, end = meta.get("effective_from"), meta.get("effective_to")
        else:
            start, end = getattr(meta, "effective_from", None), getattr(meta, "effective_to", None)
        return cls(_date_or_none(start), _date_or_none(end))

    @property
    def open(self) -> bool:
        """True when no date is given: in force for every period."""
        return self.start is None and self.end is None

    def contains(self, period: Period) -> bool:
        """True when the whole period lies within these dates."""
        return (self.start is None or self.start <= period.start) and (self.end is None or period.end <= self.end)

    def overlaps(self, period: Period) -> bool:
        """True when the period and these dates share at least one day."""
        return (self.start is None or self.start <= period.end) and (self.end is None or period.start <= self.end)

    def text(self) -> str:
        """``2015-03-01 – 2023-12-31``, ``2015-03-01 –``, ``– 2023-12-31``; empty when open."""
        if self.open:
            return ""
        start = self.start.isoformat() if self.start else ""
        end = self.end.isoformat() if self.end else ""
        return f"{start} – {end}".strip()

    def described(self, lang: Lang) -> str:
        """The dates in words: ``自 2015-03-01 起施行`` / ``in force from 2015-03-01``."""
        zh = lang == "zh"
        if self.start and self.end:
            return f"施行期 {self.start} 至 {self.end}" if zh else f"in force {self.start} to {self.end}"
        if self.start:
            return f"自 {self.start} 起施行" if zh else f"in force from {self.start}"
        if self.end:
            return f"施行至 {self.end}" if zh else f"in force until {self.end}"
        return "无施行日期限制" if zh else "no effective dates"


def period_problem(rule_set_id: str, dates: EffectiveDates, period: Period) -> Problem | None:
    """What is wrong with scoring ``period`` under a rule set with ``dates`` (``None``: in force)."""
    if dates.contains(period):
        return None
    what = f"{period.start}~{period.end}"
    if not dates.overlaps(period):
        zh = f"考核期 {what} 不在规则集 {rule_set_id} 的施行期内（{dates.described('zh')}）"
        en = f"the period {what} is outside the effective dates of rule set {rule_set_id} ({dates.described('en')})"
    else:
        zh = f"考核期 {what} 只有一部分在规则集 {rule_set_id} 的施行期内（{dates.described('zh')}）"
        en = f"the period {what} is only partly within the effective dates of rule set {rule_set_id} " \
             f"({dates.described('en')})"
    return Problem(
        zh, en,
        hint="`scoring rule-sets` lists the dates of every version / `scoring rule-sets` 列出各版本的施行日期",
    )


def _date_or_none(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
