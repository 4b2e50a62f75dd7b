"""``scoring rule-sets``, ``scoring plugins`` and ``scoring check``."""

from __future__ import annotations

import argparse

from tabulate import tabulate

from ..plugins import Registry
from ..report.labels import label
from .common import lang_of
from .output import write_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the listing and checking sub-commands."""
    r = sub.add_parser("rule-sets", help="list the rule sets provided by installed plugins")
    r.add_argument("--lang", choices=("zh", "en"), default="zh")
    r.set_defaults(run=run_rule_sets)
    p = sub.add_parser("plugins", help="list installed plugins with their versions")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(run=run_plugins)
    c = sub.add_parser("check", help="validate a rule set without scoring (all problems are listed)")
    c.add_argument("--rule-set", "-r", required=True, help="rule-set id or .toml path")
    c.set_defaults(run=run_check)


def run_rule_sets(args: argparse.Namespace, registry: Registry) -> int:
    """List registered rule sets."""
    lang = lang_of(args)
    rows = [
        [e.id, e.version, e.title, e.plugin.label(), e.extends or ""]
        for e in sorted(registry.rule_sets.values(), key=lambda e: e.id)
    ]
    headers = [label("rule_set", lang), label("version", lang), label("title", lang), label("plugin", lang),
               "继承自" if lang == "zh" else "extends"]
    write_text(str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)), None)
    return 0


def run_plugins(args: argparse.Namespace, registry: Registry) -> int:
    """List loaded (and disabled) plugins."""
    lang = lang_of(args)
    rows = [[p.name, p.distribution, p.version] for p in registry.plugins]
    rows += [[name, "(disabled)", ""] for name in registry.disabled]
    headers = [label("plugin", lang), label("distribution", lang), label("version", lang)]
    write_text(str(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)), None)
    return 0


def run_check(args: argparse.Namespace, registry: Registry) -> int:
    """Compile a rule set; problems raise and are printed by the entry point."""
    rule_set = registry.load(args.rule_set)
    write_text(f"OK: {rule_set.id} {rule_set.version} ({len(rule_set.rules)} rules) {rule_set.fingerprint}", None)
    return 0
