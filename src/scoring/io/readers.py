"""The public readers: members and activity records from CSV, XLSX, JSON and JSONL files.

Each reader maps the file's columns to model fields, converts every cell (Chinese values to
canonical codes, dates, numbers, booleans, lists), validates the model and collects every
problem of the file before raising a single :class:`~scoring.errors.InputError`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from ..models import ActivityRecord, Member
from ..vocabulary import RecordField, Vocabulary, base_vocabulary
from .cells import Cell, is_empty, show, to_bool, to_decimal, to_int, to_items, to_text
from .codes import Codes
from .dates import parse_date
from .files import load_table
from .mapping import (
    DEFAULT_MEMBER_HEADERS,
    DEFAULT_RECORD_HEADERS,
    ColumnMap,
    HeaderMapping,
    Schema,
    map_columns,
)
from .problems import CellError, ProblemLog
from .tables import Row
from .validation import translate

PathArg = str | os.PathLike[str]
Model = TypeVar("Model", Member, ActivityRecord)
Converter = Callable[[Cell, str | None], object]
"""Converts a non-empty cell; the second argument is the record's kind (if known)."""

MEMBER_SCHEMA = Schema(
    fields=tuple(Member.model_fields), required=("id",), defaults=DEFAULT_MEMBER_HEADERS
)
RECORD_SCHEMA = Schema(
    fields=tuple(ActivityRecord.model_fields),
    required=("id", "member_id", "kind", "date"),
    defaults=DEFAULT_RECORD_HEADERS,
)
_SCOPED: tuple[RecordField, ...] = ("subtype", "status", "role", "flags")


def read_members(
    path: PathArg,
    *,
    encoding: str | None = None,
    mapping: HeaderMapping | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[Member]:
    """The members in ``path`` (``.csv``, ``.xlsx``, ``.json`` or ``.jsonl``).

    ``encoding`` overrides the detection for text formats; ``mapping`` (header → field name,
    or ``None`` to ignore a column) is merged over :data:`DEFAULT_MEMBER_HEADERS`;
    ``vocabulary`` (default: the base vocabulary) gives the member roles accepted.
    Raises :class:`~scoring.errors.InputError` listing every problem of the file.
    """
    codes = Codes(vocabulary or base_vocabulary())

    def roles(cell: Cell, _: str | None) -> object:
        return tuple(codes.member_roles.lookup(item) for item in to_items(cell))

    converters: dict[str, Converter] = {
        "roles": roles, "joined": _date, "left": _date,
    }
    return _read(Path(path), Member, MEMBER_SCHEMA, converters, encoding, mapping, "members")


def read_records(
    path: PathArg,
    *,
    encoding: str | None = None,
    mapping: HeaderMapping | None = None,
    vocabulary: Vocabulary | None = None,
) -> list[ActivityRecord]:
    """The activity records in ``path`` (``.csv``, ``.xlsx``, ``.json`` or ``.jsonl``).

    Kinds, levels and — scoped by the record's kind — subtypes, statuses, roles and flags are
    mapped from Chinese labels and aliases of ``vocabulary`` to canonical codes. ``encoding``
    and ``mapping`` are as for :func:`read_members` (defaults: :data:`DEFAULT_RECORD_HEADERS`).
    Raises :class:`~scoring.errors.InputError` listing every problem of the file.
    """
    codes = Codes(vocabulary or base_vocabulary())

    def kind(cell: Cell, _: str | None) -> object:
        return codes.kinds.lookup(to_text(cell))

    def level(cell: Cell, _: str | None) -> object:
        return codes.levels.lookup(to_text(cell))

    def scoped(field: RecordField) -> Converter:
        def convert(cell: Cell, of_kind: str | None) -> object:
            table = codes.scoped(of_kind or "", field)
            if field == "flags":
                return tuple(table.lookup(item) for item in to_items(cell))
            return table.lookup(to_text(cell))

        return convert

    converters: dict[str, Converter] = {
        "kind": kind, "level": level, "signers": _int, "quantity": _decimal,
        "date": _date, "scored_on": _date, "deleted": _bool,
        **{field: scoped(field) for field in _SCOPED},
    }
    return _read(
        Path(path), ActivityRecord, RECORD_SCHEMA, converters, encoding, mapping, "records"
    )


def read_table(path: PathArg, *, encoding: str | None = None) -> list[dict[str, str]]:
    """The raw rows of ``path`` as ``{header as written: cell text}`` (no mapping, no
    validation); empty cells are ``""``, JSON lists are joined with ``", "``. Unreadable
    cells (formulas without a stored result, Excel errors, nested JSON) raise ``InputError``.
    """
    path = Path(path)
    log = ProblemLog(str(path))
    table = load_table(path, log, encoding=encoding)
    rows: list[dict[str, str]] = []
    for row in table.rows:
        for index, why in row.bad.items():
            log.cell(why.error, row=row.number, column=table.columns[index].name, found=why.found)
        rows.append({c.name: show(cell) for c, cell in zip(table.columns, row.cells, strict=True)})
    log.raise_if_any()
    return rows


def _plain(convert: Callable[[Cell], object]) -> Converter:
    """A converter that does not depend on the record's kind."""

    def converter(cell: Cell, _kind: str | None) -> object:
        return convert(cell)

    return converter


_text = _plain(to_text)
_date = _plain(parse_date)
_int = _plain(to_int)
_decimal = _plain(to_decimal)
_bool = _plain(to_bool)


def _read(
    path: Path,
    model: type[Model],
    schema: Schema,
    converters: Mapping[str, Converter],
    encoding: str | None,
    mapping: HeaderMapping | None,
    key: str,
) -> list[Model]:
    lookup = schema.lookup(mapping)
    log = ProblemLog(str(path))
    table = load_table(path, log, encoding=encoding, key=key)
    if table.header_row is None and not table.rows:
        log.raise_if_any()
        return []  # an empty JSON list: nothing to map
    columns = map_columns(
        [c.name for c in table.columns], [c.row for c in table.columns],
        schema, lookup, table.header_row, log,
    )
    result: list[Model] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        item = _RowReader(row, columns, schema, converters, log).build(model)
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


class _RowReader:
    """Converts one row into a model, logging every problem of the row."""

    def __init__(
        self,
        row: Row,
        columns: ColumnMap,
        schema: Schema,
        converters: Mapping[str, Converter],
        log: ProblemLog,
    ) -> None:
        self.row = row
        self.columns = columns
        self.schema = schema
        self.converters = converters
        self.log = log
        self.failed: set[str] = set(columns.missing)

    def build(self, model: type[Model]) -> Model | None:
        """The model for this row, or ``None`` when any of its cells has a problem."""
        values: dict[str, object] = {}
        kind: str | None = None
        for field in sorted(self.columns.columns, key=lambda f: f != "kind"):
            value = self._convert(field, kind)
            if value is not None:
                values[field] = value
                if field == "kind":
                    kind = str(value)
        try:
            item = model.model_validate(values)
        except ValidationError as exc:
            self._log_validation(exc)
            return None
        return None if self.failed else item

    def _convert(self, field: str, kind: str | None) -> object:
        index = self.columns.columns[field]
        header = self.columns.headers[field]
        cell = self.row.cells[index]
        why = self.row.bad.get(index)
        if why is not None:
            self.log.cell(why.error, row=self.row.number, column=header, found=why.found)
        elif is_empty(cell):
            if field in self.schema.required:
                self._log_required(field, index)
            else:
                return None
        elif field in _SCOPED and kind is None:
            pass  # the kind is missing or unknown (reported): nothing to check against
        else:
            try:
                return self.converters.get(field, _text)(cell, kind)
            except CellError as error:
                self.log.cell(error, row=self.row.number, column=header, found=show(cell))
        self.failed.add(field)
        return None

    def _log_required(self, field: str, index: int) -> None:
        merged = self.row.merged.get(index)
        hint = None
        if merged:
            hint = (
                f"the cell is part of the merged range {merged}; only its top-left cell holds a "
                f"value — unmerge and fill every row / 该单元格属于合并区域 {merged}，"
                "只有左上角单元格有值，请取消合并并逐行填写"
            )
        header = self.columns.headers[field]
        self.log.add(
            f"必填项「{header}」为空", f"required value '{header}' is empty",
            row=self.row.number, column=header, expected=f"a value for {field} / {field} 的值",
            found="(empty) / 空", hint=hint,
        )

    def _log_validation(self, exc: ValidationError) -> None:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if field in self.failed or (field is None and self.failed):
                # a cross-field check run on a default standing in for an unreadable cell would
                # only add a misleading second problem to the row
                continue
            zh, en, expected = translate(error)
            column = self.columns.headers.get(field) if field else None
            found = None
            if field in self.columns.columns:
                found = show(self.row.cells[self.columns.columns[field]])
            self.log.add(
                zh, en, row=self.row.number, column=column, expected=expected, found=found
            )
