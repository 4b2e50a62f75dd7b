"""``scoring score`` and ``scoring explain``."""

from __future__ import annotations

import argparse
import csv
import io

from ..engine import score
from ..errors import ConfigurationError
from ..models import ScoringResult
from ..plugins import Registry
from ..report.labels import label
from ..report.tables import accounting_summary, explain, grade_text, number, scorecards_table, warnings_table
from ..text import Lang
from .common import Inputs, add_input_arguments, add_output_arguments, lang_of, read_inputs
from .output import write_text

FORMATS = ("table", "json", "csv", "md")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``score`` and ``explain`` sub-commands."""
    p = sub.add_parser("score", help="score every member: scorecards, ranks, warnings, accounting")
    add_input_arguments(p)
    add_output_arguments(p, FORMATS)
    p.set_defaults(run=run_score)
    e = sub.add_parser("explain", help="one member's scorecard with every point traced to records and clauses")
    add_input_arguments(e)
    e.add_argument("--member", required=True, help="member id (委员编号)")
    add_output_arguments(e, ("table", "json"))
    e.set_defaults(run=run_explain)


def _score(args: argparse.Namespace, registry: Registry) -> tuple[Inputs, ScoringResult]:
    inputs = read_inputs(args, registry)
    result = score(inputs.rule_set, inputs.members, inputs.records, inputs.period, history=inputs.history)
    return inputs, result


def run_score(args: argparse.Namespace, registry: Registry) -> int:
    """Score all members and write the result in the requested format."""
    inputs, result = _score(args, registry)
    lang = lang_of(args)
    members = {m.id: m for m in inputs.members}
    if args.format == "json":
        text = result.model_dump_json(indent=2)
    elif args.format == "csv":
        text = _csv(inputs, result, lang)
    else:
        parts = [
            f"{inputs.rule_set.title.get(lang)} ({inputs.rule_set.id} {inputs.rule_set.version}) — "
            f"{label('period', lang)} {inputs.period.name}",
            scorecards_table(inputs.rule_set, result, members, lang),
        ]
        if result.warnings:
            parts.append(warnings_table(result, lang))
        parts.append(accounting_summary(result, lang))
        text = "\n\n".join(parts)
        if args.format == "md":
            text = "```\n" + text + "\n```"
    write_text(text, args.output)
    return 0


def _csv(inputs: Inputs, result: ScoringResult, lang: Lang) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label(k, lang) for k in ("member_id", "name", "total", "grade", "grade_by_score", "rank",
                                              "group", "gates", "warnings")])
    for card in result.scorecards:
        writer.writerow([
            card.member_id, card.member_name, number(card.total, lang), grade_text(inputs.rule_set, card, lang),
            card.grade_by_score or "", card.rank.position if card.rank else "", card.rank.group if card.rank else "",
            ";".join(f"{g.id}={'met' if g.met else 'not_met'}" for g in card.gates),
            ";".join(w.action for w in card.warnings),
        ])
    return buffer.getvalue()


def run_explain(args: argparse.Namespace, registry: Registry) -> int:
    """Explain one member's scorecard."""
    inputs, result = _score(args, registry)
    try:
        card = result.scorecard(args.member)
    except KeyError:
        raise ConfigurationError.one(
            f"委员 '{args.member}' 不在委员名单中", f"member '{args.member}' is not in the member list",
            file=str(args.members), column="id",
        ) from None
    text = card.model_dump_json(indent=2) if args.format == "json" else explain(inputs.rule_set, card, lang_of(args))
    write_text(text, args.output)
    return 0
