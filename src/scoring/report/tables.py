"""Text tables of results (tabulate; with wcwidth installed Chinese columns align)."""

from __future__ import annotations

from decimal import Decimal

from tabulate import tabulate

from ..engine.screening import reason_label
from ..models import Member, Scorecard, ScoringResult
from ..rules.base import fmt
from ..ruleset import RuleSet
from ..text import Lang
from .labels import label


def number(value: Decimal | None, lang: Lang) -> str:
    """A total or points for display; unknown values read 'not computable', never 0."""
    return fmt(value) if value is not None else label("not_computable", lang)


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


def gates_text(card: Scorecard, lang: Lang) -> str:
    """Gate results, e.g. '三个一 ✓' / '五个一 ✗'."""
    return " ".join(f"{g.label.get(lang)} {'✓' if g.met else '✗'}" for g in card.gates)


def scorecards_table(rule_set: RuleSet, result: ScoringResult, members: dict[str, Member], lang: Lang) -> str:
    """All scorecards, ordered by peer group then rank."""
    def order(card: Scorecard) -> tuple[str, int, str]:
        return (card.rank.group if card.rank else "~", card.rank.position if card.rank else 10**9, card.member_id)

    rows = []
    for card in sorted(result.scorecards, key=order):
        member = members.get(card.member_id)
        rows.append([
            card.rank.group if card.rank else "—",
            f"{card.rank.position}/{card.rank.of}" if card.rank else "—",
            card.member_id,
            card.member_name,
            member.sector if member and member.sector else "",
            number(card.total, lang),
            grade_text(rule_set, card, lang),
            gates_text(card, lang),
            "；".join(w.action_label.get(lang) for w in card.warnings),
        ])
    headers = [label(k, lang) for k in
               ("group", "rank", "member_id", "name", "sector", "total", "grade", "gates", "warnings")]
    return str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))


def accounting_summary(result: ScoringResult, lang: Lang) -> str:
    """One line per outcome and reason: the record accounting that must reconcile."""
    acc = result.accounting
    head = (
        f"{label('accounting', lang)}: {label('read', lang)} {acc.read}, {label('counted', lang)} {acc.counted}, "
        f"{label('ignored', lang)} {acc.ignored}, {label('rejected', lang)} {acc.rejected}"
    )
    lines = [head] + [
        f"  - {reason_label(code).get(lang)} ({code}): {n}" for code, n in acc.by_reason.items()
    ]
    return "\n".join(lines)


def warnings_table(result: ScoringResult, lang: Lang) -> str:
    """Every warning of every member."""
    rows = [
        [w.member_id, w.action_label.get(lang), w.actor.get(lang) if w.actor else "", w.message.get(lang)]
        for card in result.scorecards for w in card.warnings
    ]
    headers = [label(k, lang) for k in ("member_id", "action", "group", "message")]
    headers[2] = "执行人" if lang == "zh" else "actor"
    return str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))


def explain(rule_set: RuleSet, card: Scorecard, lang: Lang) -> str:
    """One member's 成绩单: every line with its clause, records and computation."""
    out = [f"{card.member_id} {card.member_name} — {rule_set.title.get(lang)} ({rule_set.id} {rule_set.version})"]
    if rule_set.spec.rule_set.example:
        out.append(f"⚠ {label('example_values', lang)}")
    summary = f"{label('total', lang)}: {number(card.total, lang)}    "
    summary += f"{label('grade', lang)}: {grade_text(rule_set, card, lang)}"
    if card.rank:
        summary += f"    {label('rank', lang)}: {card.rank.position}/{card.rank.of} ({card.rank.group})"
    out.append(summary)
    if card.grade_note:
        out.append(card.grade_note.get(lang))
    out.append(_lines_table(card, lang))
    for gate in card.gates:
        cite = f" ({gate.cite})" if gate.cite else ""
        out.append(f"\n{gate.label.get(lang)}: {label('met' if gate.met else 'not_met', lang)}{cite}")
        out += [f"  {'✓' if r.met else '✗'} {r.label.get(lang)} {r.done}/{r.required}" for r in gate.requirements]
    for warning in card.warnings:
        out.append(f"! {warning.message.get(lang)}" + (f" [{warning.cite}]" if warning.cite else ""))
    if card.not_computable:
        out.append(f"\n{label('why_not_computable', lang)}:")
        out += [f"  - {t.get(lang)}" for t in card.not_computable]
    return "\n".join(out)


def _lines_table(card: Scorecard, lang: Lang) -> str:
    rows: list[list[str]] = []
    for cat in card.categories:
        note = cat.adjustment or cat.not_computable
        rows.append([cat.label.get(lang), "", number(cat.raw_points, lang), number(cat.points, lang),
                     note.get(lang) if note else "", cat.cite or ""])
        for line in (line for line in card.lines if line.category == cat.id):
            more = len(line.record_ids) - 6
            shown = ", ".join(line.record_ids[:6]) + (f" …(+{more})" if more > 0 else "")
            why = "; ".join(x.get(lang) for x in (line.not_computable or line.detail, line.adjustment) if x)
            rows.append([f"└ {line.label.get(lang)}", shown, number(line.raw_points, lang), number(line.points, lang),
                         why, line.cite or ""])
    headers = [label(k, lang) for k in ("rule", "records", "raw", "points", "detail", "cite")]
    return str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
