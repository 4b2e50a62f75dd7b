"""Reading members and activity records from the files archive systems export.

Supported formats: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), Excel ``.xlsx`` (needs the
``xlsx`` extra), JSON, JSON Lines and Parquet. Chinese headers and values are mapped to the
canonical field names and vocabulary codes; every problem of a file is reported at once in one
:class:`~scoring.errors.InputError`. Columns that map to no field are not read and rows that are
not data (titles, blank rows, repeated headers, totals) are skipped — each said in a
:class:`Note`. A mapping profile (:func:`load_profile`) says how one office's exports are read.
See ``docs/formats.md``.
"""

from .mapping import DEFAULT_MEMBER_HEADERS, DEFAULT_RECORD_HEADERS, HeaderMapping, UnknownColumns
from .notes import IgnoredColumn, Note, SkippedRow
from .profile import Profile, Section, SkipRows, load_profile, parse_profile
from .readers import read_members, read_records, read_table

__all__ = [
    "DEFAULT_MEMBER_HEADERS",
    "DEFAULT_RECORD_HEADERS",
    "HeaderMapping",
    "IgnoredColumn",
    "Note",
    "Profile",
    "Section",
    "SkipRows",
    "SkippedRow",
    "UnknownColumns",
    "load_profile",
    "parse_profile",
    "read_members",
    "read_records",
    "read_table",
]
