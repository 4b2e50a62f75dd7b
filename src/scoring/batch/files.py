"""Reading members and records files straight into columns (pyarrow; the ``fast`` extra).

Every distinct value of a column is converted once, by the same converters the row-by-row
readers use, so a file read here gives exactly the columns of
``encode(read_records(path))``; member and record objects are built only when asked for (an
explanation, an irregular member). A file the columnar reader cannot take as it is, or one with
any problem, goes to the row-by-row readers of :mod:`scoring.io`, which read it or raise one
:class:`~scoring.errors.InputError` naming every bad row and column. ``mapping=``,
``unknown_columns=`` and ``notes=`` are those of :func:`~scoring.io.read_records`: a mapping
profile is applied by both paths, and both leave the same notes.
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
from ..io.dates import parse_date
from ..io.mapping import UnknownColumns
from ..io.notes import IgnoredColumn, Note
from ..io.plan import MappingArg, ReadPlan, plan, reading_notes
from ..io.profile import as_profile
from ..io.tables import clean
from ..models import Member
from ..vocabulary import Vocabulary
from .arrow import Indices, Ints, ReadAhead, Unusual, available, convert_distinct, identifiers
from .columns import Codebook, RecordColumns, encode
from .columns import Codes as CodeColumn
from .members import ATTRIBUTES, NO_JOIN, NO_LEAVE, MemberColumns
from .opening import load
from .record_file import ArrowStrings, read_records_by_batch, start_reading

PathArg = str | os.PathLike[str]
_FREE_TEXT = ("name", "employer", "term")  # member fields any text is valid for
_MAX_QUANTITY = Decimal(1_000_000)


def read_member_columns(
    path: PathArg, vocabulary: Vocabulary, *, encoding: str | None = None, mapping: MappingArg = None,
    unknown_columns: UnknownColumns = "ignore", notes: list[Note] | None = None,
) -> MemberColumns:
    """The members in ``path`` as columns (CSV and Parquet columnar, other formats row by row)."""
    path = Path(path)
    how = plan("members", mapping, vocabulary=vocabulary, unknown_columns=unknown_columns)
    if available():
        try:
            columns, ignored = _members(path, vocabulary, encoding, how)
        except Unusual:
            pass
        else:
            _note(notes, path, ignored)
            return columns
    return MemberColumns.of(read_members(
        path, encoding=encoding, mapping=_profile_or(mapping, vocabulary), vocabulary=vocabulary,
        unknown_columns=unknown_columns, notes=notes,
    ))


def read_record_columns(
    path: PathArg, members: MemberColumns, vocabulary: Vocabulary, *, encoding: str | None = None,
    mapping: MappingArg = None, unknown_columns: UnknownColumns = "ignore", notes: list[Note] | None = None,
) -> RecordColumns:
    """The records in ``path`` as columns, member codes resolved against ``members`` (and, for a
    file that names members by 姓名, their names)."""
    how = plan("records", mapping, vocabulary=vocabulary, unknown_columns=unknown_columns)
    return _records(Path(path), members, vocabulary, encoding, (mapping, how), None, notes)


def _records(
    path: Path, members: MemberColumns, vocabulary: Vocabulary, encoding: str | None,
    mapping: tuple[MappingArg, ReadPlan], tables: ReadAhead | None, notes: list[Note] | None,
) -> RecordColumns:
    """The records as columns: columnar (from ``tables`` when their reading has begun), else row
    by row. ``tables`` is closed either way."""
    book = Codebook.of(vocabulary)
    given, how = mapping
    if tables is not None or available():
        ignored: list[IgnoredColumn] = []
        try:
            columns = read_records_by_batch(path, members, vocabulary, book, encoding, how, tables=tables,
                                            ignored=ignored)
        except Unusual:
            pass
        else:
            _note(notes, path, ignored)
            return columns
    records = read_records(
        path, encoding=encoding, mapping=_profile_or(given, vocabulary), vocabulary=vocabulary,
        unknown_columns=how.rules.unknown_columns, members=members.members, notes=notes,
    )
    return encode(records, members.index, book)


def _note(notes: list[Note] | None, path: Path, ignored: Sequence[IgnoredColumn]) -> None:
    """The notes of a columnar reading: the columns not read (it skips no row: a file with rows
    to skip is read row by row)."""
    if notes is not None:
        notes.extend(reading_notes(str(path), ignored, ()))


def _profile_or(mapping: MappingArg, vocabulary: Vocabulary) -> MappingArg:
    """A profile path loaded once (the row-by-row reader then gets the profile itself)."""
    profile, headers = as_profile(mapping, vocabulary)
    return profile if profile is not None else headers


def read_columns(
    members_path: PathArg, records_path: PathArg, vocabulary: Vocabulary, *, encoding: str | None = None,
    mapping: MappingArg = None, member_mapping: MappingArg = None, record_mapping: MappingArg = None,
    unknown_columns: UnknownColumns = "ignore", notes: list[Note] | None = None,
) -> tuple[MemberColumns, RecordColumns]:
    """A members file and a records file as columns. The records file is parsed (pyarrow, on
    other threads) while the members file is read; the problems of both files are reported
    together in one :class:`~scoring.errors.InputError`. ``mapping`` (typically a mapping
    profile) applies to both files unless ``member_mapping`` / ``record_mapping`` is given."""
    members_path, records_path = Path(members_path), Path(records_path)
    shared = _profile_or(mapping, vocabulary)
    member_mapping = shared if member_mapping is None else _profile_or(member_mapping, vocabulary)
    record_mapping = shared if record_mapping is None else _profile_or(record_mapping, vocabulary)
    how = plan("records", record_mapping, vocabulary=vocabulary, unknown_columns=unknown_columns)
    problems: list[Problem] = []
    tables = start_reading(records_path, encoding, how) if available() else None
    try:
        members = collecting(problems, members_path, lambda: read_member_columns(
            members_path, vocabulary, encoding=encoding, mapping=member_mapping, unknown_columns=unknown_columns,
            notes=notes))
        # Without the members, the records' own problems are still worth reporting.
        records = collecting(problems, records_path, lambda: _records(
            records_path, members or MemberColumns.of([]), vocabulary, encoding, (record_mapping, how), tables,
            notes))
    finally:
        if tables is not None:
            tables.close()  # closed by the reader already, unless it never got that far
    if problems or members is None or records is None:
        raise InputError(problems)
    return members, records


# -- members ----------------------------------------------------------------------------------


def _members(
    path: Path, vocabulary: Vocabulary, encoding: str | None, how: ReadPlan
) -> tuple[MemberColumns, tuple[IgnoredColumn, ...]]:
    table, ignored = load(path, how, encoding)
    ids = identifiers(table.column("id"))
    import pyarrow.compute as pc

    order = pc.sort_indices(ids)
    ids = ids.take(order)
    table = table.take(order)
    n = len(ids)
    codes = how.codes(vocabulary)

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
    ), ignored


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
