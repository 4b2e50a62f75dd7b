"""The columnar readers with office exports: columns no field needs are not read, mapping profiles
apply, and every file gives what the row-by-row readers give — the same columns, records and
notes, or the same error. Rows the row-by-row readers skip never become records."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.batch.columns import Codebook, RecordColumns, encode
from scoring.batch.files import read_columns, read_member_columns, read_record_columns
from scoring.batch.members import MemberColumns
from scoring.errors import InputError
from scoring.io import Note, parse_profile, read_members, read_records
from scoring.vocabulary import base_vocabulary

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
CITY = ROOT / "examples" / "city"
OFFICE = ROOT / "examples" / "office"
VOCABULARY = base_vocabulary()
COLUMNS = (
    "member", "kind", "subtype", "status", "role", "level", "flags", "flags_unknown", "signers", "quantity",
    "quantity_exact", "date", "scored_on", "deleted",
)
PROFILE = parse_profile({
    "records": {
        "columns": {"流水号": "id", "代表号": "member_id"},
        "ignore_columns": ["联系电话"],
        "fixed": {"level": "市级"},
        "values": {"status": {"到场": "attended", "×": "absent_unexcused"}, "subtype": {"*全会*": "plenary"}},
    },
    "members": {"values": {"roles": {"市政协常委": "standing_committee"}}, "fixed": {"term": "十五届"}},
})


def _same(got: RecordColumns, expected: RecordColumns) -> None:
    for name in COLUMNS:
        assert np.array_equal(getattr(got, name), getattr(expected, name)), name
    assert list(got.ids) == list(expected.ids)
    assert list(got.records) == list(expected.records)


def _write_csv(path: Path, header: list[str], rows: list[list[str]], lines: list[str] | None = None) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue() + "".join(f"{line}\n" for line in lines or []), encoding="utf-8")
    return path


def _with_extra_columns(source: Path, target: Path) -> Path:
    """``source`` with 序号 in front and 联系电话 at the end, as old systems export."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    return _write_csv(target, ["序号", *header, "联系电话"], [[str(i), *r, "0531-0000"] for i, r in enumerate(body, 1)])


def test_a_city_sized_csv_with_extra_columns_is_still_read_by_columns(tmp_path: Path) -> None:
    members_path = _with_extra_columns(CITY / "members.csv", tmp_path / "members.csv")
    records_path = _with_extra_columns(CITY / "records.csv", tmp_path / "records.csv")
    notes: list[Note] = []
    members, records = read_columns(members_path, records_path, VOCABULARY, notes=notes)
    assert type(records.records).__name__ == "_LazyRecords"  # the columnar reader took it
    assert [(n.file, n.code, [c.name for c in n.columns]) for n in notes] == [
        (str(members_path), "ignored_columns", ["序号", "联系电话"]),
        (str(records_path), "ignored_columns", ["序号", "联系电话"]),
    ]
    plain_members = read_member_columns(CITY / "members.csv", VOCABULARY)
    _same(records, read_record_columns(CITY / "records.csv", plain_members, VOCABULARY))
    row_notes: list[Note] = []
    rows = read_records(records_path, vocabulary=VOCABULARY, notes=row_notes)
    assert row_notes == notes[1:]
    _same(records, encode(rows, members.index, Codebook.of(VOCABULARY)))


def test_strict_columns_give_the_row_by_row_error(tmp_path: Path) -> None:
    records_path = _with_extra_columns(CITY / "records.csv", tmp_path / "records.csv")
    members = read_member_columns(CITY / "members.csv", VOCABULARY)
    with pytest.raises(InputError) as expected:
        read_records(records_path, vocabulary=VOCABULARY, unknown_columns="error")
    with pytest.raises(InputError) as got:
        read_record_columns(records_path, members, VOCABULARY, unknown_columns="error")
    assert str(got.value) == str(expected.value)
    assert [p.column for p in got.value.problems] == ["序号", "联系电话"]


def _profiled_records(tmp_path: Path, suffix: str) -> Path:
    header = ["序号", "流水号", "代表号", "类型", "活动名称", "出席情况", "日期", "联系电话"]
    rows = [
        ["1", "R1", "M0001", "会议", "2024年全会", "到场", "2024-01-08", "1"],
        ["2", "R2", "M0002", "会议", "2024年全会", "×", "2024.1.8", "2"],
        ["3", "R3", "M0003", "会议", "2024年全会", "请假", "2024年1月8日", ""],
        ["4", "R4", "M0001", "meeting", "协商会", "出席", "2024/5/6", ""],
    ]
    path = _write_csv(tmp_path / "records.csv", header, rows)
    if suffix == "parquet":
        table = pa.table({name: [r[i] or None for r in rows] for i, name in enumerate(header)})
        path = tmp_path / "records.parquet"
        pq.write_table(table, path)
    return path


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_profile_gives_the_same_columns_and_notes_on_both_paths(tmp_path: Path, suffix: str) -> None:
    path = _profiled_records(tmp_path, suffix)
    members = read_member_columns(CITY / "members.csv", VOCABULARY)
    notes: list[Note] = []
    got = read_record_columns(path, members, VOCABULARY, mapping=PROFILE, notes=notes)
    assert type(got.records).__name__ == "_LazyRecords"
    row_notes: list[Note] = []
    rows = read_records(path, vocabulary=VOCABULARY, mapping=PROFILE, notes=row_notes)
    assert [(r.status, r.subtype, r.level) for r in rows] == [
        ("attended", "plenary", "city"), ("absent_unexcused", "plenary", "city"),
        ("leave_approved", "plenary", "city"), ("attended", "consultation", "city"),
    ]
    _same(got, encode(rows, members.index, Codebook.of(VOCABULARY)))
    assert notes == row_notes
    assert [c.name for c in notes[0].columns] == ["序号"]  # 联系电话 is ignored by the profile: no note


def test_member_profile_values_and_fixed_values_on_both_paths(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "members.csv", ["委员编号", "姓名", "职务", "性别"],
                      [["M2", "李四", "委员", "女"], ["M1", "张三", "市政协常委", "男"]])
    got = read_member_columns(path, VOCABULARY, mapping=PROFILE)
    expected = MemberColumns.of(read_members(path, vocabulary=VOCABULARY, mapping=PROFILE))
    assert list(got.members) == list(expected.members)
    assert [(m.id, m.roles, m.term) for m in got.members] == [
        ("M1", ("standing_committee",), "十五届"), ("M2", ("member",), "十五届"),
    ]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["", "R9,M0001,meeting,plenary,attended,2024-01-09"], "blank"),
        ([",,,,,", "R9,M0001,meeting,plenary,attended,2024-01-09"], "blank"),
        (["id,member_id,kind,subtype,status,date", "R9,M0001,meeting,plenary,attended,2024-01-09"], "header"),
        (["记录编号,委员编号,类型,子类,状态,日期"], "header"),
        (["合计,M0001,meeting,plenary,attended,2024-01-09"], "totals"),
        (["合 计：3 条,,,,,"], "totals"),
    ],
)
def test_rows_the_row_reader_skips_send_the_file_to_it(tmp_path: Path, lines: list[str], reason: str) -> None:
    """A blank line, the header again, a totals row — even one whose other cells would make a
    valid record — is skipped by both paths, and named in the same note."""
    header = ["id", "member_id", "kind", "subtype", "status", "date"]
    first = ["R1", "M0001", "meeting", "plenary", "attended", "2024-01-08"]
    path = _write_csv(tmp_path / "records.csv", header, [first], lines)
    members = read_member_columns(CITY / "members.csv", VOCABULARY)
    notes: list[Note] = []
    got = read_record_columns(path, members, VOCABULARY, notes=notes)
    row_notes: list[Note] = []
    rows = read_records(path, vocabulary=VOCABULARY, notes=row_notes)
    _same(got, encode(rows, members.index, Codebook.of(VOCABULARY)))
    assert notes == row_notes
    (note,) = notes
    assert note.rows[0].reason == reason and note.rows[0].row == 3


def test_a_totals_row_in_a_column_that_is_not_read(tmp_path: Path) -> None:
    """合计 in the 序号 column, which no field needs, still keeps the row from being a record."""
    path = _write_csv(tmp_path / "records.csv", ["序号", "id", "member_id", "kind", "date"],
                      [["1", "R1", "M0001", "meeting", "2024-01-08"], ["合计", "R2", "M0001", "meeting", "2024-01-08"]])
    members = read_member_columns(CITY / "members.csv", VOCABULARY)
    notes: list[Note] = []
    got = read_record_columns(path, members, VOCABULARY, notes=notes)
    assert list(got.ids) == ["R1"]
    assert [(n.code, [(r.row, r.reason) for r in n.rows]) for n in notes] == [
        ("ignored_columns", []), ("skipped_rows", [(3, "totals")]),
    ]


def test_the_office_example_reads_the_same_by_columns() -> None:
    """Name matching and row ids send the sheet to the row-by-row reader; the result is the same."""
    pytest.importorskip("openpyxl")
    profile = OFFICE / "profile.toml"
    notes: list[Note] = []
    members, records = read_columns(OFFICE / "members.csv", OFFICE / "meetings.xlsx", VOCABULARY, mapping=profile,
                                    notes=notes)
    row_notes: list[Note] = []
    row_members = read_members(OFFICE / "members.csv", mapping=profile, notes=row_notes)
    rows = read_records(OFFICE / "meetings.xlsx", mapping=profile, members=row_members, notes=row_notes)
    assert list(members.members) == sorted(row_members, key=lambda m: m.id)
    _same(records, encode(rows, members.index, Codebook.of(VOCABULARY)))
    assert notes == row_notes
    assert [n.code for n in notes] == ["skipped_rows", "skipped_rows", "matched_by_name"]


# Cells as office exports write them, with the rows they put between records.
CELLS = {
    "序号": st.sampled_from(["1", "2", "", "合计"]),
    "id": st.sampled_from(["R1", "R2", "Ｒ3", "", "记录编号", "合计"]),
    "member_id": st.sampled_from(["M0001", " M0002 ", "M9999", ""]),
    "kind": st.sampled_from(["meeting", "会议", "", "类型"]),
    "status": st.sampled_from(["", "出席", "✓", "×", "到场", "状态"]),
    "date": st.sampled_from(["2024-03-01", "2024.3.2", "2024年3月3日", "", "日期", "2024-02-30"]),
    "联系电话": st.sampled_from(["", "0531-1", "合计"]),
}
ODD_LINES = st.sampled_from(["", ",,,,,,", "序号,记录编号,委员编号,类型,状态,日期,联系电话", "合计：3 条,,,,,,"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.one_of(st.fixed_dictionaries(CELLS), ODD_LINES), min_size=1, max_size=8),
    profiled=st.booleans(),
)
def test_columnar_and_row_readers_agree_on_office_rows(tmp_path: Path, rows: list[object], profiled: bool) -> None:
    header = ["序号", "记录编号", "委员编号", "类型", "状态", "日期", "联系电话"]
    lines = []
    for row in rows:
        lines.append(row if isinstance(row, str) else ",".join(row[k] for k in CELLS))  # type: ignore[index]
    path = tmp_path / "records.csv"
    path.write_text(",".join(header) + "\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    mapping = PROFILE if profiled else None
    members = read_member_columns(CITY / "members.csv", VOCABULARY)
    row_notes: list[Note] = []
    try:
        expected = encode(read_records(path, vocabulary=VOCABULARY, mapping=mapping, notes=row_notes), members.index,
                          Codebook.of(VOCABULARY))
    except InputError as error:
        with pytest.raises(InputError) as got:
            read_record_columns(path, members, VOCABULARY, mapping=mapping)
        assert str(got.value) == str(error)
        return
    notes: list[Note] = []
    _same(read_record_columns(path, members, VOCABULARY, mapping=mapping, notes=notes), expected)
    assert notes == row_notes
