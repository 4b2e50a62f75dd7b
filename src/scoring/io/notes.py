"""Notes: what a reader did to a file that is not an error but must not go unsaid.

A reader that ignores columns (they map to no field), skips rows (title, blank, repeated header,
totals rows) or matches records to members by name says so in a :class:`Note` — one per file and
kind of thing, listing every column or row concerned — appended to the ``notes=`` list the caller
passes. Notes are frozen pydantic models, so they serialise to JSON (for an accounting or a
portal) as well as print on one line (:meth:`Note.format`, what the command line shows on
standard error).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..text import Lang

SkipReason = Literal["title", "blank", "header", "totals", "pattern"]
"""Why a row was skipped: above the header (``title``; also a title repeated further down), no
value at all (``blank``), the header again (``header``, e.g. at a page break), a totals row
whose first filled cell is 合计/小计/总计/共计 (``totals``), or a row matching a profile's
``skip_rows`` patterns (``pattern``)."""

IgnoreReason = Literal["unknown", "unused"]
"""Why a column was not read: its header maps to no field (``unknown``), or it stands in for a
field another column already gives (``unused``: 会议名称 beside 会议类型, 姓名 beside 委员编号)."""

_REASONS: dict[SkipReason, tuple[str, str]] = {
    "title": ("标题行", "title"),
    "blank": ("空行", "blank"),
    "header": ("重复的表头", "repeated header"),
    "totals": ("合计行", "totals"),
    "pattern": ("按配置跳过", "skipped by the profile"),
}


class SkippedRow(BaseModel):
    """One row a reader skipped: its number as the user sees it, why, and the cell that told."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    row: int
    reason: SkipReason
    found: str | None = None


class IgnoredColumn(BaseModel):
    """One column a reader did not read: its header as written, why, and a hint (a did-you-mean
    for an unknown header, the column used instead for an unused one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    reason: IgnoreReason = "unknown"
    hint: str | None = None


class Note(BaseModel):
    """Something a reader did to one file, with every row or column it concerns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Literal["ignored_columns", "skipped_rows", "matched_by_name"]
    file: str
    columns: tuple[IgnoredColumn, ...] = ()
    rows: tuple[SkippedRow, ...] = ()
    count: int | None = None
    """``matched_by_name``: how many records were matched"""
    column: str | None = None
    """``matched_by_name``: the column holding the names"""

    def format(self, lang: Lang = "zh") -> str:
        """The note on one line, in ``lang``, starting with the file."""
        zh = lang == "zh"
        if self.code == "ignored_columns":
            parts = [_column(c, zh) for c in self.columns]
            what = (f"忽略了 {len(parts)} 列：" if zh else f"ignored {len(parts)} column(s): ") + _join(parts, zh)
        elif self.code == "skipped_rows":
            what = (f"跳过了 {len(self.rows)} 行：" if zh else f"skipped {len(self.rows)} row(s): ") + _rows(
                self.rows, zh
            )
        else:
            what = (
                f"按「{self.column}」列的姓名匹配委员，共 {self.count} 条记录（文件没有委员编号列）" if zh
                else f"{self.count} record(s) matched to members by the names in column '{self.column}' "
                     "(the file has no member id column)"
            )
        return f"{self.file}: {what}"


def _column(column: IgnoredColumn, zh: bool) -> str:
    if column.reason == "unused":
        return f"{column.name}（{column.hint}）" if zh else f"{column.name} ({column.hint})"
    if column.hint:
        return f"{column.name}（{column.hint}）" if zh else f"{column.name} ({column.hint})"
    return column.name


def _join(parts: Iterable[str], zh: bool) -> str:
    return ("、" if zh else ", ").join(parts)


def _rows(rows: tuple[SkippedRow, ...], zh: bool) -> str:
    """Rows grouped by reason, in the order reasons first occur: ``空行 3、7、12–14；合计行 20（合计）``."""
    groups: dict[SkipReason, list[SkippedRow]] = {}
    for row in rows:
        groups.setdefault(row.reason, []).append(row)
    parts: list[str] = []
    for reason, members in groups.items():
        label = _REASONS[reason][0 if zh else 1]
        numbers = _ranges([r.row for r in members])
        found = sorted({r.found for r in members if r.found and reason in ("totals", "pattern")})
        extra = ""
        if found:
            extra = f"（{'、'.join(found)}）" if zh else f" ({', '.join(found)})"
        parts.append(f"{label} {numbers}{extra}")
    return ("；" if zh else "; ").join(parts)


def _ranges(numbers: list[int]) -> str:
    """``1, 3, 4, 5, 9`` → ``1, 3–5, 9``."""
    spans: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
