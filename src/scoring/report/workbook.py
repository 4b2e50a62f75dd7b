"""A scoring result as a formatted Excel workbook (with openpyxl, a dependency of ``cppcc-scoring``).

Sheets: 成绩单 (scorecards), 预警 (warnings), 明细 (line items), 记录核对 (accounting) and
记录去向 (one row per input record). Headers are bold and frozen, columns sized to their
content, totals and points are numbers (exact decimals), dates are dates. Text is written as
text, never as a formula (:mod:`.safe_cells`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from wcwidth import wcswidth

from ..errors import ConfigurationError
from ..models import Member, Scorecard, ScoringResult
from ..models.accounting import reason_label
from ..ruleset import RuleSet
from ..text import Lang
from .explain import record_ids_text
from .labels import label
from .safe_cells import append_row, xlsx_text
from .tables import gates_text, warnings_text

Cell = str | int | Decimal | dt.date | None
MAX_WIDTH = 60
MAX_CELL = 32_000
"""Excel holds at most 32,767 characters in a cell"""


def sheet_names(lang: Lang) -> tuple[str, str, str, str, str]:
    """Scorecards, warnings, line items, accounting, record outcomes."""
    return (label("scorecards", lang), label("sheet_warnings", lang), label("line_items", lang),
            label("sheet_accounting", lang), label("record_outcomes", lang))


def workbook_bytes(rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member], lang: Lang) -> bytes:
    """The ``.xlsx`` file of ``result``."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ConfigurationError.one(
            "输出 XLSX 需要 openpyxl", "XLSX output needs openpyxl",
            hint="pip install openpyxl  (a dependency of cppcc-scoring, missing here)",
        ) from None
    book = Workbook()
    names = sheet_names(lang)
    book.active.title = names[0]
    sheets: list[tuple[str, list[str], list[list[Cell]]]] = [
        (names[0], *_scorecards(rule_set, result, members, lang)),
        (names[1], *_warnings(result, lang)),
        (names[2], *_lines(result, lang)),
        (names[3], *_accounting(result, lang)),
        (names[4], *_records(result, lang)),
    ]
    for i, (name, headers, rows) in enumerate(sheets):
        _fill(book.active if i == 0 else book.create_sheet(name), headers, rows)
    book.properties.title = xlsx_text(f"{rule_set.title.get(lang)} — {result.period.name}")
    book.properties.subject = f"{rule_set.id} {rule_set.version} {rule_set.fingerprint}"
    book.properties.creator = "scoring"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    append_row(sheet, headers)
    for row in rows:
        append_row(sheet, row)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    widths = [_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max(wcswidth(text), len(text))


def _points(value: Decimal | None, lang: Lang) -> Cell:
    return value if value is not None else label("not_computable", lang)


def _grade(rule_set: RuleSet, grade: str | None, card: Scorecard, lang: Lang) -> str:
    if card.status == "exempt":
        return label("exempt", lang)
    band = rule_set.grade(grade)
    return band.label.get(lang) if band else ""


def _scorecards(
    rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member], lang: Lang
) -> tuple[list[str], list[list[Cell]]]:
    headers = [label(k, lang) for k in ("member_id", "name", "sector", "committee", "group", "rank", "total",
                                        "grade", "grade_by_score")]
    headers += [c.label.get(lang) for c in rule_set.categories]
    headers += [label(k, lang) for k in ("gates", "warnings")]
    rows: list[list[Cell]] = []
    for card in result.scorecards:
        member = members.get(card.member_id)
        points = {c.id: c.points for c in card.categories}
        rows.append([
            card.member_id, card.member_name, member.sector if member else None,
            member.committee if member else None, card.rank.group if card.rank else None,
            card.rank.position if card.rank else None, _points(card.total, lang),
            _grade(rule_set, card.grade, card, lang), _grade(rule_set, card.grade_by_score, card, lang),
            *(_points(points[c.id], lang) if c.id in points else None for c in rule_set.categories),
            gates_text(card.gates, lang), warnings_text(card, lang),
        ])
    return headers, rows


def _warnings(result: ScoringResult, lang: Lang) -> tuple[list[str], list[list[Cell]]]:
    headers = [label(k, lang) for k in ("member_id", "name", "action", "level", "actor", "message", "due", "cite")]
    rows: list[list[Cell]] = [
        [w.member_id, card.member_name, w.action_label.get(lang), w.level, w.actor.get(lang) if w.actor else None,
         w.message.get(lang), w.due, w.cite]
        for card in result.scorecards for w in card.warnings
    ]
    return headers, rows


def _lines(result: ScoringResult, lang: Lang) -> tuple[list[str], list[list[Cell]]]:
    headers = [label(k, lang) for k in ("member_id", "name", "category", "rule_id", "rule", "number", "raw", "points",
                                        "records", "detail", "cite")]
    rows: list[list[Cell]] = []
    for card in result.scorecards:
        categories = {c.id: c.label.get(lang) for c in card.categories}
        for line in card.lines:
            why = "; ".join(x.get(lang) for x in (line.not_computable or line.detail, line.adjustment) if x)
            rows.append([
                card.member_id, card.member_name, categories.get(line.category, line.category), line.rule_id,
                line.label.get(lang), line.count, _points(line.raw_points, lang), _points(line.points, lang),
                _ids(line.record_ids),
                why, line.cite,
            ])
    return headers, rows


def _ids(ids: tuple[str, ...]) -> str:
    text = ", ".join(ids)
    return text if len(text) <= MAX_CELL else record_ids_text(ids)


def _accounting(result: ScoringResult, lang: Lang) -> tuple[list[str], list[list[Cell]]]:
    acc = result.accounting
    headers = [label(k, lang) for k in ("outcome", "reason_code", "reason", "number")]
    rows: list[list[Cell]] = [[label(k, lang), None, None, getattr(acc, k)]
                              for k in ("read", "counted", "ignored", "rejected")]
    outcome_of = {o.reason_code: o.outcome for o in acc.records if o.reason_code}
    for code, n in acc.by_reason.items():
        outcome = outcome_of.get(code)
        rows.append([label(outcome, lang) if outcome else None, code, reason_label(code).get(lang), n])
    return headers, rows


def _records(result: ScoringResult, lang: Lang) -> tuple[list[str], list[list[Cell]]]:
    headers = [label(k, lang) for k in ("record_id", "member_id", "outcome", "reason_code", "reason", "rule")]
    rows: list[list[Cell]] = [
        [o.record_id, o.member_id, label(o.outcome, lang), o.reason_code, o.reason.get(lang) if o.reason else None,
         ", ".join(o.rules)]
        for o in sorted(result.accounting.records, key=lambda o: o.record_id)
    ]
    return headers, rows
