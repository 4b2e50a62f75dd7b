"""What a scoring run may print on standard error besides its warnings: the accounting line."""

from __future__ import annotations

import re

ACCOUNTING = re.compile(r"(注意：|note: )(读取 \d+ 条记录，|\d+ records read, )[^\n]*\n")


def without_accounting(err: str) -> str:
    """Standard error without the accounting line (records not counted)."""
    return ACCOUNTING.sub("", err)
