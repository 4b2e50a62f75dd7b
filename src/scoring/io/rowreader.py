"""Turning one data row into a member or a record, logging every problem of the row.

A field's value comes from its column, from a profile's fixed value, from the row number (record
ids of a file numbered by row) or — for the member id of a records file keyed by name — from the
members list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError

from ..models import ActivityRecord, Member
from .cells import Cell, is_empty, show, to_text
from .fields import SCOPED, Converter, text
from .headers import MEMBER_NAME
from .mapping import ColumnMap, Schema
from .names import MemberNames
from .problems import CellError, ProblemLog
from .tables import Row
from .validation import translate

Model = TypeVar("Model", Member, ActivityRecord)


@dataclass(frozen=True)
class FileContext:
    """What every row of one file is read with."""

    columns: ColumnMap
    schema: Schema
    converters: Mapping[str, Converter]
    log: ProblemLog
    fixed: Mapping[str, str]
    """field → the value of every row"""
    fixed_key: Callable[[str], str]
    """how errors name a fixed value (the profile's key)"""
    names: MemberNames | None = None
    """the members by name, when the member id comes from a column of names"""
    row_id: Callable[[int], str] | None = None
    """the id of the record on a row, when records are numbered by row"""

    def header(self, field: str) -> str | None:
        """Where the value of ``field`` comes from, as errors name it."""
        if field in self.columns.headers:
            return self.columns.headers[field]
        if field == "member_id" and MEMBER_NAME in self.columns.headers:
            return self.columns.headers[MEMBER_NAME]
        if field in self.fixed:
            return self.fixed_key(field)
        return None


class RowReader:
    """Converts one row into a model."""

    def __init__(self, row: Row, file: FileContext) -> None:
        self.row = row
        self.file = file
        self.failed: set[str] = set(file.columns.missing)

    def build(self, model: type[Model]) -> Model | None:
        """The model for this row, or ``None`` when any of its values has a problem."""
        values: dict[str, object] = {}
        if self.file.row_id is not None:
            values["id"] = self.file.row_id(self.row.number)
        kind: str | None = None
        fields = [*self.file.columns.columns, *(f for f in self.file.fixed if f not in self.file.columns.columns)]
        for field in sorted(fields, key=lambda f: f != "kind"):
            value = self._value(field, kind)
            if value is not None:
                values["member_id" if field == MEMBER_NAME else field] = value
                if field == "kind":
                    kind = str(value)
        try:
            item = model.model_validate(values)
        except ValidationError as exc:
            self._log_validation(exc)
            return None
        return None if self.failed else item

    def _value(self, field: str, kind: str | None) -> object:
        if field in self.file.columns.columns:
            return self._convert(field, kind)
        return self._fixed(field, kind)

    def _fixed(self, field: str, kind: str | None) -> object:
        cell: Cell = self.file.fixed[field]
        if field == MEMBER_NAME:
            return self._member(cell, self.file.fixed_key(field))
        if field in SCOPED and kind is None:
            self.failed.add(field)
            return None
        try:
            return self.file.converters.get(field, text)(cell, kind)
        except CellError as error:
            self.file.log.cell(error, row=self.row.number, column=self.file.fixed_key(field), found=show(cell))
        self.failed.add(field)
        return None

    def _convert(self, field: str, kind: str | None) -> object:
        index = self.file.columns.columns[field]
        header = self.file.columns.headers[field]
        cell = self.row.cells[index]
        why = self.row.bad.get(index)
        if why is not None:
            self.file.log.cell(why.error, row=self.row.number, column=header, found=why.found)
        elif is_empty(cell):
            if field in self.file.schema.required or field in self.file.schema.stand_ins:
                self._log_required(field, index)
            else:
                return None
        elif field in SCOPED and kind is None:
            pass  # the kind is missing or unknown (reported): nothing to check against
        elif field == MEMBER_NAME:
            return self._member(cell, header)
        else:
            try:
                return self.file.converters.get(field, text)(cell, kind)
            except CellError as error:
                self.file.log.cell(error, row=self.row.number, column=header, found=show(cell))
        self.failed.add(field)
        return None

    def _member(self, cell: Cell, header: str) -> str | None:
        """The id of the member named in ``cell``."""
        if self.file.names is not None:
            try:
                return self.file.names.member_id(to_text(cell))
            except CellError as error:
                self.file.log.cell(error, row=self.row.number, column=header, found=show(cell))
        self.failed.add(MEMBER_NAME)
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
        header = self.file.columns.headers[field]
        self.file.log.add(
            f"必填项「{header}」为空", f"required value '{header}' is empty",
            row=self.row.number, column=header, expected=f"a value for {field} / {field} 的值",
            found="(empty) / 空", hint=hint,
        )

    def _log_validation(self, exc: ValidationError) -> None:
        failed = {"member_id" if f == MEMBER_NAME else f for f in self.failed}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if field in failed or (field is None and failed):
                # a cross-field check run on a default standing in for an unreadable cell would
                # only add a misleading second problem to the row
                continue
            zh, en, expected = translate(error)
            column = self.file.header(field) if field else None
            found = None
            if field in self.file.columns.columns:
                found = show(self.row.cells[self.file.columns.columns[field]])
            elif field is not None and field in self.file.fixed:
                found = self.file.fixed[field]
            self.file.log.add(zh, en, row=self.row.number, column=column, expected=expected, found=found)
