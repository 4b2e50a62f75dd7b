"""The report of one scoring run as a :class:`~scoring.report.document.Document`: title with rule set
and period, summaries per grade and per sector, the scorecards, the warnings and the accounting."""

from __future__ import annotations

from collections.abc import Mapping

from .._version import __version__
from ..models import Member, Period, ScoringResult
from ..ruleset import RuleSet
from ..text import Lang
from .document import Document, Paragraph, Section
from .labels import label
from .summary import distribution, grade_labels
from .tables import (
    accounting_table,
    grade_summary_table,
    scorecards_table,
    sector_summary_table,
    warnings_table,
)


def period_text(period: Period, lang: Lang) -> str:
    """'2024 (2024-01-01 ~ 2024-12-31)', with the as-of date of an interim check."""
    text = f"{period.name} ({period.start.isoformat()} ~ {period.end.isoformat()})"
    if period.as_of is not None:
        text += f", {label('as_of', lang)} {period.as_of.isoformat()}"
    return text


def rule_set_facts(rule_set: RuleSet, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Rule set id/version, title and fingerprint, as label/value pairs."""
    return (
        (label("rule_set", lang), f"{rule_set.id} {rule_set.version}"),
        (label("fingerprint", lang), rule_set.fingerprint),
    )


def score_document(
    rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member], lang: Lang
) -> Document:
    """The whole report of ``result`` (``members`` give the sectors)."""
    dist = distribution(rule_set, result, members)
    title = f"{rule_set.title.get(lang)} — {label('period', lang)} {result.period.name}"
    facts = (
        *rule_set_facts(rule_set, lang),
        (label("period", lang), period_text(result.period, lang)),
        (label("members", lang), str(len(result.scorecards))),
        (label("generated_by", lang), f"scoring {__version__}"),
    )
    notices = (label("example_values", lang),) if rule_set.spec.rule_set.example else ()
    warnings = warnings_table(result, lang)
    sections = (
        Section(label("summary_by_grade", lang), (grade_summary_table(dist, lang),)),
        Section(label("summary_by_sector", lang), (sector_summary_table(dist, grade_labels(rule_set), lang),)),
        Section(label("scorecards", lang), (scorecards_table(rule_set, result, members, lang),)),
        Section(f"{label('sheet_warnings', lang)} ({len(warnings.rows)})",
                (warnings,) if warnings.rows else (Paragraph(label("no_warnings", lang)),)),
        Section(label("sheet_accounting", lang), (accounting_table(result, lang),)),
    )
    return Document(title=title, lang=lang, facts=facts, notices=notices, sections=sections)
