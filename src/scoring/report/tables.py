"""The tables of a scoring result (scorecards, warnings, accounting, summaries) as format-neutral
:class:`~scoring.report.document.Table` values, and the cell formatting they share."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from ..models import GateResult, Member, Scorecard, ScoringResult
from ..models.accounting import reason_label
from ..rules.base import fmt
from ..ruleset import RuleSet
from ..text import Lang, Text
from .document import Table
from .labels import label
from .summary import Distribution, Stats

DISPLAY_PLACES = Decimal("0.01")


def decimal_text(value: Decimal) -> str:
    """A decimal for people: exact when it has at most two decimal places, else rounded to two and
    marked '≈' (JSON and CSV keep every digit)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return "≈" + fmt(value.quantize(DISPLAY_PLACES, ROUND_HALF_UP))
    return fmt(value)


def number(value: Decimal | None, lang: Lang) -> str:
    """A total or points for display; unknown values read 'not computable', never 0."""
    return decimal_text(value) if value is not None else label("not_computable", lang)


def stat(value: Decimal | None) -> str:
    """A statistic for display ('—' when there is nothing to summarise)."""
    return decimal_text(value) if value is not None else "—"


def grade_text(rule_set: RuleSet, card: Scorecard, lang: Lang) -> str:
    """The final grade label, with the score band in brackets when a gate or quota changed it."""
    if card.status == "exempt":
        return label("exempt", lang)
    band = rule_set.grade(card.grade)
    text = band.label.get(lang) if band else "—"
    if card.grade_by_score and card.grade_by_score != card.grade:
        by_score = rule_set.grade(card.grade_by_score)
        text += f" ({label('grade_by_score', lang)}: {by_score.label.get(lang) if by_score else card.grade_by_score})"
    return text


def mark(met: bool | None) -> str:
    """✓ met, ✗ not met, ? cannot be decided."""
    return "✓" if met else ("?" if met is None else "✗")


def met_text(met: bool | None, lang: Lang) -> str:
    """'met', 'not met' or 'undecided' in ``lang``."""
    return label("met" if met else ("undecided" if met is None else "not_met"), lang)


def gates_text(gates: tuple[GateResult, ...], lang: Lang) -> str:
    """Gate results, e.g. '三个一 ✓' / '五个一 ✗'."""
    return " ".join(f"{g.label.get(lang)} {mark(g.met)}" for g in gates)


def warnings_text(card: Scorecard, lang: Lang) -> str:
    """The actions of a member's warnings, e.g. '约谈；劝辞'."""
    return ("；" if lang == "zh" else "; ").join(w.action_label.get(lang) for w in card.warnings)


def _order(card: Scorecard) -> tuple[str, int, str]:
    return (card.rank.group if card.rank else "~", card.rank.position if card.rank else 10**9, card.member_id)


def scorecards_table(rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member], lang: Lang) -> Table:
    """All scorecards, ordered by peer group then rank (unranked members first)."""
    rows = []
    for card in sorted(result.scorecards, key=_order):
        member = members.get(card.member_id)
        rows.append((
            card.rank.group if card.rank else "—",
            f"{card.rank.position}/{card.rank.of}" if card.rank else "—",
            card.member_id,
            card.member_name,
            member.sector if member and member.sector else "",
            number(card.total, lang),
            grade_text(rule_set, card, lang),
            gates_text(card.gates, lang),
            warnings_text(card, lang),
        ))
    headers = tuple(label(k, lang) for k in
                    ("group", "rank", "member_id", "name", "sector", "total", "grade", "gates", "warnings"))
    return Table(headers, tuple(rows), numeric=frozenset({5}))


def warnings_table(result: ScoringResult, lang: Lang) -> Table:
    """Every warning of every member, most serious first."""
    names = {c.member_id: c.member_name for c in result.scorecards}
    warnings = sorted(result.warnings, key=lambda w: (-w.level, w.member_id, w.rule_id))
    rows = tuple(
        (w.member_id, names.get(w.member_id, ""), w.action_label.get(lang), w.actor.get(lang) if w.actor else "",
         w.message.get(lang), w.due.isoformat() if w.due else "", w.cite or "")
        for w in warnings
    )
    headers = tuple(label(k, lang) for k in ("member_id", "name", "action", "actor", "message", "due", "cite"))
    return Table(headers, rows)


def accounting_table(result: ScoringResult, lang: Lang) -> Table:
    """Read, counted, ignored, rejected, then the count per reason: the totals must reconcile."""
    acc = result.accounting
    rows: list[tuple[str, ...]] = [
        (label(k, lang), "", "", str(getattr(acc, k))) for k in ("read", "counted", "ignored", "rejected")
    ]
    outcome_of = {o.reason_code: o.outcome for o in acc.records if o.reason_code}
    for code, n in acc.by_reason.items():
        outcome = outcome_of.get(code)
        rows.append(("", label(outcome, lang) if outcome else "", f"{reason_label(code).get(lang)} ({code})", str(n)))
    headers = tuple(label(k, lang) for k in ("accounting", "outcome", "reason", "number"))
    return Table(headers, tuple(rows), numeric=frozenset({3}))


def grade_summary_table(dist: Distribution, lang: Lang) -> Table:
    """One row per grade: members, share, mean, min and max total."""
    total = dist.overall.count or 1
    rows = tuple(
        (s.label.get(lang), str(s.count), f"{100 * s.count / total:.1f}%", stat(s.mean), stat(s.min), stat(s.max))
        for s in (*dist.by_grade, dist.overall)
    )
    headers = tuple(label(k, lang) for k in ("grade", "count", "share", "mean", "min", "max"))
    return Table(headers, rows, numeric=frozenset(range(1, 6)))


def sector_summary_table(dist: Distribution, grades: Mapping[str, Text], lang: Lang) -> Table:
    """One row per sector: members, mean, min, max total and the members in each grade."""
    keys = [k for k in grades if any(s.grades.get(k) for s in dist.by_sector)]

    def row(s: Stats) -> tuple[str, ...]:
        return (s.label.get(lang), str(s.count), stat(s.mean), stat(s.min), stat(s.max),
                *(str(s.grades.get(k, 0)) for k in keys))

    headers = (*(label(k, lang) for k in ("sector", "count", "mean", "min", "max")),
               *(grades[k].get(lang) for k in keys))
    rows = tuple(row(s) for s in (*dist.by_sector, dist.overall))
    return Table(headers, rows, numeric=frozenset(range(1, len(headers))))
