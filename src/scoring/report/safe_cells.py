"""Spreadsheet cells that show what was written and never run it (CWE-1236, formula injection).

Names, sectors, employers, notes and rule-set labels are data typed by other people. A CSV or
XLSX file is opened in Excel or WPS by an office that trusts it, and a spreadsheet evaluates a
text cell that starts with ``=``, ``+``, ``-`` or ``@`` (a tab or carriage return first, too) as
a formula: ``=HYPERLINK("http://…/?x="&A1, "click")`` sends the sheet's data away when clicked,
``=cmd|' /c calc'!A1`` runs a program on older installations.

Every CSV and XLSX writer of :mod:`scoring.report` writes its cells through this module, as the
OWASP guidance says:

- **CSV** (:func:`csv_row`): a text cell starting with one of :data:`FORMULA_STARTS` gets a
  leading ``'`` (the spreadsheet shows ``'=HYPERLINK(…)`` as text, and the apostrophe tells a
  reader the cell was defused); numbers (``int``, ``Decimal``) are written as numbers, so a total
  of -10 stays ``-10`` while a name ``-张三`` becomes ``'-张三``.
- **XLSX** (:func:`append_row`): every text cell is written as an explicit string (never a
  formula, whatever it starts with) and one that starts like a formula is also marked
  *quote-prefixed*, so editing it in Excel keeps it text; the value itself stays exact. Characters
  an XLSX file cannot hold (control characters) become U+FFFD instead of failing the export.

Text for a **terminal** (the table report, ``explain``, the accounting line) goes through
:func:`printable`: a control character in a name (an ANSI escape sequence, a carriage return that
overwrites the line) would be obeyed by the terminal, so it is shown as U+FFFD instead.

HTML and Markdown are escaped by their own renderers (:mod:`.as_html`, :mod:`.as_markdown`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..rules.base import fmt

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""first characters that make a spreadsheet evaluate a text cell (OWASP, CSV injection)"""

Value = str | int | Decimal | dt.date | None
"""a cell as the writers give it: text, a number, a date or nothing"""

_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""control characters an XLSX file (XML 1.0) cannot hold"""


_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""control characters a terminal acts on (line feed and tab are layout, and kept)"""


def printable(text: str) -> str:
    """``text`` safe to show on a terminal: control characters but line feed and tab replaced by
    U+FFFD."""
    return _TERMINAL_CONTROLS.sub("\ufffd", text)


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text`` typed or imported into a cell."""
    return text.startswith(FORMULA_STARTS)


def defused(text: str) -> str:
    """``text``, with a leading ``'`` when it starts like a formula (CSV cells)."""
    return "'" + text if starts_like_formula(text) else text


def csv_cell(value: Value) -> str:
    """One CSV cell: text defused, a decimal without trailing zeros or exponent, a date in ISO
    form, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return defused(value)
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_row(values: Iterable[Value]) -> list[str]:
    """A CSV row (for :func:`csv.writer`) of which no cell is evaluated by a spreadsheet."""
    return [csv_cell(v) for v in values]


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX file can hold it: control characters replaced by U+FFFD."""
    return _NOT_IN_XML.sub("\ufffd", text)


def append_row(sheet: Any, values: Iterable[Value]) -> None:
    """Append a row to an openpyxl worksheet: numbers and dates as they are, every text cell as
    an explicit string (openpyxl would make a formula of a string starting with ``=``), one that
    starts like a formula also quote-prefixed."""
    row = [xlsx_text(v) if isinstance(v, str) else v for v in values]
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if starts_like_formula(value):
                cell.quotePrefix = True
