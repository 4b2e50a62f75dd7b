"""``scoring score``: every member's scorecard, in the format asked for."""

from __future__ import annotations

import argparse

from ..engine import score
from ..models import ScoringResult
from ..plugins import Registry
from ..text import Lang
from .accounting import add_strict_argument, report_accounting
from .common import (
    Inputs,
    add_common_arguments,
    add_input_arguments,
    add_output_arguments,
    lang_of,
    progress_for,
    read_inputs,
)
from .output import resolve_format, write_bytes, write_chunks, write_text
from .progress import Progress
from .summaries import check_engine, summary_chunks

FORMATS = ("table", "json", "csv", "xlsx", "md", "html", "jsonl")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``score`` sub-command."""
    p = sub.add_parser(
        "score", help="score every member: scorecards, ranks, warnings, accounting",
        description="Score every member under a rule set and write scorecards, warnings and the record "
                    "accounting as a table, JSON, CSV, XLSX, Markdown or HTML; or every member's summary "
                    "(total, grade, gates, warnings, rank) as JSON Lines, from the batch engine.",
    )
    add_input_arguments(p)
    add_output_arguments(p, FORMATS)
    p.add_argument("--engine", choices=("auto", "batch", "reference"), default="auto",
                   help="auto (default): the batch engine for jsonl, the reference engine for full scorecards")
    add_strict_argument(p)
    add_common_arguments(p)
    p.set_defaults(run=run_score)


def scored(args: argparse.Namespace, registry: Registry, progress: Progress) -> tuple[Inputs, ScoringResult]:
    """Read the inputs and score them (shared with ``explain``)."""
    inputs = read_inputs(args, registry, progress)
    progress.step(f"{'计分' if lang_of(args) == 'zh' else 'scoring'} {inputs.rule_set.id}")
    result = score(inputs.rule_set, inputs.members, inputs.records, inputs.period, history=inputs.history)
    return inputs, result


def run_score(args: argparse.Namespace, registry: Registry) -> int:
    """Score all members and write the result in the requested format; then the accounting
    line on standard error (the exit status is 1 under ``--strict`` when a record was rejected)."""
    fmt = resolve_format(args.format, args.output, FORMATS)
    lang = lang_of(args)
    check_engine(args, fmt)
    with progress_for(args, 5) as progress:
        if fmt == "jsonl":
            lines = summary_chunks(args, registry, progress)
            progress.close()
            write_chunks(lines.chunks, args.output)
            return report_accounting(args, [(lines.rule_set_id, lines.accounting)])
        inputs, result = scored(args, registry, progress)
        progress.step(f"{'输出' if lang == 'zh' else 'writing'} {fmt}")
        if fmt == "xlsx":
            from ..report.workbook import workbook_bytes

            data = workbook_bytes(inputs.rule_set, result, inputs.members_by_id, lang)
            progress.close()
            write_bytes(data, args.output, "XLSX")
        else:
            text = render(fmt, inputs, result, lang)
            progress.close()
            write_text(text, args.output, bom=fmt == "csv" and args.output is not None)
    return report_accounting(args, [(inputs.rule_set.id, result.accounting.summary())])


def render(fmt: str, inputs: Inputs, result: ScoringResult, lang: Lang) -> str:
    """The result as text in ``fmt`` (every format but xlsx)."""
    # The renderers (and tabulate, wcwidth) are loaded only when a report is written.
    from ..report.as_html import render_html
    from ..report.as_markdown import render_markdown
    from ..report.as_text import render_text
    from ..report.flat import scorecards_csv
    from ..report.score_report import score_document

    if fmt == "json":
        return result.model_dump_json(indent=2)
    members = inputs.members_by_id
    if fmt == "csv":
        return scorecards_csv(inputs.rule_set, result, members, lang)
    doc = score_document(inputs.rule_set, result, members, lang)
    if fmt == "md":
        return render_markdown(doc)
    if fmt == "html":
        return render_html(doc, footer=f"{inputs.rule_set.id} {inputs.rule_set.fingerprint}")
    return render_text(doc)
