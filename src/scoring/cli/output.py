"""Writing command output to standard output or a file (UTF-8)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ConfigurationError


def write_text(text: str, path: Path | None) -> None:
    """Write ``text`` (plus a final newline) to ``path``, or to standard output."""
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError.one("无法写入输出文件", "cannot write the output file", file=str(path),
                                     found=str(exc)) from None
