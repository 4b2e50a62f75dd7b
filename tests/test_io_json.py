"""Reading members and records from JSON and JSON Lines files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scoring.errors import InputError, Problem
from scoring.io import Note, read_members, read_records, read_table

DATA = Path(__file__).parent / "data" / "io"


def _problems(path: Path, reader: Any = read_records, **kwargs: Any) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        reader(path, **kwargs)
    return list(caught.value.problems)


def _write(tmp_path: Path, text: str, name: str = "records.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_records_under_a_key() -> None:
    records = {r.id: r for r in read_records(DATA / "records.json")}
    assert records["J001"].subtype == "plenary"
    proposal = records["J002"]
    assert (proposal.kind, proposal.status, proposal.role, proposal.signers) == (
        "proposal", "registered", "co", 2,
    )
    assert proposal.flags == ("excellent", "key")  # a JSON list of Chinese labels
    assert proposal.date == dt.date(2024, 2, 1)
    research = records["J003"]
    assert research.quantity == Decimal("1.5")  # exact, not a float
    assert research.date == dt.date(2024, 3, 5)  # a JSON number: Excel serial
    assert research.note is None


def test_json_members_list_with_chinese_keys() -> None:
    members = read_members(DATA / "members.json")
    assert [(m.id, m.name, m.roles) for m in members] == [
        ("M001", "张三", ("core", "standing_committee")),
        ("M002", "李四", ("member",)),
    ]
    assert members[1].joined == dt.date(2023, 1, 10)


def test_jsonl_records() -> None:
    records = read_records(DATA / "records.jsonl")
    assert [(r.id, r.kind, r.subtype, r.status) for r in records] == [
        ("L001", "meeting", "plenary", "leave_approved"),
        ("L002", "report", "duty_report", "submitted"),
    ]


def test_empty_list_gives_no_rows(tmp_path: Path) -> None:
    assert read_records(_write(tmp_path, "[]")) == []
    assert read_members(_write(tmp_path, '{"members": []}', "members.json")) == []


def test_json_rows_are_item_numbers(tmp_path: Path) -> None:
    text = """[
      {"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05"},
      {"id": "R2", "member_id": "M1", "kind": "meeting", "date": "2024-13-01", "quantity": -2}
    ]"""
    problems = _problems(_write(tmp_path, text))
    assert [(p.row, p.column, p.en, p.found) for p in problems] == [
        (2, "date", "no such date", "2024-13-01"),
        (2, "quantity", "the value must be at least 0", "-2"),
    ]


def test_jsonl_rows_are_line_numbers(tmp_path: Path) -> None:
    lines = [
        '{"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05"}',
        "",
        '{"id": "R2", "member_id": "M1", "kind": "meeting", "date": "2024-03-05", "status": "迟到"}',
        '{"id": "R3", "member_id": "M1", "kind": "meeting", "date": "2024-03-05", "status": "迟"}',
        '{"id": "R4", "member_id": "M1", "kind": "meet',
        "[1, 2]",
    ]
    problems = _problems(_write(tmp_path, "\n".join(lines), "records.jsonl"))
    assert [(p.row, p.column, p.en) for p in problems] == [
        (5, None, "malformed JSON"),
        (6, None, "item is not an object"),
        (4, "status", "not a known status of meeting records"),
    ]


def test_nested_values(tmp_path: Path) -> None:
    text = '[{"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05", "note": {"a": 1}}]'
    (problem,) = _problems(_write(tmp_path, text))
    assert (problem.row, problem.column, problem.found) == (1, "note", "object")
    assert problem.en == "nested objects and lists are not supported"


def test_list_in_a_single_value_field(tmp_path: Path) -> None:
    text = '[{"id": "R1", "member_id": "M1", "kind": ["meeting", "proposal"], "date": "2024-03-05"}]'
    (problem,) = _problems(_write(tmp_path, text))
    assert (problem.column, problem.en) == ("kind", "expected a single value, not a list")


def test_unknown_key(tmp_path: Path) -> None:
    text = '[{"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05", "dates": 1}]'
    notes: list[Note] = []
    assert [r.id for r in read_records(_write(tmp_path, text), notes=notes)] == ["R1"]
    assert [c.name for n in notes for c in n.columns] == ["dates"]
    (problem,) = _problems(_write(tmp_path, text), unknown_columns="error")
    assert (problem.row, problem.column, problem.en) == (1, "dates", "unknown column 'dates'")
    assert problem.hint is not None and problem.hint.startswith("did you mean 'date'?")


def test_missing_required_key_in_one_item(tmp_path: Path) -> None:
    text = """[
      {"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05"},
      {"id": "R2", "kind": "meeting", "date": "2024-03-05"}
    ]"""
    (problem,) = _problems(_write(tmp_path, text))
    assert (problem.row, problem.column, problem.en) == (
        2, "member_id", "required value 'member_id' is empty",
    )


def test_missing_required_key_everywhere(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, '[{"id": "R1", "kind": "meeting", "date": "2024-03-05"}]'))
    assert (problem.row, problem.column, problem.en) == (None, None, "required column 'member_id' is missing")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('{"members": []}', "an object with keys ['members']"),
        ('"records"', "str"),
        ("42", "int"),
    ],
)
def test_wrong_top_level(tmp_path: Path, text: str, found: str) -> None:
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.en == "the top level of the JSON must be a list of objects"
    assert problem.expected == '[{...}, ...] or {"records": [...]}'
    assert problem.found == found


@pytest.mark.parametrize("name", ["records.json", "records.jsonl"])
@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_empty_json(tmp_path: Path, name: str, text: str) -> None:
    (problem,) = _problems(_write(tmp_path, text, name))
    assert (problem.zh, problem.en) == ("文件为空", "the file is empty")


def test_truncated_json(tmp_path: Path) -> None:
    text = (DATA / "records.json").read_text(encoding="utf-8")[:200]
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.en == "malformed JSON (the file may be truncated)"
    assert problem.found is not None and problem.found.startswith("line ")


def test_nan_quantity(tmp_path: Path) -> None:
    text = '[{"id": "R1", "member_id": "M1", "kind": "meeting", "date": "2024-03-05", "quantity": NaN}]'
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.column == "quantity"
    assert (problem.en, problem.zh) == ("the value must be a finite number", "必须是有限数值")


def test_read_table_json(tmp_path: Path) -> None:
    path = _write(tmp_path, '[{"id": 1, "flags": ["a", "b"], "ok": true, "x": null}]')
    assert read_table(path) == [{"id": "1", "flags": "a, b", "ok": "true", "x": ""}]
