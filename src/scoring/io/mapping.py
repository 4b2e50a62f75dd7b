"""Mapping column headers to model fields.

A header is accepted when it is a field name of the model (``id``, ``member_id``, ``kind``…),
a Chinese header of the default mapping (``委员编号``, ``类型``…) or a key of the caller's
``mapping=``, which is merged over the defaults and may map a header to ``None`` to ignore that
column. Headers are compared after NFKC normalisation, case folding and removal of whitespace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import ConfigurationError, Problem, did_you_mean
from .codes import lookup_key, suggest
from .problems import ProblemLog

HeaderMapping = Mapping[str, str | None]
"""Header as written in a file → model field name, or ``None`` to ignore the column."""

DEFAULT_MEMBER_HEADERS: Mapping[str, str] = MappingProxyType({
    "委员编号": "id",
    "编号": "id",
    "姓名": "name",
    "委员姓名": "name",
    "界别": "sector",
    "专委会": "committee",
    "专门委员会": "committee",
    "活动组": "group",
    "小组": "group",
    "界别组": "group",
    "工作单位": "employer",
    "单位": "employer",
    "身份": "roles",
    "职务": "roles",
    "角色": "roles",
    "任职日期": "joined",
    "离任日期": "left",
    "届次": "term",
    "免考原因": "exempt",
})
"""The Chinese member headers accepted by default."""

DEFAULT_RECORD_HEADERS: Mapping[str, str] = MappingProxyType({
    "记录编号": "id",
    "委员编号": "member_id",
    "编号": "member_id",
    "类型": "kind",
    "类别": "kind",
    "子类": "subtype",
    "会议类型": "subtype",
    "活动类型": "subtype",
    "状态": "status",
    "提案人身份": "role",
    "署名": "role",
    "联名人数": "signers",
    "标记": "flags",
    "级别": "level",
    "数量": "quantity",
    "日期": "date",
    "活动日期": "date",
    "办理日期": "scored_on",
    "立案日期": "scored_on",
    "同一事项": "same_as",
    "已删除": "deleted",
    "备注": "note",
})
"""The Chinese record headers accepted by default."""


@dataclass(frozen=True)
class Schema:
    """What a reader needs to know of a model to map a file's columns."""

    fields: tuple[str, ...]
    required: tuple[str, ...]
    defaults: Mapping[str, str]

    def lookup(self, override: HeaderMapping | None) -> dict[str, str | None]:
        """Normalised header → field: field names, then defaults, then ``override``.

        Raises :class:`ConfigurationError` when ``override`` names a field the model lacks.
        """
        table: dict[str, str | None] = {lookup_key(f): f for f in self.fields}
        table.update({lookup_key(h): f for h, f in self.defaults.items()})
        problems: list[Problem] = []
        for header, target in (override or {}).items():
            if target is not None and target != "" and target not in self.fields:
                problems.append(Problem(
                    zh=f"列名映射指向不存在的字段 '{target}'",
                    en=f"the mapping sends column '{header}' to unknown field '{target}'",
                    key=f"mapping[{header!r}]", expected=", ".join(self.fields), found=target,
                    hint=did_you_mean(target, self.fields),
                ))
            table[lookup_key(header)] = target or None
        if problems:
            raise ConfigurationError(problems)
        return table

    def headers_for(self, field: str) -> list[str]:
        """Every default header of ``field`` (for messages): the field name and Chinese ones."""
        return [field, *(h for h, f in self.defaults.items() if f == field)]


@dataclass(frozen=True)
class ColumnMap:
    """Which column of a table holds which field."""

    columns: dict[str, int]
    """field → index of the column holding it"""
    headers: dict[str, str]
    """field → the header as written in the file"""
    missing: frozenset[str]
    """required fields that have no column"""


def map_columns(
    names: Sequence[str],
    rows: Sequence[int | None],
    schema: Schema,
    lookup: Mapping[str, str | None],
    header_row: int | None,
    log: ProblemLog,
) -> ColumnMap:
    """Map the headers ``names`` (found on ``rows``) to fields, logging unknown, duplicate and
    missing columns."""
    columns: dict[str, int] = {}
    for index, (name, row) in enumerate(zip(names, rows, strict=True)):
        key = lookup_key(name)
        if key not in lookup:
            log.add(
                f"未知的列「{name}」", f"unknown column '{name}'", row=row, column=name,
                expected="a field name or a known Chinese header / 字段名或已知的中文列名",
                hint=_unknown_hint(name, lookup),
            )
            continue
        field = lookup[key]
        if field is None:
            continue
        if field in columns:
            first = names[columns[field]]
            log.add(
                f"列「{first}」和「{name}」都对应字段 {field}",
                f"columns '{first}' and '{name}' both map to field '{field}'",
                row=row, column=name, expected="one column per field / 每个字段只能有一列", found=name,
            )
            continue
        columns[field] = index
    missing = frozenset(f for f in schema.required if f not in columns)
    for field in schema.required:
        if field in missing:
            accepted = " / ".join(schema.headers_for(field))
            log.add(
                f"缺少必填列「{field}」", f"required column '{field}' is missing",
                row=header_row, expected=accepted,
            )
    return ColumnMap(
        columns=columns,
        headers={field: names[index] for field, index in columns.items()},
        missing=missing,
    )


def _unknown_hint(name: str, lookup: Mapping[str, str | None]) -> str:
    ignore = f"to ignore it pass mapping={{'{name}': None}} / 如需忽略此列，请传入 mapping={{'{name}': None}}"
    close = suggest(lookup_key(name), lookup)
    return f"{close} {ignore}" if close else ignore
