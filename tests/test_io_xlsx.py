"""Reading records and members from Excel .xlsx files (openpyxl)."""

from __future__ import annotations

import builtins
import datetime as dt
import importlib.util
import zipfile
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scoring.errors import InputError, Problem
from scoring.io import read_members, read_records, read_table

pytest.importorskip("openpyxl")

DATA = Path(__file__).parent / "data" / "io"


def _samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("io_samples", DATA / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLES = _samples()
HEADER = ["id", "member_id", "kind", "date"]


def _xlsx(tmp_path: Path, rows: list[list[object]], merge: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "records.xlsx"
    SAMPLES.write_xlsx(path, rows, merge)
    return path


def _problems(path: Path, reader: Any = read_records) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        reader(path)
    return list(caught.value.problems)


def test_committed_sample() -> None:
    records = {r.id: r for r in read_records(DATA / "records.xlsx")}
    assert list(records) == ["R101", "R102", "R103"]
    plenary = records["R101"]
    assert (plenary.kind, plenary.subtype, plenary.status) == ("meeting", "plenary", "attended")
    assert plenary.date == dt.date(2024, 3, 5)  # a date cell
    research = records["R102"]
    assert research.member_id == "1002"  # a number cell read as text, without ".0"
    assert (research.kind, research.subtype) == ("activity", "research")
    assert research.quantity == Decimal(3)  # the cached value of the formula =1+2
    assert research.date == dt.date(2024, 5, 6)  # a date-time cell
    assert research.note == "三天"
    proposal = records["R103"]
    assert (proposal.kind, proposal.status, proposal.quantity) == ("proposal", "registered", 1)
    assert proposal.date == dt.date(2024, 6, 7)  # a text cell holding a date


def test_committed_sample_matches_generator(tmp_path: Path) -> None:
    SAMPLES.write_samples(tmp_path)
    assert read_table(tmp_path / "records.xlsx") == read_table(DATA / "records.xlsx")


def test_read_table() -> None:
    rows = read_table(DATA / "records.xlsx")
    assert rows[1]["委员编号"] == "1002"
    assert rows[1]["数量"] == "3"
    assert rows[0]["活动日期"] == "2024-03-05"


def test_members_from_xlsx(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [
        ["委员编号", "姓名", "身份", "任职日期"],
        ["M001", "张三", "常委", dt.date(2023, 1, 10)],
        ["M002", "李四", "", 44936],  # an unformatted serial number
    ])
    members = read_members(path)
    assert [(m.id, m.roles, m.joined) for m in members] == [
        ("M001", ("standing_committee",), dt.date(2023, 1, 10)),
        ("M002", ("member",), dt.date(2023, 1, 10)),
    ]


def test_formula_without_cached_value(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [[*HEADER, "quantity"], ["R1", "M1", "meeting", "2024-03-05", "=1+2"]])
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (2, "quantity")
    assert problem.en == "the formula cell has no stored result"
    assert problem.zh == "公式单元格没有保存计算结果"
    assert problem.found == "=1+2 (E2)"


def test_formula_without_cached_value_in_an_ignored_column_is_fine(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [[*HEADER, "合计"], ["R1", "M1", "meeting", "2024-03-05", "=1+2"]])
    assert read_records(path, mapping={"合计": None})[0].id == "R1"


def test_excel_error_value(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [[*HEADER, "quantity"], ["R1", "M1", "meeting", "2024-03-05", "=1/0"]])
    SAMPLES.set_cached_values(path, {"E2": "#DIV/0!"})
    # an error result is stored with t="e"; add that attribute as Excel does
    _patch_sheet(path, '<c r="E2">', '<c r="E2" t="e">')
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.found) == (2, "quantity", "#DIV/0! (E2)")
    assert problem.en == "the cell holds an Excel error value"


def _patch_sheet(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in parts[sheet]
    parts[sheet] = parts[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_merged_cells(tmp_path: Path) -> None:
    # the member id is merged over two rows, the note over two rows
    path = _xlsx(
        tmp_path,
        [
            [*HEADER, "note"],
            ["R1", "M1", "meeting", dt.date(2024, 3, 5), "shared"],
            ["R2", None, "meeting", dt.date(2024, 3, 6), None],
        ],
        merge=("B2:B3", "E2:E3"),
    )
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (3, "member_id")
    assert problem.en == "required value 'member_id' is empty"
    assert problem.hint is not None
    assert problem.hint.startswith("the cell is part of the merged range B2:B3")


def test_merged_optional_cell_is_empty(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            [*HEADER, "note"],
            ["R1", "M1", "meeting", "2024-03-05", "x"],
            ["R2", "M1", "meeting", "2024-03-06", None],
        ],
        merge=("E2:E3",),
    )
    assert [r.note for r in read_records(path)] == ["x", None]


def test_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    title = "2024年度委员履职登记表"
    path = _xlsx(
        tmp_path,
        [[title], [], HEADER, ["R1", "M1", "meeting", "2024-03-05"], ["R2", "M1", "会晤", "2024-03-05"]],
        merge=("A1:D1",),
    )
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.found) == (5, "kind", "会晤")


def test_blank_rows_keep_sheet_numbering(tmp_path: Path) -> None:
    rows = [HEADER, ["R1", "M1", "meeting", "2024-03-05"], [], ["R2", "M1", "会晤", "2024-03-05"]]
    path = _xlsx(tmp_path, rows)
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.found) == (4, "kind", "会晤")


def test_empty_workbook(tmp_path: Path) -> None:
    (problem,) = _problems(_xlsx(tmp_path, []))
    assert problem.en == "the file is empty"


def test_header_only(tmp_path: Path) -> None:
    assert read_records(_xlsx(tmp_path, [HEADER])) == []


@pytest.mark.parametrize("keep", [0, 100, 1000, 3000])
def test_truncated_xlsx(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "truncated.xlsx"
    path.write_bytes((DATA / "records.xlsx").read_bytes()[:keep])
    (problem,) = _problems(path)
    assert problem.en == "cannot open the Excel file (it may be damaged or truncated)"
    assert problem.file == str(path)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "records.xlsx"
    path.write_text("id,member_id\n", encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.zh.startswith("无法打开 Excel 文件")


def test_garbled_sheet_xml(tmp_path: Path) -> None:
    path = tmp_path / "records.xlsx"
    path.write_bytes((DATA / "records.xlsx").read_bytes())
    _patch_sheet(path, "<sheetData>", "<sheetData><row><c r=")
    (problem,) = _problems(path)
    assert problem.en.startswith("cannot open the Excel file")


def test_missing_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl":
            raise ImportError("No module named 'openpyxl'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    (problem,) = _problems(DATA / "records.xlsx")
    assert problem.en == "reading .xlsx files needs openpyxl"
    assert problem.hint is not None and "pip install openpyxl" in problem.hint
    assert "'scoring[" not in problem.hint  # never the unrelated PyPI package `scoring`
