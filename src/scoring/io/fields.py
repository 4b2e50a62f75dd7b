"""The fields the readers fill and how each cell is converted into one.

Shared by the row-by-row readers, the columnar readers of :mod:`scoring.batch` and the checks of
mapping profiles (a profile's fixed values go through the very converters a cell would).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..models import ActivityRecord, Member
from ..vocabulary import RecordField
from .cells import Cell, to_bool, to_decimal, to_int, to_items, to_text
from .codes import Codes
from .dates import parse_date
from .headers import DEFAULT_MEMBER_HEADERS, DEFAULT_RECORD_HEADERS, MEMBER_NAME, RECORD_FALLBACK_HEADERS
from .mapping import Schema

Converter = Callable[[Cell, str | None], object]
"""Converts a non-empty cell; the second argument is the record's kind (if known)."""

MEMBER_SCHEMA = Schema(fields=tuple(Member.model_fields), required=("id",), defaults=DEFAULT_MEMBER_HEADERS)
RECORD_SCHEMA = Schema(
    fields=tuple(ActivityRecord.model_fields),
    required=("id", "member_id", "kind", "date"),
    defaults=DEFAULT_RECORD_HEADERS,
    fallbacks=RECORD_FALLBACK_HEADERS,
    stand_ins={MEMBER_NAME: "member_id"},
)
SCOPED: tuple[RecordField, ...] = ("subtype", "status", "role", "flags")
"""Record fields whose codes depend on the record's kind."""

CODE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "members": ("roles",),
    "records": ("kind", *SCOPED, "level"),
}
"""The fields whose cells are vocabulary codes, per file (a profile's ``values`` map them)."""


def _plain(convert: Callable[[Cell], object]) -> Converter:
    """A converter that does not depend on the record's kind."""

    def converter(cell: Cell, _kind: str | None) -> object:
        return convert(cell)

    return converter


text = _plain(to_text)
date = _plain(parse_date)


def member_converters(codes: Codes) -> dict[str, Converter]:
    """Converters of the member fields that are not plain text."""

    def roles(cell: Cell, _: str | None) -> object:
        return tuple(codes.member_roles.lookup(item) for item in to_items(cell))

    return {"roles": roles, "joined": date, "left": date}


def record_converters(codes: Codes) -> dict[str, Converter]:
    """Converters of the record fields that are not plain text; kind-scoped codes are looked up
    among those of the record's kind."""

    def kind(cell: Cell, _: str | None) -> object:
        return codes.kinds.lookup(to_text(cell))

    def level(cell: Cell, _: str | None) -> object:
        return codes.levels.lookup(to_text(cell))

    def scoped(field: RecordField) -> Converter:
        def convert(cell: Cell, of_kind: str | None) -> object:
            table = codes.scoped(of_kind or "", field)
            if field == "flags":
                return tuple(table.lookup(item) for item in to_items(cell))
            return table.lookup(to_text(cell))

        return convert

    return {
        "kind": kind, "level": level, "signers": _plain(to_int), "quantity": _plain(to_decimal),
        "date": date, "scored_on": date, "deleted": _plain(to_bool),
        **{field: scoped(field) for field in SCOPED},
    }
