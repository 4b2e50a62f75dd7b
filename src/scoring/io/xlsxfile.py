"""Excel ``.xlsx`` files (first worksheet), read with openpyxl (a dependency of ``cppcc-scoring``).

Values are the cached results Excel/WPS stored when the file was saved (``data_only``), so a
formula gives its value; a formula without a stored result is reported. In a merged range only
the top-left cell holds the value, the other cells are empty. Cells holding an Excel error
(``#DIV/0!``…) are reported. Date cells become dates.
"""

from __future__ import annotations

import datetime as dt
import threading
import warnings
from io import BytesIO
from pathlib import Path
from typing import Any

from .cells import Scalar
from .encoding import read_bytes
from .layout import RAW, Layout
from .problems import CellError, ProblemLog
from .tables import Row, Table, Unreadable, grid_table

INSTALL_HINT = "pip install openpyxl"  # a dependency of cppcc-scoring, missing from this environment

_ERROR_VALUE = CellError("单元格为 Excel 错误值", "the cell holds an Excel error value")
_NO_RESULT = CellError(
    "公式单元格没有保存计算结果", "the formula cell has no stored result",
    hint="open and save the file in Excel/WPS, or paste the values / "
    "请在 Excel/WPS 中打开并保存，或粘贴为数值",
)


_WARNINGS_LOCK = threading.Lock()


def read_xlsx(path: Path, log: ProblemLog, layout: Layout = RAW) -> Table:
    """The table on the first worksheet of the workbook ``path``."""
    openpyxl = _openpyxl(log)
    # Read the bytes once: openpyxl then never holds (or leaks, on errors) a file handle.
    data = read_bytes(path, log)
    try:
        # The warnings filter list is process-wide: one workbook at a time may change it, so
        # concurrent readers never leave an 'ignore' filter behind.
        with _WARNINGS_LOCK, warnings.catch_warnings():
            # Style and extension warnings (e.g. from WPS exports) do not concern the data.
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(BytesIO(data), data_only=True).worksheets[0]
            formulas = openpyxl.load_workbook(BytesIO(data), data_only=False).worksheets[0]
        rows = _rows(values, formulas)
    except Exception as exc:  # openpyxl raises many types for damaged files
        log.fail(
            "无法打开 Excel 文件（文件可能已损坏或被截断）",
            "cannot open the Excel file (it may be damaged or truncated)",
            found=f"{type(exc).__name__}: {exc}",
            hint="open it in Excel/WPS and save it again as .xlsx / 请用 Excel/WPS 打开后另存为 .xlsx",
        )
    return grid_table(rows, log, layout)


def _openpyxl(log: ProblemLog) -> Any:
    try:
        import openpyxl
    except ImportError:
        log.fail(
            "读取 .xlsx 文件需要安装 openpyxl", "reading .xlsx files needs openpyxl",
            hint=f"{INSTALL_HINT} / 请运行 {INSTALL_HINT}",
        )
    return openpyxl


def _rows(values: Any, formulas: Any) -> list[Row]:
    hidden = _merged_cells(values)
    rows: list[Row] = []
    for line in values.iter_rows():
        cells: list[Scalar] = []
        merged: dict[int, str] = {}
        bad: dict[int, Unreadable] = {}
        for index, cell in enumerate(line):
            coordinate = (cell.row, cell.column)
            if coordinate in hidden:
                merged[index] = hidden[coordinate]
            if cell.data_type == "e":
                bad[index] = Unreadable(_ERROR_VALUE, f"{cell.value} ({cell.coordinate})")
            elif cell.value is None and formulas.cell(*coordinate).data_type == "f":
                formula = formulas.cell(*coordinate).value
                bad[index] = Unreadable(_NO_RESULT, f"{formula} ({cell.coordinate})")
            cells.append(_scalar(cell.value))
        if line:
            rows.append(Row(line[0].row, tuple(cells), merged, bad))
    return rows


def _merged_cells(sheet: Any) -> dict[tuple[int, int], str]:
    """(row, column) → range for every merged cell except the top-left one of its range."""
    hidden: dict[tuple[int, int], str] = {}
    for merged in sheet.merged_cells.ranges:
        for row, column in merged.cells:
            if (row, column) != (merged.min_row, merged.min_col):
                hidden[(row, column)] = merged.coord
    return hidden


def _scalar(value: object) -> Scalar:
    if value is None or isinstance(value, (str, bool, int, float, dt.date)):
        return value
    return str(value)  # times, durations and anything exotic are kept as text
