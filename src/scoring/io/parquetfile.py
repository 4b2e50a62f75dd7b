"""Parquet files (read with pyarrow, a dependency of ``cppcc-scoring``).

Each row becomes an object keyed by column name, numbered by its 1-based position, as for JSON;
typed columns keep their types (dates stay dates, numbers numbers, lists lists), and the cell
converters accept them as they accept the same values from JSON or XLSX.
"""

from __future__ import annotations

from pathlib import Path

from .problems import ProblemLog
from .tables import Table, object_table


def read_parquet(path: Path, log: ProblemLog) -> Table:
    """The table in the Parquet file ``path``."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        log.fail(
            "读取 Parquet 文件需要安装 pyarrow", "reading Parquet files needs pyarrow",
            hint="pip install pyarrow  (a dependency of cppcc-scoring, missing here)",
        )
    try:
        table = pq.read_table(path)
    except OSError as exc:
        log.fail("无法读取 Parquet 文件", "cannot read the Parquet file", found=str(exc))
    except Exception as exc:  # pyarrow raises ArrowInvalid & co. for damaged files
        log.fail("Parquet 文件已损坏或格式不对", "the Parquet file is damaged or malformed", found=str(exc))
    return object_table(enumerate(table.to_pylist(), start=1), log)
