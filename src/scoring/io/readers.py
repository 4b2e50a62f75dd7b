"""The public readers: members and activity records from CSV, XLSX, JSON and JSONL files.

Each reader maps the file's columns to model fields, converts every cell (Chinese values to
canonical codes, dates, numbers, booleans, lists), validates the model and collects every
problem of the file before raising a single :class:`~scoring.errors.InputError`. What a reader
does that is not an error — columns it does not read, rows it skips, records it matches to
members by name — it says in :class:`~scoring.io.notes.Note` objects appended to ``notes=``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..models import ActivityRecord, Member
from ..vocabulary import Vocabulary, base_vocabulary
from .cells import is_empty, show, to_text
from .fields import MEMBER_SCHEMA, RECORD_SCHEMA, Converter, member_converters, record_converters
from .files import load_table
from .headers import MEMBER_NAME
from .layout import RAW
from .mapping import ColumnMap, UnknownColumns, map_columns
from .names import MemberNames
from .notes import Note
from .plan import MappingArg, ReadPlan, plan, reading_notes, row_id
from .problems import CellError, ProblemLog
from .rowreader import FileContext, Model, RowReader
from .tables import Row

__all__ = ["MEMBER_SCHEMA", "RECORD_SCHEMA", "read_members", "read_records", "read_table"]

PathArg = str | os.PathLike[str]


def read_members(
    path: PathArg,
    *,
    encoding: str | None = None,
    mapping: MappingArg = None,
    vocabulary: Vocabulary | None = None,
    unknown_columns: UnknownColumns = "ignore",
    notes: list[Note] | None = None,
) -> list[Member]:
    """The members in ``path`` (``.csv``, ``.xlsx``, ``.json``, ``.jsonl`` or ``.parquet``).

    ``encoding`` overrides the detection for text formats; ``mapping`` is a dict of header →
    field name (or ``None`` to ignore a column) merged over :data:`DEFAULT_MEMBER_HEADERS`, or a
    mapping profile (a :class:`~scoring.io.profile.Profile` or the path of its TOML file), whose
    ``members`` section is used; ``vocabulary`` (default: the base vocabulary) gives the member
    roles accepted. Columns that map to no field are not read and listed in one note appended
    to ``notes`` (``unknown_columns="error"`` makes them errors); skipped rows are noted too.
    Raises :class:`~scoring.errors.InputError` listing every problem of the file.
    """
    vocabulary = vocabulary or base_vocabulary()
    how = plan("members", mapping, vocabulary=vocabulary, unknown_columns=unknown_columns)
    converters = member_converters(how.codes(vocabulary))
    return _read(Path(path), Member, how, converters, encoding, notes, None)


def read_records(
    path: PathArg,
    *,
    encoding: str | None = None,
    mapping: MappingArg = None,
    vocabulary: Vocabulary | None = None,
    unknown_columns: UnknownColumns = "ignore",
    members: Iterable[Member] | None = None,
    notes: list[Note] | None = None,
) -> list[ActivityRecord]:
    """The activity records in ``path`` (``.csv``, ``.xlsx``, ``.json``, ``.jsonl`` or ``.parquet``).

    Kinds, levels and — scoped by the record's kind — subtypes, statuses, roles and flags are
    mapped from Chinese labels and aliases of ``vocabulary`` (and a profile's value maps) to
    canonical codes. ``encoding``, ``mapping`` (its ``records`` section; defaults:
    :data:`DEFAULT_RECORD_HEADERS`), ``unknown_columns`` and ``notes`` are as for
    :func:`read_members`. ``members`` is the members list, needed only when the file names
    members by 姓名 instead of 委员编号: each name must belong to exactly one member.
    Raises :class:`~scoring.errors.InputError` listing every problem of the file.
    """
    vocabulary = vocabulary or base_vocabulary()
    how = plan("records", mapping, vocabulary=vocabulary, unknown_columns=unknown_columns)
    converters = record_converters(how.codes(vocabulary))
    return _read(Path(path), ActivityRecord, how, converters, encoding, notes, members)


def read_table(path: PathArg, *, encoding: str | None = None) -> list[dict[str, str]]:
    """The raw rows of ``path`` as ``{header as written: cell text}`` (no mapping, no
    validation); empty cells are ``""``, JSON lists are joined with ``", "``. Unreadable
    cells (formulas without a stored result, Excel errors, nested JSON) raise ``InputError``.
    """
    path = Path(path)
    log = ProblemLog(str(path))
    table = load_table(path, log, encoding=encoding, layout=RAW)
    rows: list[dict[str, str]] = []
    for row in table.rows:
        for index, why in row.bad.items():
            log.cell(why.error, row=row.number, column=table.columns[index].name, found=why.found)
        rows.append({c.name: show(cell) for c, cell in zip(table.columns, row.cells, strict=True)})
    log.raise_if_any()
    return rows


def _read(
    path: Path,
    model: type[Model],
    how: ReadPlan,
    converters: Mapping[str, Converter],
    encoding: str | None,
    notes: list[Note] | None,
    members: Iterable[Member] | None,
) -> list[Model]:
    log = ProblemLog(str(path))
    table = load_table(path, log, encoding=encoding, key=how.section, layout=how.layout)
    if table.header_row is None and not table.rows:
        log.raise_if_any()
        return []  # an empty JSON list: nothing to map
    columns = map_columns(
        [c.name for c in table.columns], [c.row for c in table.columns], how.rules, table.header_row, log,
    )
    found = reading_notes(str(path), columns.ignored, table.skipped)
    by_name = MEMBER_NAME in columns.columns or MEMBER_NAME in how.fixed
    names = MemberNames(members) if by_name and members is not None else None  # only when needed
    if by_name and names is None:
        header = columns.headers.get(MEMBER_NAME, how.fixed_key(MEMBER_NAME))
        log.add(
            f"记录以「{header}」列的姓名对应委员，须有可读取的委员名单才能匹配",
            f"the records name members by '{header}': they are matched against the members list, which is "
            "needed (and must read without problems)", row=table.header_row, column=header,
            hint="give the members file too (--members / members=) / 请同时提供委员名单（--members）",
        )
    context = FileContext(
        columns=columns, schema=how.schema, converters=converters, log=log, fixed=how.fixed,
        fixed_key=how.fixed_key, names=names, row_id=(lambda row: row_id(path, row)) if how.row_ids else None,
    )
    result: list[Model] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        item = RowReader(row, context).build(model)
        ident = _row_id(row, columns)
        if ident is not None and ident in first_row:
            log.add(
                f"编号「{ident}」重复（首次出现在第 {first_row[ident]} 行）",
                f"duplicate id '{ident}' (first on row {first_row[ident]})",
                row=row.number, column=columns.headers["id"],
                expected="a unique id / 唯一的编号", found=ident,
            )
            continue
        if ident is not None:
            first_row[ident] = row.number
        if item is not None:
            result.append(item)
    if by_name and names is not None and result:
        found.append(Note(
            code="matched_by_name", file=str(path), count=len(result),
            column=columns.headers.get(MEMBER_NAME, how.fixed_key(MEMBER_NAME)),
        ))
    if notes is not None:
        notes.extend(found)
    log.raise_if_any()
    return result


def _row_id(row: Row, columns: ColumnMap) -> str | None:
    """The id of ``row`` as written, if it has a readable one."""
    index = columns.columns.get("id")
    if index is None or index in row.bad or is_empty(row.cells[index]):
        return None
    try:
        return to_text(row.cells[index])
    except CellError:
        return None
