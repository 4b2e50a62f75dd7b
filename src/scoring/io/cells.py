"""Cell values: normalising text and converting cells to text, numbers, booleans and lists.

Every reader produces the same kinds of cell values (:data:`Cell`): CSV gives strings, XLSX
adds numbers, booleans and dates, JSON adds lists. The converters here accept all of them and
raise :class:`~scoring.io.problems.CellError` for values they cannot take.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .problems import CellError

Scalar = str | int | float | Decimal | bool | dt.date | None
"""One value as read from a file (``dt.datetime`` is a ``dt.date``)."""

Cell = Scalar | tuple[Scalar, ...]
"""A cell: a scalar, or a list of scalars (JSON arrays)."""

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_LIST_SEPARATORS = re.compile(r"[,;、\n]")
_WHOLE = re.compile(r"[+-]?\d+(?:\.0*)?")
_TRUE = frozenset({"true", "t", "yes", "y", "1", "是", "√"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "否", "×"})

BOOL_EXPECTED = "true/false, 1/0, 是/否, Y/N"


def normalise(text: str) -> str:
    """NFKC-normalise ``text`` (full-width digits, letters and spaces become ASCII), drop
    zero-width characters and strip surrounding whitespace."""
    if text.isascii():
        return text.strip()  # NFKC leaves ASCII unchanged
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).strip()


def is_empty(cell: Cell) -> bool:
    """True for a cell that means "absent": nothing, an empty string or an empty list."""
    return cell is None or cell == "" or cell == ()


def show(cell: Cell) -> str:
    """The cell as a user would recognise it in an error message."""
    if isinstance(cell, tuple):
        return ", ".join(show(item) for item in cell)
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _single(cell: Cell) -> Scalar:
    if isinstance(cell, tuple):
        raise CellError("此处应为单个值，不能是列表", "expected a single value, not a list")
    return cell


def to_text(cell: Cell) -> str:
    """The cell as text (numbers without a spurious ``.0``, dates in ISO form)."""
    value = _single(cell)
    return value if isinstance(value, str) else normalise(show(value))


def to_bool(cell: Cell) -> bool:
    """The cell as a boolean: true/false, 1/0, 是/否, Y/N (also T/F, yes/no, √/×)."""
    value = _single(cell)
    if isinstance(value, bool):
        return value
    key = show(value).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("不是有效的是/否值", "not a yes/no value", expected=BOOL_EXPECTED)


def to_int(cell: Cell) -> int:
    """The cell as a whole number (``3``, ``3.0`` and ``"3"`` are all 3)."""
    value = _single(cell)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)) and _finite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return int(Decimal(value))
    raise CellError("不是整数", "not a whole number", expected="a whole number / 整数")


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def to_decimal(cell: Cell) -> Decimal:
    """The cell as an exact decimal number."""
    value = _single(cell)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    raise CellError("不是数字", "not a number", expected="a number / 数字")


def to_items(cell: Cell) -> list[str]:
    """The cell as a list of texts: a JSON list, or text separated by ``,`` ``，`` ``、``
    ``;`` ``；`` (full-width separators are normalised first)."""
    items = (
        [to_text(item) for item in cell]
        if isinstance(cell, tuple)
        else _LIST_SEPARATORS.split(to_text(cell))
    )
    return [item.strip() for item in items if item.strip()]
