"""Mapping column headers to model fields.

A header is accepted when it is a field name of the model (``id``, ``member_id``, ``kind``…),
a Chinese header of the default mapping (``委员编号``, ``类型``…) or a key of the caller's
``mapping=`` (or of a mapping profile's ``columns``), which is merged over the defaults and may
map a header to ``None`` to ignore that column. Headers are compared after NFKC normalisation,
case folding and removal of whitespace.

A column whose header maps to no field is not read: it is listed in one
:class:`~scoring.io.notes.Note` (``ignored_columns``), or — with ``unknown_columns="error"`` —
reported as an error. Some headers only stand in for a field no other column gives (a meeting's
name for its subtype, a member's name for the member id); beside such a column they are unused,
and listed in the same note.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..errors import ConfigurationError, Problem, did_you_mean
from .codes import lookup_key, suggest
from .headers import DEFAULT_MEMBER_HEADERS, DEFAULT_RECORD_HEADERS, MEMBER_NAME, RECORD_FALLBACK_HEADERS
from .notes import IgnoredColumn
from .problems import ProblemLog

__all__ = [
    "DEFAULT_MEMBER_HEADERS",
    "DEFAULT_RECORD_HEADERS",
    "MEMBER_NAME",
    "RECORD_FALLBACK_HEADERS",
    "ColumnMap",
    "HeaderMapping",
    "HeaderRules",
    "Schema",
    "UnknownColumns",
    "map_columns",
]

HeaderMapping = Mapping[str, str | None]
"""Header as written in a file → model field name, or ``None`` to ignore the column."""

UnknownColumns = Literal["ignore", "error"]
"""What a reader does with a column whose header maps to no field: ignore it (listed in one
note), or report it as an error (for pipelines that want every column accounted for)."""


@dataclass(frozen=True)
class Schema:
    """What a reader needs to know of a model to map a file's columns."""

    fields: tuple[str, ...]
    required: tuple[str, ...]
    defaults: Mapping[str, str]
    fallbacks: Mapping[str, str] = field(default_factory=dict)
    """headers read only when no other column gives their field"""
    stand_ins: Mapping[str, str] = field(default_factory=dict)
    """pseudo-field → the field it stands in for (``member_name`` → ``member_id``)"""

    @property
    def targets(self) -> tuple[str, ...]:
        """What a header may map to: the model's fields and the stand-ins."""
        return (*self.fields, *self.stand_ins)

    def rules(
        self,
        override: HeaderMapping | None = None,
        *,
        unknown_columns: UnknownColumns = "ignore",
        fixed: Collection[str] = (),
        row_ids: bool = False,
        key: str = "mapping",
    ) -> HeaderRules:
        """The rules for mapping a file's headers: field names, then defaults, then ``override``
        (``key`` names it in errors). ``fixed`` fields are given for every row (a profile's
        ``fixed``), ``row_ids`` numbers records by row: neither may then have a column.

        Raises :class:`ConfigurationError` when ``override`` names a field the model lacks.
        """
        table: dict[str, str | None] = {lookup_key(f): f for f in self.fields}
        table.update({lookup_key(h): f for h, f in self.defaults.items()})
        problems: list[Problem] = []
        for header, target in (override or {}).items():
            if target is not None and target != "" and target not in self.targets:
                problems.append(Problem(
                    zh=f"列名映射指向不存在的字段 '{target}'",
                    en=f"the mapping sends column '{header}' to unknown field '{target}'",
                    key=f"{key}[{header!r}]", expected=", ".join(self.targets), found=target,
                    hint=did_you_mean(target, self.targets),
                ))
            table[lookup_key(header)] = target or None
        if problems:
            raise ConfigurationError(problems)
        fallbacks = {lookup_key(h): f for h, f in self.fallbacks.items() if lookup_key(h) not in table}
        if unknown_columns not in ("ignore", "error"):
            raise ConfigurationError.one(
                "unknown_columns 只能是 ignore 或 error", "unknown_columns must be 'ignore' or 'error'",
                key="unknown_columns", expected="ignore, error", found=str(unknown_columns),
            )
        return HeaderRules(self, table, fallbacks, unknown_columns, frozenset(fixed), row_ids)

    def lookup(self, override: HeaderMapping | None) -> dict[str, str | None]:
        """Normalised header → field: field names, then defaults, then ``override``."""
        return dict(self.rules(override).lookup)

    def headers_for(self, field: str) -> list[str]:
        """Every default header of ``field`` (for messages): the field name and Chinese ones."""
        return [field, *(h for h, f in self.defaults.items() if f == field)]


@dataclass(frozen=True)
class HeaderRules:
    """How one reading maps headers: the lookup tables and what the caller fixed."""

    schema: Schema
    lookup: Mapping[str, str | None]
    """normalised header → field (``None``: ignored on purpose)"""
    fallbacks: Mapping[str, str]
    """normalised header → field, used only when no other column gives it"""
    unknown_columns: UnknownColumns = "ignore"
    fixed: frozenset[str] = frozenset()
    row_ids: bool = False

    def recognise(self, header: str) -> bool:
        """True when ``header`` is known (for finding the header row below a title)."""
        key = lookup_key(header)
        return key in self.lookup or key in self.fallbacks

    def same_field(self, header: str) -> frozenset[str]:
        """The normalised headers that mean what ``header`` means: ``header`` itself and, when it
        maps to a field, every other header of that field (记录编号 for id)."""
        key = lookup_key(header)
        field = self.lookup.get(key) or self.fallbacks.get(key)
        return self.spellings(field) | {key} if field else frozenset({key})

    def spellings(self, field: str) -> frozenset[str]:
        """Every normalised header that maps to ``field``."""
        return frozenset(k for k, f in (*self.lookup.items(), *self.fallbacks.items()) if f == field)


@dataclass(frozen=True)
class ColumnMap:
    """Which column of a table holds which field."""

    columns: dict[str, int]
    """field → index of the column holding it"""
    headers: dict[str, str]
    """field → the header as written in the file"""
    missing: frozenset[str]
    """required fields that have no column"""
    ignored: tuple[IgnoredColumn, ...] = ()
    """columns not read, in file order"""


def map_columns(
    names: Sequence[str],
    rows: Sequence[int | None],
    rules: HeaderRules,
    header_row: int | None,
    log: ProblemLog,
) -> ColumnMap:
    """Map the headers ``names`` (found on ``rows``) to fields, logging duplicate, conflicting
    and missing columns (and unknown ones, when ``rules`` says they are errors)."""
    schema = rules.schema
    columns: dict[str, int] = {}
    unknown: list[int] = []
    later: list[tuple[int, str]] = []
    for index, (name, row) in enumerate(zip(names, rows, strict=True)):
        key = lookup_key(name)
        if key in rules.fallbacks:
            later.append((index, rules.fallbacks[key]))
            continue
        if key not in rules.lookup:
            unknown.append(index)
            continue
        target = rules.lookup[key]
        if target is not None:
            _claim(columns, target, index, names, row, log)
    ignored: dict[int, IgnoredColumn] = {}
    for index, target in later:
        if target in columns:
            hint = _gives(names[columns[target]], target)
            ignored[index] = IgnoredColumn(name=names[index], reason="unused", hint=hint)
        else:
            _claim(columns, target, index, names, rows[index], log)
    for stand_in, target in schema.stand_ins.items():
        if stand_in in columns and target in columns:
            index = columns.pop(stand_in)
            hint = _gives(names[columns[target]], target)
            ignored[index] = IgnoredColumn(name=names[index], reason="unused", hint=hint)
    for index in unknown:
        known = {**rules.lookup, **rules.fallbacks}
        if rules.unknown_columns == "error":
            log.add(
                f"未知的列「{names[index]}」", f"unknown column '{names[index]}'", row=rows[index], column=names[index],
                expected="a field name or a known Chinese header / 字段名或已知的中文列名",
                hint=_unknown_hint(names[index], suggest(lookup_key(names[index]), known)),
            )
        else:
            # only a close match: a loose one (序号 ~ 编号) would invite mapping a column wrongly
            ignored[index] = IgnoredColumn(name=names[index], hint=did_you_mean(lookup_key(names[index]), known))
    _conflicts(columns, names, rows, rules, log)
    stood_in = {t for stand_in, t in schema.stand_ins.items() if stand_in in columns or stand_in in rules.fixed}
    given = stood_in | rules.fixed | ({"id"} if rules.row_ids else set())
    missing = frozenset(f for f in schema.required if f not in columns and f not in given)
    for name in schema.required:
        if name in missing:
            accepted = " / ".join(schema.headers_for(name))
            log.add(
                f"缺少必填列「{name}」", f"required column '{name}' is missing",
                row=header_row, expected=accepted,
                hint=_missing_hint(name, schema, [ignored[i] for i in sorted(ignored)]),
            )
    return ColumnMap(
        columns=columns,
        headers={name: names[index] for name, index in columns.items()},
        missing=missing,
        ignored=tuple(ignored[i] for i in sorted(ignored)),
    )


def _claim(columns: dict[str, int], target: str, index: int, names: Sequence[str], row: int | None,
           log: ProblemLog) -> None:
    if target in columns:
        first, name = names[columns[target]], names[index]
        log.add(
            f"列「{first}」和「{name}」都对应字段 {target}",
            f"columns '{first}' and '{name}' both map to field '{target}'",
            row=row, column=name, expected="one column per field / 每个字段只能有一列", found=name,
        )
        return
    columns[target] = index


def _conflicts(columns: dict[str, int], names: Sequence[str], rows: Sequence[int | None], rules: HeaderRules,
               log: ProblemLog) -> None:
    """A field the caller fixes, or record ids numbered by row, must not have a column too."""
    clashing = sorted(rules.fixed | ({"id"} if rules.row_ids else set()))
    for name in clashing:
        if name not in columns:
            continue
        index = columns.pop(name)
        what = ("fixed", f"fixed.{name}") if name in rules.fixed else ("ids", "ids = \"row\"")
        log.add(
            f"映射配置已为每行指定 {name}（{what[1]}），但文件中也有「{names[index]}」列",
            f"the mapping profile gives {name} for every row ({what[1]}), but the file has a column "
            f"'{names[index]}' for it", row=rows[index], column=names[index],
            expected="one source per field / 每个字段只能有一个来源",
            hint=f"remove {what[1]} from the profile, or list '{names[index]}' in ignore_columns / "
                 f"请删除配置中的 {what[1]}，或将「{names[index]}」列入 ignore_columns",
        )


def _gives(header: str, target: str) -> str:
    return f"{target} ← {header}"


def _unknown_hint(name: str, close: str | None) -> str:
    ignore = (
        f"to ignore it pass mapping={{'{name}': None}}, or list it in ignore_columns of a mapping profile / "
        f"如需忽略此列，请传入 mapping={{'{name}': None}}，或在映射配置的 ignore_columns 中列出"
    )
    return f"{close} {ignore}" if close else ignore


def _missing_hint(name: str, schema: Schema, ignored: list[IgnoredColumn]) -> str | None:
    """A hint for a missing required column: an ignored column whose header is close to one of
    the field's headers, and the stand-in headers (姓名 for the member id)."""
    accepted = {lookup_key(h) for h in schema.headers_for(name)}
    close = [c.name for c in ignored if c.reason == "unknown" and did_you_mean(lookup_key(c.name), accepted)]
    parts: list[str] = []
    if close:
        listed = ", ".join(f"'{c}'" for c in close)
        parts.append(f"the ignored column {listed} looks like it / 被忽略的列 {listed} 与之相近")
    if name == "id" and "member_id" in schema.fields:
        parts.append(
            'a file without record ids: ids = "row" in a mapping profile / 文件没有记录编号：在映射配置中设 ids = "row"'
        )
    for stand_in, target in schema.stand_ins.items():
        if target == name:
            headers = [h for h, f in schema.defaults.items() if f == stand_in]
            parts.append(f"or a column of member names ({' / '.join(headers)}) with the members list / "
                         f"或提供姓名列（{' / '.join(headers)}）并给出委员名单")
    return "; ".join(parts) or None
