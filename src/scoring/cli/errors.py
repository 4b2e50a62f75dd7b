"""Turning exceptions into messages on standard error and exit statuses (no traceback unless asked)."""

from __future__ import annotations

import os
import sys
import traceback

from ..errors import ScoringError
from ..text import Lang

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""invalid input, rule set or request: the message says what and where"""
EXIT_USAGE = 2
"""bad command-line syntax (argparse)"""
EXIT_INTERNAL = 3
"""a bug in scoring or a plugin"""
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130


def problems_text(exc: ScoringError, lang: Lang) -> str:
    """'错误：…' with one line per problem (a count first when there are several)."""
    head = "错误：" if lang == "zh" else "error: "
    lines = [p.format(lang) for p in exc.problems] or [str(exc)]
    if len(lines) == 1:
        return head + lines[0]
    count = f"共 {len(lines)} 处问题" if lang == "zh" else f"{len(lines)} problems"
    return head + count + "\n" + "\n".join("  " + line.replace("\n", "\n    ") for line in lines)


def os_error_text(exc: OSError, lang: Lang) -> str:
    """A file-system error naming the file: 'error: examples: is a directory'."""
    where = exc.filename if exc.filename is not None else ""
    why = exc.strerror or str(exc)
    if lang == "zh":
        return f"错误：{where}: 无法访问文件（{why}）" if where else f"错误：无法读写文件（{why}）"
    return f"error: {where}: cannot access the file ({why})" if where else f"error: {why}"


def handle(exc: BaseException, lang: Lang, *, show_traceback: bool) -> int:
    """Print ``exc`` for a user and return the exit status."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if show_traceback:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, ScoringError):
        print(problems_text(exc, lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if isinstance(exc, OSError):
        print(os_error_text(exc, lang), file=sys.stderr)
        return EXIT_PROBLEMS
    if lang == "zh":
        text = f"内部错误：{type(exc).__name__}: {exc}\n  这是 scoring 或插件的缺陷；请加 --traceback 重新运行并报告。"
    else:
        text = (f"internal error: {type(exc).__name__}: {exc}\n"
                "  this is a bug in scoring or a plugin; run again with --traceback and report it.")
    print(text, file=sys.stderr)
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``scoring … | head``), send further output nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
