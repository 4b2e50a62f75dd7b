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
        return text if self.matches_key(lookup_key(text)) else None

    def matches_key(self, key: str) -> bool:
        """True when the normalised text ``key`` (:func:`lookup_key`) matches one of the patterns."""
        return key in self._exact or any(p.fullmatch(key) for p in self._wild)

    def can_match_ascii(self) -> bool:
        """True when some pattern could match a text of ASCII characters only."""
        return any(lookup_key(t).replace("*", "").isascii() for t in self.texts)

    def regex(self) -> str:
        """The patterns as one RE2/Python regular expression over lookup keys (for pyarrow)."""
        options = [re.escape(k) for k in sorted(self._exact)]
        options += [p.pattern for p in self._wild]
        return "^(?:" + "|".join(options) + ")$" if options else "^$"

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
    same_field: Callable[[str], frozenset[str]] | None = None
    """the normalised headers meaning what a header means: a row is the header again when each
    filled cell is one of its column's (记录编号 under id)"""
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
    heads = [_heads(c, layout) for c in header.cells]
    data: list[Row] = []
    for row in table[at + 1:]:
        why = _skip(row, heads, titles, layout)
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


def _heads(cell: Cell, layout: Layout) -> frozenset[str]:
    """What a cell under the header ``cell`` may hold for its row to repeat the header."""
    if is_empty(cell):
        return frozenset()
    text = show(cell)
    return layout.same_field(text) if layout.same_field else frozenset({lookup_key(text)})


def _skip(row: Row, heads: list[frozenset[str]], titles: list[tuple[Cell, ...]], layout: Layout) -> SkippedRow | None:
    filled = [(i, c) for i, c in enumerate(row.cells) if not is_empty(c)]
    if not filled and not row.bad:
        return SkippedRow(row=row.number, reason="blank")
    if not filled:
        return None
    first = show(filled[0][1])
    key = lookup_key(first)
    if layout.repeated_headers and not row.bad and _repeats_header(filled, key, heads):
        return SkippedRow(row=row.number, reason="header")
    if layout.repeated_headers and titles and _filled_cells(row) in titles:
        return SkippedRow(row=row.number, reason="title", found=first)
    if layout.totals.matches_key(key):
        return SkippedRow(row=row.number, reason="totals", found=first)
    if layout.first_cell.matches_key(key):
        return SkippedRow(row=row.number, reason="pattern", found=first)
    if layout.any_cell:
        for _, cell in filled:
            if layout.any_cell.match(show(cell)):
                return SkippedRow(row=row.number, reason="pattern", found=show(cell))
    return None


def _repeats_header(filled: list[tuple[int, Cell]], first: str, heads: list[frozenset[str]]) -> bool:
    """Every filled cell is a header of its column's field, and there are two of them (or the
    header has a single column). ``first`` is the normalised first filled cell (checked first:
    a data row fails there)."""
    named = sum(1 for h in heads if h)
    at = filled[0][0]
    if len(filled) < min(2, named) or at >= len(heads) or first not in heads[at]:
        return False
    return all(i < len(heads) and lookup_key(show(c)) in heads[i] for i, c in filled[1:])


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
