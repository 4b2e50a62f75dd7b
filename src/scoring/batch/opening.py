"""Opening a members or records file for the columnar readers: its header mapped as the
row-by-row readers map it, the columns to read (the mapped ones, and probes), what to check in
them so that a row the row-by-row reader would skip never becomes a record, and the fixed
columns of a mapping profile. Anything the columnar readers cannot take is :class:`Unusual`."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..io.cells import normalise, show
from ..io.codes import lookup_key
from ..io.headers import MEMBER_NAME
from ..io.layout import Patterns
from ..io.mapping import map_columns
from ..io.notes import IgnoredColumn
from ..io.plan import ReadPlan
from ..io.problems import ProblemLog
from ..io.tables import clean
from .arrow import HIGH_CARDINALITY, LATER, ReadAhead, Unusual, csv_pieces, needs_cleaning


def load(path: Path, how: ReadPlan, encoding: str | None) -> tuple[Any, tuple[IgnoredColumn, ...]]:
    """The file as a pyarrow Table whose columns are named by field (only mapped fields, and the
    fixed ones), and the columns not read."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        names = _csv_header(path, encoding)
        header = FileHeader.of(names, how, csv=True)
        table = _read_csv(path, names, header.fields)
    elif suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            names = pq.read_schema(path).names
            header = FileHeader.of(names, how, csv=False)
            table = pq.read_table(
                path, columns=list(header.fields),
                read_dictionary=[n for n, f in header.fields.items() if f not in HIGH_CARDINALITY],
            )
        except Unusual:
            raise
        except Exception as exc:  # damaged file: the row-by-row reader reports it
            raise Unusual(str(exc)) from exc
    else:
        raise Unusual(f"no columnar reader for {suffix}")
    return header.prepare(table), header.ignored


def stream(
    path: Path, how: ReadPlan, encoding: str | None, *, batch_rows: int = 1 << 22, block_bytes: int = 1 << 25,
) -> ReadAhead:
    """The file as pyarrow tables whose columns are named by field (only mapped fields, and the
    fixed ones), so a file far larger than memory's comfort is converted a piece at a time:
    Parquet ``batch_rows`` rows, CSV ``block_bytes`` bytes at a time. Reading starts at once, on
    a helper thread; close the result (it is a context manager) when done with it. Its
    ``ignored`` are the columns not read."""
    import pyarrow as pa

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            names = _csv_header(path, encoding)
            header = FileHeader.of(names, how, csv=True)
            tables: Iterator[Any] = csv_pieces(path, names, header.fields, block_bytes)
        elif suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            names = pq.read_schema(path).names
            header = FileHeader.of(names, how, csv=False)
            fields = header.fields
            parquet = pq.ParquetFile(path, read_dictionary=[n for n, f in fields.items() if f not in HIGH_CARDINALITY])
            wanted = [n for n, f in fields.items() if f not in LATER]
            batches = parquet.iter_batches(batch_size=batch_rows, columns=wanted)
            tables = (pa.Table.from_batches([batch]) for batch in batches)
        else:
            raise Unusual(f"no columnar reader for {suffix}")
    except Unusual:
        raise
    except Exception as exc:  # a damaged file
        raise Unusual(str(exc)) from exc
    return ReadAhead(_prepared(tables, header), ignored=header.ignored)


def _prepared(tables: Iterator[Any], header: FileHeader) -> Iterator[Any]:
    """Tables ready for conversion (see :meth:`FileHeader.prepare`); any failure to read is
    :class:`Unusual`."""
    try:
        for table in tables:
            yield header.prepare(table)
    except Unusual:
        raise
    except Exception as exc:  # ragged rows, bad quoting, invalid UTF-8, a damaged file
        raise Unusual(str(exc)) from exc


def read_later(path: Path, how: ReadPlan, field: str) -> Any | None:
    """The column ``field`` of a Parquet file (one of :data:`LATER`), read when first needed."""
    import pyarrow.parquet as pq

    names = {f: n for n, f in FileHeader.of(pq.read_schema(path).names, how, csv=False).fields.items()}
    if field not in names:
        return None
    return pq.read_table(path, columns=[names[field]]).column(0)


def _csv_header(path: Path, encoding: str | None) -> list[str]:
    if encoding is not None and encoding.replace("_", "-").lower() not in ("utf-8", "utf8", "utf-8-sig"):
        raise Unusual("encoding")
    try:
        with path.open("rb") as handle:
            first = handle.readline()
    except OSError as exc:
        raise Unusual(str(exc)) from exc
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unusual("not UTF-8") from exc
    return next(csv.reader([line]), [])


def _read_csv(path: Path, names: list[str], fields: dict[str, str]) -> Any:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    types = {
        n: pa.string() if f in HIGH_CARDINALITY else pa.dictionary(pa.int32(), pa.string())
        for n, f in fields.items()
    }
    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types, include_columns=list(fields), strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=True,
            ),
        )
    except Exception as exc:  # ragged rows, bad quoting, invalid UTF-8
        raise Unusual(str(exc)) from exc
    return table


_PROBE = "\x00probe:"  # a column read only to look for rows the row-by-row reader would skip


@dataclass(frozen=True)
class FileHeader:
    """The columns of a file to read, and what to check in them.

    A CSV row that the row-by-row reader skips (blank, the header repeated, a totals row) must
    not become a record here. Every record fills the leftmost required column; so a totals row
    that would pass for a record has its first filled cell at or left of that column, and a
    repeated header has a header of that column's field in it. Only the columns up to that one
    are looked at, then — those not otherwise read are read as probes — for a totals pattern, and
    the required column for a header of its field. A blank row leaves the required column empty,
    which is unusual anyway.
    """

    fields: dict[str, str]
    """header as written → field (or probe name), for the columns to read"""
    ignored: tuple[IgnoredColumn, ...]
    fixed: Mapping[str, str]
    check: tuple[str, ...] = ()
    """columns (by field or probe name) to look at for totals rows"""
    repeat: tuple[str, frozenset[str]] | None = None
    """(field, its normalised headers) of the required column to look at for a repeated header"""
    totals: Patterns | None = None

    @classmethod
    def of(cls, names: list[str], how: ReadPlan, *, csv: bool) -> FileHeader:
        """The header ``names`` mapped by ``how``; :class:`Unusual` when it is not simple."""
        if how.row_ids or MEMBER_NAME in how.fixed:
            raise Unusual("records numbered by row, or members matched by name")
        if csv and (how.layout.header_row not in (None, 1) or how.layout.any_cell):
            raise Unusual("layout")
        if len(set(names)) != len(names) or any(normalise(n) != n or not n for n in names):
            raise Unusual("headers")
        log = ProblemLog("")
        columns = map_columns(names, [1] * len(names), how.rules, 1, log)
        if log.problems or MEMBER_NAME in columns.columns:
            raise Unusual("headers")
        fields = {names[index]: field for field, index in columns.columns.items()}
        if not csv:
            return cls(fields, columns.ignored, how.fixed)
        at = min(columns.columns[f] for f in how.schema.required if f in columns.columns)
        by_index = {index: field for field, index in columns.columns.items()}
        check = []
        for index in range(at + 1):
            if index not in by_index:
                fields[names[index]] = f"{_PROBE}{index}"
            check.append(by_index.get(index, f"{_PROBE}{index}"))
        return cls(
            fields, columns.ignored, how.fixed, check=tuple(check),
            repeat=(by_index[at], how.rules.spellings(by_index[at]) | {lookup_key(names[at])}),
            totals=how.layout.totals + how.layout.first_cell,
        )

    def prepare(self, table: Any) -> Any:
        """``table`` with its columns named by field, checked for rows the row-by-row reader would
        skip (:class:`Unusual`), without the probes, with the fixed columns added."""
        import pyarrow as pa

        table = table.rename_columns([self.fields[n] for n in table.column_names])
        for name in self.check:
            headers = self.repeat[1] if self.repeat is not None and self.repeat[0] == name else frozenset()
            if _skippable(table.column(name), self.totals or Patterns(()), headers):
                raise Unusual("a row the row-by-row reader skips")
        probes = [n for n in table.column_names if n.startswith(_PROBE)]
        if probes:
            table = table.drop_columns(probes)
        n = table.num_rows
        for field, value in self.fixed.items():
            if field in HIGH_CARDINALITY:
                column = pa.array([value] * n, pa.string())
            else:
                column = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value]))
            table = table.append_column(field, column)
        return table


def _skippable(column: Any, totals: Patterns, headers: frozenset[str]) -> bool:
    """True when a cell of ``column`` might be a totals label or one of ``headers`` (normalised):
    the distinct strings that normalising could change are looked at one by one, the plain ASCII
    ones by a vectorised match (only when a pattern or a header could match them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ascii_headers = sorted(h for h in headers if h.isascii())
    for chunk in getattr(column, "chunks", [column]):
        values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
        if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
            values = pc.cast(values, pa.string())
        for r in needs_cleaning(values).tolist():
            cell = values[r].as_py()
            if cell is None:
                continue
            text = show(clean(cell))
            if totals.match(text) or lookup_key(text) in headers:
                return True
        if totals.can_match_ascii() or ascii_headers:
            keys = pc.replace_substring(pc.ascii_lower(values), " ", "")
            if totals.can_match_ascii() and pc.any(pc.match_substring_regex(keys, totals.regex())).as_py():
                return True
            if ascii_headers and pc.any(pc.is_in(keys, value_set=pa.array(ascii_headers, pa.string()))).as_py():
                return True
    return False
