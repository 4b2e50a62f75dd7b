"""How a sheet is laid out: which row is the header, and which rows below it are not data.

Office exports put a title above the header (often merged across the columns, sometimes with a
second line such as 填报单位 … 制表日期), repeat the header at page breaks, separate sections by
blank rows and end with a 合计 row. :func:`split_grid` finds the header — the first row holding a
header the reader knows (a field name, a Chinese header, a profile's column), or the row a
profile names — and sorts every other row into data or skipped, each skipped row with its reason,
so that a reader can name every one of them in a :class:`~scoring.io.notes.Note`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cells import Cell, is_empty, show
from .codes import lookup_key
from .notes import SkippedRow
from .problems import ProblemLog

if TYPE_CHECKING:  # tables builds on this module
    from .tables import Row

HEADER_SEARCH = 10
"""How many non-blank rows at the top may hold the header (the rest above it are titles)."""

DEFAULT_TOTALS = ("合计", "小计", "总计", "共计", "合计:*", "小计:*", "总计:*", "共计:*")
"""First-cell patterns of totals rows, skipped in every CSV and XLSX file."""


class Patterns:
    """Cell patterns as officers write them: compared after NFKC normalisation, case folding and
    removal of whitespace (as headers are); ``*`` stands for any text (``合计:*``)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = tuple(texts)
        self._exact = frozenset(lookup_key(t) for t in self.texts if "*" not in t)
        self._wild = tuple(
            re.compile(".*".join(re.escape(part) for part in lookup_key(t).split("*")), re.S)
            for t in self.texts if "*" in t
        )

    def __bool__(self) -> bool:
        return bool(self.texts)

    def match(self, text: str) -> str | None:
        """``text`` when it matches one of the patterns, else ``None``."""
        key = lookup_key(text)
        if key in self._exact or any(p.fullmatch(key) for p in self._wild):
            return text
        return None

    def can_match_ascii(self) -> bool:
        """True when some pattern could match a text of ASCII characters only."""
        return any(lookup_key(t).replace("*", "").isascii() for t in self.texts)

    def regex(self) -> str:
        """The patterns as one RE2/Python regular expression over lookup keys (for pyarrow)."""
        options = [re.escape(k) for k in sorted(self._exact)]
        options += [p.pattern for p in self._wild]
        return "^(?:" + "|".join(options) + ")$" if options else "(?!)"

    def __add__(self, other: Patterns) -> Patterns:
        return Patterns((*self.texts, *(t for t in other.texts if t not in self.texts)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Patterns) and self.texts == other.texts

    def __hash__(self) -> int:
        return hash(self.texts)


@dataclass(frozen=True)
class Layout:
    """What a reader knows about the layout of the sheets it reads.

    ``recognise`` tells whether a header is known (``None``: the old rule, a title is a single
    filled cell above a row of several); ``header_row`` fixes the header row; ``totals`` are the
    first-cell patterns of totals rows, ``first_cell`` and ``any_cell`` a profile's patterns of
    more rows to skip.
    """

    recognise: Callable[[str], bool] | None = None
    header_row: int | None = None
    totals: Patterns = field(default_factory=lambda: Patterns(DEFAULT_TOTALS))
    first_cell: Patterns = field(default_factory=lambda: Patterns(()))
    any_cell: Patterns = field(default_factory=lambda: Patterns(()))
    repeated_headers: bool = True
    """skip rows that repeat the header (and the title)"""


RAW = Layout(totals=Patterns(()), repeated_headers=False)
"""The layout of :func:`~scoring.io.read_table`: nothing known, nothing skipped but blank rows."""


@dataclass(frozen=True)
class Split:
    """A grid sorted: the header row, the data rows and the skipped rows."""

    header: Row
    data: tuple[Row, ...]
    skipped: tuple[SkippedRow, ...]


def split_grid(rows: Sequence[Row], layout: Layout, log: ProblemLog) -> Split:
    """The header, data and skipped rows of ``rows`` (cells already cleaned). Blank rows before
    the first and after the last filled row are margins, not rows of the table: not named."""
    filled = [i for i, r in enumerate(rows) if not _blank(r)]
    if not filled:
        log.fail("文件为空", "the file is empty", expected="a header row / 表头行")
    table = rows[filled[0]:filled[-1] + 1]
    at = _header_index(table, layout, log)
    header = table[at]
    skipped: list[SkippedRow] = []
    titles: list[tuple[Cell, ...]] = []
    for row in table[:at]:
        if _blank(row):
            skipped.append(SkippedRow(row=row.number, reason="blank"))
        else:
            skipped.append(SkippedRow(row=row.number, reason="title", found=_first(row)))
            titles.append(_filled_cells(row))
    names = [lookup_key(show(c)) for c in header.cells]
    data: list[Row] = []
    for row in table[at + 1:]:
        why = _skip(row, names, titles, layout)
        if why is None:
            data.append(row)
        else:
            skipped.append(why)
    return Split(header=header, data=tuple(data), skipped=tuple(skipped))


def _header_index(table: Sequence[Row], layout: Layout, log: ProblemLog) -> int:
    if layout.header_row is not None:
        for index, row in enumerate(table):
            if row.number == layout.header_row and not _blank(row):
                return index
        log.fail(
            f"第 {layout.header_row} 行不是表头（该行为空或不存在）",
            f"row {layout.header_row} is not a header (it is blank or missing)", row=layout.header_row,
            expected="the row of the column headers / 列名所在的行", hint="check header_row in the mapping profile / "
            "请检查配置文件中的 header_row",
        )
    candidates = [i for i, r in enumerate(table) if not _blank(r)][:HEADER_SEARCH]
    if layout.recognise is not None:
        recognise = layout.recognise
        for index in candidates:
            if any(recognise(show(c)) for c in table[index].cells if not is_empty(c)):
                return index
    # Nothing recognised: a title is a single filled cell above a row of several.
    at = 0
    while at + 1 < len(candidates) and _count(table[candidates[at]]) == 1 and _count(table[candidates[at + 1]]) > 1:
        at += 1
    return candidates[at]


def _skip(row: Row, names: list[str], titles: list[tuple[Cell, ...]], layout: Layout) -> SkippedRow | None:
    if _blank(row):
        return SkippedRow(row=row.number, reason="blank")
    keys = [(i, lookup_key(show(c))) for i, c in enumerate(row.cells) if not is_empty(c)]
    if layout.repeated_headers and not row.bad and _repeats_header(keys, names):
        return SkippedRow(row=row.number, reason="header")
    if layout.repeated_headers and titles and _filled_cells(row) in titles:
        return SkippedRow(row=row.number, reason="title", found=_first(row))
    first = _first(row)
    if first is not None and layout.totals.match(first):
        return SkippedRow(row=row.number, reason="totals", found=first)
    if first is not None and layout.first_cell.match(first):
        return SkippedRow(row=row.number, reason="pattern", found=first)
    if layout.any_cell:
        for cell in row.cells:
            if not is_empty(cell) and layout.any_cell.match(show(cell)):
                return SkippedRow(row=row.number, reason="pattern", found=show(cell))
    return None


def _repeats_header(keys: list[tuple[int, str]], names: list[str]) -> bool:
    """Every filled cell is the header of its column, and there are two of them (or the header
    has a single column)."""
    named = sum(1 for n in names if n)
    if not keys or len(keys) < min(2, named):
        return False
    return all(i < len(names) and names[i] and key == names[i] for i, key in keys)


def _blank(row: Row) -> bool:
    return not row.bad and all(is_empty(c) for c in row.cells)


def _count(row: Row) -> int:
    return sum(not is_empty(c) for c in row.cells)


def _first(row: Row) -> str | None:
    return next((show(c) for c in row.cells if not is_empty(c)), None)


def _filled_cells(row: Row) -> tuple[Cell, ...]:
    """The row with trailing empty cells dropped (a title repeated further down compares equal)."""
    cells = list(row.cells)
    while cells and is_empty(cells[-1]):
        cells.pop()
    return tuple(None if is_empty(c) else c for c in cells)
