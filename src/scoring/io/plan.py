"""How one file is to be read: a reader's arguments (``mapping=``, ``unknown_columns=``) and
the mapping profile, if any, turned into the header rules, the sheet layout, the value maps and
the fixed values — shared by the row-by-row readers and the columnar ones, so both read a file
the same way — and the notes a reading leaves."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..vocabulary import Vocabulary, base_vocabulary
from .codes import Codes
from .fields import MEMBER_SCHEMA, RECORD_SCHEMA
from .layout import Layout, Patterns
from .mapping import HeaderMapping, HeaderRules, Schema, UnknownColumns
from .notes import IgnoredColumn, Note, SkippedRow
from .profile import Profile, SectionName, as_profile

MappingArg = HeaderMapping | Profile | str | os.PathLike[str] | None
"""A reader's ``mapping=``: a dict of header → field (``None`` ignores the column), a
:class:`~scoring.io.profile.Profile`, or the path of a profile file (TOML)."""


@dataclass(frozen=True)
class ReadPlan:
    """Everything that says how to read one members or records file."""

    section: SectionName
    schema: Schema
    rules: HeaderRules
    layout: Layout
    values: Mapping[str, Mapping[str, str]]
    """field → cell value → code (a profile's ``values``)"""
    fixed: Mapping[str, str]
    """field → the value of every row (a profile's ``fixed``)"""
    row_ids: bool
    """records are numbered by row (``<file name>:<row>``)"""
    source: str | None
    """the profile file, if any"""

    def codes(self, vocabulary: Vocabulary) -> Codes:
        """The code tables of ``vocabulary`` with this plan's value maps."""
        return Codes(vocabulary, self.values)

    def fixed_key(self, field: str) -> str:
        """How errors name a fixed value: ``fixed.kind`` (of the profile file)."""
        return f"{self.section}.fixed.{field}"


def plan(
    section: SectionName,
    mapping: MappingArg,
    *,
    vocabulary: Vocabulary | None = None,
    unknown_columns: UnknownColumns = "ignore",
) -> ReadPlan:
    """The plan for reading a ``section`` file with the reader's ``mapping=`` (a profile is
    loaded or checked against ``vocabulary``). Raises ``ConfigurationError`` for a bad profile
    or mapping."""
    schema = MEMBER_SCHEMA if section == "members" else RECORD_SCHEMA
    profile, headers = as_profile(mapping, vocabulary or base_vocabulary())
    if profile is None:
        rules = schema.rules(headers, unknown_columns=unknown_columns)
        layout = Layout(recognise=rules.recognise, same_field=rules.same_field)
        return ReadPlan(section, schema, rules, layout, {}, {}, False, None)
    part = profile.section(section)
    row_ids = part.ids == "row"
    key = f"{profile.source or 'profile'}: {section}.columns"
    rules = schema.rules(
        part.header_mapping(), unknown_columns=unknown_columns, fixed=part.fixed, row_ids=row_ids, key=key
    )
    layout = Layout(
        recognise=rules.recognise, same_field=rules.same_field, header_row=part.header_row,
        first_cell=Patterns(profile.skip_rows.first_cell), any_cell=Patterns(profile.skip_rows.any_cell),
    )
    return ReadPlan(section, schema, rules, layout, part.values, part.fixed, row_ids, profile.source)


def row_id(path: Path, row: int) -> str:
    """The id of the record on ``row`` of a file numbered by row."""
    return f"{path.stem}:{row}"


def reading_notes(
    file: str, ignored: Sequence[IgnoredColumn], skipped: Sequence[SkippedRow]
) -> list[Note]:
    """The notes of one reading: the columns not read and the rows skipped (each one note)."""
    notes: list[Note] = []
    if ignored:
        notes.append(Note(code="ignored_columns", file=file, columns=tuple(ignored)))
    if skipped:
        notes.append(Note(code="skipped_rows", file=file, rows=tuple(skipped)))
    return notes
