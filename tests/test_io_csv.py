"""Reading members and records from CSV files: encodings, Chinese headers and values, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from scoring.errors import ConfigurationError, InputError, Problem
from scoring.io import Note, read_members, read_records, read_table

DATA = Path(__file__).parent / "data" / "io"


def _samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("io_samples", DATA / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _problems(path: Path, reader: object = read_records, **kwargs: object) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        reader(path, **kwargs)  # type: ignore[operator]
    return list(caught.value.problems)


def _write(tmp_path: Path, text: str, name: str = "records.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "id,member_id,kind,status,date\n"


# --- good files ---------------------------------------------------------------------------


def test_utf8_canonical_members() -> None:
    members = read_members(DATA / "members.csv")
    assert [m.id for m in members] == ["M001", "M002", "M003"]
    first = members[0]
    assert first.name == "张三"
    assert first.roles == ("core", "standing_committee")
    assert first.joined == dt.date(2023, 1, 10)
    assert first.committee == "经济委员会"
    assert members[1].left == dt.date(2024, 6, 30)
    assert members[1].committee is None  # empty cell: the model default
    assert members[2].roles == ("member",)
    assert members[2].exempt == "病休"


def test_utf8_canonical_records() -> None:
    records = {r.id: r for r in read_records(DATA / "records.csv")}
    assert records["R001"].kind == "meeting"
    assert records["R001"].deleted is False
    co = records["R002"]
    assert (co.role, co.signers, co.flags) == ("co", 3, ("excellent", "key"))
    assert co.scored_on == dt.date(2024, 3, 1)
    assert co.note == "联名提案, 含逗号"  # a quoted comma stays in the cell
    assert records["R003"].level == "provincial"
    assert records["R003"].deleted is True
    assert records["R004"].quantity == Decimal("2.5")
    assert records["R005"].same_as == "R002"


def test_utf8_bom_with_chinese_headers() -> None:
    assert (DATA / "members_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    members = read_members(DATA / "members_bom.csv")
    assert [m.id for m in members] == ["M001", "M002"]
    assert members[0].name == "张 三"  # the ideographic space is normalised
    assert members[0].roles == ("core", "standing_committee")
    assert members[0].joined == dt.date(2023, 1, 10)
    assert members[0].group == "第一组"
    assert members[1].exempt == "病休"


def test_gbk_with_chinese_headers_and_values() -> None:
    raw = (DATA / "records_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    records = {r.id: r for r in read_records(DATA / "records_gbk.csv")}
    assert (records["R001"].kind, records["R001"].subtype, records["R001"].status) == (
        "meeting", "plenary", "attended",
    )
    assert records["R002"].subtype == "standing_committee"
    assert records["R002"].status == "leave_approved"
    assert records["R002"].date == dt.date(2024, 3, 5)  # 2024.3.5
    assert records["R002"].note == "因公出差"
    assert (records["R003"].subtype, records["R003"].status) == ("other", "absent_unexcused")
    assert records["R003"].date == dt.date(2024, 3, 5)  # 20240305
    proposal = records["R004"]
    assert (proposal.kind, proposal.status, proposal.role) == ("proposal", "registered", "first")
    assert proposal.signers == 3  # full-width ３
    assert proposal.flags == ("excellent", "key")  # 重点；优秀
    assert proposal.date == dt.date(2024, 2, 1)  # 2024年2月1日
    assert proposal.scored_on == dt.date(2024, 3, 1)
    opinion = records["R005"]
    assert (opinion.kind, opinion.status, opinion.flags) == ("opinion", "adopted", ("instructed",))
    assert opinion.level == "provincial"
    assert opinion.date == dt.date(2024, 3, 5)  # Excel serial 45356
    assert opinion.deleted is True
    activity = records["R006"]
    assert (activity.kind, activity.subtype) == ("activity", "other")
    assert activity.quantity == Decimal("1.5")


def test_committed_samples_match_their_generator(tmp_path: Path) -> None:
    _samples().write_samples(tmp_path)
    for name in ("members_bom.csv", "records_gbk.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes()


def test_explicit_encoding(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "R1,M1,会议,出席,2024-03-05\n", encoding="gb2312")
    assert read_records(path, encoding="gb2312")[0].status == "attended"
    problems = _problems(path, encoding="utf-8")
    assert len(problems) == 1
    assert problems[0].en == "the file is not valid utf-8"
    assert problems[0].found is not None and problems[0].found.startswith("byte 0x")


def test_unknown_encoding_name(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER)
    with pytest.raises(ConfigurationError, match="未知的编码"):
        read_records(path, encoding="klingon")


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "R1,M1,会议,出席,2024-03-05\n", encoding="utf-16")
    assert read_records(path)[0].kind == "meeting"


def test_crlf_quotes_blank_lines_and_trailing_empty_columns(tmp_path: Path) -> None:
    text = 'id,member_id,kind,date,note,,\r\n\r\nR1,M1,meeting,2024-03-05,"two\r\nlines",,\r\n'
    records = read_records(_write(tmp_path, text))
    assert records[0].note == "two\r\nlines"


def test_header_only_gives_no_rows(tmp_path: Path) -> None:
    assert read_records(_write(tmp_path, HEADER)) == []


def test_full_width_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "ｉｄ,member_id,kind,date\nR1,M1,meeting,2024-03-05\n")
    assert read_records(path)[0].id == "R1"


def test_read_table(tmp_path: Path) -> None:
    path = _write(tmp_path, "编号, 姓名 ,备注\nＭ１,张三,\n")
    assert read_table(path) == [{"编号": "M1", "姓名": "张三", "备注": ""}]


# --- errors -------------------------------------------------------------------------------


def test_bad_rows_are_all_reported() -> None:
    path = DATA / "records_bad.csv"
    problems = _problems(path)
    assert [(p.row, p.column, p.en) for p in problems] == [
        (2, "status", "not a known status of meeting records"),
        (3, "date", "no such date"),
        (3, "quantity", "the value must be at least 0"),
        (4, "deleted", "not a yes/no value"),
        (4, "signers", "the value must be at least 1"),
    ]
    assert all(p.file == str(path) for p in problems)
    status, date, quantity, boolean, signers = problems
    assert status.zh == "不是会议记录可用的状态"
    assert status.found == "会晤"
    assert status.expected == (
        "one of / 可选: attended (出席), late_or_early (迟到早退), leave_approved (请假), "
        "leave_not_approved (请假未获批准), absent_unexcused (无故缺席)"
    )
    assert (date.zh, date.found, date.expected) == (
        "日期不存在", "2024-02-30", "a real calendar date / 真实存在的日期",
    )
    assert (quantity.zh, quantity.found, quantity.expected) == ("取值不能小于 0", "-1", "≥ 0")
    assert (boolean.zh, boolean.found) == ("不是有效的是/否值", "也许")
    assert (signers.found, signers.expected) == ("0", "≥ 1")
    assert status.format("en") == (
        f"{path}: row 2: column status: not a known status of meeting records (expected "
        f"{status.expected}; found 会晤; did you mean '参会'? / 是否指 '参会'？)"
    )


def test_unknown_value_in_chinese_file_names_the_chinese_column(tmp_path: Path) -> None:
    text = "记录编号,委员编号,类型,状态,日期\nR1,M1,会议,出席,2024-03-05\nR2,M1,会议,出度,2024-03-05\n"
    problems = _problems(_write(tmp_path, text, encoding="gbk"))
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.row, problem.column, problem.found) == (3, "状态", "出度")
    assert problem.hint == "did you mean '出席'? / 是否指 '出席'？"


def test_unknown_kind_skips_kind_scoped_checks(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,kind,subtype,date\nR1,M1,会晤,全会,2024-03-05\n")
    problems = _problems(path)
    assert [(p.row, p.column, p.en, p.found) for p in problems] == [
        (2, "kind", "not a known record kind", "会晤"),
    ]


def test_bad_flag_in_a_list(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,kind,flags,date\nR1,M1,提案,重点、优质,2024-03-05\n")
    (problem,) = _problems(path)
    assert (problem.column, problem.en, problem.found) == (
        "flags", "not a known flag of proposal records", "优质",
    )


def test_model_rule_violation_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,kind,role,signers,date\nR1,M1,提案,联名,1,2024-03-05\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (2, None)
    assert problem.en == "a co-signer (role 'co') needs signers >= 2"
    assert problem.zh == "联名提案人数至少为 2"


def test_member_dates_out_of_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,joined,left\nM1,2024-01-01,2023-01-01\n", name="members.csv")
    (problem,) = _problems(path, read_members)
    assert (problem.row, problem.en) == (2, "left date is before joined date")


def test_unknown_member_role(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,roles\nM1,常委、主席\n", name="members.csv")
    (problem,) = _problems(path, read_members)
    assert (problem.row, problem.column, problem.en, problem.found) == (
        2, "roles", "not a known member role", "主席",
    )


def test_unknown_columns_are_ignored_in_one_note_with_suggestions(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,membr_id,kind,date,委员编码\nR1,M1,meeting,2024-03-05,M1\n")
    notes: list[Note] = []
    (problem,) = _problems(path, notes=notes)
    # membr_id was not read, so the required member_id column is missing: the error points at both
    assert problem.en == "required column 'member_id' is missing"
    assert problem.hint is not None
    assert problem.hint.startswith("the ignored column 'membr_id', '委员编码' looks like it")
    (note,) = notes
    assert note.code == "ignored_columns"
    assert [(c.name, c.reason) for c in note.columns] == [("membr_id", "unknown"), ("委员编码", "unknown")]
    assert note.columns[0].hint == "did you mean 'member_id'? / 是否指 'member_id'？"
    assert note.format("en") == (
        f"{path}: ignored 2 column(s): membr_id (did you mean 'member_id'? / 是否指 'member_id'？), "
        "委员编码 (did you mean '委员编号'? / 是否指 '委员编号'？)"
    )


def test_unknown_columns_are_errors_when_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,membr_id,kind,date,委员编码\nR1,M1,meeting,2024-03-05,M1\n")
    problems = _problems(path, unknown_columns="error")
    unknown = [p for p in problems if p.en.startswith("unknown column")]
    assert [(p.row, p.column, p.en) for p in unknown] == [
        (1, "membr_id", "unknown column 'membr_id'"),
        (1, "委员编码", "unknown column '委员编码'"),
    ]
    assert unknown[0].zh == "未知的列「membr_id」"
    assert unknown[0].hint is not None
    assert unknown[0].hint.startswith("did you mean 'member_id'? / 是否指 'member_id'？")
    assert unknown[1].hint is not None
    assert unknown[1].hint.startswith("did you mean '委员编号'?")
    # membr_id was not recognised, so the required member_id column is missing too
    assert [p.en for p in problems if p not in unknown] == ["required column 'member_id' is missing"]


def test_missing_required_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,kind\nR1,meeting\nR2,meeting\n")
    problems = _problems(path)
    assert [(p.row, p.column, p.en, p.zh) for p in problems] == [
        (1, None, "required column 'member_id' is missing", "缺少必填列「member_id」"),
        (1, None, "required column 'date' is missing", "缺少必填列「date」"),
    ]
    assert problems[0].expected == "member_id / 委员编号 / 编号"
    assert problems[1].expected == "date / 日期 / 活动日期 / 会议日期 / 活动时间"


def test_missing_members_id_column(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "姓名\n张三\n", name="m.csv"), read_members)
    assert problem.en == "required column 'id' is missing"


def test_empty_required_value(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "R1,,meeting,attended,2024-03-05\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.en, problem.zh) == (
        2, "member_id", "required value 'member_id' is empty", "必填项「member_id」为空",
    )


def test_duplicate_ids(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "R1,M1,meeting,,2024-03-05\nR1,M2,meeting,,2024-03-06\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.en) == (3, "id", "duplicate id 'R1' (first on row 2)")


def test_two_columns_for_one_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,委员编号,kind,date\nR1,M1,M1,meeting,2024-03-05\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column) == (1, "委员编号")
    assert problem.en == "columns 'member_id' and '委员编号' both map to field 'member_id'"


def test_cells_beyond_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,kind,date\nR1,M1,meeting,2024-03-05,oops\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.found) == (2, "E", "oops")
    assert problem.en == "row has more cells than the header (from column E)"


def test_values_without_header(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,member_id,,kind,date\nR1,M1,x,meeting,2024-03-05\n")
    (problem,) = _problems(path)
    assert (problem.row, problem.column, problem.en) == (1, "C", "column C has values but no header")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" , ,\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    (problem,) = _problems(path)
    assert (problem.file, problem.row, problem.zh, problem.en) == (
        str(path), None, "文件为空", "the file is empty",
    )


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "nope.csv")
    assert problem.en == "cannot read the file"


def test_unsupported_extension(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, HEADER, name="records.xls"))
    assert (problem.en, problem.found) == ("unsupported file type", ".xls")
    assert problem.hint is not None and ".xlsx" in problem.hint


def test_truncated_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + 'R1,M1,meeting,attended,2024-03-05\nR2,M1,"meet')
    (problem,) = _problems(path)
    assert problem.row == 3
    assert problem.en.startswith("malformed CSV")


def test_binary_file_named_csv(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    with pytest.raises(InputError):
        read_records(path)


@pytest.mark.parametrize("seed", range(20))
def test_garbled_bytes_give_input_error(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    original = (DATA / "records_gbk.csv").read_bytes()
    garbled = bytearray(original[: rng.randrange(len(original))])
    for _ in range(rng.randrange(1, 8)):
        if garbled:
            garbled[rng.randrange(len(garbled))] = rng.randrange(256)
    path = tmp_path / "garbled.csv"
    path.write_bytes(bytes(garbled))
    with contextlib.suppress(InputError):
        read_records(path)
