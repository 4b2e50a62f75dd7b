"""One member's 成绩单 as text: every line with its clause, records and computation."""

from __future__ import annotations

from ..models import Scorecard
from ..ruleset import RuleSet
from ..text import Lang
from .as_text import table_text
from .document import Table
from .labels import label
from .safe_cells import printable
from .tables import grade_text, mark, met_text, number

MAX_RECORD_IDS = 6
"""record ids shown per line; the rest are counted"""


def explain(rule_set: RuleSet, card: Scorecard, lang: Lang) -> str:
    """The scorecard of one member, traced to records and clauses."""
    out = [f"{card.member_id} {card.member_name} — {rule_set.title.get(lang)} ({rule_set.id} {rule_set.version})"]
    if rule_set.spec.rule_set.example:
        out.append(f"⚠ {label('example_values', lang)}")
    if card.status == "exempt" and card.exempt_reason:
        out.append(f"{label('exempt', lang)}: {card.exempt_reason.get(lang)}")
    summary = f"{label('total', lang)}: {number(card.total, lang)}    "
    summary += f"{label('grade', lang)}: {grade_text(rule_set, card, lang)}"
    if card.rank:
        summary += f"    {label('rank', lang)}: {card.rank.position}/{card.rank.of} ({card.rank.group})"
    out.append(summary)
    if card.grade_note:
        out.append(card.grade_note.get(lang))
    out.append(table_text(lines_table(card, lang)))
    for gate in card.gates:
        cite = f" ({gate.cite})" if gate.cite else ""
        out.append(f"\n{gate.label.get(lang)}: {met_text(gate.met, lang)}{cite}")
        for req in gate.requirements:
            required = "?" if req.required is None else str(req.required)
            ids = f"  [{', '.join(req.record_ids[:MAX_RECORD_IDS])}]" if req.record_ids else ""
            out.append(f"  {mark(req.met)} {req.label.get(lang)} {req.done}/{required}{ids}")
    for warning in card.warnings:
        out.append(f"! {warning.message.get(lang)}" + (f" [{warning.cite}]" if warning.cite else ""))
    if card.not_computable:
        out.append(f"\n{label('why_not_computable', lang)}:")
        out += [f"  - {t.get(lang)}" for t in card.not_computable]
    return printable("\n".join(out) + "\n")


def record_ids_text(ids: tuple[str, ...]) -> str:
    """The first record ids of a line, then '…(+N)'."""
    more = len(ids) - MAX_RECORD_IDS
    return ", ".join(ids[:MAX_RECORD_IDS]) + (f" …(+{more})" if more > 0 else "")


def lines_table(card: Scorecard, lang: Lang) -> Table:
    """Categories, each followed by its line items."""
    rows: list[tuple[str, ...]] = []
    for cat in card.categories:
        note = cat.adjustment or cat.not_computable
        rows.append((cat.label.get(lang), "", number(cat.raw_points, lang), number(cat.points, lang),
                     note.get(lang) if note else "", cat.cite or ""))
        for line in (line for line in card.lines if line.category == cat.id):
            why = "; ".join(x.get(lang) for x in (line.not_computable or line.detail, line.adjustment) if x)
            rows.append((f"└ {line.label.get(lang)}", record_ids_text(line.record_ids), number(line.raw_points, lang),
                         number(line.points, lang), why, line.cite or ""))
    headers = tuple(label(k, lang) for k in ("rule", "records", "raw", "points", "detail", "cite"))
    return Table(headers, tuple(rows), numeric=frozenset({2, 3}))
