"""Input models: members, activity records and the assessment period.

All models are frozen and validated by pydantic. Field values use the canonical vocabulary
(see :mod:`scoring.vocabulary`); readers translate Chinese exports into it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]

_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _sorted_codes(value: object) -> object:
    """Accept 'a,b' / 'a;b' / any iterable of codes; store them sorted and unique (stable JSON)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.replace(";", ",").replace("，", ",").split(",")
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted({str(v).strip() for v in value if str(v).strip()}))
    return value


class Member(BaseModel):
    """A CPPCC member (政协委员) as known to the archive."""

    model_config = _FROZEN

    id: Id = Field(description="委员编号: stable member id")
    name: str = Field(default="", description="姓名")
    sector: str | None = Field(default=None, description="界别")
    committee: str | None = Field(default=None, description="专委会")
    group: str | None = Field(default=None, description="活动组 / 界别组")
    employer: str | None = Field(default=None, description="工作单位 (a notification recipient)")
    roles: tuple[Code, ...] = Field(
        default=("member",),
        description="roles such as member, standing_committee (常委), core (骨干委员)",
    )
    joined: dt.date | None = Field(default=None, description="date the membership started")
    left: dt.date | None = Field(default=None, description="date the membership ended, if it did")
    term: str | None = Field(default=None, description="届, e.g. '十四届'; term-window counts use it")
    exempt: str | None = Field(
        default=None, description="reason the member is exempt from assessment this period (免考)"
    )

    @field_validator("roles", mode="before")
    @classmethod
    def _roles_from_text(cls, value: object) -> object:
        return _sorted_codes(value)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Member:
        if self.joined and self.left and self.left < self.joined:
            raise ValueError("left date is before joined date / 离任日期早于任职日期")
        return self

    def has_role(self, role: str) -> bool:
        """True when the member holds ``role`` (``member`` is implied for everyone)."""
        return role == "member" or role in self.roles


class ActivityRecord(BaseModel):
    """One entry of a member's performance archive (履职档案): a meeting, proposal, report…"""

    model_config = _FROZEN

    id: Id = Field(description="record id, unique within the input")
    member_id: Id = Field(description="委员编号 of the member the record belongs to")
    kind: Code = Field(description="meeting, proposal, opinion, activity, deed, report, study, award, discipline")
    subtype: Code | None = Field(default=None, description="e.g. plenary, research, duty_report")
    status: Code | None = Field(default=None, description="e.g. attended, registered, adopted")
    role: Code | None = Field(default=None, description="the member's role in it: sole, first, co, collective_main")
    signers: int = Field(default=1, ge=1, description="number of members who signed it (联名人数, incl. this member)")
    flags: tuple[Code, ...] = Field(default=(), description="e.g. key, excellent, instructed, listed")
    level: Code | None = Field(default=None, description="national, provincial, prefecture, city")
    quantity: Decimal = Field(
        default=Decimal(1), ge=0, le=1_000_000, description="units (e.g. days, items); 1 by default, at most 1,000,000"
    )
    date: dt.date = Field(description="event date (活动日期)")
    scored_on: dt.date | None = Field(
        default=None, description="date the outcome was decided (e.g. registration), if it differs"
    )
    same_as: Id | None = Field(
        default=None, description="id of another record describing the same item (counted once)"
    )
    deleted: bool = Field(default=False, description="soft-deleted in the archive")
    note: str | None = Field(default=None, description="free text")

    @field_validator("flags", mode="before")
    @classmethod
    def _flags_from_text(cls, value: object) -> object:
        return _sorted_codes(value)

    @field_validator("quantity")
    @classmethod
    def _finite(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("quantity must be a finite number / 数量必须是有限数值")
        return value

    @model_validator(mode="after")
    def _role_matches_signers(self) -> ActivityRecord:
        if self.role == "co" and self.signers < 2:
            raise ValueError("a co-signer (role 'co') needs signers >= 2 / 联名提案人数至少为 2")
        if self.same_as is not None and self.same_as == self.id:
            raise ValueError("same_as must name another record / same_as 不能指向自身")
        return self


class Period(BaseModel):
    """An assessment window [start, end], both inclusive, with an optional as-of date.

    With ``as_of`` inside the window the run is an interim check: records after ``as_of`` are
    not yet known, and open requirements become warnings instead of failures.
    """

    model_config = _FROZEN

    start: dt.date
    end: dt.date
    as_of: dt.date | None = None
    label: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period end is before its start / 考核期结束日期早于开始日期")
        if self.as_of is not None and not (self.start <= self.as_of <= self.end):
            raise ValueError("as_of must lie inside the period / 截止日期必须在考核期内")
        return self

    @classmethod
    def year(cls, year: int, *, as_of: dt.date | None = None) -> Period:
        """The calendar year ``year``."""
        return cls(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), as_of=as_of, label=str(year))

    @property
    def interim(self) -> bool:
        """True when this is an interim (as-of) check rather than a year-end assessment."""
        return self.as_of is not None and self.as_of < self.end

    @property
    def cutoff(self) -> dt.date:
        """The last day whose records are known."""
        return self.as_of or self.end

    @property
    def name(self) -> str:
        """A short display name."""
        return self.label or f"{self.start.isoformat()}~{self.end.isoformat()}"

    def days(self) -> int:
        """Length of the window in days."""
        return (self.end - self.start).days + 1
