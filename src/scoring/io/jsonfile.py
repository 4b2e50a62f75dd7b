"""JSON and JSON Lines files.

A ``.json`` file holds a list of objects, or an object with the list under ``"members"`` or
``"records"``; rows are numbered by their 1-based position in the list. A ``.jsonl`` file holds
one object per line; rows are numbered by line, and blank lines are skipped. Decimal numbers are
read exactly (as :class:`~decimal.Decimal`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .encoding import decode, read_bytes
from .problems import ProblemLog
from .tables import Table, object_table

LIST_KEYS = ("members", "records")


def _loads(text: str) -> object:
    return json.loads(text, parse_float=Decimal, parse_constant=Decimal)


def read_json(
    path: Path, log: ProblemLog, encoding: str | None = None, key: str | None = None
) -> Table:
    """The table in the JSON file ``path``; ``key`` is the list key an object must use
    (``None`` accepts any of :data:`LIST_KEYS`)."""
    text = _text(path, log, encoding)
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        log.fail(
            "JSON 格式错误（文件可能被截断）", "malformed JSON (the file may be truncated)",
            found=f"line {exc.lineno}, column {exc.colno}: {exc.msg}",
        )
    except (ValueError, RecursionError) as exc:
        log.fail("JSON 格式错误", "malformed JSON", found=str(exc) or type(exc).__name__)
    return object_table(enumerate(_items(data, key, log), start=1), log)


def read_jsonl(path: Path, log: ProblemLog, encoding: str | None = None) -> Table:
    """The table in the JSON Lines file ``path``: one object per line."""
    text = _text(path, log, encoding)
    items: list[tuple[int, object]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, _loads(line)))
        except json.JSONDecodeError as exc:
            log.add(
                "JSON 格式错误", "malformed JSON", row=number,
                found=f"column {exc.colno}: {exc.msg}",
            )
        except (ValueError, RecursionError) as exc:
            log.add("JSON 格式错误", "malformed JSON", row=number, found=str(exc))
    return object_table(items, log)


def _text(path: Path, log: ProblemLog, encoding: str | None) -> str:
    text = decode(read_bytes(path, log), log, encoding)
    if not text.strip():
        log.fail("文件为空", "the file is empty")
    return text


def _items(data: object, key: str | None, log: ProblemLog) -> list[object]:
    if isinstance(data, list):
        return data
    keys = (key,) if key else LIST_KEYS
    if isinstance(data, dict):
        for candidate in keys:
            if isinstance(data.get(candidate), list):
                items: list[object] = data[candidate]
                return items
    shapes = " or ".join(f'{{"{k}": [...]}}' for k in keys)
    log.fail(
        "JSON 顶层应为对象列表", "the top level of the JSON must be a list of objects",
        expected=f"[{{...}}, ...] or {shapes}",
        found=f"an object with keys {sorted(data)}" if isinstance(data, dict) else type(data).__name__,
    )
