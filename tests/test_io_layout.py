"""Sheets as offices lay them out: title rows above the header, blank rows, the header repeated
at page breaks and totals rows are skipped in CSV and XLSX — each named, with its number and why,
in the reader's notes; columns no field needs are not read, and listed in one note."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import InputError
from scoring.io import Note, SkippedRow, read_members, read_records, read_table

HEADER = ["序号", "记录编号", "委员编号", "类型", "子类", "状态", "日期"]
TITLE = "2024年度委员履职情况统计表"


def _csv(tmp_path: Path, rows: list[list[object]], encoding: str = "gb18030") -> Path:
    path = tmp_path / "records.csv"
    text = "\r\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(tmp_path: Path, rows: list[list[object]], merge: tuple[str, ...] = ()) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    path = tmp_path / "records.xlsx"
    workbook.save(path)
    return path


def _write(tmp_path: Path, kind: str, rows: list[list[object]]) -> Path:
    if kind == "xlsx":
        return _xlsx(tmp_path, rows, merge=("A1:G1",) if rows and rows[0] == [TITLE] else ())
    return _csv(tmp_path, rows)


def _skipped(notes: list[Note]) -> list[tuple[int, str, str | None]]:
    return [(r.row, r.reason, r.found) for n in notes if n.code == "skipped_rows" for r in n.rows]


def _row(n: int, record: str, status: str = "出席", date: object = "2024-01-15") -> list[object]:
    return [n, record, "M1", "会议", "全体会议", status, date]


OFFICE_SHEET: list[list[object]] = [
    [TITLE],
    ["填报单位：市政协办公室", None, None, None, None, "制表日期：2025年1月6日"],
    HEADER,
    _row(1, "R1"),
    _row(2, "R2", "请假", "2024.3.5"),
    [],
    _row(3, "R3", "缺席", "2024年3月5日"),
    HEADER,
    _row(4, "R4", "✓", "2024/6/18"),
    ["合计", None, None, None, None, "出席 2 人次"],
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_office_sheet_is_read_and_every_skipped_row_is_named(tmp_path: Path, kind: str) -> None:
    """A merged title and a second title line (two filled cells: the old rule took it for the
    header), a blank row, the header at a page break and a 合计 row."""
    path = _write(tmp_path, kind, OFFICE_SHEET)
    notes: list[Note] = []
    records = read_records(path, notes=notes)
    assert [(r.id, r.status, r.date) for r in records] == [
        ("R1", "attended", dt.date(2024, 1, 15)), ("R2", "leave_approved", dt.date(2024, 3, 5)),
        ("R3", "absent_unexcused", dt.date(2024, 3, 5)), ("R4", "attended", dt.date(2024, 6, 18)),
    ]
    assert _skipped(notes) == [
        (1, "title", TITLE), (2, "title", "填报单位:市政协办公室"), (6, "blank", None), (8, "header", None),
        (10, "totals", "合计"),
    ]
    ignored, skipped = notes
    assert [c.name for c in ignored.columns] == ["序号"]
    assert skipped.format("zh") == f"{path}: 跳过了 5 行：标题行 1–2；空行 6；重复的表头 8；合计行 10（合计）"
    assert skipped.format("en") == (
        f"{path}: skipped 5 row(s): title 1–2; blank 6; repeated header 8; totals 10 (合计)"
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_errors_keep_the_sheet_row_numbers(tmp_path: Path, kind: str) -> None:
    rows = [*OFFICE_SHEET[:-1], _row(5, "R5", "会晤"), OFFICE_SHEET[-1]]
    with pytest.raises(InputError) as caught:
        read_records(_write(tmp_path, kind, rows))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.found) == (10, "状态", "会晤")


@pytest.mark.parametrize(
    "label", ["合计", "小计", "总计", "共计", "合 计", "合计：4人", "总计: 4"],
)
def test_totals_rows(tmp_path: Path, label: str) -> None:
    path = _csv(tmp_path, [HEADER, _row(1, "R1"), [label, None, None, None, None, "4"]])
    notes: list[Note] = []
    assert [r.id for r in read_records(path, notes=notes)] == ["R1"]
    assert [(row, reason) for row, reason, _ in _skipped(notes)] == [(3, "totals")]


def test_a_totals_row_is_skipped_even_with_an_error_value_in_it(tmp_path: Path) -> None:
    """合计 rows hold formulas; one whose result is an Excel error is still just a totals row."""
    openpyxl = pytest.importorskip("openpyxl")
    path = _xlsx(tmp_path, [HEADER, _row(1, "R1"), ["合计", None, None, None, None, "=1/0"]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["F3"].value = "#DIV/0!"
    workbook.active["F3"].data_type = "e"
    workbook.save(path)
    assert [r.id for r in read_records(path)] == ["R1"]


def test_a_value_like_a_label_is_not_a_totals_row(tmp_path: Path) -> None:
    """Only the first filled cell counts, and only the whole label (or the label and a colon)."""
    path = _csv(tmp_path, [["备注", *HEADER], ["合计3天", *_row(1, "R1")], ["", *_row(2, "合计")]])
    assert [r.note for r in read_records(path)] == ["合计3天", None]


def test_the_header_repeated_in_other_spellings_and_with_empty_cells(tmp_path: Path) -> None:
    """Two exports concatenated: the second header may use the field names, and leave a cell empty."""
    path = _csv(tmp_path, [
        HEADER, _row(1, "R1"), ["", "id", "member_id", "kind", "subtype", "status", "date"], _row(2, "R2"),
        ["序号", "记录编号", "", "类型"], _row(3, "R3"),
    ])
    notes: list[Note] = []
    assert [r.id for r in read_records(path, notes=notes)] == ["R1", "R2", "R3"]
    assert _skipped(notes) == [(3, "header", None), (5, "header", None)]


def test_a_title_repeated_at_a_page_break(tmp_path: Path) -> None:
    path = _csv(tmp_path, [[TITLE], HEADER, _row(1, "R1"), [TITLE], HEADER, _row(2, "R2")])
    notes: list[Note] = []
    assert [r.id for r in read_records(path, notes=notes)] == ["R1", "R2"]
    assert _skipped(notes) == [(1, "title", TITLE), (4, "title", TITLE), (5, "header", None)]


def test_blank_margins_are_not_rows_of_the_table(tmp_path: Path) -> None:
    """Blank rows above the title and below the last row (a sheet's formatting) are not named."""
    path = _xlsx(tmp_path, [[], [], HEADER, _row(1, "R1"), [], _row(2, "R2"), [], [], [None] * 7])
    notes: list[Note] = []
    assert [r.id for r in read_records(path, notes=notes)] == ["R1", "R2"]
    assert _skipped(notes) == [(5, "blank", None)]


def test_without_notes_the_reader_reads_the_same(tmp_path: Path) -> None:
    path = _csv(tmp_path, OFFICE_SHEET)
    assert read_records(path) == read_records(path, notes=[])


def test_no_known_header_falls_back_to_the_old_rule(tmp_path: Path) -> None:
    """A file whose headers are all unknown: a single filled cell above a row of several is a title."""
    path = tmp_path / "table.csv"
    path.write_text("名单\n甲,乙\n1,2\n", encoding="utf-8")
    assert read_table(path) == [{"甲": "1", "乙": "2"}]


def test_read_table_stays_raw(tmp_path: Path) -> None:
    """The raw reader skips no totals or repeated header: it shows the rows as they are."""
    path = _csv(tmp_path, [HEADER, _row(1, "R1"), HEADER, ["合计"]], encoding="utf-8")
    assert [row["记录编号"] for row in read_table(path)] == ["R1", "记录编号", ""]


def test_ignored_columns_are_one_note_and_strict_mode_makes_them_errors(tmp_path: Path) -> None:
    path = _csv(tmp_path, [
        ["序号", "委员编号", "姓名", "性别", "民族", "界别", "联系电话"],
        ["1", "M1", "张三", "男", "汉族", "经济界", "0531-1"],
    ])
    notes: list[Note] = []
    (member,) = read_members(path, notes=notes)
    assert (member.id, member.name, member.sector) == ("M1", "张三", "经济界")
    (note,) = notes
    assert note.format("en") == f"{path}: ignored 4 column(s): 序号, 性别, 民族, 联系电话"
    assert note.format("zh") == f"{path}: 忽略了 4 列：序号、性别、民族、联系电话"
    assert note.model_dump()["columns"][0] == {"name": "序号", "reason": "unknown", "hint": None}
    with pytest.raises(InputError) as caught:
        read_members(path, unknown_columns="error")
    assert [(p.row, p.column, p.en) for p in caught.value.problems] == [
        (1, name, f"unknown column '{name}'") for name in ("序号", "性别", "民族", "联系电话")
    ]
    # a column ignored on purpose is not noted
    notes.clear()
    read_members(path, mapping={"序号": None, "性别": None, "民族": None, "联系电话": None}, notes=notes)
    assert notes == []


def test_a_stand_in_column_beside_the_real_one_is_unused(tmp_path: Path) -> None:
    """会议名称 gives the subtype only without a 会议类型 column; 姓名 the member only without 委员编号."""
    path = tmp_path / "records.csv"
    path.write_text("记录编号,委员编号,姓名,类型,会议类型,会议名称,日期\nR1,M1,张三,会议,全体会议,2024年第一次全体会议,2024-01-15\n",
                    encoding="utf-8")
    notes: list[Note] = []
    (record,) = read_records(path, notes=notes)
    assert (record.member_id, record.subtype) == ("M1", "plenary")
    assert [(c.name, c.reason, c.hint) for c in notes[0].columns] == [
        ("姓名", "unused", "member_id ← 委员编号"), ("会议名称", "unused", "subtype ← 会议类型"),
    ]


def test_a_meeting_name_without_a_type_column_is_the_subtype(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("记录编号,委员编号,类型,会议名称,日期\nR1,M1,会议,全体会议,2024-01-15\n", encoding="utf-8")
    assert read_records(path)[0].subtype == "plenary"


def test_export_spellings_of_headers_and_values(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "记录编号,委员编号,类别,子类型,出席情况,角色,联名人数,会议日期\n"
        "R1,M1,会议,全委会,√,,,2024.1.15\n"
        "R2,M1,提案,,已立案,领衔,,2024年3月5日\n"
        "R3,M1,履职活动,调研,✓,,,2024/6/18\n"
        "R4,M1,会议,常委会会议,缺勤,,,20240910\n",
        encoding="utf-8",
    )
    assert [(r.kind, r.subtype, r.status, r.role, r.date.isoformat()) for r in read_records(path)] == [
        ("meeting", "plenary", "attended", None, "2024-01-15"),
        ("proposal", None, "registered", "first", "2024-03-05"),
        ("activity", "research", "attended", None, "2024-06-18"),
        ("meeting", "standing_committee", "absent_unexcused", None, "2024-09-10"),
    ]


def test_a_cross_is_not_guessed(tmp_path: Path) -> None:
    """× does not say whether leave was asked for: without a profile it is an error."""
    path = tmp_path / "records.csv"
    path.write_text("记录编号,委员编号,类型,出席情况,日期\nR1,M1,会议,×,2024-01-15\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_records(path)
    assert caught.value.problems[0].en == "not a known status of meeting records"


def test_skipped_rows_serialise() -> None:
    note = Note(code="skipped_rows", file="a.csv", rows=(SkippedRow(row=3, reason="totals", found="合计"),))
    assert Note.model_validate_json(note.model_dump_json()) == note


@settings(max_examples=300, deadline=None)
@given(grid=st.lists(st.lists(st.sampled_from(["", "合计", "记录编号", "委员编号", "R1", "会议", TITLE, "×"]),
                              max_size=4), max_size=12))
def test_every_row_of_a_table_is_the_header_data_or_skipped_exactly_once(grid: list[list[str]]) -> None:
    """Nothing is dropped unsaid: between the first and the last filled row, each row is the
    header, a data row or a named skipped row — once."""
    from scoring.io.layout import split_grid
    from scoring.io.plan import plan
    from scoring.io.problems import ProblemLog
    from scoring.io.tables import Row

    rows = [Row(number, tuple(cells)) for number, cells in enumerate(grid, start=1)]
    filled = [r.number for r in rows if any(r.cells)]
    if not filled:
        with pytest.raises(InputError):
            split_grid(rows, plan("records", None).layout, ProblemLog("x.csv"))
        return
    split = split_grid(rows, plan("records", None).layout, ProblemLog("x.csv"))
    numbers = [split.header.number, *(r.number for r in split.data), *(s.row for s in split.skipped)]
    assert sorted(numbers) == list(range(filled[0], filled[-1] + 1))
    assert all(any(r.cells) for r in split.data)
