"""Regenerate the bad sample files of this folder: ``python make_bad.py``.

Small, committed examples of what archive exports and rule-file authors get wrong, for the
tests (tests/test_bad_input.py, tests/test_rule_file_errors.py check each against its expected
problem), for trying ``scoring check`` by hand, and as seeds for tests/fuzz_atheris.py.
"""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).parent

RECORDS_ZH = "记录编号,委员编号,类型,子类,状态,提案人身份,联名人数,标记,数量,日期,已删除\n"
GOOD_ROW = "R001,M001,会议,全体会议,出席,,,,,2024-03-05,\n"

RULES_HEAD = """\
[rule_set]
id = "{id}"
version = "1"
title = {{ zh = "示例：有问题的规则集", en = "example: a broken rule set" }}
"""


def _xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["记录编号", "委员编号", "类型", "子类", "状态", "日期"])
    for i in range(1, 41):
        sheet.append([f"R{i:03d}", "M001", "会议", "全体会议", "出席", "2024-03-05"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def samples() -> dict[str, bytes]:
    """File name → content of every sample."""
    out: dict[str, bytes] = {}
    # a UTF-8 export with one row pasted in from a GBK file
    out["records_mixed_encoding.csv"] = (
        (RECORDS_ZH + GOOD_ROW).encode("utf-8") + "R002,M001,会议,全体会议,请假,,,,,2024-03-06,\n".encode("gbk")
    )
    # a GBK export cut inside a quoted cell
    full = RECORDS_ZH + GOOD_ROW + 'R002,M001,提案,,已立案,领衔,,"重点,优秀",,2024-03-06,\n'
    out["records_truncated.csv"] = full[: full.index("优秀")].encode("gbk")
    # JSON cut in the middle of a value
    out["records_truncated.json"] = (
        '{"records": [{"id": "R001", "member_id": "M001", "kind": "会议", "date": "2024-0'.encode()
    )
    # a workbook cut at 60 % of its bytes
    book = _xlsx_bytes()
    out["records_truncated.xlsx"] = book[: len(book) * 6 // 10]
    # dates that do not exist, numbers that are not, a co-signer alone (GBK, Chinese headers)
    out["records_bad_values.csv"] = (RECORDS_ZH + (
        "R001,M001,会议,全体会议,出席,,,,,2024-02-30,\n"
        "R002,M001,履职活动,调研,,,,,-2,2024-03-05,\n"
        "R003,M001,提案,,已立案,联名,1,,,2024-03-05,\n"
        "R004,M001,会晤,,,,,,,2024-03-05,\n"
    )).encode("gbk")
    # the same member twice: once with a trailing space
    out["members_duplicate_ids.csv"] = "委员编号,姓名,界别\nM001,张三,经济界\nM001 ,张三,经济界\n".encode("gbk")
    # two rule files extending each other
    out["rules_cycle_a.toml"] = (RULES_HEAD.format(id="cycle-a") + 'extends = "rules_cycle_b.toml"\n').encode()
    out["rules_cycle_b.toml"] = (RULES_HEAD.format(id="cycle-b") + 'extends = "rules_cycle_a.toml"\n').encode()
    # a variant patching a rule its base (jinan-2015, from the plugin) does not have
    out["rules_patch_missing.toml"] = (
        b'[rule_set]\nid = "jinan-strict"\nextends = "jinan-2015"\n\n[patch.rules.plenary_absent]\npoints = -40\n'
    )
    # loads, but lint finds a grade no total can reach and a cap below one item
    out["rules_lint.toml"] = (RULES_HEAD.format(id="lint-example") + """
[[categories]]
id = "meetings"
label = { zh = "会议", en = "Meetings" }
cap = 20

[[rules]]
id = "plenary"
type = "per_unit"
category = "meetings"
label = { zh = "全体会议", en = "Plenary" }
match = { kind = "meeting", subtype = "plenary", status = "attended" }
points = 10

[[rules]]
id = "report"
type = "once"
category = "meetings"
label = { zh = "提交履职报告", en = "Duty report" }
match = { kind = "report" }
points = 30

[[grades]]
id = "excellent"
label = { zh = "优秀", en = "excellent" }
min = 85

[[grades]]
id = "pass"
label = { zh = "合格", en = "pass" }
min = 10
max = 85

[[grades]]
id = "fail"
label = { zh = "不合格", en = "fail" }
max = 10
""").encode()
    return out


def write_samples(folder: Path = HERE) -> None:
    for name, data in samples().items():
        (folder / name).write_bytes(data)


if __name__ == "__main__":
    write_samples()
