"""``scoring rule-sets`` and ``scoring plugins``."""

from __future__ import annotations

import argparse

from ..plugins import Registry
from ..report.document import Table
from ..report.labels import label
from .common import add_common_arguments, lang_of
from .output import write_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the listing sub-commands."""
    r = sub.add_parser("rule-sets", help="list the rule sets provided by installed plugins")
    add_common_arguments(r)
    r.set_defaults(run=run_rule_sets)
    p = sub.add_parser("plugins", help="list installed plugins with their versions")
    add_common_arguments(p)
    p.set_defaults(run=run_plugins)


def run_rule_sets(args: argparse.Namespace, registry: Registry) -> int:
    """List registered rule sets."""
    lang = lang_of(args)
    rows = tuple(
        (e.id, e.version, e.title, e.plugin.label(), e.extends or "")
        for e in sorted(registry.rule_sets.values(), key=lambda e: e.id)
    )
    headers = tuple(label(k, lang) for k in ("rule_set", "version", "title", "plugin", "extends"))
    write_text(_table_text(Table(headers, rows)), None)
    return 0


def run_plugins(args: argparse.Namespace, registry: Registry) -> int:
    """List loaded (and disabled) plugins."""
    lang = lang_of(args)
    rows = tuple((p.name, p.distribution, p.version) for p in registry.plugins)
    rows += tuple((name, "(disabled)", "") for name in registry.disabled)
    headers = tuple(label(k, lang) for k in ("plugin", "distribution", "version"))
    write_text(_table_text(Table(headers, rows)), None)
    return 0


def _table_text(table: Table) -> str:
    from ..report.as_text import table_text  # tabulate and wcwidth only for these listings

    return table_text(table)
