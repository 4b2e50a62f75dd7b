"""A scoring result as CSV: one row per scorecard, for spreadsheets and other programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from ..models import Member, ScoringResult
from ..ruleset import RuleSet
from ..text import Lang
from .labels import label
from .safe_cells import csv_row
from .tables import gates_text

COLUMNS = ("member_id", "name", "sector", "committee", "status", "total", "grade", "grade_by_score", "rank", "group",
           "gates", "warnings")


def scorecards_csv(rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member], lang: Lang) -> str:
    """The scorecards as CSV text with headers in ``lang``: totals as plain decimals (empty when not
    computable), grades as labels, gates as '三个一 ✓', warnings as action labels joined by ';'. No
    cell is evaluated by a spreadsheet: text starting like a formula gets a leading ``'``
    (:mod:`.safe_cells`)."""
    def grade(band_id: str | None) -> str:
        band = rule_set.grade(band_id)
        return band.label.get(lang) if band else ""

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row(label(k, lang) for k in COLUMNS))
    for card in result.scorecards:
        member = members.get(card.member_id)
        writer.writerow(csv_row([
            card.member_id, card.member_name, member.sector if member else None,
            member.committee if member else None,
            label(card.status, lang), card.total,
            grade(card.grade), grade(card.grade_by_score),
            card.rank.position if card.rank else None, card.rank.group if card.rank else None,
            gates_text(card.gates, lang), ";".join(w.action_label.get(lang) for w in card.warnings),
        ]))
    return buffer.getvalue()
