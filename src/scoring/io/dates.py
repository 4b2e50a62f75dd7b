"""Dates as Chinese archive exports write them.

Accepted: ``2024-03-05``, ``2024/3/5``, ``2024.3.5`` (optionally followed by a time, which is
dropped), ``2024年3月5日``, ``20240305``, Excel serial day numbers (five digits, e.g. ``45356``
= 2024-03-05, counted from 1899-12-30) and real date cells of a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .cells import Cell, show
from .problems import CellError

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's serial dates (1900 date system; right from 1900-03-01 onwards)."""

DATE_FORMS = "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD, Excel serial (e.g. 45356)"

_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
_FORMS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})()(\d{2})(\d{2})"),
)
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")


def parse_date(cell: Cell) -> dt.date:
    """The date in ``cell``; :class:`CellError` when it is not a date or no such day exists."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool):
        text = show(cell)
    elif isinstance(cell, str):
        text = cell
    else:
        raise _not_a_date()
    for form in _FORMS:
        match = form.fullmatch(text)
        if match:
            year, _, month, day = match.groups()[:4]
            _check_time(match.groups()[4:])
            return _calendar_date(int(year), int(month), int(day))
    serial = _SERIAL.fullmatch(text)
    if serial:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1)))
    raise _not_a_date()


def _check_time(parts: tuple[str | None, ...]) -> None:
    """A time after the date is dropped, but only when it is a real time of day."""
    hour, minute, second = (int(p) if p else 0 for p in (*parts, None, None, None)[:3])
    if hour > 23 or minute > 59 or second > 59:
        raise CellError("时间不存在", "no such time of day", expected="hh:mm[:ss] between 00:00 and 23:59:59")


def _calendar_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            "日期不存在", "no such date", expected="a real calendar date / 真实存在的日期"
        ) from None


def _not_a_date() -> CellError:
    return CellError("不是可识别的日期", "not a recognised date", expected=DATE_FORMS)
