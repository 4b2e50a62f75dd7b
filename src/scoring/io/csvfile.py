"""CSV files: comma-separated, quoted the way Excel and WPS write them, any supported encoding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .encoding import decode, read_bytes
from .layout import RAW, Layout
from .problems import ProblemLog
from .tables import Row, Table, grid_table


def read_csv(path: Path, log: ProblemLog, encoding: str | None = None, layout: Layout = RAW) -> Table:
    """The table in the CSV file ``path``; row numbers count CSV records, the header being 1."""
    text = decode(read_bytes(path, log), log, encoding)
    if "\x00" in text:
        log.fail(
            "文件含有 NUL 字符，不像是 CSV 文本文件", "the file contains NUL characters; it is not CSV text",
            hint="was an .xlsx or .xls file renamed to .csv? / 是否把 Excel 文件改名成了 .csv？",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append(Row(number, tuple(cells)))
    except csv.Error as exc:
        log.fail(
            "CSV 格式错误（文件可能被截断或引号不配对）",
            "malformed CSV (the file may be truncated or have an unbalanced quote)",
            row=len(rows) + 1, found=str(exc),
        )
    return grid_table(rows, log, layout)
