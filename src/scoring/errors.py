"""The one error hierarchy of ``scoring``.

Every error carries one or more :class:`Problem` entries with structured fields (file, row,
column, key path, what was expected, what was found) and a bilingual message. Only the CLI
prints errors or exits; library code raises these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import TypeVar

from .text import Lang

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, a rule file or a plugin, located as precisely as known."""

    zh: str
    en: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None

    @classmethod
    def unreadable(cls, path: object, exc: OSError) -> Problem:
        """A file that could not be opened or read (missing, a directory, no permission)."""
        return cls("无法读取文件", "cannot read the file", file=str(path), found=exc.strerror or str(exc))

    def location(self) -> str:
        """``file:row:column`` / ``file: key`` — whatever parts are known."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)

    def format(self, lang: Lang = "zh") -> str:
        """One readable line: location, message, expected/found and hint."""
        where = self.location()
        text = self.zh if lang == "zh" else self.en
        extra: list[str] = []
        if self.expected is not None:
            extra.append(("应为 " if lang == "zh" else "expected ") + self.expected)
        if self.found is not None:
            extra.append(("实际为 " if lang == "zh" else "found ") + self.found)
        if self.hint:
            extra.append(self.hint)
        line = f"{where}: {text}" if where else text
        if extra:
            line += (" (" if lang == "en" else "（") + "; ".join(extra) + (")" if lang == "en" else "）")
        return line


@dataclass(eq=False)
class ScoringError(Exception):
    """Base of every error raised by ``scoring``; holds all problems found, not only the first."""

    problems: Sequence[Problem] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        self.problems = tuple(self.problems)
        super().__init__(self.format("zh"))

    def format(self, lang: Lang = "zh") -> str:
        """All problems, one per line, in ``lang``."""
        return "\n".join(p.format(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.format("zh")

    @classmethod
    def one(cls, zh: str, en: str, **where: object) -> ScoringError:
        """Build an error holding a single problem (``where`` are :class:`Problem` fields)."""
        return cls([Problem(zh=zh, en=en, **where)])  # type: ignore[arg-type]


class RuleSetError(ScoringError):
    """A rule file or rule set is invalid (names the file and key path)."""


class InputError(ScoringError):
    """Members, records or history cannot be read (names the file, row and column)."""


class PluginError(ScoringError):
    """A plugin failed or registered something invalid (names the plugin and how to disable it)."""


class ConfigurationError(ScoringError):
    """A request cannot be served: unknown rule set, bad period, conflicting options."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A ``did you mean …`` hint for a misspelt name, or ``None`` when nothing is close."""
    matches = get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'? / 是否指 '{matches[0]}'？" if matches else None


def collecting(problems: list[Problem], path: object, read: Callable[[], T]) -> T | None:
    """``read()`` of the file ``path``, or None with its problems (or its being unreadable) added
    to ``problems`` — so that the problems of several files are reported together."""
    try:
        return read()
    except ScoringError as exc:
        problems += exc.problems
    except OSError as exc:
        problems.append(Problem.unreadable(path, exc))
    return None
