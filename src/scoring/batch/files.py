"""Reading members and records files straight into columns (pyarrow; the ``fast`` extra).

Every distinct value of a column is converted once, by the same converters the row-by-row
readers use, so a file read here gives exactly the columns of
``encode(read_records(path))``; member and record objects are built only when asked for (an
explanation, an irregular member). A file the columnar reader cannot take as it is, or one with
any problem, goes to the row-by-row readers of :mod:`scoring.io`, which read it or raise one
:class:`~scoring.errors.InputError` naming every bad row and column.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

import numpy as np

from ..errors import InputError, Problem, collecting
from ..io import read_members, read_records
from ..io.cells import Cell, is_empty, to_items, to_text
from ..io.codes import Codes
from ..io.dates import parse_date
from ..io.mapping import HeaderMapping
from ..io.readers import MEMBER_SCHEMA
from ..io.tables import clean
from ..models import Member
from ..vocabulary import Vocabulary
from .arrow import Indices, Ints, ReadAhead, Unusual, available, convert_distinct, identifiers, load
from .columns import Codebook, RecordColumns, encode
from .columns import Codes as CodeColumn
from .members import ATTRIBUTES, NO_JOIN, NO_LEAVE, MemberColumns
from .record_file import ArrowStrings, read_records_by_batch, start_reading

PathArg = str | os.PathLike[str]
_FREE_TEXT = ("name", "employer", "term")  # member fields any text is valid for
_MAX_QUANTITY = Decimal(1_000_000)


def read_member_columns(
    path: PathArg, vocabulary: Vocabulary, *, encoding: str | None = None, mapping: HeaderMapping | None = None
) -> MemberColumns:
    """The members in ``path`` as columns (CSV and Parquet columnar, other formats row by row)."""
    path = Path(path)
    if available():
        try:
            return _members(path, vocabulary, encoding, mapping)
        except Unusual:
            pass
    return MemberColumns.of(read_members(path, encoding=encoding, mapping=mapping, vocabulary=vocabulary))


def read_record_columns(
    path: PathArg, members: MemberColumns, vocabulary: Vocabulary, *, encoding: str | None = None,
    mapping: HeaderMapping | None = None,
) -> RecordColumns:
    """The records in ``path`` as columns, member codes resolved against ``members``."""
    return _records(Path(path), members, vocabulary, encoding, mapping, None)


def _records(
    path: Path, members: MemberColumns, vocabulary: Vocabulary, encoding: str | None,
    mapping: HeaderMapping | None, tables: ReadAhead | None,
) -> RecordColumns:
    """The records as columns: columnar (from ``tables`` when their reading has begun), else row
    by row. ``tables`` is closed either way."""
    book = Codebook.of(vocabulary)
    if tables is not None or available():
        try:
            return read_records_by_batch(path, members, vocabulary, book, encoding, mapping, tables=tables)
        except Unusual:
            pass
    records = read_records(path, encoding=encoding, mapping=mapping, vocabulary=vocabulary)
    return encode(records, members.index, book)


def read_columns(
    members_path: PathArg, records_path: PathArg, vocabulary: Vocabulary, *, encoding: str | None = None,
    member_mapping: HeaderMapping | None = None, record_mapping: HeaderMapping | None = None,
) -> tuple[MemberColumns, RecordColumns]:
    """A members file and a records file as columns. The records file is parsed (pyarrow, on
    other threads) while the members file is read; the problems of both files are reported
    together in one :class:`~scoring.errors.InputError`."""
    members_path, records_path = Path(members_path), Path(records_path)
    problems: list[Problem] = []
    tables = start_reading(records_path, encoding, record_mapping) if available() else None
    try:
        members = collecting(problems, members_path, lambda: read_member_columns(
            members_path, vocabulary, encoding=encoding, mapping=member_mapping))
        # Without the members, the records' own problems are still worth reporting.
        records = collecting(problems, records_path, lambda: _records(
            records_path, members or MemberColumns.of([]), vocabulary, encoding, record_mapping, tables))
    finally:
        if tables is not None:
            tables.close()  # closed by the reader already, unless it never got that far
    if problems or members is None or records is None:
        raise InputError(problems)
    return members, records


# -- members ----------------------------------------------------------------------------------


def _members(path: Path, vocabulary: Vocabulary, encoding: str | None, mapping: HeaderMapping | None) -> MemberColumns:
    table = load(path, MEMBER_SCHEMA, MEMBER_SCHEMA.lookup(mapping), encoding)
    ids = identifiers(table.column("id"))
    import pyarrow.compute as pc

    order = pc.sort_indices(ids)
    ids = ids.take(order)
    table = table.take(order)
    n = len(ids)
    codes = Codes(vocabulary)

    def column(field: str) -> Any | None:
        return table.column(field) if field in table.column_names else None

    def roles(cell: Cell) -> object:
        return tuple(sorted({codes.member_roles.lookup(item) for item in to_items(cell)}))

    role_index, role_values = convert_distinct(column("roles"), roles, n=n)
    role_values = [v if v is not None else ("member",) for v in role_values]
    profiles: list[tuple[str, ...]] = sorted({role_values[i] for i in np.unique(role_index).tolist()})
    profile_code = np.array([profiles.index(v) if v in profiles else -1 for v in role_values], dtype=np.int64)
    joined = _ordinals(column("joined"), n, NO_JOIN)
    left = _ordinals(column("left"), n, NO_LEAVE)
    if np.any((joined != NO_JOIN) & (left != NO_LEAVE) & (left < joined)):
        raise Unusual("left before joined")
    texts = {f: convert_distinct(column(f), to_text, n=n) for f in ("exempt", *ATTRIBUTES)}
    exempt_index, exempt_values = texts["exempt"]
    has_exemption = np.array([bool(v) for v in exempt_values], dtype=bool)
    attributes = {}
    for f in ATTRIBUTES:
        index, values = texts[f]
        attributes[f] = (index.astype(np.int64), tuple(v if isinstance(v, str) else None for v in values))
    raw = {f: table.column(f) for f in _FREE_TEXT if f in table.column_names}
    lazy = _LazyMembers(ids, texts, raw, role_index, role_values, joined, left)
    return MemberColumns(
        members=lazy, ids=ArrowStrings(ids), profile=profile_code[role_index], profiles=tuple(profiles),
        joined=joined, left=left, exempt=has_exemption[exempt_index], attributes=attributes,
    )


def _ordinals(column: Any | None, n: int, missing: int) -> CodeColumn:
    index, dates = convert_distinct(column, parse_date, n=n)
    table = np.array([d.toordinal() if isinstance(d, dt.date) else missing for d in dates], dtype=np.int32)
    result: CodeColumn = table[index]
    return result


@dataclass(frozen=True)
class _LazyMembers(Sequence[Member]):
    """Members built on demand from the columns of a members file (in id order)."""

    ids: Any
    texts: dict[str, tuple[Indices, list[object]]]
    raw: dict[str, Any]  # free-text columns (converted when a member is built: they cannot fail)
    role_index: Indices
    role_values: list[object]
    joined: Ints
    left: Ints

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> Member: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Member]: ...
    def __getitem__(self, i: int | slice) -> Member | Sequence[Member]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        fields: dict[str, object] = {"id": self.ids[i].as_py(), "roles": self.role_values[int(self.role_index[i])]}
        for name, (index, values) in self.texts.items():
            value = values[int(index[i])]
            if value is not None:
                fields[name] = value
        for name, column in self.raw.items():
            cell = clean(column[i].as_py())
            if not is_empty(cell):
                fields[name] = to_text(cell)
        if self.joined[i] != NO_JOIN:
            fields["joined"] = dt.date.fromordinal(int(self.joined[i]))
        if self.left[i] != NO_LEAVE:
            fields["left"] = dt.date.fromordinal(int(self.left[i]))
        return Member.model_validate(fields)
