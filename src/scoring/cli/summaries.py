"""``scoring score --format jsonl``: every member's summary, from the batch engine by default."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine import load_history, score
from ..errors import ConfigurationError
from ..models import AccountingSummary
from ..plugins import Registry
from ..report.summary_lines import batch_chunks, result_lines
from .common import lang_of, period_from, read_files, rule_set_for
from .mapping import print_notes, reading_options
from .progress import Progress

if TYPE_CHECKING:
    from ..io.notes import Note


@dataclass(frozen=True)
class SummaryLines:
    """The member summaries to write, in pieces, and the accounting of the records."""

    chunks: Iterable[str]
    accounting: AccountingSummary
    rule_set_id: str


def summary_chunks(args: argparse.Namespace, registry: Registry, progress: Progress) -> SummaryLines:
    """Read and score; the summaries, in pieces, from the engine ``--engine`` names (auto: batch),
    with the accounting of the records (the same from either engine)."""
    lang = lang_of(args)
    progress.step(f"{'加载规则集' if lang == 'zh' else 'loading'} {args.rule_set}")
    period = period_from(args)
    rule_set = rule_set_for(args, registry, period)
    history = [entry for path in args.history for entry in load_history(path)]
    options = reading_options(args, rule_set.vocabulary)
    if args.engine == "reference":
        members, records = read_files(args.members, args.records, args.encoding, rule_set.vocabulary, progress, lang,
                                      **options)
        progress.step(f"{'计分' if lang == 'zh' else 'scoring'} {rule_set.id}")
        scored = score(rule_set, members, records, period, history=history)
        return SummaryLines([result_lines(scored)], scored.accounting.summary(), rule_set.id)
    from ..batch import prepare
    from ..batch.files import read_columns

    progress.step(f"{'读取' if lang == 'zh' else 'reading'} {args.members.name}, {args.records.name}")
    notes: list[Note] = []
    try:
        member_cols, record_cols = read_columns(args.members, args.records, rule_set.vocabulary, encoding=args.encoding,
                                                notes=notes, **options)
    finally:
        print_notes(notes, lang, progress)
    progress.step(f"{'计分' if lang == 'zh' else 'scoring'} {rule_set.id}")
    result = prepare(rule_set, member_cols, record_cols, period, history=history).score(rule_set)
    return SummaryLines(batch_chunks(result, member_cols.ids), result.accounting_summary(), rule_set.id)


def check_engine(args: argparse.Namespace, fmt: str) -> None:
    """The batch engine writes summaries only; say so instead of silently using another engine."""
    if args.engine == "batch" and fmt != "jsonl":
        raise ConfigurationError.one(
            f"批量引擎只输出成员摘要（--format jsonl），不输出 {fmt}",
            f"the batch engine writes member summaries only (--format jsonl), not {fmt}",
            key="--engine", expected="--format jsonl, or --engine reference / auto", found="batch",
        )
