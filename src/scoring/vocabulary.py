"""The record vocabulary: kinds with their subtypes, statuses, roles and flags, plus levels and
member roles — canonical codes with Chinese/English labels and the aliases exports use.

The base vocabulary ships as ``data/vocabulary.toml``; rule sets and plugins extend it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .frozen import FrozenMap
from .text import Lang

RecordField = Literal["subtype", "status", "role", "flags", "level"]
_FIELD_TABLES: dict[RecordField, str] = {
    "subtype": "subtypes",
    "status": "statuses",
    "role": "roles",
    "flags": "flags",
}


class Term(BaseModel):
    """One canonical code: its labels and the aliases accepted for it in exports."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    en: str | None = None
    aliases: tuple[str, ...] = ()

    def label(self, lang: Lang = "zh") -> str:
        """The label in ``lang`` (English falls back to Chinese)."""
        return (self.en or self.zh) if lang == "en" else self.zh


class KindVocabulary(BaseModel):
    """The codes allowed for one record kind; an empty table allows none but null."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Term
    subtypes: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)
    statuses: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)
    roles: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)
    flags: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)

    def table(self, field: RecordField) -> Mapping[str, Term]:
        """The codes allowed in ``field`` (levels are global, see :class:`Vocabulary`)."""
        return dict(getattr(self, _FIELD_TABLES[field]))


class Vocabulary(BaseModel):
    """The full vocabulary in force for a rule set (base + rule-set + plugin extensions)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    roles: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)
    kinds: FrozenMap[str, KindVocabulary] = Field(default_factory=dict, validate_default=True)
    levels: FrozenMap[str, Term] = Field(default_factory=dict, validate_default=True)

    def allowed(self, kind: str, field: RecordField) -> Mapping[str, Term]:
        """Codes allowed for ``field`` of records of ``kind`` (empty when the kind is unknown)."""
        if field == "level":
            return self.levels
        spec = self.kinds.get(kind)
        return spec.table(field) if spec else {}

    def extended(self, extension: Mapping[str, Any]) -> Vocabulary:
        """A new vocabulary with ``extension`` (same shape as the TOML) merged in; never shrinks."""
        data = self.model_dump()
        _merge(data, extension)
        return Vocabulary.model_validate(data)

    def labels(self) -> Iterator[tuple[str, str, Term]]:
        """Every (table, code, term), for alias mapping and documentation."""
        for code, term in self.roles.items():
            yield "roles", code, term
        for code, term in self.levels.items():
            yield "levels", code, term
        for kind, spec in self.kinds.items():
            yield "kinds", kind, spec.label
            for table in ("subtypes", "statuses", "roles", "flags"):
                for code, term in getattr(spec, table).items():
                    yield f"{kind}.{table}", code, term


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


@cache
def base_vocabulary() -> Vocabulary:
    """The vocabulary shipped with ``scoring`` (parsed once; the model is immutable)."""
    raw = files("scoring").joinpath("data/vocabulary.toml").read_text(encoding="utf-8")
    return Vocabulary.model_validate(tomllib.loads(raw))
