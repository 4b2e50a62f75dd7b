"""``scoring rule-sets`` and ``scoring plugins``."""

from __future__ import annotations

import argparse
import sys

from ..catalog import RuleSetEntry
from ..plugins import Registry, foreign_distribution
from ..report.document import Table
from ..report.labels import label
from ..rule_set_path import RULE_SET_PATH_ENV
from ..text import Lang, t
from .common import add_common_arguments, add_rule_path_argument, lang_of
from .output import write_text

HEADINGS = {
    "family": t("系列", "family"),
    "in_force": t("施行日期", "in force"),
    "provided_by": t("来源", "provided by"),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the listing sub-commands."""
    r = sub.add_parser(
        "rule-sets", help="list the rule sets of installed plugins and of the rule-set path",
        description="List every rule set that --rule-set can name: those of installed plugins and the rule "
                    f"files in --path directories and ${RULE_SET_PATH_ENV}, with version, family, effective "
                    "dates, title, where it comes from and what it extends.",
    )
    add_rule_path_argument(r)
    add_common_arguments(r)
    r.set_defaults(run=run_rule_sets)
    p = sub.add_parser("plugins", help="list installed plugins with their versions")
    add_common_arguments(p)
    p.set_defaults(run=run_plugins)


def run_rule_sets(args: argparse.Namespace, registry: Registry) -> int:
    """List the registered rule sets and the rule files found on the rule-set path."""
    lang = lang_of(args)
    entries = sorted(registry.rule_sets.values(), key=lambda e: (e.plugin is None, e.id))
    headers = (
        label("rule_set", lang), label("version", lang), HEADINGS["family"].get(lang), HEADINGS["in_force"].get(lang),
        label("title", lang), HEADINGS["provided_by"].get(lang), label("extends", lang),
    )
    lines = [_table_text(Table(headers, tuple(_row(e, lang) for e in entries)))]
    lines += [_directory_line(str(d), sum(e.plugin is None and e.path.parent == d for e in entries), lang)
              for d in registry.path]
    write_text("\n".join(lines), None)
    return 0


def _row(entry: RuleSetEntry, lang: Lang) -> tuple[str, ...]:
    return (entry.id, entry.version, entry.family or "", entry.dates.text(), entry.title.get(lang), entry.provider,
            entry.extends or "")


def _directory_line(directory: str, count: int, lang: Lang) -> str:
    if lang == "zh":
        return f"规则集目录 {directory}：{count} 个规则文件"
    return f"rule-set directory {directory}: {count} rule file{'' if count == 1 else 's'}"


def run_plugins(args: argparse.Namespace, registry: Registry) -> int:
    """List loaded (and disabled) plugins; warn of an installed distribution named ``scoring``."""
    lang = lang_of(args)
    rows = tuple((p.name, p.distribution, p.version) for p in registry.plugins)
    rows += tuple((name, "(disabled)", "") for name in registry.disabled)
    headers = tuple(label(k, lang) for k in ("plugin", "distribution", "version"))
    write_text(_table_text(Table(headers, rows)), None)
    problem = foreign_distribution()
    if problem is not None:
        print(("警告：" if lang == "zh" else "warning: ") + problem.format(lang), file=sys.stderr)
    return 0


def _table_text(table: Table) -> str:
    from ..report.as_text import table_text  # tabulate and wcwidth only for these listings

    return table_text(table)
