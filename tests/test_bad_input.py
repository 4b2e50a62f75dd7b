"""The bad-input catalogue: member and record files as real archive exports get them wrong.

Each case writes the bad file, reads it with the public readers and asserts the exact problem
(file, row, column, message in both languages, what was expected, what was found). Problems a
rule-set policy recovers from (soft-deleted, outside the period, an identical duplicate …) are
not reading errors: the records are scored and the case asserts where they end up in
``result.accounting``, with the reason. docs/hardening.md lists every case with its message.

Cases already pinned down elsewhere (tests/test_io_*.py, tests/test_engine.py) are extended
here, not repeated: Chinese headers, GBK bytes, files written the way Excel/WPS write them, and
the whole path from the file to the accounting.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scoring import ActivityRecord, InputError, Member, Period, Problem, RuleSet, ScoringResult, score
from scoring.io import Note, read_members, read_records, read_table
from scoring.io.codes import Codes
from scoring.vocabulary import base_vocabulary

Y2024 = Period.year(2024)
CODES = Codes(base_vocabulary())
#: the allowed kinds as the readers list them (the vocabulary may grow; the wording may not)
KINDS = CODES.kinds.expected()
MEETING_STATUSES = (
    "one of / 可选: attended (出席), late_or_early (迟到早退), leave_approved (请假), "
    "leave_not_approved (请假未获批准), absent_unexcused (无故缺席)"
)
DATE_FORMS = "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日, YYYYMMDD, Excel serial (e.g. 45356)"
DECODE = {
    "zh": "无法识别文件编码", "en": "cannot decode the file",
    "expected": "UTF-8, UTF-8 with BOM, GBK/GB18030 / UTF-8、带 BOM 的 UTF-8 或 GBK/GB18030",
    "hint": "pass encoding='...' to name the encoding / 可用 encoding='...' 指定编码",
}

#: The header a Chinese Excel export uses (GBK-encoded unless a case says otherwise).
ZH = "记录编号,委员编号,类型,子类,状态,提案人身份,联名人数,标记,数量,日期,已删除\n"
MEMBERS_ZH = "委员编号,姓名,界别\n"


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "gbk") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def problems(path: Path, reader: Callable[..., object] = read_records, **kwargs: Any) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        reader(path, **kwargs)
    assert all(p.file == str(path) for p in caught.value.problems)
    return list(caught.value.problems)


def one(path: Path, reader: Callable[..., object] = read_records, **kwargs: Any) -> Problem:
    (problem,) = problems(path, reader, **kwargs)
    return problem


def at(path: Path, row: int | None, column: str | None, **fields: str | None) -> Problem:
    """The Problem expected at ``row`` / ``column`` of ``path``."""
    return Problem(file=str(path), row=row, column=column, **fields)  # type: ignore[arg-type]


def outcomes(result: ScoringResult) -> dict[str, tuple[str, str | None, str | None]]:
    """record id (``#n`` for the n-th duplicate) → (outcome, reason code, English reason)."""
    return {
        o.record_id + (f"#{o.duplicate}" if o.duplicate else ""): (
            o.outcome, o.reason_code, o.reason.get("en") if o.reason else None)
        for o in result.accounting.records
    }


# --------------------------------------------------------------------------------------------
# codes the vocabulary does not have
# --------------------------------------------------------------------------------------------


def test_unknown_kind(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会晤,,,,,,,2024-03-05,\n")
    assert one(path) == at(
        path, 2, "类型", zh="不是已知的记录类型", en="not a known record kind", expected=KINDS, found="会晤",
        hint="did you mean '会议'? / 是否指 '会议'？",
    )


def test_unknown_status_of_the_records_kind(tmp_path: Path) -> None:
    # 已立案 is a proposal status, not a meeting status
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,已立案,,,,,2024-03-05,\n")
    assert one(path) == at(
        path, 2, "状态", zh="不是会议记录可用的状态", en="not a known status of meeting records",
        expected=MEETING_STATUSES, found="已立案",
    )


def test_unknown_flag_in_a_list_names_the_item(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "R1,M1,提案,,已立案,领衔,,重点；精品,,2024-03-05,\n")
    assert one(path) == at(
        path, 2, "标记", zh="不是提案记录可用的标记", en="not a known flag of proposal records",
        expected="one of / 可选: key (重点提案), excellent (优秀提案), sent_up (报送上级政协)", found="精品",
    )


def test_code_known_to_the_reader_but_not_to_the_rule_set_is_rejected_in_the_accounting(
    tmp_path: Path, jinan: RuleSet
) -> None:
    # An export read with a wider vocabulary (a plugin's) and scored under a rule set without it.
    wider = base_vocabulary().extended({"kinds": {"meeting": {"statuses": {"online": {"zh": "线上参会"}}}}})
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,线上参会,,,,,2024-03-05,\n")
    records = read_records(path, vocabulary=wider)
    assert records[0].status == "online"
    result = score(jinan, [Member(id="M1")], records, Y2024)
    ((outcome, code, why),) = outcomes(result).values()
    assert (outcome, code) == ("rejected", "unknown_code")
    assert why == (
        "meeting status 'online' is not in the vocabulary (allowed: absent_unexcused, attended, late_or_early, "
        "leave_approved, leave_not_approved)"
    )
    assert result.accounting.by_reason == {"unknown_code": 1}


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2024-02-30", "2023-02-29", "2024-13-01", "2024年4月31日", "20240230"])
def test_impossible_date(tmp_path: Path, date: str) -> None:
    path = write(tmp_path, "records.csv", ZH + f"R1,M1,会议,全体会议,出席,,,,,{date},\n")
    assert one(path) == at(
        path, 2, "日期", zh="日期不存在", en="no such date", expected="a real calendar date / 真实存在的日期",
        found=date,
    )


@pytest.mark.parametrize("date", ["2024", "24-3-5", "March 5", "60", "2024-03-05 14", "2024/03/05T"])
def test_not_a_date(tmp_path: Path, date: str) -> None:
    path = write(tmp_path, "records.csv", ZH + f"R1,M1,会议,全体会议,出席,,,,,{date},\n")
    assert one(path) == at(path, 2, "日期", zh="不是可识别的日期", en="not a recognised date", expected=DATE_FORMS,
                           found=date)


def test_impossible_time_after_a_date(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05 25:00,\n")
    assert one(path).column == "日期"


def test_excel_serial_dates_in_a_csv(tmp_path: Path) -> None:
    # A date column Excel saved as numbers: five-digit serials, with or without the time part.
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,出席,,,,,45356,\n"
                                               "R2,M1,会议,全体会议,出席,,,,,45356.75,\n")
    assert [r.date for r in read_records(path)] == [dt.date(2024, 3, 5)] * 2


def test_dates_outside_the_period_are_ignored_with_their_date(tmp_path: Path, jinan: RuleSet) -> None:
    path = write(tmp_path, "records.csv", ZH + (
        "R1,M1,会议,全体会议,出席,,,,,2023-12-31,\n"
        "R2,M1,会议,全体会议,出席,,,,,2024-01-01,\n"
        "R3,M1,会议,全体会议,出席,,,,,2024年12月31日,\n"
        "R4,M1,会议,全体会议,出席,,,,,2025/1/1,\n"
    ))
    result = score(jinan, [Member(id="M1")], read_records(path), Y2024)
    assert outcomes(result) == {
        "R1": ("ignored", "outside_period", "date outside the assessment period: 2023-12-31"),
        "R2": ("counted", None, None),
        "R3": ("counted", None, None),
        "R4": ("ignored", "outside_period", "date outside the assessment period: 2025-01-01"),
    }
    assert result.accounting.by_reason == {"outside_period": 2}
    reason = next(o.reason for o in result.accounting.records if o.record_id == "R1")
    assert reason is not None and reason.zh == "日期不在考核期内：2023-12-31"


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------


def test_negative_and_non_numeric_quantities(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + (
        "R1,M1,履职活动,调研,,,,,-2,2024-03-05,\n"
        "R2,M1,履职活动,调研,,,,,两天,2024-03-05,\n"
        "R3,M1,履职活动,调研,,,,,NaN,2024-03-05,\n"
        "R4,M1,履职活动,调研,,,,,-0,2024-03-05,\n"
    ))
    assert problems(path) == [
        at(path, 2, "数量", zh="取值不能小于 0", en="the value must be at least 0", expected="≥ 0", found="-2"),
        at(path, 3, "数量", zh="不是数字", en="not a number", expected="a number / 数字", found="两天"),
        at(path, 4, "数量", zh="必须是有限数值", en="the value must be a finite number",
           expected="a finite number / 有限数值", found="NaN"),
    ]


def test_a_decimal_comma_shifts_the_row(tmp_path: Path) -> None:
    # 1,5 written for 1.5 (a European locale): every later cell moves one column to the right
    path = write(tmp_path, "records.csv", ZH + "R1,M1,履职活动,调研,,,,,1,5,2024-03-05,\n")
    assert problems(path) == [
        at(path, 2, "日期", zh="不是可识别的日期", en="not a recognised date", expected=DATE_FORMS, found="5"),
        at(path, 2, "已删除", zh="不是有效的是/否值", en="not a yes/no value", expected="true/false, 1/0, 是/否, Y/N",
           found="2024-03-05"),
    ]
    path = write(tmp_path, "records2.csv", ZH + "R1,M1,履职活动,调研,,,,,1,5,2024-03-05,否\n")
    assert problems(path)[0] == at(path, 2, "L", zh="该行的单元格多于表头（从 L 列起）",
                                    en="row has more cells than the header (from column L)", found="否")


def test_signers_zero_and_a_co_signer_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + (
        "R1,M1,提案,,已立案,领衔,0,,,2024-03-05,\n"
        "R2,M1,提案,,已立案,联名,1,,,2024-03-05,\n"
        "R3,M1,提案,,已立案,联名,,,,2024-03-05,\n"
        "R4,M1,提案,,已立案,联名,两人,,,2024-03-05,\n"
    ))
    co_alone = {"zh": "联名提案人数至少为 2", "en": "a co-signer (role 'co') needs signers >= 2"}
    found = problems(path)
    assert found[:4] == [
        at(path, 2, "联名人数", zh="取值不能小于 1", en="the value must be at least 1", expected="≥ 1", found="0"),
        at(path, 3, None, **co_alone),
        at(path, 4, None, **co_alone),  # an empty 联名人数 is the default 1
        at(path, 5, "联名人数", zh="不是整数", en="not a whole number", expected="a whole number / 整数", found="两人"),
    ]


def test_an_unreadable_cell_causes_no_follow_up_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "R1,M1,提案,,已立案,联名,两人,,,2024-03-05,\n")
    assert [p.column for p in problems(path)] == ["联名人数"]


def test_an_absurd_quantity_is_an_error_not_a_crash(tmp_path: Path) -> None:
    from scoring import ScoringError, parse_rule_set

    rule_set = parse_rule_set("""
[rule_set]
id = "days"
version = "1"
title = "天数"

[[categories]]
id = "c"
label = "活动"

[[rules]]
id = "days"
type = "per_unit"
category = "c"
label = "活动天数"
match = { kind = "activity" }
unit = "quantity"
points = 3
""")
    path = write(tmp_path, "records.csv", ZH + "R1,M1,履职活动,调研,,,,,9E+999999,2024-03-05,\n")
    try:
        records = read_records(path)
    except InputError:
        return  # rejected when read: fine
    try:
        score(rule_set, [Member(id="M1")], records, Y2024)
    except ScoringError:
        return
    except ArithmeticError as exc:
        pytest.fail(f"score() crashed with {type(exc).__name__}")


# --------------------------------------------------------------------------------------------
# ids, members and duplicates
# --------------------------------------------------------------------------------------------


def test_duplicate_record_id_within_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"
                                               "R1,M2,会议,全体会议,出席,,,,,2024-03-05,\n")
    assert one(path) == at(path, 3, "记录编号", zh="编号「R1」重复（首次出现在第 2 行）",
                           en="duplicate id 'R1' (first on row 2)", expected="a unique id / 唯一的编号", found="R1")


def test_trailing_whitespace_in_ids_does_not_make_a_new_id(tmp_path: Path, jinan: RuleSet) -> None:
    # 'R1 ' and 'R1\t' are the same id as 'R1'; 'M1　' (ideographic space) is member 'M1'
    path = write(tmp_path, "records.csv", ZH + "R1 ,M1　,会议,全体会议,出席,,,,,2024-03-05,\n"
                                               "R1\t,M1,会议,全体会议,出席,,,,,2024-03-05,\n")
    assert one(path) == at(path, 3, "记录编号", zh="编号「R1」重复（首次出现在第 2 行）",
                           en="duplicate id 'R1' (first on row 2)", expected="a unique id / 唯一的编号", found="R1")
    members = write(tmp_path, "members.csv", MEMBERS_ZH + "M1 ,张三,经济界\n")
    records = write(tmp_path, "records2.csv", ZH + "R1 ,M1\t,会议,全体会议,出席,,,,,2024-03-05,\n")
    result = score(jinan, read_members(members), read_records(records), Y2024)
    assert outcomes(result)["R1"] == ("counted", None, None)


def test_duplicate_member_id(tmp_path: Path) -> None:
    path = write(tmp_path, "members.csv", MEMBERS_ZH + "M1,张三,经济界\nM2,李四,教育界\nM1 ,张三,经济界\n")
    assert one(path, read_members) == at(path, 4, "委员编号", zh="编号「M1」重复（首次出现在第 2 行）",
                                         en="duplicate id 'M1' (first on row 2)", expected="a unique id / 唯一的编号",
                                         found="M1")


def test_unknown_member_is_rejected_in_the_accounting(tmp_path: Path, jinan: RuleSet) -> None:
    members = write(tmp_path, "members.csv", MEMBERS_ZH + "M1,张三,经济界\n")
    records = write(tmp_path, "records.csv", ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"
                                                  "R2,M9,会议,全体会议,出席,,,,,2024-03-05,\n")
    result = score(jinan, read_members(members), read_records(records), Y2024)
    assert outcomes(result) == {
        "R1": ("counted", None, None),
        "R2": ("rejected", "unknown_member", "member id not in the member list: M9"),
    }
    assert (result.accounting.read, result.accounting.counted, result.accounting.rejected) == (2, 1, 1)


def test_duplicates_across_two_exports_are_settled_in_the_accounting(tmp_path: Path, jinan: RuleSet) -> None:
    # The same archive exported twice (or two offices' exports): each file is valid on its own.
    first = write(tmp_path, "a.csv", ZH + (
        "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"
        "R2,M1,提案,,已立案,领衔,,,,2024-03-06,\n"
        "R3,M1,履职活动,视察,,,,,,2024-05-10,是\n"
    ))
    second = write(tmp_path, "b.csv", ZH + (
        "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"      # identical: counted once
        "R2,M1,提案,,已立案,联名,2,,,2024-03-06,\n"       # same id, different content: both rejected
    ))
    result = score(jinan, [Member(id="M1")], [*read_records(first), *read_records(second)], Y2024)
    assert outcomes(result) == {
        "R1": ("counted", None, None),
        "R1#1": ("ignored", "duplicate_identical", "identical duplicate of another record"),
        "R2": ("rejected", "duplicate_conflict", "duplicate record id with different content"),
        "R2#1": ("rejected", "duplicate_conflict", "duplicate record id with different content"),
        "R3": ("ignored", "deleted", "soft-deleted record"),
    }
    accounting = result.accounting
    assert accounting.by_reason == {"duplicate_identical": 1, "duplicate_conflict": 2, "deleted": 1}
    assert (accounting.read, accounting.counted, accounting.ignored, accounting.rejected) == (5, 1, 2, 2)
    assert accounting.reconciles


# --------------------------------------------------------------------------------------------
# empty files, headers, columns
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("records.csv", b"", "a header row / 表头行"),
        ("records.csv", b"\xef\xbb\xbf\r\n", "a header row / 表头行"),
        ("records.csv", ",,,\n,,,\n", "a header row / 表头行"),
        ("records.json", b"  \n", None),
        ("records.jsonl", b"\n\n", None),
    ],
    ids=["csv-empty", "csv-bom-only", "csv-only-commas", "json-blank", "jsonl-blank"],
)
def test_empty_file(tmp_path: Path, name: str, content: str | bytes, expected: str | None) -> None:
    path = write(tmp_path, name, content)
    assert one(path) == at(path, None, None, zh="文件为空", en="the file is empty", expected=expected)


@pytest.mark.parametrize(
    ("name", "content"),
    [("records.csv", ZH), ("records.csv", "\n\n" + ZH + "\n,,,\n"), ("records.json", '{"records": []}'),
     ("records.jsonl", "\n")],
    ids=["csv", "csv-blank-rows", "json", "jsonl-blank"],
)
def test_header_only_gives_no_records_and_an_empty_accounting(
    tmp_path: Path, name: str, content: str, jinan: RuleSet
) -> None:
    path = write(tmp_path, name, content)
    if name.endswith(".jsonl"):
        assert one(path).en == "the file is empty"  # a JSONL file has no header: blank is empty
        return
    records = read_records(path)
    assert records == []
    result = score(jinan, [Member(id="M1")], records, Y2024)
    assert (result.accounting.read, result.accounting.records) == (0, ())


def test_missing_required_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", "记录编号,委员编号,类型,时间\nR1,M1,会议,2024-03-05\n")
    dates = "date / 日期 / 活动日期 / 会议日期 / 活动时间"
    close = "the ignored column '时间' looks like it / 被忽略的列 '时间' 与之相近"
    assert problems(path) == [  # 时间 is ignored (said in a note); the error points at it
        at(path, 1, None, zh="缺少必填列「date」", en="required column 'date' is missing", expected=dates, hint=close),
    ]
    found = problems(path, unknown_columns="error")
    assert found == [
        at(path, 1, "时间", zh="未知的列「时间」", en="unknown column '时间'",
           expected="a field name or a known Chinese header / 字段名或已知的中文列名", hint=found[0].hint),
        at(path, 1, None, zh="缺少必填列「date」", en="required column 'date' is missing", expected=dates),
    ]
    assert found[0].hint is not None and "mapping={'时间': None}" in found[0].hint
    members = write(tmp_path, "members.csv", "姓名,界别\n张三,经济界\n")
    assert one(members, read_members) == at(
        members, 1, None, zh="缺少必填列「id」", en="required column 'id' is missing", expected="id / 委员编号 / 编号")


# --------------------------------------------------------------------------------------------
# encodings, BOMs, full-width characters
# --------------------------------------------------------------------------------------------


def test_utf8_file_with_a_gbk_row_cannot_be_decoded(tmp_path: Path) -> None:
    data = (ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n").encode("utf-8")
    data += "R2,M1,会议,全体会议,出席,,,,,2024-03-06,\n".encode("gbk")
    path = write(tmp_path, "records.csv", data)
    assert one(path) == at(path, None, None, **DECODE)
    # naming the encoding says where the first bad byte is
    assert one(path, encoding="utf-8") == at(
        path, None, None, zh="文件不是有效的 utf-8 编码", en="the file is not valid utf-8", expected="utf-8",
        found=f"byte 0x{'会'.encode('gbk')[:1].hex()} at offset {data.index('会'.encode('gbk'))}",
        hint="check the encoding= argument / 请检查 encoding 参数",
    )


def test_gbk_file_with_a_utf8_row_is_reported_not_garbled(tmp_path: Path) -> None:
    data = MEMBERS_ZH.encode("gbk") + "M1,李四,经济界\n".encode("gbk") + "M2,张三,\n".encode()
    path = write(tmp_path, "members.csv", data)
    try:
        members = read_members(path)
    except InputError:
        return
    assert [m.name for m in members] == ["李四", "张三"]


def test_utf8_bom_before_chinese_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", "\ufeff" + ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n",
                 encoding="utf-8")
    (record,) = read_records(path)
    assert (record.id, record.kind) == ("R1", "meeting")
    assert next(iter(read_table(path)[0])) == "记录编号"  # the BOM is not part of the first header


def test_utf8_bom_before_gbk_bytes_cannot_be_decoded(tmp_path: Path) -> None:
    text = ZH + "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"
    path = write(tmp_path, "records.csv", b"\xef\xbb\xbf" + text.encode("gbk"))
    assert one(path) == at(path, None, None, **DECODE)


def test_bom_inside_a_file_from_concatenated_exports(tmp_path: Path) -> None:
    # `cat a.csv b.csv` of two BOM-prefixed exports: the second header, BOM and all, is the header
    # repeated — skipped, and said so.
    row = "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\n"
    path = write(tmp_path, "records.csv", "\ufeff" + ZH + row + "\ufeff" + ZH + row.replace("R1", "R2"),
                 encoding="utf-8")
    notes: list[Note] = []
    assert [r.id for r in read_records(path, notes=notes)] == ["R1", "R2"]
    assert [(n.code, [(r.row, r.reason) for r in n.rows]) for n in notes] == [("skipped_rows", [(3, "header")])]


def test_full_width_digits_letters_and_spaces(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + "Ｒ００１,　Ｍ１　,会议,全体会议,出席,,,,,２０２４－０３－０５,\n"
                 "Ｒ００２,Ｍ１,提案,,已立案,联名,３,重点，优秀,１．５,２０２４年３月５日,否\n")
    first, second = read_records(path)
    assert (first.id, first.member_id, first.date) == ("R001", "M1", dt.date(2024, 3, 5))
    assert (second.signers, second.flags, second.quantity, second.date) == (
        3, ("excellent", "key"), Decimal("1.5"), dt.date(2024, 3, 5))


# --------------------------------------------------------------------------------------------
# truncated files
# --------------------------------------------------------------------------------------------

ROWS = "R1,M1,会议,全体会议,出席,,,,,2024-03-05,\nR2,M1,提案,,已立案,领衔,,\"重点,优秀\",,2024-03-06,\n"


def test_csv_cut_inside_a_quoted_cell(tmp_path: Path) -> None:
    text = ZH + ROWS
    path = write(tmp_path, "records.csv", text[: text.index("优秀")])
    problem = one(path)
    assert (problem.row, problem.column, problem.zh, problem.en) == (
        3, None, "CSV 格式错误（文件可能被截断或引号不配对）",
        "malformed CSV (the file may be truncated or have an unbalanced quote)",
    )
    assert problem.found == "unexpected end of data"


def test_csv_cut_mid_row_reports_the_short_row(tmp_path: Path) -> None:
    text = ZH + ROWS
    path = write(tmp_path, "records.csv", text[: text.index("2024-03-06") + 6])
    assert one(path) == at(path, 3, "日期", zh="不是可识别的日期", en="not a recognised date", expected=DATE_FORMS,
                           found="2024-0")
    cut = write(tmp_path, "records2.csv", text[: text.index("R2,M1") + 5])
    assert [(p.row, p.column, p.en) for p in problems(cut)] == [
        (3, "类型", "required value '类型' is empty"),
        (3, "日期", "required value '日期' is empty"),
    ]


def test_utf8_csv_cut_inside_a_character(tmp_path: Path) -> None:
    data = (ZH + ROWS).encode("utf-8")
    cut = data[: data.index("已立案".encode()) + 1]
    path = write(tmp_path, "records.csv", cut)
    assert one(path) == at(path, None, None, **DECODE)


def test_json_cut(tmp_path: Path) -> None:
    path = write(tmp_path, "records.json",
                 '{"records": [{"id": "R1", "member_id": "M1", "kind": "会议", "date": "2024-0', encoding="utf-8")
    assert one(path) == at(path, None, None, zh="JSON 格式错误（文件可能被截断）",
                           en="malformed JSON (the file may be truncated)",
                           found="line 1, column 68: Unterminated string starting at")


def test_jsonl_cut_reports_the_last_line_and_keeps_checking_the_others(tmp_path: Path) -> None:
    path = write(tmp_path, "records.jsonl", (
        '{"id": "R1", "member_id": "M1", "kind": "会议", "date": "2024-03-05"}\n'
        '{"id": "R2", "member_id": "M1", "kind": "会晤", "date": "2024-03-05"}\n'
        '{"id": "R3", "member_id": "M1", "ki'
    ), encoding="utf-8")
    assert [(p.row, p.column, p.en, p.found) for p in problems(path)] == [
        (3, None, "malformed JSON", "column 33: Unterminated string starting at"),
        (2, "kind", "not a known record kind", "会晤"),
    ]


# --------------------------------------------------------------------------------------------
# Excel workbooks (built with openpyxl here)
# --------------------------------------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def workbook(tmp_path: Path, rows: list[list[object]], merge: tuple[str, ...] = (), name: str = "records.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merge:
        sheet.merge_cells(cells)
    path = tmp_path / name
    book.save(path)
    return path


def store_results(path: Path, results: dict[str, tuple[str, str | None]]) -> None:
    """Give formula cells the results Excel stores on saving: cell → (value, type attribute)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, (value, kind) in results.items():
        start = sheet.index(f'<c r="{cell}"')
        end = sheet.index("</c>", start)
        formula = sheet[sheet.index("<f>", start): sheet.index("</f>", start) + 4]
        attr = f' t="{kind}"' if kind else ""
        sheet = sheet[:start] + f'<c r="{cell}"{attr}>{formula}<v>{value}</v>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


XHEAD = ["记录编号", "委员编号", "类型", "子类", "状态", "日期", "数量"]


def test_xlsx_formulas_give_their_stored_results(tmp_path: Path) -> None:
    path = workbook(tmp_path, [XHEAD, ["R1", "M1", '="会"&"议"', "全体会议", "出席", "=DATE(2024,3,5)", "=1+0.5"]])
    store_results(path, {"C2": ("会议", "str"), "F2": ("45356", None), "G2": ("1.5", None)})
    (record,) = read_records(path)
    assert (record.kind, record.date, record.quantity) == ("meeting", dt.date(2024, 3, 5), Decimal("1.5"))


def test_xlsx_formula_without_a_stored_result_in_a_required_column(tmp_path: Path) -> None:
    path = workbook(tmp_path, [XHEAD, ["R1", "M1", "会议", "全体会议", "出席", "=DATE(2024,3,5)", 1]])
    assert one(path) == at(
        path, 2, "日期", zh="公式单元格没有保存计算结果", en="the formula cell has no stored result",
        found="=DATE(2024,3,5) (F2)",
        hint="open and save the file in Excel/WPS, or paste the values / 请在 Excel/WPS 中打开并保存，或粘贴为数值",
    )


def test_xlsx_merged_cells_over_a_member_id_and_a_kind(tmp_path: Path) -> None:
    # One member's records entered with 委员编号 and 类型 merged down the rows, as people do.
    path = workbook(tmp_path, [
        XHEAD,
        ["R1", "M1", "会议", "全体会议", "出席", dt.date(2024, 3, 5), 1],
        ["R2", None, None, "常委会议", "出席", dt.date(2024, 4, 5), 1],
        ["R3", None, None, "常委会议", "请假", dt.date(2024, 5, 5), 1],
    ], merge=("B2:B4", "C2:C4"))
    found = problems(path)
    assert [(p.row, p.column, p.en) for p in found] == [
        (3, "类型", "required value '类型' is empty"),
        (3, "委员编号", "required value '委员编号' is empty"),
        (4, "类型", "required value '类型' is empty"),
        (4, "委员编号", "required value '委员编号' is empty"),
    ]
    assert found[0].hint is not None and "merged range C2:C4" in found[0].hint
    assert found[1].hint == (
        "the cell is part of the merged range B2:B4; only its top-left cell holds a value — unmerge and fill every "
        "row / 该单元格属于合并区域 B2:B4，只有左上角单元格有值，请取消合并并逐行填写"
    )


def test_xlsx_serial_numbers_text_dates_and_date_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path, [
        XHEAD,
        ["R1", "M1", "会议", "全体会议", "出席", 45356, 1],                   # a number cell (unformatted date)
        ["R2", "M1", "会议", "全体会议", "出席", "2024年3月5日", 1],          # text
        ["R3", "M1", "会议", "全体会议", "出席", dt.datetime(2024, 3, 5, 9, 30), 1],  # a date-time cell
        [1004, 1001, "会议", "全体会议", "出席", dt.date(2024, 3, 5), 2.0],   # numbers in text columns
    ])
    records = read_records(path)
    assert [r.date for r in records] == [dt.date(2024, 3, 5)] * 4
    assert (records[3].id, records[3].member_id, records[3].quantity) == ("1004", "1001", Decimal("2.0"))


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_xlsx_truncated(tmp_path: Path, fraction: float) -> None:
    whole = workbook(tmp_path, [XHEAD, *[[f"R{i}", "M1", "会议", "全体会议", "出席", "2024-03-05", 1]
                                         for i in range(200)]])
    data = whole.read_bytes()
    path = write(tmp_path, "cut.xlsx", data[: int(len(data) * fraction)])
    problem = one(path)
    assert (problem.row, problem.column, problem.zh, problem.en) == (
        None, None, "无法打开 Excel 文件（文件可能已损坏或被截断）",
        "cannot open the Excel file (it may be damaged or truncated)")
    assert problem.hint == "open it in Excel/WPS and save it again as .xlsx / 请用 Excel/WPS 打开后另存为 .xlsx"


# --------------------------------------------------------------------------------------------
# history files (earlier results read back with load_history / --history)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"scorecards": 5}'], ids=["empty", "cut", "list", "shape"])
def test_a_history_file_that_is_not_a_result(tmp_path: Path, content: bytes) -> None:
    from scoring import load_history

    path = write(tmp_path, "2023.json", content)
    with pytest.raises(InputError) as caught:
        load_history(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.zh, problem.en) == (
        str(path), "历史结果文件格式不正确", "history file is not a scoring JSON result")


def test_a_history_file_that_is_not_utf8(tmp_path: Path) -> None:
    from scoring import load_history

    path = write(tmp_path, "2023.json", '{"rule_set_id": "济南"}', encoding="gbk")
    with pytest.raises(InputError):
        load_history(path)


# --------------------------------------------------------------------------------------------
# a large file
# --------------------------------------------------------------------------------------------


@pytest.mark.skipif(os.environ.get("SCORING_SLOW_TESTS") != "1", reason="slow (~100 MB CSV): set SCORING_SLOW_TESTS=1")
def test_slow_a_100_mb_csv_is_read_and_scored(
    tmp_path: Path, jinan: RuleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """~100 MB of GBK records (1.6 million rows, 3,000 members) read, then scored; timed."""
    path = tmp_path / "big.csv"
    kinds = ["会议,全体会议,出席", "提案,,已立案", "履职活动,调研,", "社情民意信息,,已采用", "会议,常委会议,请假"]
    rows = 0
    with path.open("wb") as out:
        out.write("记录编号,委员编号,类型,子类,状态,日期,备注\n".encode("gbk"))
        chunk: list[str] = []
        while out.tell() < 100_000_000:
            for _ in range(10_000):
                chunk.append(f"R{rows:08d},M{rows % 3000:04d},{kinds[rows % 5]},2024-{rows % 12 + 1:02d}-"
                             f"{rows % 28 + 1:02d},第{rows % 7}组履职记录\n")
                rows += 1
            out.write("".join(chunk).encode("gbk"))
            chunk.clear()
    size = path.stat().st_size
    started = time.perf_counter()
    records = read_records(path)
    read_s = time.perf_counter() - started
    assert len(records) == rows
    started = time.perf_counter()
    result = score(jinan, [Member(id=f"M{i:04d}") for i in range(3000)], records, Y2024)
    score_s = time.perf_counter() - started
    assert result.accounting.read == rows and result.accounting.reconciles
    with capsys.disabled():
        print(f"\n[100 MB CSV] {size / 1e6:.1f} MB, {rows} rows: read_records {read_s:.1f} s, score {score_s:.1f} s")


# --------------------------------------------------------------------------------------------
# the readers never hand out invalid models
# --------------------------------------------------------------------------------------------


def test_every_record_read_is_a_valid_model(tmp_path: Path) -> None:
    path = write(tmp_path, "records.csv", ZH + ROWS)
    for record in read_records(path):
        assert ActivityRecord.model_validate(record.model_dump()) == record


# --------------------------------------------------------------------------------------------
# the committed samples of tests/data/bad (for `scoring check` by hand and as fuzzing seeds)
# --------------------------------------------------------------------------------------------

BAD = Path(__file__).parent / "data" / "bad"

#: sample → reader, then (row, column, English message) of every problem, in order
SAMPLES: dict[str, tuple[Callable[..., object], list[tuple[int | None, str | None, str]]]] = {
    "records_mixed_encoding.csv": (read_records, [(None, None, "cannot decode the file")]),
    "records_truncated.csv": (read_records, [
        (3, None, "malformed CSV (the file may be truncated or have an unbalanced quote)")]),
    "records_truncated.json": (read_records, [(None, None, "malformed JSON (the file may be truncated)")]),
    "records_truncated.xlsx": (read_records, [
        (None, None, "cannot open the Excel file (it may be damaged or truncated)")]),
    "records_bad_values.csv": (read_records, [
        (2, "日期", "no such date"),
        (3, "数量", "the value must be at least 0"),
        (4, None, "a co-signer (role 'co') needs signers >= 2"),
        (5, "类型", "not a known record kind"),
    ]),
    "members_duplicate_ids.csv": (read_members, [(3, "委员编号", "duplicate id 'M001' (first on row 2)")]),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_bad_sample(name: str) -> None:
    reader, expected = SAMPLES[name]
    if name.endswith(".xlsx"):
        pytest.importorskip("openpyxl")
    assert [(p.row, p.column, p.en) for p in problems(BAD / name, reader)] == expected


def test_committed_bad_samples_match_their_generator(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = module.samples()
    committed = {p.name for p in BAD.iterdir() if p.name not in ("make_bad.py", "__pycache__") and p.name[0] != "."}
    assert committed == set(generated)
    for name, data in generated.items():
        if not name.endswith(".xlsx"):  # a workbook carries its creation time
            assert (BAD / name).read_bytes() == data, name


def test_the_hardening_doc_names_only_tests_that_exist() -> None:
    import re

    doc = (Path(__file__).parents[1] / "docs" / "hardening.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)`", doc))
    here = Path(__file__).parent
    defined = {
        name for path in here.glob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)
    }
    assert len(named) > 50
    assert sorted(named - defined) == []
