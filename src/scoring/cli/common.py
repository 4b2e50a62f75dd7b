"""What every scoring command shares: the registry, the period and the inputs."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..engine import HistoryEntry, load_history
from ..errors import ConfigurationError, Problem
from ..models import ActivityRecord, Member, Period
from ..plugins import Registry
from ..ruleset import RuleSet
from ..text import Lang


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """``--rule-set``, ``--members``, ``--records``, the period and history options."""
    parser.add_argument("--rule-set", "-r", required=True, help="rule-set id (see `scoring rule-sets`) or a .toml path")
    parser.add_argument("--members", "-m", required=True, type=Path, help="members file (csv, xlsx, json, jsonl)")
    parser.add_argument("--records", "-d", required=True, type=Path, help="records file (csv, xlsx, json, jsonl)")
    parser.add_argument("--encoding", help="encoding of CSV inputs (default: detect UTF-8/BOM/GB18030)")
    period = parser.add_argument_group("period (default: the current calendar year)")
    period.add_argument("--year", type=int, help="assess the calendar year YEAR")
    period.add_argument("--from", dest="start", type=_date, help="first day of the period (YYYY-MM-DD)")
    period.add_argument("--to", dest="end", type=_date, help="last day of the period (YYYY-MM-DD)")
    period.add_argument("--as-of", type=_date, help="interim check: records known up to this day")
    parser.add_argument("--history", type=Path, action="append", default=[],
                        help="JSON result of an earlier period (repeatable)")


def add_output_arguments(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """``--format``, ``--lang`` and ``-o``."""
    parser.add_argument("--format", "-f", choices=formats, default=formats[0], help="output format")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels (default zh)")
    parser.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def period_from(args: argparse.Namespace) -> Period:
    """The assessment period from ``--year`` or ``--from/--to`` (and ``--as-of``)."""
    try:
        if args.year is not None:
            if args.start or args.end:
                raise ConfigurationError.one(
                    "--year 不能与 --from/--to 同用", "--year cannot be combined with --from/--to"
                )
            return Period.year(args.year, as_of=args.as_of)
        if args.start or args.end:
            if not (args.start and args.end):
                raise ConfigurationError.one("--from 与 --to 须同时给出", "--from and --to go together")
            return Period(start=args.start, end=args.end, as_of=args.as_of)
        return Period.year(dt.date.today().year, as_of=args.as_of)
    except ValidationError as exc:
        raise ConfigurationError([Problem("考核期无效", "invalid period", found=exc.errors()[0]["msg"])]) from None


@dataclass(frozen=True)
class Inputs:
    """Everything a scoring run needs, read and validated."""

    rule_set: RuleSet
    members: list[Member]
    records: list[ActivityRecord]
    period: Period
    history: list[HistoryEntry]


def read_inputs(args: argparse.Namespace, registry: Registry) -> Inputs:
    """Load the rule set, read members, records and history, and build the period."""
    from ..io import read_members, read_records  # the readers pull in optional format support lazily

    rule_set = registry.load(args.rule_set)
    period = period_from(args)
    members = read_members(args.members, encoding=args.encoding, vocabulary=rule_set.vocabulary)
    records = read_records(args.records, encoding=args.encoding, vocabulary=rule_set.vocabulary)
    history = [entry for path in args.history for entry in load_history(path)]
    return Inputs(rule_set, members, records, period, history)


def lang_of(args: argparse.Namespace) -> Lang:
    """The ``--lang`` option."""
    return "en" if getattr(args, "lang", "zh") == "en" else "zh"
