"""Choosing the reader for a file by its extension."""

from __future__ import annotations

from pathlib import Path

from .csvfile import read_csv
from .jsonfile import read_json, read_jsonl
from .layout import RAW, Layout
from .parquetfile import read_parquet
from .problems import ProblemLog
from .tables import Table
from .xlsxfile import read_xlsx

SUPPORTED = (".csv", ".xlsx", ".json", ".jsonl", ".parquet")


def load_table(
    path: Path, log: ProblemLog, *, encoding: str | None = None, key: str | None = None, layout: Layout = RAW
) -> Table:
    """The raw table in ``path``. ``encoding`` applies to text formats (CSV, JSON, JSONL);
    ``key`` is the list key a JSON object must use (``members`` / ``records``); ``layout`` finds
    the header and the rows to skip in grid formats (CSV, XLSX)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, log, encoding, layout)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, log, layout)
    if suffix == ".json":
        return read_json(path, log, encoding, key)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path, log, encoding)
    if suffix in (".parquet", ".pq"):
        return read_parquet(path, log)
    hint = None
    if suffix in (".xls", ".et"):
        hint = "save it as .xlsx in Excel/WPS / 请在 Excel/WPS 中另存为 .xlsx"
    log.fail(
        "不支持的文件类型", "unsupported file type",
        expected=", ".join(SUPPORTED), found=suffix or "(no extension / 无扩展名)", hint=hint,
    )
