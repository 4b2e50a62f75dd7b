"""The pyarrow pieces of the columnar readers (the ``fast`` extra): CSV blocks cut at line ends,
reading ahead on a helper thread, distinct values converted once, ids checked on raw buffers.
:mod:`.opening` opens a file with them.

The columnar readers only take files they can read *exactly* as the row-by-row readers of
:mod:`scoring.io` would; anything unusual (another encoding, a title row above the header, a
ragged row, a value that does not convert, a row the row-by-row reader would skip) raises
:class:`Unusual`, and the caller hands the file to the row-by-row reader, which reads it or
reports every problem with its row and column. Columns that map to no field are not read; a
mapping profile's fixed values become columns of one value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from io import BufferedReader
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import numpy as np
import numpy.typing as npt

from ..io.cells import Cell, is_empty, normalise, to_text
from ..io.notes import IgnoredColumn
from ..io.problems import CellError
from ..io.tables import clean

Ints = npt.NDArray[np.int64]
Indices = npt.NDArray[np.integer[Any]]  # row → distinct value (int32 from pyarrow)
HIGH_CARDINALITY = frozenset({"id", "note", "name"})  # columns not worth a dictionary
LATER = frozenset({"note"})  # Parquet columns read only when a record is built (see read_later)


class Unusual(Exception):
    """The file needs the row-by-row reader (which reads it, or reports what is wrong)."""


def available() -> bool:
    """True when pyarrow is installed."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def csv_pieces(path: Path, names: list[str], fields: dict[str, str], block_bytes: int) -> Iterator[Any]:
    """The rows below the header of a CSV file as pyarrow tables, ``block_bytes`` of the file at
    a time, cut at line ends, codes dictionary-encoded. Each piece is parsed by ``read_csv`` on
    every core (the streaming reader parses on one). Rows never span lines: ``newlines_in_values``
    is off, so a quoted line break is an error and the row-by-row reader takes the file."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    code = pa.dictionary(pa.int32(), pa.string())
    types = {n: pa.string() if f in HIGH_CARDINALITY else code for n, f in fields.items()}
    options = {
        "read_options": pacsv.ReadOptions(column_names=names, block_size=1 << 22),
        "parse_options": pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
        "convert_options": pacsv.ConvertOptions(
            column_types=types, include_columns=list(fields),
            strings_can_be_null=False, quoted_strings_can_be_null=False, check_utf8=True,
        ),
    }
    with path.open("rb") as handle:
        handle.readline()  # the header (read by _csv_header)
        for piece in _line_blocks(handle, block_bytes):
            yield pacsv.read_csv(pa.py_buffer(piece), **options)


def _line_blocks(handle: BufferedReader, block_bytes: int) -> Iterator[memoryview]:
    """The rest of a file in blocks of about ``block_bytes``, each ending at a line end (the last
    one may not). One buffer is filled again and again (``read_csv`` copies what it keeps): fresh
    memory for every block would cost a page fault per 4 KiB, dearer than the parsing on some
    virtual machines."""
    buffer = np.empty(max(block_bytes, 1), dtype=np.uint8)
    carried = 0  # bytes of an unfinished line, moved to the front of the buffer
    while True:
        read = handle.readinto(buffer.data[carried:])
        end = carried + (read or 0)
        if not read:
            if end:
                yield buffer.data[:end]
            return
        cut = _after_last_newline(buffer, end)
        if not cut:  # one line longer than the buffer: a bigger buffer
            if end == len(buffer):
                buffer = np.concatenate([buffer, np.empty(len(buffer), dtype=np.uint8)])
            carried = end
            continue
        yield buffer.data[:cut]
        carried = end - cut
        buffer[:carried] = buffer[cut:end].copy()


def _after_last_newline(buffer: npt.NDArray[np.uint8], end: int) -> int:
    """The position just after the last ``\\n`` in ``buffer[:end]`` (0 if none), looking back from
    the end a window at a time (lines are short; the whole buffer is rarely searched)."""
    window = 1 << 16
    stop = end
    while stop > 0:
        start = max(0, stop - window)
        found = bytes(buffer[start:stop]).rfind(b"\n")
        if found >= 0:
            return start + found + 1
        stop = start
        window *= 4
    return 0


class ReadAhead(Iterator[Any]):
    """The items of an iterator, produced by a helper thread from the moment this is made, one
    item ahead of the consumer (pyarrow parses without the GIL, so reading, converting and the
    caller's other work share the cores). Close it, or use it as a context manager, to stop the
    helper early."""

    def __init__(self, items: Iterator[Any], *, ignored: tuple[IgnoredColumn, ...] = ()) -> None:
        self.ignored = ignored
        """the columns of the file not read"""
        self._queue: Queue[Any] = Queue(maxsize=1)
        self._stop = threading.Event()
        self._ended = False
        self._worker = threading.Thread(target=self._produce, args=(items,), name="scoring-read-ahead", daemon=True)
        self._worker.start()

    def _produce(self, items: Iterator[Any]) -> None:
        try:
            for item in items:
                if self._stop.is_set():
                    return
                self._queue.put(item)
            self._queue.put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            self._queue.put(_Failed(exc))

    def __next__(self) -> Any:
        if self._ended:
            raise StopIteration
        item = self._queue.get()
        if item is _END:
            self._ended = True
            raise StopIteration
        if isinstance(item, _Failed):
            self._ended = True
            raise item.error
        return item

    def close(self) -> None:
        """Stop the helper and drop what it read ahead."""
        self._ended = True
        self._stop.set()
        while self._worker.is_alive():  # let a producer blocked on a full queue finish
            try:
                self._queue.get_nowait()
            except Empty:
                self._worker.join(0.01)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_END = object()


class _Failed:
    """An exception raised while reading ahead."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def expected_rows(path: Path) -> int:
    """The number of rows of a Parquet file (from its metadata), or a generous estimate for a CSV
    file (its size over the line length of its first MiB), for preallocating columns."""
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows)
        except Exception as exc:  # damaged file: the row-by-row reader reports it
            raise Unusual(str(exc)) from exc
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
            size = handle.seek(0, 2)
    except OSError as exc:
        raise Unusual(str(exc)) from exc
    lines = head.count(b"\n") or 1
    return size * lines // max(len(head), 1) * 5 // 4 + 1024


def distinct(column: Any) -> tuple[Indices, list[Cell]]:
    """Each row's index into the column's distinct values, and those values as cleaned cells
    (strings normalised as the row-by-row readers do; a missing value is ``None``). Every value
    of the dictionary is converted (a dictionary column read from Parquet holds its row group's)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_nested(column.type):
        raise Unusual("nested column")
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    if isinstance(column, pa.ChunkedArray):
        column = column.unify_dictionaries().combine_chunks() if column.num_chunks else pa.array(
            [], pa.dictionary(pa.int32(), pa.string())
        )
    values: list[Cell] = column.dictionary.to_pylist()
    if pa.types.is_string(column.dictionary.type) or pa.types.is_large_string(column.dictionary.type):
        for r in needs_cleaning(column.dictionary).tolist():
            values[r] = clean(values[r])
    else:
        values = [clean(v) for v in values]
    indices = column.indices
    if indices.null_count:  # missing cells: one more distinct value, None
        indices = indices.fill_null(len(values))
        values.append(None)
    if any(isinstance(v, str) and "\x00" in v for v in values):
        raise Unusual("NUL character")
    return indices.to_numpy(zero_copy_only=False), values


def convert_distinct(
    column: Any | None, convert: Callable[[Cell], object], *, required: bool = False, n: int = 0,
    cache: dict[Cell, object] | None = None,
) -> tuple[Indices, list[object]]:
    """:func:`distinct`, with every distinct non-empty value converted by ``convert`` (empty →
    ``None``); a value that does not convert, or a required value that is empty, is unusual."""
    if column is None:
        if required:
            raise Unusual("missing column")
        return np.zeros(n, dtype=np.int64), [None]
    indices, cells = distinct(column)
    out: list[object] = []
    if convert is to_text and not required and all(isinstance(c, str) or c is None for c in cells):
        return indices, [c or None for c in cells]  # text cells are already clean: nothing to convert
    for cell in cells:
        if is_empty(cell):
            if required:
                raise Unusual("empty required value")
            out.append(None)
        elif cache is not None and cell in cache:
            out.append(cache[cell])
        else:
            try:
                value = convert(cell)
            except CellError as exc:
                raise Unusual(str(exc)) from exc
            if cache is not None:
                cache[cell] = value
            out.append(value)
    return indices, out


def plain(strings: Any) -> Any:
    """Per string of a pyarrow string array: True when normalising keeps it (see :func:`needs_cleaning`)."""
    return _plain(strings)


def needs_cleaning(strings: Any) -> npt.NDArray[np.int64]:
    """Rows of a string array that normalising could change (non-ASCII text, or whitespace or a
    control character at either end); every other string is already clean."""

    if not len(strings):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(~_plain(strings).fill_null(True).to_numpy(zero_copy_only=False))


def _plain(strings: Any) -> Any:
    """Per string: printable ASCII, not empty, no space at either end — normalising keeps it
    (a few fast kernels instead of a regular expression)."""
    import pyarrow.compute as pc

    edges = pc.or_(pc.starts_with(strings, " "), pc.ends_with(strings, " "))
    return pc.and_(pc.and_(pc.ascii_is_printable(strings), pc.invert(edges)), pc.greater(pc.binary_length(strings), 0))


def identifiers(column: Any, *, unique: bool = True) -> Any:
    """A string column of ids, normalised as the row-by-row readers do (only the rare values
    that need it go through Python); unusual when one is empty, too long or (``unique``) repeated.
    A chunked column stays chunked (no copy) unless some id needs normalising."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        raise Unusual("ids are not text")
    if column.null_count:
        raise Unusual("empty id")
    if all(_plain_ids(chunk) for chunk in getattr(column, "chunks", [column])):
        if unique and not (is_sorted(column) or all_distinct(column)):
            raise Unusual("repeated id")
        return column
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    rows = needs_cleaning(column)
    if len(rows):
        fixed = {int(r): normalise(column[int(r)].as_py()) for r in rows}
        values = column.to_pylist()
        for r, v in fixed.items():
            values[r] = v
        column = pa.array(values, pa.string())
    if pc.any(pc.match_substring(column, "\x00")).as_py():
        raise Unusual("NUL character")
    lengths = pc.utf8_length(column)
    if len(column) and (pc.min(lengths).as_py() < 1 or pc.max(lengths).as_py() > 128):
        raise Unusual("id length")
    if unique and not (is_sorted(column) or all_distinct(column)):
        raise Unusual("repeated id")
    return column


def _plain_ids(strings: Any) -> bool:
    """True when every string of a string array is 1 to 128 bytes of printable ASCII with no
    space at either end (so normalising keeps it): a few numpy passes over the raw buffers."""
    import pyarrow as pa

    if not pa.types.is_string(strings.type) or strings.null_count:
        return False
    if not len(strings):
        return True
    _, offsets, data = strings.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32, count=len(strings) + 1, offset=strings.offset * 4)
    lengths = np.diff(bounds)
    shortest, longest = int(lengths.min()), int(lengths.max())
    if shortest < 1 or longest > 128:
        return False
    text = np.frombuffer(data, dtype=np.uint8, count=int(bounds[-1] - bounds[0]), offset=int(bounds[0]))
    if int(text.min()) < 0x20 or int(text.max()) > 0x7E:
        return False
    if shortest == longest:  # one width: the ids are the rows of a matrix
        rows = text.reshape(len(lengths), shortest)
        return not (np.any(rows[:, 0] == 0x20) or np.any(rows[:, -1] == 0x20))
    starts = bounds[:-1] - bounds[0]
    return not (np.any(text[starts] == 0x20) or np.any(text[starts + lengths - 1] == 0x20))


def fixed_width(strings: Any) -> npt.NDArray[np.bytes_] | None:
    """The UTF-8 bytes of a string array as a numpy ``S<width>`` view, without copying, when every
    string has the same byte length (ids like ``M000123`` usually do); None otherwise. Byte order
    is code-point order, so sorted ids stay sorted."""
    import pyarrow as pa

    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if not pa.types.is_string(strings.type) or strings.null_count or not len(strings):
        return None
    _, offsets, data = strings.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32, count=len(strings) + 1, offset=strings.offset * 4)
    width = int(bounds[1] - bounds[0])
    if width == 0 or int(bounds[-1] - bounds[0]) != width * len(strings):
        return None
    if np.any(np.diff(bounds) != width):
        return None
    view: npt.NDArray[np.bytes_] = np.frombuffer(data, dtype=f"S{width}", count=len(strings), offset=int(bounds[0]))
    return view


def is_sorted(column: Any) -> bool:
    """True when the strings strictly increase (then none repeats: one cheap pass)."""
    import pyarrow.compute as pc

    return len(column) < 2 or bool(pc.all(pc.less(column[:-1], column[1:])).as_py())


def all_distinct(column: Any) -> bool:
    """True when no string repeats (a hash of every value: the slow check)."""
    import pyarrow.compute as pc

    return bool(pc.count_distinct(column).as_py() == len(column))
