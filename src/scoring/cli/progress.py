"""A minimal progress bar on standard error, shown only when standard error is a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 24


class Progress:
    """Steps of a command (reading, scoring, writing) as ``[#####-----] 2/4 label``.

    Silent unless ``stream`` is a TTY (so piped and captured output stays clean) and ``enabled``.
    """

    def __init__(self, total: int, *, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = max(total, 1)
        self.done = 0
        self.active = enabled and _isatty(self.stream)

    def step(self, text: str) -> None:
        """Start the next step, described by ``text``."""
        if not self.active:
            return
        self.done = min(self.done + 1, self.total)
        filled = WIDTH * (self.done - 1) // self.total
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} {text}")
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar."""
        if self.active:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.active = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
