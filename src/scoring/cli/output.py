"""Writing command output to standard output or a file, and choosing the format from ``-o``."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import ConfigurationError, Problem

SUFFIX_FORMATS = {
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".xlsx": "xlsx", ".md": "md", ".markdown": "md", ".html": "html",
    ".htm": "html", ".txt": "table",
}


def resolve_format(chosen: str | None, output: Path | None, formats: tuple[str, ...]) -> str:
    """``--format`` if given, else the format the ``-o`` file's extension names, else the first."""
    if chosen:
        return chosen
    if output is not None:
        inferred = SUFFIX_FORMATS.get(output.suffix.lower())
        if inferred in formats:
            return inferred
    return formats[0]


def write_text(text: str, path: Path | None, *, bom: bool = False) -> None:
    """Write ``text`` (plus a final newline) to ``path`` in UTF-8 (with a BOM if ``bom``, as
    Excel/WPS need for CSV), or to standard output."""
    write_chunks([text], path, bom=bom)


def write_chunks(chunks: Iterable[str], path: Path | None, *, bom: bool = False) -> None:
    """:func:`write_text` of the text made of ``chunks``, written as they come (a large output
    is never held, or encoded, all at once)."""
    if path is None:
        tolerant = _tolerant_stdout()
        _write_all(chunks, sys.stdout.write, tolerant)
        sys.stdout.flush()
        return
    try:
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            _write_all(chunks, handle.write, True)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _write_all(chunks: Iterable[str], write: Callable[[str], object], exact: bool) -> None:
    last = ""
    for chunk in chunks:
        if chunk:
            write(chunk if exact else chunk.translate(_NARROW))
            last = chunk
    if not last.endswith("\n"):
        write("\n")


def write_bytes(data: bytes, path: Path | None, what: str) -> None:
    """Write binary output (``what`` names the format) to ``path``, or to standard output when
    that is not a terminal."""
    if path is None:
        if sys.stdout.isatty():
            raise ConfigurationError.one(
                f"{what} 是二进制格式，不能输出到终端", f"{what} is a binary format and cannot go to a terminal",
                hint=f"add -o FILE (e.g. -o result.{what.lower()}) or redirect: > result.{what.lower()}",
            )
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _cannot_write(path: Path, exc: OSError) -> ConfigurationError:
    return ConfigurationError([Problem(
        "无法写入输出文件", "cannot write the output file", file=str(path), found=exc.strerror or str(exc)
    )])


_NARROW = str.maketrans({"✓": "√", "✗": "×"})
"""marks that GBK cannot encode, as ones it can"""


def _tolerant_stdout() -> bool:
    """True for a UTF-8 standard output. Otherwise (a GBK console or pipe on Windows) characters it
    cannot show are replaced instead of failing; ``-o FILE`` always writes exact UTF-8."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    if encoding in ("utf8", "utf8sig"):
        return True
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
    return False
