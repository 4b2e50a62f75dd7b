"""Data-driven acceptance cases: members and records in, totals, grades, gates, warnings out.

A case file (``*.cases.toml``) names a rule set and lists cases; rule authors write data, not
test code. The pytest plugin in :mod:`scoring.testing.pytest_plugin` collects these files.
Importing this module never imports hypothesis.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..engine import HistoryEntry, score
from ..errors import Problem, RuleSetError
from ..models import ActivityRecord, Member, Period, Scorecard
from ..rules.base import fmt
from ..ruleset import RuleSet, load_rule_set
from ..ruleset.validation import problems_from

Number = Decimal | int | float | str

_STRICT = ConfigDict(frozen=True, extra="forbid")


class PeriodSpec(BaseModel):
    """``{ year = 2019 }`` or ``{ start = …, end = …, as_of = … }``."""

    model_config = _STRICT

    year: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    as_of: dt.date | None = None

    def build(self) -> Period:
        """The :class:`Period` described."""
        if self.year is not None:
            return Period.year(self.year, as_of=self.as_of)
        if self.start is None or self.end is None:
            raise ValueError("a period needs year, or start and end")
        return Period(start=self.start, end=self.end, as_of=self.as_of)


class HistorySpec(BaseModel):
    """An earlier period's result for the case's member."""

    model_config = _STRICT

    period: PeriodSpec
    total: Decimal | None = None
    grade: str | None = None
    gates_failed: tuple[str, ...] = ()
    counters: dict[str, int] = Field(default_factory=dict)
    term: str | None = None


class Expect(BaseModel):
    """What the case asserts; keys left out are not checked. ``total = "not_computable"`` is allowed."""

    model_config = _STRICT

    total: Decimal | str | None = None
    grade: str | None = None
    grade_by_score: str | None = None
    categories: dict[str, Decimal | str] = Field(default_factory=dict)
    lines: dict[str, Decimal | str] = Field(default_factory=dict)
    gates: dict[str, bool | Literal["not_computable"]] = Field(default_factory=dict)
    warnings: tuple[str, ...] | None = Field(default=None, description="exact set of warning rule ids")
    actions: tuple[str, ...] | None = Field(default=None, description="exact list of warning actions")
    eligible: tuple[str, ...] | None = None
    status: str | None = None


class Case(BaseModel):
    """One worked example."""

    model_config = _STRICT

    id: str
    description: str = ""
    period: PeriodSpec | None = None
    member: dict[str, Any] = Field(default_factory=dict)
    records: tuple[dict[str, Any], ...] = ()
    history: tuple[HistorySpec, ...] = ()
    expect: Expect


class CaseFile(BaseModel):
    """A file of cases for one rule set."""

    model_config = _STRICT

    rule_set: str = Field(description="a rule-set id, or a .toml path relative to the case file")
    period: PeriodSpec = PeriodSpec(year=2024)
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class CaseOutcome:
    """The result of running one case: the scorecard and every mismatch found."""

    case: Case
    scorecard: Scorecard
    mismatches: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when nothing differed from the expectation."""
        return not self.mismatches


def load_case_file(path: Path) -> CaseFile:
    """Parse and validate a case file (errors name the file and key path)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError.one("TOML 语法错误", "TOML syntax error", file=str(path), found=str(exc)) from None
    try:
        return CaseFile.model_validate(data)
    except ValidationError as exc:
        raise RuleSetError(problems_from(exc, file=str(path), data=data, model=CaseFile)) from None


def resolve_rule_set(
    ref: str, base_dir: Path, by_id: Callable[[str], RuleSet] | None = None
) -> RuleSet:
    """A case file's rule set: a path relative to the case file, or an id through ``by_id``."""
    if ref.endswith(".toml") or "/" in ref:
        return load_rule_set(base_dir / ref)
    if by_id is None:
        raise RuleSetError([Problem(
            f"无法解析规则集 '{ref}'", f"cannot resolve rule set '{ref}'", key="rule_set",
            hint="give a .toml path relative to the case file, or install the plugin providing it",
        )])
    return by_id(ref)


def build_inputs(case: Case, period: Period) -> tuple[Member, list[ActivityRecord], list[HistoryEntry]]:
    """The member, records and history a case describes (``count = N`` repeats a record)."""
    member = Member.model_validate({"id": "m1", **case.member})
    records: list[ActivityRecord] = []
    for i, spec in enumerate(case.records, start=1):
        spec = dict(spec)
        count = int(spec.pop("count", 1))
        for j in range(1, count + 1):
            data = {"id": spec.get("id", f"r{i:03d}-{j:03d}"), "member_id": member.id, "date": period.start, **spec}
            if count > 1 and "id" in spec:
                data["id"] = f"{spec['id']}-{j}"
            records.append(ActivityRecord.model_validate(data))
    history = [
        HistoryEntry(
            member_id=member.id, period=h.period.build(), total=h.total, grade=h.grade,
            gates_failed=h.gates_failed, counters=h.counters, term=h.term or member.term,
        )
        for h in case.history
    ]
    return member, records, history


def run_case(case: Case, rule_set: RuleSet, default_period: PeriodSpec) -> CaseOutcome:
    """Score the case's member and compare the scorecard with the expectation."""
    period = (case.period or default_period).build()
    member, records, history = build_inputs(case, period)
    result = score(rule_set, [member], records, period, history=history)
    card = result.scorecard(member.id)
    return CaseOutcome(case, card, tuple(compare(case.expect, card)))


def _num(value: Decimal | str | None) -> str:
    if value is None:
        return "not_computable"
    if isinstance(value, str) and value == "not_computable":
        return value
    return fmt(Decimal(str(value)))


def compare(expect: Expect, card: Scorecard) -> list[str]:
    """Human-readable differences between ``expect`` and ``card`` (empty when they agree)."""
    out: list[str] = []

    def check(what: str, want: object, got: object) -> None:
        if want != got:
            out.append(f"{what}: expected {want!r}, got {got!r}")

    if expect.total is not None:
        check("total", _num(expect.total), _num(card.total))
    if expect.grade is not None:
        check("grade", expect.grade, card.grade)
    if expect.grade_by_score is not None:
        check("grade_by_score", expect.grade_by_score, card.grade_by_score)
    if expect.status is not None:
        check("status", expect.status, card.status)
    cats: Mapping[str, Decimal | None] = {c.id: c.points for c in card.categories}
    for cid, want in expect.categories.items():
        check(f"categories.{cid}", _num(want), _num(cats[cid]) if cid in cats else "absent")
    lines: Mapping[str, Decimal | None] = {line.rule_id: line.points for line in card.lines}
    for rid, want in expect.lines.items():
        check(f"lines.{rid}", _num(want), _num(lines[rid]) if rid in lines else "absent")
    gates = {g.id: "not_computable" if g.met is None else g.met for g in card.gates}
    for gid, met in expect.gates.items():
        check(f"gates.{gid}", met, gates.get(gid, "absent"))
    if expect.warnings is not None:
        check("warnings", sorted(expect.warnings), sorted(w.rule_id for w in card.warnings))
    if expect.actions is not None:
        check("actions", sorted(expect.actions), sorted(w.action for w in card.warnings))
    if expect.eligible is not None:
        check("eligible", sorted(expect.eligible), sorted(card.eligible))
    return out
