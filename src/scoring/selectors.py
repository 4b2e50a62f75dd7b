"""Selectors: which records a rule, requirement or trigger looks at (the ``match`` tables)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import ActivityRecord

Codes = tuple[str, ...] | None


def _as_codes(value: object) -> object:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(value)
    return value


class Selector(BaseModel):
    """Match records by kind and, optionally, subtype/status/role/level (any of) and flags (all of).

    ``role`` matches the member's role *in the record* (sole, first, co …); a record with no
    role counts as ``sole``. ``not_flags`` excludes records carrying any of those flags.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(description="record kind, e.g. meeting, proposal")
    subtype: Codes = Field(default=None, description="any of these subtypes")
    status: Codes = Field(default=None, description="any of these statuses")
    role: Codes = Field(default=None, description="any of these roles in the record")
    level: Codes = Field(default=None, description="any of these levels")
    flags: tuple[str, ...] = Field(default=(), description="all of these flags")
    not_flags: tuple[str, ...] = Field(default=(), description="none of these flags")

    _normalise = field_validator("subtype", "status", "role", "level", "flags", "not_flags", mode="before")(
        lambda cls, v: _as_codes(v)
    )

    def matches(self, record: ActivityRecord) -> bool:
        """True when ``record`` satisfies every condition of this selector."""
        if record.kind != self.kind:
            return False
        if self.subtype is not None and record.subtype not in self.subtype:
            return False
        if self.status is not None and record.status not in self.status:
            return False
        if self.role is not None and (record.role or "sole") not in self.role:
            return False
        if self.level is not None and record.level not in self.level:
            return False
        if self.flags and not all(f in record.flags for f in self.flags):
            return False
        return not (self.not_flags and any(f in record.flags for f in self.not_flags))

    def narrowed(self, extra: dict[str, Any]) -> Selector:
        """This selector with the conditions in ``extra`` replacing or adding to its own."""
        data = self.model_dump(exclude_defaults=True)
        for key, value in extra.items():
            if key in ("flags", "not_flags"):
                data[key] = tuple(sorted({*data.get(key, ()), *(_as_codes(value) or ())}))  # type: ignore[misc]
            else:
                data[key] = value
        return Selector.model_validate(data)
