"""``scoring compare``: the same records under a baseline rule set and one or more variants."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine import score
from ..models import ScoringResult
from ..plugins import Registry
from ..report.chart import Series, draw_distributions, require_matplotlib
from ..report.compare import Comparison, compare_results
from ..ruleset import RuleSet
from ..text import Lang
from .accounting import add_strict_argument, report_accounting
from .common import (
    add_common_arguments,
    add_input_arguments,
    add_output_arguments,
    lang_of,
    progress_for,
    read_inputs,
    rule_set_for,
)
from .output import resolve_format, write_text

FORMATS = ("table", "json", "md", "html")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``compare`` sub-command."""
    c = sub.add_parser(
        "compare", help="compare a baseline rule set with variants on the same records",
        description="Score the same members and records under a baseline rule set and each variant: grade "
                    "transition matrix, the members whose result changed and why, and the distribution of "
                    "totals per grade and per sector.",
    )
    add_input_arguments(c, rule_set_help="the baseline: rule-set id or .toml path")
    c.add_argument("--variant", "-V", action="append", required=True, metavar="FILE_OR_ID",
                   help="a variant rule set: id or .toml path (repeatable)")
    add_output_arguments(c, FORMATS)
    c.add_argument("--chart", type=Path, metavar="FILE.png",
                   help="also draw the score distributions to a PNG (needs matplotlib)")
    add_strict_argument(c)
    add_common_arguments(c)
    c.set_defaults(run=run_compare)


def run_compare(args: argparse.Namespace, registry: Registry) -> int:
    """Score under every rule set, compare, and write the report (and the chart)."""
    if args.chart is not None:
        require_matplotlib()
    lang = lang_of(args)
    fmt = resolve_format(args.format, args.output, FORMATS)
    zh = lang == "zh"
    with progress_for(args, 4 + 2 * len(args.variant)) as progress:
        inputs = read_inputs(args, registry, progress)
        variants: list[RuleSet] = []
        for ref in args.variant:
            progress.step(f"{'加载规则集' if zh else 'loading'} {ref}")
            variants.append(rule_set_for(args, registry, inputs.period, ref))
        results: list[ScoringResult] = []
        for rule_set in (inputs.rule_set, *variants):
            progress.step(f"{'计分' if zh else 'scoring'} {rule_set.id}")
            results.append(score(rule_set, inputs.members, inputs.records, inputs.period, history=inputs.history))
        comparison = compare_results(inputs.rule_set, results[0], list(zip(variants, results[1:], strict=True)),
                                     inputs.members)
        text = render(fmt, comparison, lang)
    write_text(text, args.output)
    rule_sets = (inputs.rule_set, *variants)
    if args.chart is not None:
        chart = draw_distributions(
            [Series(rs, [c.total for c in r.scorecards if c.status == "assessed" and c.total is not None])
             for rs, r in zip(rule_sets, results, strict=True)],
            args.chart, period=comparison.period.name, lang=lang,
        )
        if chart.fell_back:
            print("注意：未找到中文字体，图表使用英文标注（Debian/Ubuntu：apt-get install fonts-noto-cjk 或 "
                  "fonts-wqy-microhei）", file=sys.stderr)
    return report_accounting(args, [(rs.id, r.accounting.summary()) for rs, r in zip(rule_sets, results, strict=True)])


def render(fmt: str, comparison: Comparison, lang: Lang) -> str:
    """The comparison as text in ``fmt``."""
    if fmt == "json":
        return comparison.model_dump_json(indent=2)
    # The renderers (and tabulate, wcwidth) are loaded only when a report is written.
    from ..report.as_html import render_html
    from ..report.as_markdown import render_markdown
    from ..report.as_text import render_text
    from ..report.compare_report import compare_document

    doc = compare_document(comparison, lang)
    if fmt == "md":
        return render_markdown(doc)
    if fmt == "html":
        return render_html(doc)
    return render_text(doc)
