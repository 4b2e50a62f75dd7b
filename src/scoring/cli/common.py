"""What the scoring commands share: options, the period, and reading the inputs."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..engine import HistoryEntry, load_history
from ..errors import ConfigurationError, InputError, Problem, collecting
from ..models import ActivityRecord, Member, Period
from ..plugins import Registry
from ..rule_set_path import RULE_SET_PATH_ENV
from ..ruleset import RuleSet
from ..text import Lang
from ..vocabulary import Vocabulary
from .mapping import add_mapping_arguments, print_notes, reading_options
from .progress import Progress

if TYPE_CHECKING:  # the readers are imported when files are read
    from ..io.mapping import UnknownColumns
    from ..io.notes import Note
    from ..io.profile import Profile

LANG_ENV = "SCORING_LANG"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """``--lang`` and ``--traceback``, accepted by every sub-command."""
    default = "en" if os.environ.get(LANG_ENV, "").lower().startswith("en") else "zh"
    parser.add_argument("--lang", choices=("zh", "en"), default=default,
                        help=f"language of labels and messages (default zh; ${LANG_ENV} changes it)")
    parser.add_argument("--traceback", action="store_true", default=argparse.SUPPRESS,
                        help="show a Python traceback on errors")


def add_rule_path_argument(parser: argparse.ArgumentParser) -> None:
    """``--path DIR``: directories of rule files found by id like the plugins' rule sets."""
    parser.add_argument("--path", dest="rule_path", type=Path, action="append", default=[], metavar="DIR",
                        help=f"also find rule sets by id in the .toml files of DIR (repeatable; "
                             f"${RULE_SET_PATH_ENV} adds more, separated by {os.pathsep!r})")


def add_input_arguments(parser: argparse.ArgumentParser, *, rule_set_help: str | None = None) -> None:
    """``--rule-set``, ``--members``, ``--records``, the period and history options."""
    parser.add_argument("--rule-set", "-r", required=True, metavar="ID_OR_FILE",
                        help=rule_set_help or "rule-set id or family id (the version in force for the period; "
                                              "see `scoring rule-sets`), or a .toml path")
    add_rule_path_argument(parser)
    parser.add_argument("--strict-dates", action="store_true",
                        help="a period outside the rule set's effective dates is an error, not a warning")
    add_file_arguments(parser, required=True)
    period = parser.add_argument_group("period (default: the current calendar year)")
    period.add_argument("--year", type=int, metavar="YEAR", help="assess the calendar year YEAR")
    period.add_argument("--from", dest="start", type=_date, metavar="DATE", help="first day of the period (YYYY-MM-DD)")
    period.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day of the period (YYYY-MM-DD)")
    period.add_argument("--as-of", type=_date, metavar="DATE", help="interim check: records known up to this day")
    parser.add_argument("--history", type=Path, action="append", default=[], metavar="FILE",
                        help="JSON result of an earlier period (`scoring score --format json`; repeatable)")


def add_file_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """``--members``, ``--records`` and ``--encoding``."""
    parser.add_argument("--members", "-m", required=required, type=Path, metavar="FILE",
                        help="members file (.csv, .xlsx, .json, .jsonl)")
    parser.add_argument("--records", "-d", required=required, type=Path, metavar="FILE",
                        help="records file (.csv, .xlsx, .json, .jsonl)")
    parser.add_argument("--encoding", metavar="CODEC",
                        help="encoding of CSV/JSON inputs (default: detect UTF-8, BOM, GB18030)")
    add_mapping_arguments(parser)


def add_output_arguments(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """``--format`` and ``-o``."""
    parser.add_argument("--format", "-f", choices=formats, default=None,
                        help=f"output format (default: from the -o extension, else {formats[0]})")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write to this file instead of standard output")


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
        year = dt.date.today().year
        note = (f"注意：未指定考核期（--year 或 --from/--to），按当前年度 {year} 计算" if lang_of(args) == "zh"
                else f"note: no period given (--year or --from/--to): assessing the current year {year}")
        print(note, file=sys.stderr)
        return Period.year(year, as_of=args.as_of)
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

    @property
    def members_by_id(self) -> dict[str, Member]:
        """Members by id (reports take sectors from here)."""
        return {m.id: m for m in self.members}


def read_files(
    members_path: Path | None, records_path: Path | None, encoding: str | None, vocabulary: Vocabulary,
    progress: Progress | None = None, lang: Lang = "zh", *, mapping: Profile | None = None,
    unknown_columns: UnknownColumns = "ignore",
) -> tuple[list[Member], list[ActivityRecord]]:
    """Read both files; the problems of both are reported together in one :class:`InputError`.
    The readers' notes (columns not read, rows skipped) go to standard error, one line each."""
    from ..io import read_members, read_records  # the readers pull in optional format support lazily

    problems: list[Problem] = []
    notes: list[Note] = []
    members: list[Member] | None = None
    records: list[ActivityRecord] | None = None
    try:
        if members_path is not None:
            if progress:
                progress.step(f"{'读取' if lang == 'zh' else 'reading'} {members_path.name}")
            members = collecting(problems, members_path, lambda: read_members(
                members_path, encoding=encoding, vocabulary=vocabulary, mapping=mapping,
                unknown_columns=unknown_columns, notes=notes))
        if records_path is not None:
            if progress:
                progress.step(f"{'读取' if lang == 'zh' else 'reading'} {records_path.name}")
            records = collecting(problems, records_path, lambda: read_records(
                records_path, encoding=encoding, vocabulary=vocabulary, mapping=mapping,
                unknown_columns=unknown_columns, members=members, notes=notes))
    finally:
        print_notes(notes, lang, progress)
    if problems:
        raise InputError(problems)
    return members or [], records or []


def read_inputs(args: argparse.Namespace, registry: Registry, progress: Progress | None = None) -> Inputs:
    """Load the rule set, read members, records and history, and build the period."""
    lang = lang_of(args)
    if progress:
        progress.step(f"{'加载规则集' if lang == 'zh' else 'loading'} {args.rule_set}")
    period = period_from(args)
    rule_set = rule_set_for(args, registry, period)
    members, records = read_files(args.members, args.records, args.encoding, rule_set.vocabulary, progress, lang,
                                  **reading_options(args, rule_set.vocabulary))
    history = [entry for path in args.history for entry in load_history(path)]
    return Inputs(rule_set, members, records, period, history)


def rule_set_for(args: argparse.Namespace, registry: Registry, period: Period, ref: str | None = None) -> RuleSet:
    """The rule set ``ref`` (default ``--rule-set``) for ``period``: a family id gives the version in
    force; a rule set whose dates do not contain the period is a warning on stderr, or with
    ``--strict-dates`` an error."""
    rule_set = registry.load(ref or args.rule_set, period=period)
    problem = rule_set.period_problem(period)
    if problem is not None:
        if getattr(args, "strict_dates", False):
            raise ConfigurationError([problem])
        lang = lang_of(args)
        hint = f"{problem.hint}; --strict-dates makes this an error / 加 --strict-dates 则视为错误"
        print(("警告：" if lang == "zh" else "warning: ") + replace(problem, hint=hint).format(lang), file=sys.stderr)
    return rule_set


def lang_of(args: argparse.Namespace) -> Lang:
    """The ``--lang`` option."""
    return "en" if getattr(args, "lang", "zh") == "en" else "zh"


def progress_for(args: argparse.Namespace, steps: int) -> Progress:
    """A progress bar for ``steps`` steps (silent unless stderr is a terminal; ``--no-progress``)."""
    return Progress(steps, enabled=not getattr(args, "no_progress", False))
