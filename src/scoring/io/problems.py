"""Problem collection for the readers.

Converters raise :class:`CellError` (what is wrong with a value); the readers locate it
(file, row, column, the value as found) and collect it in a :class:`ProblemLog`, so that one
:class:`~scoring.errors.InputError` reports every problem of a file at once.
"""

from __future__ import annotations

from typing import NoReturn

from ..errors import InputError, Problem


class CellError(Exception):
    """A value cannot be converted; the reader adds where it was found."""

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        expected: str | None = None,
        hint: str | None = None,
        found: str | None = None,
    ) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.expected = expected
        self.hint = hint
        self.found = found
        """the offending part of the cell when it is not the whole cell (e.g. one list item)"""


class ProblemLog:
    """The problems found in one file so far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        zh: str,
        en: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record one problem of this file."""
        self.problems.append(
            Problem(
                zh=zh, en=en, file=self.file, row=row, column=column,
                expected=expected, found=found, hint=hint,
            )
        )

    def cell(self, error: CellError, *, row: int | None, column: str | None, found: str) -> None:
        """Record a conversion error of the cell at ``row`` / ``column`` holding ``found``."""
        self.add(
            error.zh, error.en, row=row, column=column,
            expected=error.expected, found=error.found or found, hint=error.hint,
        )

    def fail(
        self,
        zh: str,
        en: str,
        *,
        row: int | None = None,
        expected: str | None = None,
        found: str | None = None,
        hint: str | None = None,
    ) -> NoReturn:
        """Record a problem that makes the file unreadable and raise everything found so far."""
        self.add(zh, en, row=row, expected=expected, found=found, hint=hint)
        raise InputError(self.problems)

    def raise_if_any(self) -> None:
        """Raise one :class:`InputError` holding every problem recorded, if there is any."""
        if self.problems:
            raise InputError(self.problems)
