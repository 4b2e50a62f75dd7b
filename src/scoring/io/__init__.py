"""Reading members and activity records from the files archive systems export.

Supported formats: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), Excel ``.xlsx`` (needs the
``xlsx`` extra), JSON and JSON Lines. Chinese headers and values are mapped to the canonical
field names and vocabulary codes; every problem of a file is reported at once in one
:class:`~scoring.errors.InputError`. See ``docs/formats.md``.
"""

from .mapping import DEFAULT_MEMBER_HEADERS, DEFAULT_RECORD_HEADERS, HeaderMapping
from .readers import read_members, read_records, read_table

__all__ = [
    "DEFAULT_MEMBER_HEADERS",
    "DEFAULT_RECORD_HEADERS",
    "HeaderMapping",
    "read_members",
    "read_records",
    "read_table",
]
