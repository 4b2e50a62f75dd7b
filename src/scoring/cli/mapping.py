"""The command line's side of reading office exports: ``--mapping`` (a mapping profile),
``--strict-columns``, the reader's notes on standard error, and ``check --suggest-mapping``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..text import Lang
from ..vocabulary import Vocabulary
from .progress import Progress

if TYPE_CHECKING:
    from ..io.notes import Note


def add_mapping_arguments(parser: argparse.ArgumentParser) -> None:
    """``--mapping`` and ``--strict-columns`` (with the file options)."""
    parser.add_argument("--mapping", type=Path, metavar="PROFILE.toml",
                        help="mapping profile: how this office's exports are read — headers, values, fixed values, "
                             "rows to skip (see docs/formats.md; draft one with `scoring check --suggest-mapping`)")
    parser.add_argument("--strict-columns", action="store_true",
                        help="a column that maps to no field is an error (default: not read, and named in a note)")


def reading_options(args: argparse.Namespace, vocabulary: Vocabulary) -> dict[str, Any]:
    """The readers' ``mapping=`` (the profile, loaded once) and ``unknown_columns=``."""
    from ..io.profile import load_profile

    path: Path | None = getattr(args, "mapping", None)
    return {
        "mapping": load_profile(path, vocabulary=vocabulary) if path is not None else None,
        "unknown_columns": "error" if getattr(args, "strict_columns", False) else "ignore",
    }


def print_notes(notes: Iterable[Note], lang: Lang, progress: Progress | None = None) -> None:
    """Each note on one line of standard error (below the progress bar, which the next step
    draws again)."""
    prefix = "注意：" if lang == "zh" else "note: "
    for note in notes:
        if progress is not None and progress.active:
            progress.stream.write("\r\x1b[K")
        print(prefix + note.format(lang), file=sys.stderr)


def suggestion(args: argparse.Namespace, vocabulary: Vocabulary) -> str:
    """``check --suggest-mapping``: the draft profile for the files given (built on ``--mapping``)."""
    from ..errors import ConfigurationError
    from ..io.suggest import suggest_profile

    if args.members is None and args.records is None:
        raise ConfigurationError.one(
            "--suggest-mapping 需要 --members 或 --records", "--suggest-mapping needs --members or --records",
            key="--suggest-mapping", expected="--members FILE and/or --records FILE",
        )
    base = reading_options(args, vocabulary)["mapping"]
    return suggest_profile(members=args.members, records=args.records, vocabulary=vocabulary,
                           encoding=args.encoding, base=base)
