"""Nothing set aside without a word: the record accounting on standard error, and ``--strict``.

``score`` (every format), ``explain`` and ``compare`` print one line on standard error when any
record was ignored or rejected — counts by reason, the first record ids of each — whatever the
output format, so a user who writes JSON or XLSX still learns that a record was dropped. The line
is :meth:`scoring.models.AccountingSummary.line`, the same text a library caller gets. With
``--strict`` a rejected record makes the exit status 1, after the output is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..models import AccountingSummary
from ..report.safe_cells import printable
from ..text import Lang
from .common import lang_of
from .errors import EXIT_PROBLEMS


def add_strict_argument(parser: argparse.ArgumentParser) -> None:
    """``--strict``: a rejected record fails the run."""
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 when any record was rejected (unknown member, unknown value, "
                             "conflicting duplicate); the output is written first")


def report_accounting(args: argparse.Namespace, summaries: Sequence[tuple[str, AccountingSummary]]) -> int:
    """Print the accounting line of each rule set's run on standard error (one line when they
    agree, else one per rule set, named by id) and return the exit status: 1 under ``--strict``
    when a record was rejected, else 0."""
    lang = lang_of(args)
    failed = bool(getattr(args, "strict", False)) and any(s.rejected for _, s in summaries)
    distinct = {s for _, s in summaries}
    for rule_set_id, summary in summaries if len(distinct) > 1 else summaries[:1]:
        line = summary.line(lang)
        if not line:
            continue
        if len(distinct) > 1:
            line = f"{rule_set_id}: {line}"
        text = printable(f"{_prefix(lang, failed and summary.rejected > 0)}{line}").replace("\n", " ")
        print(text, file=sys.stderr)  # one line, whatever the ids hold
    return EXIT_PROBLEMS if failed else 0


def _prefix(lang: Lang, error: bool) -> str:
    if error:
        return "错误（--strict）：" if lang == "zh" else "error (--strict): "
    return "注意：" if lang == "zh" else "note: "
