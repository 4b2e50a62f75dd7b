"""A records file read into columns a batch at a time (pyarrow), for files of tens of millions
of records: each batch's distinct values are converted (once per file: conversions are cached
across batches) and written as narrow code columns; only the ids and notes stay as Arrow arrays,
for records built on demand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ..fixedpoint import SCALE, scaled
from ..io.cells import Cell, to_bool, to_decimal, to_int, to_items, to_text
from ..io.dates import parse_date
from ..io.notes import IgnoredColumn
from ..io.plan import MappingArg, ReadPlan, plan
from ..io.problems import CellError
from ..io.tables import clean
from ..models import ActivityRecord
from ..vocabulary import Vocabulary
from .arrow import (
    Indices,
    ReadAhead,
    Unusual,
    all_distinct,
    convert_distinct,
    expected_rows,
    fixed_width,
    identifiers,
    is_sorted,
    plain,
)
from .columns import ABSENT, Codebook, RecordColumns, unsigned_for
from .members import MemberColumns
from .opening import read_later, stream

_MAX_QUANTITY = Decimal(1_000_000)
_NO_DATE = -1
_EPOCH = dt.date(1970, 1, 1).toordinal()  # date32 counts days from here
Column = npt.NDArray[Any]


def read_records_by_batch(
    path: Path, members: MemberColumns, vocabulary: Vocabulary, book: Codebook, encoding: str | None,
    mapping: MappingArg | ReadPlan, *, batch_rows: int = 1 << 22, block_bytes: int = 1 << 25,
    tables: ReadAhead | None = None, ignored: list[IgnoredColumn] | None = None,
) -> RecordColumns:
    """The records of ``path`` as columns; :class:`Unusual` when the row-by-row reader must take
    it. ``mapping`` is a reader's ``mapping=`` or its plan; the columns not read are added to
    ``ignored``. Parquet is read ``batch_rows`` rows at a time, CSV ``block_bytes`` bytes at a time;
    ``tables`` is the file's :func:`stream` when its reading has already begun (closed here)."""
    how = mapping if isinstance(mapping, ReadPlan) else plan("records", mapping, vocabulary=vocabulary)
    if tables is None:
        tables = stream(path, how, encoding, batch_rows=batch_rows, block_bytes=block_bytes)
    with tables:
        converter = _Converter(members, vocabulary, book, how)
        converter.pieces.capacity = expected_rows(path)
        for table in tables:
            converter.pieces.reserve(table.num_rows)
            converter.add(table)
    cols = converter.columns()
    if path.suffix.lower() != ".csv" and "note" not in how.fixed:  # Parquet notes: read when first needed
        object.__setattr__(cols.records, "later", lambda: read_later(path, how, "note"))
    if ignored is not None:
        ignored.extend(tables.ignored)
    return cols


def start_reading(path: Path, encoding: str | None, how: ReadPlan) -> ReadAhead | None:
    """Begin parsing a records file on a helper thread (for :func:`read_records_by_batch`'s
    ``tables``), or None when the columnar reader cannot take it."""
    try:
        return stream(path, how, encoding)
    except Unusual:
        return None


@dataclass
class _Pieces:
    """The converted batches so far, written in place into columns allocated for ``capacity``
    rows (the row count of a Parquet file, an estimate for CSV): no concatenation at the end.
    Capacity grows if the file holds more rows; capacity never written costs no memory."""

    capacity: int = 0
    columns: dict[str, Column] = field(default_factory=dict)
    constant: dict[str, Any] = field(default_factory=dict)  # column → its one value so far (not written)
    ids: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    same_as: dict[int, str] = field(default_factory=dict)
    unknown_members: dict[int, str] = field(default_factory=dict)
    rows: int = 0
    sorted_ids: bool = True

    def reserve(self, n: int) -> None:
        """Room for ``n`` more rows."""
        if self.rows + n <= self.capacity:
            return
        self.capacity = max(self.rows + n, self.capacity * 3 // 2)
        for name, column in self.columns.items():
            grown = np.empty(self.capacity, dtype=column.dtype)
            grown[:self.rows] = column[:self.rows]
            self.columns[name] = grown

    def slot(self, name: str, dtype: np.dtype[Any], n: int) -> Column:
        """Where this batch's ``n`` rows of column ``name`` go (a view to write into)."""
        if name not in self.columns:
            self.columns[name] = np.empty(self.capacity, dtype=dtype)
            if name in self.constant:  # no longer one value: written out from here on
                self.columns[name][:self.rows] = self.constant.pop(name)
        return self.columns[name][self.rows:self.rows + n]

    def put(self, name: str, values: Column) -> None:
        """Store ``values`` as this batch's piece of column ``name``."""
        self.slot(name, values.dtype, len(values))[:] = values

    def take(self, name: str, table: Column, index: Indices) -> Column:
        """Store ``table[index]`` as this batch's piece of column ``name`` and return it. A column
        with one value in every batch so far (no level, every quantity 1) is not written at all."""
        if len(table) == 1 and name not in self.columns:
            if not self.rows:  # the first batch
                self.constant[name] = table[0]
            if name in self.constant and self.constant[name] == table[0]:
                return np.broadcast_to(table[0], (len(index),))
        piece = self.slot(name, table.dtype, len(index))
        np.take(table, index, out=piece, mode="clip")  # clip: no buffered copy (indices are valid)
        return piece

    def whole(self, name: str, dtype: type[np.generic]) -> Column:
        """Column ``name``, every batch's rows (a read-only view of one value if it has one)."""
        if name in self.constant:
            return np.broadcast_to(self.constant.pop(name), (self.rows,))
        column = self.columns.pop(name, None)
        return column[:self.rows] if column is not None else np.zeros(0, dtype=dtype)


class _Converter:
    """Converts record batches into column pieces, each distinct value once per file."""

    def __init__(self, members: MemberColumns, vocabulary: Vocabulary, book: Codebook, how: ReadPlan) -> None:
        self.members, self.vocabulary, self.codes, self.book = members, vocabulary, how.codes(vocabulary), book
        self.caches: dict[str, dict[Cell, object]] = {}
        self.scoped: dict[tuple[str, str, object], int] = {}
        self.quantities: dict[Decimal | None, int] = {None: 0}
        self.pieces = _Pieces()
        self.last_id: str | None = None
        self.known: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None  # sorted member ids: UTF-8, packed
        self.last: tuple[Any, Column] | None = None  # the last member-id dictionary and its codes
        self.flag_dtype = unsigned_for(len(book.flags))  # flag masks as narrow as the codebook allows

    def _convert(self, table: Any, name: str, convert: Callable[[Cell], object], *, required: bool = False
                 ) -> tuple[Indices, list[object]]:
        column = table.column(name) if name in table.column_names else None
        return convert_distinct(column, convert, required=required, n=table.num_rows,
                                cache=self.caches.setdefault(name, {}))

    def _table(self, table: Any, name: str, convert: Callable[[Cell], object], code: Callable[[object], int],
               dtype: type[np.generic], *, required: bool = False) -> Column:
        """The column ``name`` of this batch as codes, ``code(convert(cell))`` per distinct cell,
        stored under the same name."""
        index, values = self._convert(table, name, convert, required=required)
        return self.pieces.take(name, np.array([code(v) for v in values], dtype=dtype), index)

    def add(self, table: Any) -> None:
        """Convert one batch."""
        p, book, codes = self.pieces, self.book, self.codes
        ids = identifiers(table.column("id"), unique=False)
        p.sorted_ids = p.sorted_ids and is_sorted(ids) and (
            self.last_id is None or not len(ids) or ids[0].as_py() > self.last_id
        )
        if len(ids):
            self.last_id = ids[-1].as_py()
        kind_index, kinds = self._convert(table, "kind", lambda c: codes.kinds.lookup(to_text(c)), required=True)
        p.take("kind", np.array([book.kinds[k] if isinstance(k, str) else -1 for k in kinds], dtype=np.int16),
               kind_index)
        role = {name: self._scoped(table, name, kind_index, kinds, np.int16, self._code(name))
                for name in ("subtype", "status", "role")}["role"]
        self._scoped(table, "flags", kind_index, kinds, self.flag_dtype, self._mask)
        self._table(table, "level", lambda c: codes.levels.lookup(to_text(c)),
                    lambda v: book.values["level"][v] if isinstance(v, str) else ABSENT, np.int16)
        signers = self._typed(table, "signers", np.int64, 1)
        if signers is None:
            signers = self._table(table, "signers", to_int, _signers, np.int64)
        elif np.any(signers < 1):
            raise Unusual("signers")
        self._table(table, "quantity", to_decimal, self._quantity_id, np.int32)
        date = self._dates(table, "date")
        if np.any(date == _NO_DATE):
            raise Unusual("empty date")
        self._dates(table, "scored_on")
        if self._typed(table, "deleted", np.bool_, False) is None:
            self._table(table, "deleted", to_bool, lambda v: v is True, np.bool_)
        self._member_codes(table)
        co = book.values["role"].get("co")
        if co is not None and np.any((role == co) & (signers < 2)):
            raise Unusual("co-signer alone")
        self._links(table, ids)
        p.ids.extend(_chunks(ids))
        if "note" in table.column_names:
            p.notes.extend(_chunks(table.column("note")))
        p.rows += table.num_rows

    def _dates(self, table: Any, name: str) -> Column:
        """Date ordinals, stored under ``name``: straight from a date32 column (Parquet), else
        parsed per distinct cell."""
        import pyarrow as pa

        column = table.column(name) if name in table.column_names else None
        if column is None or not pa.types.is_date32(column.type):
            return self._table(table, name, parse_date, _ordinal, np.int32)
        result = self.pieces.slot(name, np.dtype(np.int32), table.num_rows)
        start = 0
        for chunk in column.chunks:  # days since 1970 as they are (no copy), shifted into place
            part = result[start:start + len(chunk)]
            days = chunk.view(pa.int32())
            np.add(days.fill_null(0).to_numpy() if chunk.null_count else days.to_numpy(), _EPOCH, out=part)
            if chunk.null_count:
                part[~chunk.is_valid().to_numpy(zero_copy_only=False)] = _NO_DATE
            start += len(chunk)
        return result

    def _typed(self, table: Any, name: str, dtype: type[np.generic], missing: object) -> Column | None:
        """A Parquet integer or boolean column stored as it is (``missing`` for nulls), or None for
        text (then the cell converters, which give the same values, take it)."""
        import pyarrow as pa

        if name not in table.column_names:
            return None
        column = table.column(name)
        wanted = pa.types.is_boolean if dtype is np.bool_ else pa.types.is_integer
        if not wanted(column.type):
            return None
        result = self.pieces.slot(name, np.dtype(dtype), table.num_rows)
        start = 0
        for chunk in column.chunks:
            if chunk.null_count:
                chunk = chunk.fill_null(missing)
            result[start:start + len(chunk)] = chunk.to_numpy(zero_copy_only=False)
            start += len(chunk)
        return result

    def _code(self, name: str) -> Callable[[str, Cell], int]:
        def code(kind: str, cell: Cell) -> int:
            return self.book.values[name][self.codes.scoped(kind, name).lookup(to_text(cell))]  # type: ignore[arg-type]

        return code

    def _mask(self, kind: str, cell: Cell) -> int:
        lookup = self.codes.scoped(kind, "flags").lookup
        return self.book.mask([lookup(item) for item in to_items(cell)])

    def _scoped(self, table: Any, name: str, kind_index: Indices, kinds: list[object], dtype: type[np.generic],
                code: Callable[[str, Cell], int]) -> Column:
        """Codes of a field whose vocabulary depends on the record's kind: one lookup per distinct
        (kind, value) pair of the file (the pairs of a batch are found by bincount, not a sort)."""
        if name not in table.column_names:  # absent throughout: code 0 for every row
            return self.pieces.take(name, np.zeros(1, dtype=dtype), np.broadcast_to(np.intp(0), (table.num_rows,)))
        index, cells = self._convert(table, name, lambda c: c)
        pair = kind_index * (len(cells) if len(kinds) * len(cells) < 2**31 else np.int64(len(cells)))
        pair += index
        lookup = np.zeros(int(pair.max(initial=0)) + 1, dtype=dtype)
        for key in np.flatnonzero(np.bincount(pair, minlength=1)).tolist():
            kind, cell = str(kinds[key // len(cells)]), cells[key % len(cells)]
            if cell is None:
                continue
            memo = (name, kind, cell)
            if memo not in self.scoped:
                try:
                    self.scoped[memo] = code(kind, cell)  # type: ignore[arg-type]
                except CellError as exc:
                    raise Unusual(str(exc)) from exc
            lookup[key] = self.scoped[memo]
        return self.pieces.take(name, lookup, pair)

    def _quantity_id(self, value: object) -> int:
        """A distinct quantity's number (0: absent, i.e. 1); unusual when the model would refuse it."""
        if value is not None:
            assert isinstance(value, Decimal)
            if not value.is_finite() or value < 0 or value > _MAX_QUANTITY:
                raise Unusual("quantity")
        return self.quantities.setdefault(value, len(self.quantities))

    def _member_codes(self, table: Any) -> Column:
        """Member codes of this batch, a chunk at a time: each chunk's distinct member ids (its
        dictionary: Parquet row groups and CSV blocks come dictionary-encoded) found by binary
        search in the members' sorted ids; only ids that need normalising go through Python."""
        import pyarrow as pa
        import pyarrow.compute as pc

        member = self.pieces.slot("member", np.dtype(np.int32), table.num_rows)
        start = 0
        for chunk in table.column("member_id").chunks:
            if not pa.types.is_dictionary(chunk.type):
                chunk = pc.dictionary_encode(chunk)
            if chunk.null_count or not pa.types.is_string(chunk.dictionary.type):
                raise Unusual("member ids")
            values = chunk.dictionary
            if self.last is not None and (values is self.last[0] or values.equals(self.last[0])):
                code = self.last[1]  # the batches of a row group share its dictionary
            else:
                code = self._lookup_members(values)
                self.last = (values, code)
            indices = chunk.indices.to_numpy(zero_copy_only=False)
            part = member[start:start + len(chunk)]
            np.take(code, indices, out=part, mode="clip")
            for r in np.flatnonzero(part < 0).tolist():  # kept for the screening's explanation
                member_id = to_text(clean(values[int(indices[r])].as_py()))
                self.pieces.unknown_members[self.pieces.rows + start + r] = member_id
            start += len(chunk)
        return member

    def _lookup_members(self, values: Any) -> Column:
        """Member codes of distinct member ids (a pyarrow string array)."""
        if self.known is None:
            ids = self.members.ids
            known = fixed_width(ids.array) if isinstance(ids, ArrowStrings) else None
            known = known if known is not None else np.array([i.encode() for i in ids], dtype=bytes)
            self.known = (known, _packed(known))
        text = fixed_width(values)
        if text is None:
            text = np.array([v.encode() for v in values.to_pylist()], dtype=bytes)
        known, packed = self.known
        if packed.dtype == np.uint64 and text.dtype.itemsize <= 8:  # both packable: integer search
            known, text = packed, _packed(text)
        where = np.minimum(_search(known, text), max(len(known) - 1, 0))
        code: Column = np.full(len(text), -1, dtype=np.int32)
        if len(known):
            code = np.where(known[where] == text, where, -1).astype(np.int32)
        for r in np.flatnonzero(~plain(values).to_numpy(zero_copy_only=False)).tolist():
            member_id = to_text(clean(values[r].as_py()))
            if not 1 <= len(member_id) <= 128 or "\x00" in member_id:
                raise Unusual("member id")
            code[r] = self.members.index.get(member_id, -1)
        return code

    def _links(self, table: Any, ids: Any) -> None:
        if "same_as" not in table.column_names:
            return
        index, targets = self._convert(table, "same_as", to_text)
        if any(isinstance(t, str) and not 1 <= len(t) <= 128 for t in targets):
            raise Unusual("same_as length")
        empty = np.array([t is None for t in targets], dtype=bool)
        rows = np.flatnonzero(~empty[index]).tolist()
        own = ArrowStrings(ids).take_list(rows) if rows else []
        for r, own_id in zip(rows, own, strict=True):
            target = str(targets[int(index[r])])
            if target == own_id:
                raise Unusual("same_as names itself")
            self.pieces.same_as[self.pieces.rows + r] = target

    def columns(self) -> RecordColumns:
        """Every batch joined into the record columns."""
        import pyarrow as pa

        p = self.pieces
        ids = pa.chunked_array(p.ids, type=pa.string())
        if not p.sorted_ids and not all_distinct(ids):
            raise Unusual("repeated id")
        linked: tuple[int, ...] = ()
        if p.same_as:  # the records with a link, and the records linked to
            targets = _rows_of(ids, sorted(set(p.same_as.values())), p.sorted_ids)
            linked = tuple(np.union1d(np.fromiter(p.same_as, dtype=np.int64), targets).tolist())
        quantities = sorted(self.quantities, key=self.quantities.__getitem__)
        scaled_q = [_scaled(q) for q in quantities]
        quantity_id = p.whole("quantity", np.int32)
        lazy = _LazyRecords(
            ids=ids, notes=pa.chunked_array(p.notes, type=pa.string()) if p.notes else None,
            quantities=quantities, quantity_id=quantity_id, unknown_members=p.unknown_members, book=self.book,
            member_ids=self.members.ids, names=_names(self.book),
        )
        cols = RecordColumns(
            records=lazy, ids=ArrowStrings(ids), member=p.whole("member", np.int32), kind=p.whole("kind", np.int16),
            subtype=p.whole("subtype", np.int16), status=p.whole("status", np.int16), role=p.whole("role", np.int16),
            level=p.whole("level", np.int16), flags=p.whole("flags", np.uint64),
            flags_unknown=np.broadcast_to(np.False_, (p.rows,)), signers=p.whole("signers", np.int64),
            quantity=_lookup(np.array([q or 0 for q in scaled_q], dtype=np.int64), quantity_id),
            quantity_exact=_lookup(np.array([q is not None for q in scaled_q], dtype=bool), quantity_id),
            date=p.whole("date", np.int32), scored_on=p.whole("scored_on", np.int32),
            deleted=p.whole("deleted", np.bool_), same_as=p.same_as, repeated_ids=frozenset(), linked=linked,
            checked_against=self.vocabulary,  # each code was looked up for its kind while converting
        )
        object.__setattr__(lazy, "cols", cols)
        return cols


def _lookup(table: Column, index: Column) -> Column:
    """``table[index]``; for an index of one value throughout, a view of that one value."""
    if len(index) and index.strides == (0,):
        return np.broadcast_to(table[index[0]], index.shape)
    result: Column = table[index]
    return result


def _search(known: Column, wanted: Column) -> Column:
    """``np.searchsorted(known, wanted)``; many needles are searched in sorted order (neighbouring
    searches then share cache lines: twice as fast for a row group's 160,000 member ids)."""
    if len(wanted) < 4096:
        return np.searchsorted(known, wanted)
    order = np.argsort(wanted, kind="stable")
    where: Column = np.empty(len(wanted), dtype=np.intp)
    where[order] = np.searchsorted(known, wanted[order])
    return where


def _packed(strings: npt.NDArray[np.bytes_]) -> npt.NDArray[Any]:
    """Byte strings of at most 8 bytes as big-endian integers — same order, much faster binary
    search; longer ones unchanged."""
    width = strings.dtype.itemsize
    if width > 8:
        return strings
    padded = np.zeros((len(strings), 8), dtype=np.uint8)
    padded[:, :width] = strings.view(np.uint8).reshape(len(strings), width)
    packed: npt.NDArray[Any] = padded.view(">u8").reshape(-1).astype(np.uint64)
    return packed


def _rows_of(ids: Any, wanted: list[str], ids_sorted: bool) -> npt.NDArray[np.int64]:
    """Rows whose id is one of ``wanted`` (sorted): binary search in each chunk of sorted
    fixed-width ids, else one pyarrow hash lookup."""
    import pyarrow as pa
    import pyarrow.compute as pc

    views = [fixed_width(chunk) for chunk in ids.chunks] if ids_sorted else [None]
    if views and all(v is not None for v in views):
        keys = np.array([w.encode() for w in wanted], dtype=bytes)
        rows = []
        for view, start in zip(views, _starts(ids), strict=True):
            assert view is not None
            at = np.minimum(np.searchsorted(view, keys), len(view) - 1)
            rows.append(start + at[view[at] == keys])
        return np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, dtype=np.int64)
    found = pc.is_in(ids, value_set=pa.array(wanted, pa.string()))
    return np.flatnonzero(found.to_numpy(zero_copy_only=False)).astype(np.int64)


def _chunks(column: Any) -> list[Any]:
    """The arrays of a pyarrow column (chunked or not)."""
    return list(getattr(column, "chunks", [column]))


def _starts(chunked: Any) -> list[int]:
    """The row where each chunk of a chunked array starts."""
    starts, row = [], 0
    for chunk in chunked.chunks:
        starts.append(row)
        row += len(chunk)
    return starts


def _signers(value: object) -> int:
    if value is None:
        return 1
    assert isinstance(value, int)
    if value < 1:
        raise Unusual("signers")
    return value


def _ordinal(value: object) -> int:
    return value.toordinal() if isinstance(value, dt.date) else _NO_DATE


def _scaled(value: Decimal | None) -> int | None:
    result: int | None = int(SCALE) if value is None else scaled(value)
    return result


def _names(book: Codebook) -> dict[str, dict[int, str]]:
    """Code → name, for every field of the codebook."""
    names = {name: {code: value for value, code in table.items()} for name, table in book.values.items()}
    names["kind"] = {code: value for value, code in book.kinds.items()}
    return names


@dataclass(frozen=True)
class ArrowStrings(Sequence[str]):
    """A pyarrow string array seen as a sequence of str (no list of millions of objects)."""

    array: Any

    def __len__(self) -> int:
        return len(self.array)

    def __iter__(self) -> Iterator[str]:
        for chunk in getattr(self.array, "chunks", [self.array]):
            yield from chunk.to_pylist()

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return self.array[i].to_pylist()  # type: ignore[no-any-return]
        return self.array[i].as_py()  # type: ignore[no-any-return]

    def take_list(self, rows: list[int]) -> list[str]:
        """The strings at ``rows`` (a chunk at a time: taking from a chunked array joins it)."""
        chunks = _chunks(self.array)
        if len(chunks) == 1:
            return chunks[0].take(rows).to_pylist()  # type: ignore[no-any-return]
        where = np.asarray(rows, dtype=np.int64)
        starts = np.array(_starts(self.array), dtype=np.int64)
        chunk_of = np.searchsorted(starts, where, side="right") - 1
        out: list[str] = [""] * len(rows)
        for c in np.unique(chunk_of).tolist():
            hits = np.flatnonzero(chunk_of == c)
            for k, value in zip(hits.tolist(), chunks[c].take(where[hits] - starts[c]).to_pylist(), strict=True):
                out[k] = value
        return out


@dataclass(frozen=True)
class _LazyRecords(Sequence[ActivityRecord]):
    """Records built on demand from the columns (exactly what the row-by-row reader builds)."""

    ids: Any
    notes: Any | None
    quantities: list[Decimal | None]
    quantity_id: Column
    unknown_members: dict[int, str]
    member_ids: Sequence[str]
    book: Codebook
    names: dict[str, dict[int, str]]
    cols: RecordColumns | None = None
    later: Callable[[], Any] | None = None  # reads the notes when a record is first built

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> ActivityRecord: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[ActivityRecord]: ...
    def __getitem__(self, i: int | slice) -> ActivityRecord | Sequence[ActivityRecord]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        cols, names = self.cols, self.names
        assert cols is not None
        if self.later is not None:
            object.__setattr__(self, "notes", self.later())
            object.__setattr__(self, "later", None)
        member = int(cols.member[i])
        fields: dict[str, object] = {
            "id": self.ids[i].as_py(),
            "member_id": self.member_ids[member] if member >= 0 else self.unknown_members[i],
            "kind": names["kind"][int(cols.kind[i])], "signers": int(cols.signers[i]),
            "date": dt.date.fromordinal(int(cols.date[i])), "deleted": bool(cols.deleted[i]),
        }
        for name in ("subtype", "status", "role", "level"):
            code = int(getattr(cols, name)[i])
            if code != ABSENT:
                fields[name] = names[name][code]
        mask = int(cols.flags[i])
        if mask:
            fields["flags"] = tuple(f for f, bit in self.book.flags.items() if mask >> bit & 1)
        quantity = self.quantities[int(self.quantity_id[i])]
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
