"""A :class:`~scoring.report.compare.Comparison` as a :class:`~scoring.report.document.Document`:
per variant the grade transition matrix, the changed members and why, and the distributions."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .._version import __version__
from ..text import Lang, Text
from .compare import Comparison, LineChange, MemberChange, RuleSetRef, Transitions, VariantComparison
from .document import Block, Document, Paragraph, Section, Table
from .labels import label
from .score_report import period_text
from .summary import Distribution, Stats
from .tables import decimal_text, met_text, number, stat


def ref_text(ref: RuleSetRef, lang: Lang) -> str:
    """'jinan-2015 2015.1 — title'."""
    return f"{ref.id} {ref.version} — {ref.title.get(lang)}"


def compare_document(comparison: Comparison, lang: Lang) -> Document:
    """The whole comparison report."""
    ids = ", ".join(v.variant.id for v in comparison.variants)
    title = f"{label('comparison', lang)}: {comparison.base.id} → {ids} — {label('period', lang)} " \
            f"{comparison.period.name}"
    facts = (
        (label("base", lang), ref_text(comparison.base, lang)),
        *((f"{label('variant', lang)} {i}", ref_text(v.variant, lang))
          for i, v in enumerate(comparison.variants, start=1)),
        (label("period", lang), period_text(comparison.period, lang)),
        (label("members", lang), str(comparison.members)),
        (label("generated_by", lang), f"scoring {__version__}"),
    )
    refs = (comparison.base, *(v.variant for v in comparison.variants))
    notices = tuple(f"{r.id}: {label('example_values', lang)}" for r in refs if r.example)
    sections = tuple(s for v in comparison.variants for s in variant_sections(comparison, v, lang))
    return Document(title=title, lang=lang, facts=facts, notices=notices, sections=sections)


def variant_sections(comparison: Comparison, v: VariantComparison, lang: Lang) -> tuple[Section, ...]:
    """Transitions, changed members and distributions of one variant."""
    head = f"{label('variant', lang)} {v.variant.id} {v.variant.version}"
    counts = "; ".join(f"{label(k, lang)} {getattr(v, k)}"
                       for k in ("members", "grade_changed", "warnings_changed", "total_changed"))
    matrix: list[Block] = [Paragraph(counts), Paragraph(label("transitions", lang)),
                           transitions_table(v.transitions, comparison.grades, v.grades, lang)]
    if v.band_transitions != v.transitions:
        matrix += [Paragraph(label("band_transitions", lang)),
                   transitions_table(v.band_transitions, comparison.grades, v.grades, lang)]
    changed: tuple[Block, ...] = (
        (changes_table(v, comparison.grades, lang),) if v.changes else (Paragraph(label("no_changes", lang)),)
    )
    return (
        Section(head, tuple(matrix)),
        Section(f"{label('changed_members', lang)} ({len(v.changes)})", changed, level=3),
        Section(label("score_distribution", lang), (
            distribution_grade_table(comparison.distribution, v.distribution, comparison.grades, v.grades, lang),
            distribution_sector_table(comparison.distribution, v.distribution, lang),
        ), level=3),
    )


def transitions_table(
    t: Transitions, rows: Mapping[str, Text], columns: Mapping[str, Text], lang: Lang
) -> Table:
    """The matrix with grade labels; a total row and column."""
    corner = f"{label('base', lang)} \\ {label('variant', lang)}"
    headers = (corner, *(_grade(columns, c, lang) for c in t.columns), label("all", lang))
    body = [
        (_grade(rows, r, lang), *(str(n) for n in t.counts[i]), str(sum(t.counts[i])))
        for i, r in enumerate(t.rows)
    ]
    totals = [sum(row[j] for row in t.counts) for j in range(len(t.columns))]
    body.append((label("all", lang), *(str(n) for n in totals), str(sum(totals))))
    return Table(headers, tuple(body), numeric=frozenset(range(1, len(headers))), row_header=True)


def _grade(labels: Mapping[str, Text], key: str, lang: Lang) -> str:
    return labels[key].get(lang) if key in labels else key


def changes_table(v: VariantComparison, base_grades: Mapping[str, Text], lang: Lang) -> Table:
    """One row per changed member: totals, grades, warnings and the line items that moved."""
    rows = tuple(_change_row(c, base_grades, v.grades, lang) for c in v.changes)
    headers = tuple(label(k, lang) for k in ("member_id", "name", "sector", "total", "delta", "grade",
                                             "warnings_added", "warnings_removed", "lines_changed"))
    return Table(headers, rows, numeric=frozenset({4}))


def _change_row(
    c: MemberChange, before: Mapping[str, Text], after: Mapping[str, Text], lang: Lang
) -> tuple[str, ...]:
    grade = _grade(before, c.grade_before, lang)
    if c.grade_changed:
        grade += f" → {_grade(after, c.grade_after, lang)}"
    if c.band_before != c.band_after and (c.band_before, c.band_after) != (c.grade_before, c.grade_after):
        grade += f" ({label('grade_by_score', lang)}: {_grade(before, c.band_before, lang)} → " \
                 f"{_grade(after, c.band_after, lang)})"
    sep = "；" if lang == "zh" else "; "
    delta = c.delta
    why = [_line_text(line, lang) for line in c.lines]
    why += [f"{g.label.get(lang)}: {met_text(g.before, lang)} → {met_text(g.after, lang)}" for g in c.gates]
    return (
        c.member_id, c.name, c.sector,
        f"{number(c.total_before, lang)} → {number(c.total_after, lang)}",
        "" if delta is None else _signed(delta),
        grade,
        sep.join(w.message.get(lang) for w in c.warnings_added),
        sep.join(w.message.get(lang) for w in c.warnings_removed),
        sep.join(why),
    )


def _line_text(line: LineChange, lang: Lang) -> str:
    before = number(line.before, lang) if line.in_base else "—"
    after = number(line.after, lang) if line.in_variant else "—"
    return f"{line.label.get(lang)}: {before} → {after}"


def _signed(value: Decimal) -> str:
    text = decimal_text(value)
    if value <= 0:
        return text
    return text.replace("≈", "≈+") if text.startswith("≈") else "+" + text


def distribution_grade_table(
    base: Distribution, variant: Distribution, base_grades: Mapping[str, Text], variant_grades: Mapping[str, Text],
    lang: Lang,
) -> Table:
    """Per grade: members, mean, min and max total under base and variant, side by side."""
    b = {s.key: s for s in base.by_grade}
    a = {s.key: s for s in variant.by_grade}
    keys = [*b, *(k for k in a if k not in b)]
    labels = {**variant_grades, **base_grades}
    rows = [_pair_row(_grade(labels, k, lang), b.get(k), a.get(k)) for k in keys]
    rows.append(_pair_row(label("all", lang), base.overall, variant.overall))
    return Table(_pair_headers("grade", lang), tuple(rows), numeric=frozenset(range(1, 9)))


def distribution_sector_table(base: Distribution, variant: Distribution, lang: Lang) -> Table:
    """Per sector: members, mean, min and max total under base and variant, side by side."""
    b = {s.key: s for s in base.by_sector}
    a = {s.key: s for s in variant.by_sector}
    keys = [*b, *(k for k in a if k not in b)]
    rows = [_pair_row((b.get(k) or a[k]).label.get(lang), b.get(k), a.get(k)) for k in keys]
    rows.append(_pair_row(label("all", lang), base.overall, variant.overall))
    return Table(_pair_headers("sector", lang), tuple(rows), numeric=frozenset(range(1, 9)))


def _pair_headers(first: str, lang: Lang) -> tuple[str, ...]:
    base, variant = label("base", lang), label("variant", lang)
    return (label(first, lang), *(f"{label(k, lang)} ({side})" for k in ("count", "mean", "min", "max")
                                  for side in (base, variant)))


def _pair_row(name: str, b: Stats | None, a: Stats | None) -> tuple[str, ...]:
    def count(s: Stats | None) -> str:
        return str(s.count) if s else "0"

    def get(s: Stats | None, field: str) -> str:
        value: Decimal | None = getattr(s, field) if s else None
        return stat(value)

    return (name, count(b), count(a), get(b, "mean"), get(a, "mean"), get(b, "min"), get(a, "min"),
            get(b, "max"), get(a, "max"))
