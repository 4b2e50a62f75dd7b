"""Raw tables: the rows of a file as cells under the headers as written, before any mapping.

Spreadsheet-like sources (CSV, XLSX) give a grid whose header and data rows
:mod:`~scoring.io.layout` finds; JSON sources give objects whose keys are the headers. Both end
up as a :class:`Table`, with string cells normalised (NFKC, stripped) and row numbers as the user sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .cells import INVISIBLE as _INVISIBLE
from .cells import Cell, Scalar, is_empty, normalise, show
from .layout import RAW, Layout, split_grid
from .notes import SkippedRow
from .problems import CellError, ProblemLog


@dataclass(frozen=True)
class Column:
    """One column: its header as written and the row where that header is."""

    name: str
    row: int | None


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be used: why, and what it holds."""

    error: CellError
    found: str


@dataclass(frozen=True)
class Row:
    """One data row: its number as the user sees it and its cells, aligned with the columns."""

    number: int
    cells: tuple[Cell, ...]
    merged: Mapping[int, str] = field(default_factory=dict)
    """column index → merged range (e.g. ``A2:A3``) for cells hidden by a merge"""
    bad: Mapping[int, Unreadable] = field(default_factory=dict)
    """column index → why its cell cannot be read (reported once the column is known)"""


@dataclass(frozen=True)
class Table:
    """A whole file: columns, data rows and the row of the header (``None`` for JSON)."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_row: int | None
    skipped: tuple[SkippedRow, ...] = ()
    """rows that are not data (grid files only), in file order"""


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index`` (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def clean(cell: Cell) -> Cell:
    """Normalise the strings of a cell (NFKC, no zero-width characters, stripped)."""
    if isinstance(cell, str):
        return normalise(cell)
    if isinstance(cell, tuple):
        return tuple(normalise(c) if isinstance(c, str) else c for c in cell)
    return cell


def grid_table(rows: Iterable[Row], log: ProblemLog, layout: Layout = RAW) -> Table:
    """A table from grid rows (CSV, XLSX): the header is found and the rows that are not data
    (titles, blank rows, repeated headers, totals) are set aside as ``skipped`` by ``layout``
    (see :mod:`scoring.io.layout`).

    Columns without a header are dropped when empty and reported otherwise, and so are cells
    beyond the last header. A file without any non-blank row is an error.
    """
    grid = [Row(r.number, tuple(clean(c) for c in r.cells), r.merged, r.bad) for r in rows]
    split = split_grid(grid, layout, log)
    header, data = split.header, split.data
    names = [_header_name(cell) for cell in header.cells]
    for index, name in enumerate(names):
        if not name and any(index < len(r.cells) and not is_empty(r.cells[index]) for r in data):
            letter = column_letter(index)
            log.add(
                f"第 {letter} 列有数据但没有列名", f"column {letter} has values but no header",
                row=header.number, column=letter, expected="a header / 列名",
            )
    keep = [i for i, name in enumerate(names) if name]
    for row in data:
        extra = [show(c) for c in row.cells[len(names):] if not is_empty(c)]
        if extra:
            letter = column_letter(len(names))
            log.add(
                f"该行的单元格多于表头（从 {letter} 列起）",
                f"row has more cells than the header (from column {letter})",
                row=row.number, column=letter, found=", ".join(extra),
            )
    return Table(
        columns=tuple(Column(names[i], header.number) for i in keep),
        rows=tuple(_select(row, keep) for row in data),
        header_row=header.number,
        skipped=split.skipped,
    )


def _header_name(cell: Cell) -> str:
    """A header as written: only surrounding whitespace and invisible characters removed."""
    text = cell if isinstance(cell, str) else show(cell)
    return text.translate(_INVISIBLE).strip()


def _select(row: Row, keep: Sequence[int]) -> Row:
    width = len(row.cells)
    position = {old: new for new, old in enumerate(keep)}
    return Row(
        number=row.number,
        cells=tuple(row.cells[i] if i < width else None for i in keep),
        merged={position[i]: r for i, r in row.merged.items() if i in position},
        bad={position[i]: why for i, why in row.bad.items() if i in position},
    )


def object_table(items: Iterable[tuple[int, object]], log: ProblemLog) -> Table:
    """A table from JSON objects numbered as given; keys are the headers.

    Items that are not objects are reported; values that are objects or nested lists are
    marked unreadable.
    """
    names: dict[str, int] = {}
    objects: list[tuple[int, dict[str, Cell], dict[str, Unreadable]]] = []
    for number, item in items:
        if not isinstance(item, dict):
            log.add(
                "此项不是对象", "item is not an object", row=number,
                expected='an object such as {"id": "M001", ...} / 对象', found=_json_type(item),
            )
            continue
        cells: dict[str, Cell] = {}
        bad: dict[str, Unreadable] = {}
        for key, value in item.items():
            name = str(key).strip()
            names.setdefault(name, number)
            try:
                cells[name] = clean(_json_cell(value))
            except CellError as error:
                bad[name] = Unreadable(error, _json_type(value))
        objects.append((number, cells, bad))
    order = list(names)
    return Table(
        columns=tuple(Column(name, names[name]) for name in order),
        rows=tuple(
            Row(
                number=number,
                cells=tuple(cells.get(name) for name in order),
                bad={i: bad[name] for i, name in enumerate(order) if name in bad},
            )
            for number, cells, bad in objects
        ),
        header_row=None,
    )


def _json_cell(value: object) -> Cell:
    if isinstance(value, list):
        return tuple(_json_scalar(v) for v in value)
    return _json_scalar(value)


def _json_scalar(value: object) -> Scalar:
    if value is None or isinstance(value, (str, bool, int, float, Decimal, dt.date)):
        return value
    raise CellError(
        "不支持嵌套的对象或列表", "nested objects and lists are not supported",
        expected="text, a number, true/false, null or a list of those / 文本、数字、布尔值或其列表",
    )


def _json_type(value: object) -> str:
    names = {dict: "object", list: "list", str: "text", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
