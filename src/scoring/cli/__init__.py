"""The ``scoring`` command line. Only this package prints to the terminal or exits."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from .._version import __version__
from ..errors import ScoringError
from ..plugins import Registry, make_plugin_manager
from ..text import Lang
from . import listing, score


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="scoring",
        description="政协委员履职量化考评 — duty-performance scorecards for CPPCC members",
    )
    parser.add_argument("--version", action="version", version=f"scoring {__version__}")
    parser.add_argument("--traceback", action="store_true", help="show a Python traceback on errors")
    parser.add_argument("--no-plugins", action="store_true", help="load no installed plugins")
    parser.add_argument("--trace-plugins", action="store_true", help="print each plugin hook call to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    score.register(sub)
    listing.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 scoring error, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        pm = make_plugin_manager(load_entry_points=not args.no_plugins)
        trace = (lambda line: print(f"[plugins] {line}", file=sys.stderr)) if args.trace_plugins else None
        registry = Registry.build(pm, trace=trace)
        return int(args.run(args, registry))
    except ScoringError as exc:
        if args.traceback:
            traceback.print_exc()
        lang: Lang = "en" if getattr(args, "lang", "zh") == "en" else "zh"
        print(("错误：" if lang == "zh" else "error: ") + exc.format(lang).replace("\n", "\n  "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
