"""Mapping profiles: a small TOML file that says how one office's exports are to be read.

A profile maps headers to fields (separately for the members and the records file), cell values
to vocabulary codes per field, gives fixed values for fields a file lacks (every row of this
sheet is a meeting), ignores columns, numbers records by row when the file has no record id,
names the header row, and adds patterns of rows to skip. Every key is checked when the profile
is loaded — unknown keys, unknown fields and codes the vocabulary lacks are errors naming the
profile file and the key path, with a did-you-mean. See ``docs/formats.md`` ("Mapping profiles").

::

    [records]
    ids = "row"
    ignore_columns = ["序号", "界别"]
    fixed = { kind = "meeting" }
    [records.columns]
    "活动名称" = "subtype"
    [records.values.status]
    "×" = "absent_unexcused"
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from ..errors import ConfigurationError, Problem, did_you_mean
from ..vocabulary import Vocabulary, base_vocabulary
from .cells import show
from .codes import Codes, CodeTable
from .fields import CODE_FIELDS, MEMBER_SCHEMA, RECORD_SCHEMA, SCOPED, member_converters, record_converters
from .headers import MEMBER_NAME
from .mapping import Schema
from .problems import CellError

SectionName = Literal["members", "records"]
_SECTIONS: tuple[SectionName, ...] = ("members", "records")
_TOP_KEYS = ("title", "members", "records", "skip_rows")
_SECTION_KEYS = ("header_row", "ids", "columns", "ignore_columns", "values", "fixed")
_SKIP_KEYS = ("first_cell", "any_cell")
_SCHEMAS: Mapping[SectionName, Schema] = {"members": MEMBER_SCHEMA, "records": RECORD_SCHEMA}
_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class SkipRows:
    """Patterns of rows to skip, added to the default totals patterns (合计, 小计, 总计, 共计)."""

    first_cell: tuple[str, ...] = ()
    """rows whose first filled cell matches one of these"""
    any_cell: tuple[str, ...] = ()
    """rows with any cell matching one of these (such files are read row by row)"""


@dataclass(frozen=True)
class Section:
    """How to read one file (the members or the records)."""

    columns: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """header as written → field"""
    ignore_columns: tuple[str, ...] = ()
    """headers whose columns are not read (and not listed in the note)"""
    values: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: _EMPTY)
    """field → cell value → code (or a Chinese label or alias of the code)"""
    fixed: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """field → the value of every row (the file has no column for it)"""
    header_row: int | None = None
    """the row of the headers, as the sheet numbers it (default: found)"""
    ids: Literal["column", "row"] = "column"
    """records only: ``row`` numbers records by row (``<file name>:<row>``) when the file has no id"""

    def header_mapping(self) -> dict[str, str | None]:
        """The section's headers as a reader's ``mapping=``: columns, and ignored ones → None."""
        return {**self.columns, **dict.fromkeys(self.ignore_columns)}


@dataclass(frozen=True)
class Profile:
    """A mapping profile: one section per file, the row patterns to skip, and where it came from."""

    members: Section = field(default_factory=Section)
    records: Section = field(default_factory=Section)
    skip_rows: SkipRows = field(default_factory=SkipRows)
    title: str | None = None
    source: str | None = None
    """the profile file, named in errors"""

    def section(self, name: SectionName) -> Section:
        """The section for the ``members`` or ``records`` file."""
        return self.members if name == "members" else self.records

    def check(self, vocabulary: Vocabulary) -> None:
        """Raise :class:`ConfigurationError` when a value map or fixed value names a code that
        ``vocabulary`` lacks (a rule set's vocabulary may add codes the base one has not)."""
        problems = self.problems(vocabulary)
        if problems:
            raise ConfigurationError(problems)

    def problems(self, vocabulary: Vocabulary) -> list[Problem]:
        """What :meth:`check` raises: every value map target and fixed value that does not convert."""
        problems: list[Problem] = []
        for name in _SECTIONS:
            _check_codes(self.section(name), name, vocabulary, problems, self.source)
        return problems


def load_profile(path: str | os.PathLike[str], *, vocabulary: Vocabulary | None = None) -> Profile:
    """The profile in the TOML file ``path``, checked against ``vocabulary`` (default: the base
    vocabulary). Raises :class:`ConfigurationError` naming the file and every bad key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigurationError([Problem.unreadable(path, exc)]) from None
    except UnicodeDecodeError:
        raise ConfigurationError.one(
            "映射配置文件不是 UTF-8 文本", "the mapping profile is not UTF-8 text", file=str(path),
            hint="save it as UTF-8 / 请另存为 UTF-8",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError.one(
            "映射配置文件不是有效的 TOML", "the mapping profile is not valid TOML", file=str(path), found=str(exc),
            hint='quote headers and values: "出席情况" = "status" / 列名和取值请加引号',
        ) from None
    return parse_profile(data, source=str(path), vocabulary=vocabulary)


def parse_profile(
    data: Mapping[str, Any], *, source: str | None = None, vocabulary: Vocabulary | None = None
) -> Profile:
    """The profile given as a dict shaped like the TOML file (``source`` names it in errors)."""
    problems: list[Problem] = []
    check = _Checker(source, problems)
    check.keys(data, _TOP_KEYS, ())
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        check.problem(("title",), "应为文本", "must be text", expected="a string / 文本", found=repr(title))
        title = None
    skip = check.table(data, "skip_rows", ())
    check.keys(skip, _SKIP_KEYS, ("skip_rows",))
    skip_rows = SkipRows(
        first_cell=check.strings(skip, "first_cell", ("skip_rows",)),
        any_cell=check.strings(skip, "any_cell", ("skip_rows",)),
    )
    sections = {name: _section(data, name, check) for name in _SECTIONS}
    profile = Profile(
        members=sections["members"], records=sections["records"], skip_rows=skip_rows, title=title, source=source
    )
    problems += profile.problems(vocabulary or base_vocabulary())  # the entries that passed the shape checks
    if problems:
        raise ConfigurationError(problems)
    return profile


def _section(data: Mapping[str, Any], name: SectionName, check: _Checker) -> Section:
    schema = _SCHEMAS[name]
    raw = check.table(data, name, ())
    at = (name,)
    check.keys(raw, _SECTION_KEYS, at)
    header_row = raw.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1):
        check.problem((*at, "header_row"), "应为正整数（表头所在行号）", "must be a row number (1 or more)",
                      expected="a whole number ≥ 1 / 正整数", found=repr(header_row))
        header_row = None
    ids = raw.get("ids", "column")
    if ids not in ("column", "row") or (name == "members" and ids != "column"):
        expected = '"column"' if name == "members" else '"column" or "row"'
        check.problem((*at, "ids"), "记录编号来源无效", "invalid source of ids", expected=expected, found=repr(ids),
                      hint="members need an id column / 委员名单必须有委员编号列" if name == "members" else None)
        ids = "column"
    columns = check.text_table(raw, "columns", at)
    targets = schema.targets if name == "records" else schema.fields
    for header, target in columns.items():
        if target not in targets:
            check.problem((*at, "columns", header), f"不存在的字段 '{target}'", f"unknown field '{target}'",
                          expected=", ".join(targets), found=target, hint=did_you_mean(target, targets))
    ignore = check.strings(raw, "ignore_columns", at)
    for header in ignore:
        if header in columns:
            check.problem((*at, "ignore_columns"), f"列「{header}」既被映射又被忽略",
                          f"column '{header}' is both mapped and ignored", found=header)
    values: dict[str, Mapping[str, str]] = {}
    for target in check.table(raw, "values", at):
        where = (*at, "values", target)
        if target not in CODE_FIELDS[name]:
            check.problem(where, f"只能为代码字段映射取值，'{target}' 不是",
                          f"values map code fields only, not '{target}'", expected=", ".join(CODE_FIELDS[name]),
                          found=target, hint=did_you_mean(target, CODE_FIELDS[name]))
            continue
        values[target] = MappingProxyType(check.text_table(raw["values"], target, (*at, "values")))
    fixed: dict[str, str] = {}
    for target, value in check.table(raw, "fixed", at).items():
        where = (*at, "fixed", target)
        if target not in targets:
            check.problem(where, f"不存在的字段 '{target}'", f"unknown field '{target}'", expected=", ".join(targets),
                          found=target, hint=did_you_mean(target, targets))
        elif target == "id":
            check.problem(where, "编号不能是固定值", "ids cannot be fixed", found=repr(value),
                          hint='records without ids: ids = "row" / 没有记录编号时请设 ids = "row"')
        elif not isinstance(value, (str, int, float, bool, dt.date)):
            check.problem(where, "应为单个值", "must be a single value", expected="text, a number or a date",
                          found=repr(value))
        else:
            fixed[target] = show(value)
    given = {t: f"columns.{_part(h)}" for h, t in columns.items()}
    if ids == "row" and "id" in given:
        check.problem((*at, "ids"), f'ids = "row" 与 {name}.{given["id"]} 冲突',
                      f'ids = "row" conflicts with {name}.{given["id"]}',
                      expected="one source of ids / 编号只能有一个来源")
    for target in fixed:
        if target in given:
            other = f"{name}.{given[target]}"
            check.problem((*at, "fixed", target), f"字段 {target} 既有固定值又有来源（{other}）",
                          f"field {target} is both fixed and given by {other}", expected="one source per field")
    return Section(
        columns=MappingProxyType(columns), ignore_columns=ignore, values=MappingProxyType(values),
        fixed=MappingProxyType(fixed), header_row=header_row, ids=ids,
    )


def _check_codes(section: Section, name: SectionName, vocabulary: Vocabulary, problems: list[Problem],
                 source: str | None) -> None:
    """Each value map's target and each fixed value must convert as a cell would."""
    codes = Codes(vocabulary)
    converters = member_converters(codes) if name == "members" else record_converters(codes)
    kinds: list[str] = sorted(vocabulary.kinds)
    if "kind" in section.fixed:
        try:
            kinds = [str(converters["kind"](section.fixed["kind"], None))]
        except CellError as error:
            problems.append(_cell_problem(error, source, (name, "fixed", "kind"), section.fixed["kind"]))
            kinds = []
    for target, value in section.fixed.items():
        if target == "kind" or target not in converters:
            continue
        failed: list[CellError] = []
        for kind in kinds if target in SCOPED else [None]:
            try:
                converters[target](value, kind)
                break
            except CellError as error:
                failed.append(error)
        else:
            if failed:
                problems.append(_cell_problem(failed[0], source, (name, "fixed", target), value))
    for target, entries in section.values.items():
        if target in SCOPED and not kinds:
            continue  # the fixed kind is not a kind (reported): nothing to check against
        for cell, code in entries.items():
            where = (name, "values", target, cell)
            tables = (
                [codes.scoped(k, target) for k in kinds if codes.scoped(k, target).terms]
                if target in SCOPED else [_table(codes, target)]
            )
            errors: list[CellError] = []
            for table in tables:
                try:
                    table.lookup(code)
                    break
                except CellError as error:
                    errors.append(error)
            else:
                if errors:
                    problems.append(_cell_problem(errors[0], source, where, code))
                else:
                    problems.append(Problem(
                        zh=f"{'、'.join(kinds)} 记录没有 {target} 字段",
                        en=f"{', '.join(kinds)} records take no {target}", file=source, key=_key(where), found=code,
                    ))


def _table(codes: Codes, target: str) -> CodeTable:
    """The table of a field that is not scoped by kind."""
    return {"kind": codes.kinds, "level": codes.levels, "roles": codes.member_roles}[target]


def _cell_problem(error: CellError, source: str | None, where: tuple[str, ...], found: str) -> Problem:
    return Problem(zh=error.zh, en=error.en, file=source, key=_key(where), expected=error.expected,
                   found=error.found or found, hint=error.hint)


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _part(key: str) -> str:
    return key if _BARE.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(path: tuple[str, ...]) -> str:
    """A TOML key path: ``records.values.status."×"``."""
    return ".".join(_part(p) for p in path)


class _Checker:
    """Collects the problems of a profile's shape, each at its key path."""

    def __init__(self, source: str | None, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems

    def problem(self, where: tuple[str, ...], zh: str, en: str, **details: str | None) -> None:
        self.problems.append(Problem(zh=zh, en=en, file=self.source, key=_key(where), **details))  # type: ignore[arg-type]

    def keys(self, data: Mapping[str, Any], allowed: tuple[str, ...], at: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.problem((*at, key), f"未知的配置项 '{key}'", f"unknown key '{key}'", expected=", ".join(allowed),
                             found=key, hint=did_you_mean(key, allowed))

    def table(self, data: Mapping[str, Any], key: str, at: tuple[str, ...]) -> Mapping[str, Any]:
        value = data.get(key, _EMPTY)
        if isinstance(value, Mapping):
            return value
        self.problem((*at, key), "应为表", "must be a table", expected=f"[{_key((*at, key))}]", found=repr(value))
        return _EMPTY

    def text_table(self, data: Mapping[str, Any], key: str, at: tuple[str, ...]) -> dict[str, str]:
        result: dict[str, str] = {}
        for name, value in self.table(data, key, at).items():
            if isinstance(value, str) and value.strip():
                result[name] = value.strip()
            else:
                self.problem((*at, key, name), "应为非空文本", "must be a non-empty string", expected='"…"',
                             found=repr(value))
        return result

    def strings(self, data: Mapping[str, Any], key: str, at: tuple[str, ...]) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        self.problem((*at, key), "应为文本列表", "must be a list of strings", expected='["…", "…"]', found=repr(value))
        return ()


def as_profile(
    mapping: object, vocabulary: Vocabulary | None = None
) -> tuple[Profile | None, Mapping[str, str | None] | None]:
    """A reader's ``mapping=`` argument as (profile, plain header mapping): a :class:`Profile`,
    the path of a profile file, or a dict of header → field (or ``None`` to ignore)."""
    if mapping is None:
        return None, None
    if isinstance(mapping, Profile):
        mapping.check(vocabulary or base_vocabulary())
        return mapping, None
    if isinstance(mapping, (str, os.PathLike)):
        return load_profile(mapping, vocabulary=vocabulary), None
    if isinstance(mapping, Mapping):
        return None, mapping
    raise ConfigurationError.one(
        "mapping 参数类型无效", "invalid mapping argument", key="mapping",
        expected="a dict of header → field, a Profile or the path of a profile file", found=type(mapping).__name__,
    )


__all__ = ["MEMBER_NAME", "Profile", "Section", "SkipRows", "as_profile", "load_profile", "parse_profile"]
