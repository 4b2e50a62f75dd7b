"""Drafting a mapping profile from a file's headers and distinct values.

``scoring check --suggest-mapping`` writes the draft an officer starts from instead of a blank
file: every header and value the readers know is filled in (so the officer sees, and can
correct, what each one is taken to mean), and every one they do not know is a commented
``TODO`` line with the allowed codes and, where a value contains a known label (2024年第一次全体
会议 contains 全体会议), a proposal. Nothing unknown is filled in: the draft loads as a profile as
it is, and once the TODO lines are filled in and uncommented.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..vocabulary import RecordField, Vocabulary, base_vocabulary
from .cells import Cell, is_empty, show, to_items
from .codes import Codes, CodeTable, lookup_key, suggest
from .fields import CODE_FIELDS
from .files import load_table
from .headers import MEMBER_NAME
from .mapping import map_columns
from .notes import Note
from .plan import ReadPlan, plan, reading_notes
from .problems import CellError, ProblemLog
from .profile import Profile, SectionName
from .tables import Row

PathArg = str | os.PathLike[str]
MAX_VALUES = 200
"""distinct values listed per field; the rest are counted"""
_LIST_FIELDS = frozenset({"flags", "roles"})


def suggest_profile(
    *,
    members: PathArg | None = None,
    records: PathArg | None = None,
    vocabulary: Vocabulary | None = None,
    encoding: str | None = None,
    base: Profile | None = None,
) -> str:
    """A draft mapping profile (TOML text) for the members and/or records file, starting from
    ``base`` (a profile already written) when given. Raises :class:`~scoring.errors.InputError`
    when a file cannot be read at all."""
    vocabulary = vocabulary or base_vocabulary()
    given: tuple[tuple[SectionName, PathArg | None], ...] = (("members", members), ("records", records))
    files = [(n, Path(p)) for n, p in given if p is not None]
    out = _Writer()
    out.comment("映射配置草稿（scoring check --suggest-mapping）/ draft mapping profile")
    out.comment("来自 / from: " + ", ".join(str(p) for _, p in files))
    out.comment("请逐项核对；TODO 行须填写后去掉行首的 # / check every entry; fill in TODO lines and remove their #")
    if base is not None and base.title:
        out.line(f"title = {_quote(base.title)}")
    notes: list[Note] = []
    stray: list[tuple[Path, int, str]] = []
    for name, path in files:
        found, rows = _section(out, name, path, vocabulary, encoding, base)
        notes += found
        stray += [(path, row, first) for row, first in rows]
    _skip_rows(out, notes, stray, base)
    return out.text()


@dataclass
class _Writer:
    lines: list[str] = field(default_factory=list)

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def comment(self, text: str) -> None:
        self.lines.append(f"# {text}")

    def todo(self, key: str, value: str, why: str) -> None:
        self.lines.append(f"# {_quote(key)} = {_quote(value)}  # TODO: {why}")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def _section(
    out: _Writer, name: SectionName, path: Path, vocabulary: Vocabulary, encoding: str | None, base: Profile | None
) -> tuple[list[Note], list[tuple[int, str]]]:
    """Write the section of one file; the notes of reading it and its stray rows."""
    how = plan(name, base, vocabulary=vocabulary)
    log = ProblemLog(str(path))
    table = load_table(path, log, encoding=encoding, key=name, layout=how.layout)
    names = [c.name for c in table.columns]
    columns = map_columns(names, [c.row for c in table.columns], how.rules, table.header_row, ProblemLog(str(path)))
    section = base.section(name) if base is not None else None
    out.line()
    out.line(f"[{name}]")
    if table.header_row is not None:
        out.comment(f"{path}: 表头在第 {table.header_row} 行 / header on row {table.header_row}")
    if section is not None and section.header_row is not None:
        out.line(f"header_row = {section.header_row}")
    if name == "records" and "id" not in columns.columns:
        out.comment("文件没有记录编号列：按行编号（<文件名>:<行号>）/ no record id column: records are numbered by row")
        out.line('ids = "row"')
    ignore = list(section.ignore_columns) if section is not None else []
    if ignore:
        out.line("ignore_columns = [" + ", ".join(_quote(h) for h in ignore) + "]")
    out.line()
    out.line(f"[{name}.columns]")
    for target, at in sorted(columns.columns.items(), key=lambda item: item[1]):
        out.line(f"{_quote(names[at])} = {_quote(target)}")
    for column in columns.ignored:
        if column.reason == "unused":
            out.comment(f"{column.name}: 未使用 / unused ({column.hint})")
            continue
        close = column.hint or ""
        samples = ", ".join(_distinct(table.rows, names.index(column.name))[:5])
        out.todo(column.name, "?", f"which field? / 对应哪个字段？{close} (values: {samples}); "
                                    f"or list it in ignore_columns / 或列入 ignore_columns")
    for required in _missing(name, columns.columns, how):
        out.comment(f"TODO 缺少必填列 / missing required column: {required}")
    codes = how.codes(vocabulary)
    kinds = _row_kinds(table.rows, columns.columns, how, codes)
    proposal = None
    if name == "records" and "kind" not in columns.columns and "kind" not in how.fixed:
        proposal = _kind_from_values(columns.columns, table.rows, codes)
        kinds = [proposal] * len(kinds)
    _fixed(out, name, columns.columns, how, proposal, codes)
    for target in CODE_FIELDS[name]:
        if target in columns.columns:
            at = columns.columns[target]
            _values(out, name, target, [(r.cells[at], k) for r, k in zip(table.rows, kinds, strict=True)], codes)
    found = reading_notes(str(path), columns.ignored, table.skipped)
    return found, _stray_rows(table.rows, columns.columns, how)


def _stray_rows(rows: Iterable[Row], columns: dict[str, int], how: ReadPlan) -> list[tuple[int, str]]:
    """Rows that name no one — no id, member id or member name (制表人：李明 under the table):
    (row, first filled cell), to propose as ``skip_rows.first_cell`` patterns."""
    required = [columns[f] for f in ("id", "member_id", *how.schema.stand_ins) if f in columns]
    stray: list[tuple[int, str]] = []
    for row in rows:
        first = next((show(c) for c in row.cells if not is_empty(c)), None)
        if required and first is not None and all(is_empty(row.cells[i]) for i in required):
            stray.append((row.number, first))
    return stray


def _missing(name: SectionName, columns: dict[str, int], how: ReadPlan) -> list[str]:
    given = set(columns) | set(how.fixed) | ({"id"} if name == "records" else set())
    if MEMBER_NAME in columns:
        given.add("member_id")
    return [f for f in how.schema.required if f not in given and f != "kind"]


def _row_kinds(rows: Iterable[Row], columns: dict[str, int], how: ReadPlan, codes: Codes) -> list[str | None]:
    """The kind of every row, where it can be told (from the kind column or the fixed kind)."""
    fixed = how.fixed.get("kind")
    kinds: list[str | None] = []
    for row in rows:
        text = fixed
        if "kind" in columns:
            cell = row.cells[columns["kind"]]
            text = None if is_empty(cell) else show(cell)
        try:
            kinds.append(codes.kinds.lookup(text) if text else None)
        except CellError:
            kinds.append(None)
    return kinds


def _fixed(out: _Writer, name: SectionName, columns: dict[str, int], how: ReadPlan, proposal: str | None,
           codes: Codes) -> None:
    lacks_kind = name == "records" and "kind" not in columns and "kind" not in how.fixed
    if not how.fixed and not lacks_kind:
        return
    out.line()
    out.line(f"[{name}.fixed]")
    for target, value in how.fixed.items():
        out.line(f"{target} = {_quote(value)}")
    if lacks_kind:
        choices = ", ".join(f"{k} ({t.label.zh})" for k, t in codes.vocabulary.kinds.items())
        why = "every row's kind / 每行的记录类型: " + choices
        if proposal:
            why = f"check — the values fit {proposal} records / 请核对：取值符合该类型; " + why
        out.line(f"# kind = {_quote(proposal or '?')}  # TODO: {why}")


def _kind_from_values(columns: dict[str, int], rows: Iterable[Row], codes: Codes) -> str | None:
    """The one kind for which every status and subtype of the file that some kind knows is known
    (values no kind knows — names, marks — say nothing), if there is one."""
    fields: tuple[RecordField, ...] = ("subtype", "status")
    cells = {
        (f, show(row.cells[columns[f]])) for row in rows for f in fields
        if f in columns and not is_empty(row.cells[columns[f]])
    }
    kinds = list(codes.vocabulary.kinds)
    telling = {(f, v) for f, v in cells if any(_known(codes.scoped(k, f), v) for k in kinds)}
    fits = [k for k in kinds if telling and all(_known(codes.scoped(k, f), v) for f, v in telling)]
    return fits[0] if len(fits) == 1 else None


def _known(table: CodeTable, value: str) -> str | None:
    try:
        return table.lookup(value)
    except CellError:
        return None


def _values(out: _Writer, name: SectionName, target: str, cells: list[tuple[Cell, str | None]], codes: Codes) -> None:
    seen: dict[str, set[str | None]] = {}
    for cell, kind in cells:
        if is_empty(cell):
            continue
        items = to_items(cell) if target in _LIST_FIELDS else [show(cell)]
        for item in items:
            seen.setdefault(item, set()).add(kind)
    if not seen:
        return
    out.line()
    out.line(f"[{name}.values.{target}]")
    for count, (value, kinds) in enumerate(seen.items()):
        if count == MAX_VALUES:
            out.comment(f"… {len(seen) - MAX_VALUES} more values / 另有 {len(seen) - MAX_VALUES} 个取值")
            break
        tables = _tables(codes, target, kinds)
        code = next((c for t in tables if (c := _known(t, value)) is not None), None)
        if code is not None:
            out.line(f"{_quote(value)} = {_quote(code)}")
            continue
        out.todo(value, _contained(value, tables) or "?", _choices(value, tables))


def _tables(codes: Codes, target: str, kinds: set[str | None]) -> list[CodeTable]:
    if target == "kind":
        return [codes.kinds]
    if target == "level":
        return [codes.levels]
    if target == "roles":
        return [codes.member_roles]
    known = sorted(k for k in kinds if k is not None) or sorted(codes.vocabulary.kinds)
    field: RecordField = target  # type: ignore[assignment]
    return [t for k in known if (t := codes.scoped(k, field)).terms]


def _contained(value: str, tables: list[CodeTable]) -> str | None:
    """The code whose label or alias the value contains — the longest such spelling wins."""
    key = lookup_key(value)
    best: tuple[int, str] | None = None
    for table in tables:
        for code, term in table.terms.items():
            for spelling in (term.zh, *term.aliases):
                k = lookup_key(spelling)
                if len(k) >= 2 and k in key and (best is None or len(k) > best[0]):
                    best = (len(k), code)
    return best[1] if best else None


def _choices(value: str, tables: list[CodeTable]) -> str:
    codes: dict[str, str] = {}
    for table in tables:
        codes.update({c: t.zh for c, t in table.terms.items()})
    spellings = [s for t in tables for term in t.terms.values() for s in (term.zh, *term.aliases)]
    close = suggest(lookup_key(value), spellings)
    listed = ", ".join(f"{c} ({zh})" for c, zh in codes.items())
    return (f"{close}; " if close else "") + f"one of / 可选: {listed}"


def _distinct(rows: Iterable[Row], index: int) -> list[str]:
    values: dict[str, None] = {}
    for row in rows:
        cell = row.cells[index]
        if not is_empty(cell):
            values.setdefault(show(cell), None)
    return list(values)


def _skip_rows(out: _Writer, notes: list[Note], stray: list[tuple[Path, int, str]], base: Profile | None) -> None:
    out.line()
    out.line("[skip_rows]")
    for note in notes:
        out.comment(note.format("zh"))
    out.comment("默认跳过合计/小计/总计/共计行 / totals rows (合计, 小计, 总计, 共计) are always skipped")
    first = list(base.skip_rows.first_cell) if base is not None else []
    any_cell = base.skip_rows.any_cell if base is not None else ()
    proposed = [p for p in dict.fromkeys(_pattern(text) for _, _, text in stray) if p not in first]
    if first:
        out.line("first_cell = [" + ", ".join(_quote(p) for p in first) + "]")
    if proposed:
        rows = "; ".join(f"{path.name} row {row}: {text}" for path, row, text in stray)
        listed = ", ".join(_quote(p) for p in [*first, *proposed])
        out.line(f"# first_cell = [{listed}]  # TODO: rows without the required values / 缺少必填值的行 — {rows}")
    elif not first:
        out.comment('first_cell = ["以下空白"]  # 首个非空单元格匹配时跳过该行 / skip rows whose first cell matches')
    if any_cell:
        out.line("any_cell = [" + ", ".join(_quote(p) for p in any_cell) + "]")


def _pattern(text: str) -> str:
    """A first-cell pattern for a stray row: its label up to a colon (制表人：李明 → 制表人*)."""
    label = text.replace("：", ":").split(":", 1)[0].strip()
    return f"{label}*" if label and label != text.strip() else text.strip()


def _quote(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'
