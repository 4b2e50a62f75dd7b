"""A format-neutral report: a title, facts, and sections of paragraphs and tables.

Reports are built once as a :class:`Document` and rendered as text, Markdown or HTML by
:mod:`~scoring.report.render`; cells are plain strings, escaped by each renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """Rows of cells under headers; ``numeric`` columns are right-aligned."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    row_header: bool = False
    """the first column labels the row (a matrix)"""


@dataclass(frozen=True)
class Paragraph:
    """A line of text."""

    text: str


Block = Table | Paragraph


@dataclass(frozen=True)
class Section:
    """A titled part of a report."""

    title: str
    blocks: tuple[Block, ...]
    level: int = 2


@dataclass(frozen=True)
class Document:
    """A whole report."""

    title: str
    lang: str
    facts: tuple[tuple[str, str], ...] = ()
    """label/value pairs shown under the title (rule set, period …)"""
    notices: tuple[str, ...] = ()
    """prominent warnings such as 'example values, not official'"""
    sections: tuple[Section, ...] = field(default=())
