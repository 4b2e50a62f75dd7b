"""Cell-level conversions of the input readers: text, numbers, booleans, lists, dates, codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scoring.io.cells import normalise, to_bool, to_decimal, to_int, to_items, to_text
from scoring.io.codes import Codes
from scoring.io.dates import parse_date
from scoring.io.problems import CellError
from scoring.vocabulary import base_vocabulary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  M001 ", "M001"),
        ("ＭＯＯ１２３", "MOO123"),  # full-width letters and digits
        ("\u3000张三\u3000", "张三"),  # ideographic spaces
        ("\ufeffid\u200b", "id"),  # BOM and zero-width space
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text",
    ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "2024年03月05日", "20240305", "45356",
     "2024-03-05 14:30", "2024-03-05T14:30:00", "2024/03/05 8:00:00"],
)
def test_date_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "cell",
    [dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 9, 30), 45356, 45356.75, Decimal(45356), 20240305],
)
def test_date_cells(cell: object) -> None:
    assert parse_date(cell) == dt.date(2024, 3, 5)  # type: ignore[arg-type]


def test_impossible_date() -> None:
    with pytest.raises(CellError) as caught:
        parse_date("2024-02-30")
    assert (caught.value.zh, caught.value.en) == ("日期不存在", "no such date")


@pytest.mark.parametrize("text", ["2024-3/5", "March 5", "2024", "24-3-5", "45356x", "true"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert caught.value.en == "not a recognised date"
    assert caught.value.expected is not None and "YYYY年M月D日" in caught.value.expected


@pytest.mark.parametrize("text", ["true", "TRUE", "1", "是", "Y", "y", "yes", "√"])
def test_true(text: str) -> None:
    assert to_bool(text) is True


@pytest.mark.parametrize("text", ["false", "0", "否", "N", "no", "×"])
def test_false(text: str) -> None:
    assert to_bool(text) is False


def test_not_a_bool() -> None:
    with pytest.raises(CellError, match="not a yes/no value"):
        to_bool("也许")


def test_numbers() -> None:
    assert to_int("3") == 3
    assert to_int(3.0) == 3
    assert to_int("3.0") == 3
    assert to_decimal("2.5") == Decimal("2.5")
    assert to_decimal(0.1) == Decimal("0.1")
    with pytest.raises(CellError, match="not a whole number"):
        to_int("2.5")
    for infinite in (Decimal("Infinity"), Decimal("NaN"), float("inf"), float("nan")):
        with pytest.raises(CellError, match="not a whole number"):
            to_int(infinite)
    with pytest.raises(CellError, match="not a number"):
        to_decimal("两个")


def test_text_of_numbers_and_lists() -> None:
    assert to_text(1002) == "1002"
    assert to_text(1002.0) == "1002"
    with pytest.raises(CellError, match="expected a single value"):
        to_text(("a", "b"))


@pytest.mark.parametrize("text", ["重点,优秀", "重点、优秀", "重点;优秀", " 重点 ， 优秀 ", "重点；优秀；"])
def test_list_separators(text: str) -> None:
    assert to_items(normalise(text)) == ["重点", "优秀"]


CODES = Codes(base_vocabulary())


@pytest.mark.parametrize(
    ("value", "code"),
    [("提案", "proposal"), ("社情民意", "opinion"), ("会议", "meeting"), ("proposal", "proposal"),
     ("Proposal", "proposal"), ("履职活动", "activity")],
)
def test_kind_codes(value: str, code: str) -> None:
    assert CODES.kinds.lookup(value) == code


@pytest.mark.parametrize(
    ("kind", "field", "value", "code"),
    [
        ("meeting", "subtype", "全体会议", "plenary"),
        ("meeting", "subtype", "全会", "plenary"),
        ("meeting", "status", "出席", "attended"),
        ("meeting", "status", "请假", "leave_approved"),
        ("meeting", "status", "无故缺席", "absent_unexcused"),
        ("proposal", "status", "已立案", "registered"),
        ("proposal", "role", "联名", "co"),
        ("proposal", "flags", "重点提案", "key"),
        ("meeting", "subtype", "其他", "other"),  # 其他 is scoped by kind:
        ("deed", "subtype", "其他", "other"),
        ("discipline", "subtype", "其他", "other"),
        ("activity", "status", "出席", "attended"),
        ("activity", "level", "省级", "provincial"),
    ],
)
def test_scoped_codes(kind: str, field: str, value: str, code: str) -> None:
    assert CODES.scoped(kind, field).lookup(value) == code  # type: ignore[arg-type]


def test_member_roles() -> None:
    assert CODES.member_roles.lookup("常委") == "standing_committee"
    assert CODES.member_roles.lookup("骨干") == "core"


def test_unknown_code_lists_allowed_values_and_suggests() -> None:
    with pytest.raises(CellError) as caught:
        CODES.scoped("meeting", "status").lookup("atended")
    error = caught.value
    assert error.zh == "不是会议记录可用的状态"
    assert error.en == "not a known status of meeting records"
    assert error.expected is not None
    assert error.expected.startswith("one of / 可选: attended (出席), late_or_early (迟到早退)")
    assert error.hint == "did you mean 'attended'? / 是否指 'attended'？"
    assert error.found == "atended"


def test_code_of_another_kind_is_refused() -> None:
    with pytest.raises(CellError, match="not a known status of proposal records"):
        CODES.scoped("proposal", "status").lookup("出席")


def test_kind_without_subtypes() -> None:
    with pytest.raises(CellError) as caught:
        CODES.scoped("proposal", "subtype").lookup("全体会议")
    assert caught.value.en == "proposal records take no subtype; leave this empty"
    assert caught.value.zh == "提案记录没有子类，此处应留空"
