"""The ``scoring`` command line. Only this package prints to the terminal or exits.

One module per command (``score``, ``explain``, ``compare``, ``check``, ``schema``, ``rule-sets`` and
``plugins``); :mod:`.errors` turns exceptions into messages and exit statuses. See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from ..plugins import Registry, make_plugin_manager
from ..rule_set_path import rule_set_path
from . import check, compare, explain, listing, schema, score
from .common import lang_of
from .errors import EXIT_USAGE, handle


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="scoring",
        description="政协委员履职量化考评 — duty-performance scorecards for CPPCC members. "
                    "See docs/cli.md, or `scoring COMMAND --help`.",
    )
    parser.add_argument("--version", action="version", version=f"scoring {__version__}")
    parser.add_argument("--traceback", action="store_true", help="show a Python traceback on errors")
    parser.add_argument("--no-plugins", action="store_true", help="load no installed plugins")
    parser.add_argument("--trace-plugins", action="store_true", help="print each plugin hook call to stderr")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar (it is only ever shown when stderr is a terminal)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    score.register(sub)
    explain.register(sub)
    compare.register(sub)
    check.register(sub)
    schema.register(sub)
    listing.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 problems found, 2 usage error,
    3 internal error). Errors are printed to standard error without a traceback unless
    ``--traceback`` is given."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    try:
        pm = make_plugin_manager(load_entry_points=not args.no_plugins)
        trace = (lambda line: print(f"[plugins] {line}", file=sys.stderr)) if args.trace_plugins else None
        # --path and $SCORING_RULE_SET_PATH, for the commands that name rule sets
        path = rule_set_path(args.rule_path) if hasattr(args, "rule_path") else ()
        registry = Registry.build(pm, trace=trace, path=path)
        return int(args.run(args, registry))
    except (Exception, KeyboardInterrupt) as exc:
        return handle(exc, lang_of(args), show_traceback=args.traceback)
