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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

import numpy as np

from ..fixedpoint import SCALE, scaled
from ..io import read_members, read_records
from ..io.cells import Cell, to_bool, to_decimal, to_int, to_items, to_text
from ..io.codes import Codes
from ..io.dates import parse_date
from ..io.mapping import HeaderMapping
from ..io.problems import CellError
from ..io.readers import MEMBER_SCHEMA, RECORD_SCHEMA
from ..io.tables import clean
from ..models import ActivityRecord, Member
from ..vocabulary import Vocabulary
from .arrow import Indices, Ints, Unusual, available, convert_distinct, identifiers, load
from .columns import ABSENT, Codebook, RecordColumns, encode
from .columns import Codes as CodeColumn
from .members import ATTRIBUTES, NO_JOIN, NO_LEAVE, MemberColumns

PathArg = str | os.PathLike[str]
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
    path = Path(path)
    book = Codebook.of(vocabulary)
    if available():
        try:
            return _records(path, members, vocabulary, book, encoding, mapping)
        except Unusual:
            pass
    records = read_records(path, encoding=encoding, mapping=mapping, vocabulary=vocabulary)
    return encode(records, members.index, book)


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
    texts = {f: convert_distinct(column(f), to_text, n=n) for f in ("name", "employer", "term", "exempt", *ATTRIBUTES)}
    exempt_index, exempt_values = texts["exempt"]
    has_exemption = np.array([bool(v) for v in exempt_values], dtype=bool)
    attributes = {}
    for f in ATTRIBUTES:
        index, values = texts[f]
        attributes[f] = (index.astype(np.int64), tuple(v if isinstance(v, str) else None for v in values))
    lazy = _LazyMembers(ids, {f: texts[f] for f in ("name", "employer", "term", "exempt", *ATTRIBUTES)},
                        role_index, role_values, joined, left)
    return MemberColumns(
        members=lazy, ids=_Strings(ids), profile=profile_code[role_index], profiles=tuple(profiles),
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
        if self.joined[i] != NO_JOIN:
            fields["joined"] = dt.date.fromordinal(int(self.joined[i]))
        if self.left[i] != NO_LEAVE:
            fields["left"] = dt.date.fromordinal(int(self.left[i]))
        return Member.model_validate(fields)


@dataclass(frozen=True)
class _Strings(Sequence[str]):
    """A pyarrow string array seen as a sequence of str (no list of millions of objects)."""

    array: Any

    def __len__(self) -> int:
        return len(self.array)

    def __iter__(self) -> Iterator[str]:
        return iter(self.array.to_pylist())

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return self.array[i].to_pylist()  # type: ignore[no-any-return]
        return self.array[i].as_py()  # type: ignore[no-any-return]


# -- records ----------------------------------------------------------------------------------


def _records(
    path: Path, members: MemberColumns, vocabulary: Vocabulary, book: Codebook, encoding: str | None,
    mapping: HeaderMapping | None,
) -> RecordColumns:
    table = load(path, RECORD_SCHEMA, RECORD_SCHEMA.lookup(mapping), encoding)
    ids = identifiers(table.column("id"))
    n = len(ids)
    codes = Codes(vocabulary)

    def column(field: str) -> Any | None:
        return table.column(field) if field in table.column_names else None

    kind_index, kind_names = convert_distinct(column("kind"), lambda c: codes.kinds.lookup(to_text(c)), required=True)
    kind_table = np.array([book.kinds[k] if isinstance(k, str) else -1 for k in kind_names], dtype=np.int16)
    kind = kind_table[kind_index]
    scoped = {
        f: _scoped(column(f), f, kind_names, kind_index, codes, book, n) for f in ("subtype", "status", "role")
    }
    level_index, levels = convert_distinct(column("level"), lambda c: codes.levels.lookup(to_text(c)), n=n)
    level = np.array([book.values["level"][v] if isinstance(v, str) else ABSENT for v in levels], dtype=np.int16)
    flags = _flags(column("flags"), kind_index, kind_names, codes, book, n)
    signers_index, signers_values = convert_distinct(column("signers"), to_int, n=n)
    if any(isinstance(s, int) and s < 1 for s in signers_values):
        raise Unusual("signers")
    signers = np.array([s if isinstance(s, int) else 1 for s in signers_values], dtype=np.int64)[signers_index]
    quantity_index, quantities = convert_distinct(column("quantity"), to_decimal, n=n)
    q_scaled = [_quantity(q) for q in quantities]
    date = _ordinals(column("date"), n, -1)
    if np.any(date < 0):
        raise Unusual("empty date")
    scored_on = _ordinals(column("scored_on"), n, -1)
    deleted_index, deleted_values = convert_distinct(column("deleted"), to_bool, n=n)
    member_index, member_ids = convert_distinct(column("member_id"), to_text, required=True)
    if any(isinstance(m, str) and not 1 <= len(m) <= 128 for m in member_ids):
        raise Unusual("member id length")
    member_code = np.array([members.index.get(m, -1) if isinstance(m, str) else -1 for m in member_ids], dtype=np.int32)
    role = scoped["role"]
    if "co" in book.values["role"] and np.any((role == book.values["role"]["co"]) & (signers < 2)):
        raise Unusual("co-signer alone")
    same_as, linked = _links(column("same_as"), ids, n)
    lazy = _LazyRecords(
        ids=ids, member_ids=member_ids, member_index=member_index, quantities=quantities,
        quantity_index=quantity_index, notes=column("note"), book=book, names=_names(book),
    )
    cols = RecordColumns(
        records=lazy, ids=_Strings(ids), member=member_code[member_index], kind=kind,
        subtype=scoped["subtype"], status=scoped["status"], role=role, level=level[level_index],
        flags=flags, flags_unknown=np.zeros(n, dtype=bool), signers=signers,
        quantity=np.array([q or 0 for q in q_scaled], dtype=np.int64)[quantity_index],
        quantity_exact=np.array([q is not None for q in q_scaled], dtype=bool)[quantity_index],
        date=date, scored_on=scored_on,
        deleted=np.array([v is True for v in deleted_values], dtype=bool)[deleted_index],
        same_as=same_as, repeated_ids=frozenset(), linked=linked,
    )
    object.__setattr__(lazy, "cols", cols)
    return cols


def _quantity(value: object) -> int | None:
    """A quantity as scaled integer (``None`` when not exact at 10⁻⁶); unusual when the model
    would refuse it."""
    if value is None:
        return int(SCALE)
    assert isinstance(value, Decimal)
    if not value.is_finite() or value < 0 or value > _MAX_QUANTITY:
        raise Unusual("quantity")
    result: int | None = scaled(value)
    return result


def _pairs(column: Any, kind_index: Indices, n: int) -> tuple[Indices, list[object], list[tuple[int, int]]]:
    """Each row's code of its (kind, cell) pair, the cells, and the pairs that occur (no sort:
    the pairs are few, so a bincount finds them)."""
    index, cells = convert_distinct(column, lambda c: c, n=n)
    pair = kind_index * len(cells) + index
    used = np.flatnonzero(np.bincount(pair, minlength=1)).tolist()
    return pair, cells, [(key // len(cells), key % len(cells)) for key in used]


def _scoped(
    column: Any | None, field: str, kind_names: list[object], kind_index: Indices, codes: Codes,
    book: Codebook, n: int,
) -> CodeColumn:
    """Codes of a field whose vocabulary depends on the record's kind (one lookup per distinct
    (kind, value) pair)."""
    if column is None:
        return np.zeros(n, dtype=np.int16)
    pair, cells, used = _pairs(column, kind_index, n)
    table = np.zeros(int(pair.max(initial=0)) + 1, dtype=np.int16)
    for kind, value in used:
        cell = cells[value]
        if cell is None:
            continue
        try:
            code = codes.scoped(str(kind_names[kind]), field).lookup(to_text(cell))  # type: ignore[arg-type]
        except CellError as exc:
            raise Unusual(str(exc)) from exc
        table[kind * len(cells) + value] = book.values[field][code]
    result: CodeColumn = table[pair]
    return result


def _flags(
    column: Any | None, kind_index: Indices, kind_names: list[object], codes: Codes, book: Codebook, n: int
) -> Any:
    """Flag bit masks, one lookup per distinct (kind, cell) pair."""
    if column is None:
        return np.zeros(n, dtype=np.uint64)
    pair, cells, used = _pairs(column, kind_index, n)
    table = np.zeros(int(pair.max(initial=0)) + 1, dtype=np.uint64)
    for kind, value in used:
        cell = cells[value]
        if cell is None:
            continue
        try:
            lookup = codes.scoped(str(kind_names[kind]), "flags").lookup
            table[kind * len(cells) + value] = book.mask([lookup(item) for item in to_items(cell)])  # type: ignore[arg-type]
        except CellError as exc:
            raise Unusual(str(exc)) from exc
    return table[pair]


def _links(column: Any | None, ids: Any, n: int) -> tuple[dict[int, str], tuple[int, ...]]:
    """``same_as`` targets by record, and the records on some ``same_as`` chain."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column is None:
        return {}, ()
    index, targets = convert_distinct(column, to_text, n=n)
    if any(isinstance(t, str) and not 1 <= len(t) <= 128 for t in targets):
        raise Unusual("same_as length")
    empty = np.array([t is None for t in targets], dtype=bool)
    rows = np.flatnonzero(~empty[index]).tolist()
    same_as = {r: str(targets[int(index[r])]) for r in rows}
    if any(ids[r].as_py() == t for r, t in same_as.items()):
        raise Unusual("same_as names itself")
    if not same_as:
        return {}, ()
    involved = {ids[r].as_py() for r in rows} | set(same_as.values())
    linked = np.flatnonzero(pc.is_in(ids, value_set=pa.array(sorted(involved))).to_numpy(zero_copy_only=False))
    return same_as, tuple(linked.tolist())


@dataclass(frozen=True)
class _LazyRecords(Sequence[ActivityRecord]):
    """Records built on demand from the columns (exactly what the row-by-row reader builds)."""

    ids: Any
    member_ids: list[object]
    member_index: Indices
    quantities: list[object]
    quantity_index: Indices
    notes: Any | None
    book: Codebook
    names: dict[str, dict[int, str]]
    cols: RecordColumns | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> ActivityRecord: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[ActivityRecord]: ...
    def __getitem__(self, i: int | slice) -> ActivityRecord | Sequence[ActivityRecord]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        cols = self.cols
        assert cols is not None
        names = self.names
        fields: dict[str, object] = {
            "id": self.ids[i].as_py(), "member_id": self.member_ids[int(self.member_index[i])],
            "kind": names["kind"][int(cols.kind[i])], "signers": int(cols.signers[i]),
            "date": dt.date.fromordinal(int(cols.date[i])), "deleted": bool(cols.deleted[i]),
        }
        for field in ("subtype", "status", "role", "level"):
            code = int(getattr(cols, field)[i])
            if code != ABSENT:
                fields[field] = names[field][code]
        mask = int(cols.flags[i])
        if mask:
            fields["flags"] = tuple(f for f, bit in self.book.flags.items() if mask >> bit & 1)
        quantity = self.quantities[int(self.quantity_index[i])]
        if quantity is not None:
            fields["quantity"] = quantity
        if cols.scored_on[i] >= 0:
            fields["scored_on"] = dt.date.fromordinal(int(cols.scored_on[i]))
        if i in cols.same_as:
            fields["same_as"] = cols.same_as[i]
        if self.notes is not None:
            note = clean(self.notes[i].as_py())
            if note:
                fields["note"] = to_text(note)
        return ActivityRecord.model_validate(fields)


def _names(book: Codebook) -> dict[str, dict[int, str]]:
    """Code → name, for every field of the codebook."""
    names = {field: {code: name for name, code in table.items()} for field, table in book.values.items()}
    names["kind"] = {code: name for name, code in book.kinds.items()}
    return names
