"""Regenerate the CLI samples of this folder: ``python tests/data/cli/make_samples.py [DIR]``.

One small city (6 members, 28 records, year 2024, scored under ``jinan-2015``) written in every
input format the readers take: GBK CSV and UTF-8-with-BOM CSV with Chinese headers and values,
an Excel workbook with date cells, JSON with canonical codes and JSON Lines with Chinese keys.
``tests/test_cli_formats.py`` checks that every format gives the same result and that the
committed files equal what this script writes (the workbooks by content).

Expected under ``jinan-2015`` (base 70; plenary −30 unexcused / −10 leave; rewards ≤ 50):

| member | total | grade | why |
|---|---|---|---|
| M001 张三 (常委) | 90 | excellent | 2 registered first proposals (+5), key (+5), excellent (+10) |
| M002 李四 | 60 | incompetent (band competent) | plenary leave (−10): misses 三个一 |
| M003 王五 | 40 | incompetent + 约谈 | plenary absent unexcused (−30) |
| M004 赵六 | 61 | competent | one sitting unexcused (−30), key+excellent (+15), 3 public-welfare (+6) |
| M005 钱七 | — | exempt | 病休 |
| M006 欧阳<娜>&Co | 72 | competent | one public-welfare (+2) |

Under ``examples/variants/jinan-2015-strict.toml`` (pass mark 65, leave −5): M002 65 (still
incompetent by the gate), M004 61 → incompetent with a new 约谈 warning.
Accounting: read 28 = counted 23 (M005's plenary counts although M005 is exempt) + ignored 4
(deleted, same_as, outside the period, no rule) + rejected 1 (unknown member M999).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).parent

MEMBER_HEADERS = ["委员编号", "姓名", "界别", "专委会", "活动组", "工作单位", "身份", "任职日期", "届次", "免考原因"]
MEMBERS: list[list[str]] = [
    ["M001", "张三", "经济界", "经济委员会", "经济界组", "某某集团", "常委、骨干委员", "2022-01-10", "十五届", ""],
    ["M002", "李四", "教育界", "教科卫体委员会", "教育界组", "某某中学", "委员", "2022-01-10", "十五届", ""],
    ["M003", "王五", "教育界", "", "教育界组", "某某大学", "委员", "2022-01-10", "十五届", ""],
    ["M004", "赵六", "经济界", "经济委员会", "经济界组", "某某商贸公司", "委员", "2022-01-10", "十五届", ""],
    ["M005", "钱七", "医药卫生界", "", "医药卫生界组", "某某医院", "委员", "2022-01-10", "十五届", "病休"],
    ["M006", "欧阳<娜>&Co", "医药卫生界", "", "医药卫生界组", "某某诊所", "委员", "2022-01-10", "十五届", ""],
]

RECORD_HEADERS = ["记录编号", "委员编号", "类型", "子类", "状态", "提案人身份", "联名人数", "标记", "日期", "同一事项",
                  "已删除", "备注"]
RECORDS: list[list[str]] = [
    ["R001", "M001", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", ""],
    ["R002", "M001", "会议", "常委会议", "出席", "", "", "", "2024-03-10", "", "", ""],
    ["R003", "M001", "会议", "常委会议", "出席", "", "", "", "2024-06-15", "", "", ""],
    ["R004", "M001", "会议", "常委会议", "出席", "", "", "", "2024-09-20", "", "", ""],
    ["R005", "M001", "提案", "", "已立案", "第一提案人", "", "重点;优秀", "2024-01-09", "", "", "关于营商环境的提案"],
    ["R006", "M001", "提案", "", "已立案", "第一提案人", "", "", "2024-01-10", "", "", ""],
    ["R007", "M001", "履职活动", "视察", "参加", "", "", "", "2024-05-10", "", "", ""],
    ["R008", "M002", "会议", "全体会议", "请假", "", "", "", "2024-01-08", "", "", "因公出差"],
    ["R009", "M002", "社情民意信息", "", "已报送", "", "", "", "2024-02-01", "", "", ""],
    ["R010", "M002", "履职活动", "调研", "参加", "", "", "", "2024-04-01", "", "", ""],
    ["R011", "M003", "会议", "全体会议", "无故缺席", "", "", "", "2024-01-08", "", "", ""],
    ["R012", "M004", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", "开幕会"],
    ["R013", "M004", "会议", "全体会议", "无故缺席", "", "", "", "2024-01-11", "", "", "闭幕会"],
    ["R014", "M004", "提案", "", "已立案", "个人提案", "", "重点;优秀", "2024-01-09", "", "", ""],
    ["R015", "M004", "履职活动", "公益活动", "参加", "", "", "", "2024-03-05", "", "", ""],
    ["R016", "M004", "履职活动", "公益活动", "参加", "", "", "", "2024-06-05", "", "", ""],
    ["R017", "M004", "履职活动", "公益活动", "参加", "", "", "", "2024-09-05", "", "", ""],
    ["R018", "M004", "履职活动", "视察", "参加", "", "", "", "2024-05-10", "", "", ""],
    ["R019", "M005", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", ""],
    ["R020", "M006", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", ""],
    ["R021", "M006", "社情民意信息", "", "已采用", "", "", "", "2024-02-20", "", "", ""],
    ["R022", "M006", "履职活动", "调研", "参加", "", "", "", "2024-04-01", "", "", ""],
    ["R023", "M006", "履职活动", "公益活动", "参加", "", "", "", "2024-07-01", "", "", ""],
    ["R024", "M006", "履职活动", "公益活动", "参加", "", "", "", "2024-07-02", "", "是", "录入错误"],
    ["R025", "M006", "履职活动", "公益活动", "参加", "", "", "", "2024-07-01", "R023", "", "重复录入"],
    ["R026", "M999", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", ""],
    ["R027", "M003", "履职活动", "调研", "参加", "", "", "", "2023-12-30", "", "", ""],
    ["R028", "M002", "学习", "学习笔记", "", "", "", "", "2024-08-01", "", "", ""],
]

CANONICAL = {
    "记录编号": "id", "委员编号": "member_id", "类型": "kind", "子类": "subtype", "状态": "status",
    "提案人身份": "role", "联名人数": "signers", "标记": "flags", "日期": "date", "同一事项": "same_as",
    "已删除": "deleted", "备注": "note",
}
CODES = {
    "会议": "meeting", "提案": "proposal", "社情民意信息": "opinion", "履职活动": "activity", "学习": "study",
    "全体会议": "plenary", "常委会议": "standing_committee", "视察": "inspection", "调研": "research",
    "公益活动": "public_welfare", "学习笔记": "notebook",
    "出席": "attended", "请假": "leave_approved", "无故缺席": "absent_unexcused", "已立案": "registered",
    "参加": "attended", "已报送": "submitted", "已采用": "adopted",
    "第一提案人": "first", "个人提案": "sole",
}
FLAG_CODES = {"重点": "key", "优秀": "excellent"}

BAD_RECORDS = [
    RECORD_HEADERS,
    ["R001", "M001", "会议", "全体会议", "出席", "", "", "", "2024-01-08", "", "", ""],
    ["R002", "M001", "会议", "全体会议", "会晤", "", "", "", "2024-01-09", "", "", ""],
    ["R003", "M002", "提案", "", "已立案", "第一提案人", "", "", "2024-02-30", "", "", ""],
]
BAD_MEMBERS = [
    MEMBER_HEADERS,
    ["M001", "张三", "经济界", "", "", "", "主席", "2022-01-10", "十五届", ""],
    ["", "李四", "教育界", "", "", "", "委员", "2022-01-10", "十五届", ""],
]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _zh_date(text: str) -> str:
    day = _date(text)
    return f"{day.year}年{day.month}月{day.day}日"


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str, newline: str = "\r\n") -> None:
    """``rows`` as CSV without quoting (no cell holds a comma or a quote)."""
    path.write_bytes("".join(",".join(row) + newline for row in rows).encode(encoding))


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str) -> None:
    """A one-sheet workbook with a title row above the header (as archive exports have)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([f"2024年度{title}"])
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)


def records_json() -> list[dict[str, object]]:
    """The records with canonical keys and codes (lists for flags, booleans, ISO dates)."""
    out: list[dict[str, object]] = []
    for row in RECORDS:
        item: dict[str, object] = {}
        for header, cell in zip(RECORD_HEADERS, row, strict=True):
            key = CANONICAL[header]
            if cell == "":
                continue
            if key in ("kind", "subtype", "status", "role"):
                item[key] = CODES[cell]
            elif key == "flags":
                item[key] = [FLAG_CODES[f] for f in cell.split(";")]
            elif key == "deleted":
                item[key] = cell == "是"
            else:
                item[key] = cell
        out.append(item)
    return out


def write_samples(folder: Path = HERE) -> None:
    """Write every sample into ``folder``."""
    members = [MEMBER_HEADERS, *MEMBERS]
    gbk_members = [MEMBER_HEADERS, *([*m[:7], _zh_date(m[7]), *m[8:]] for m in MEMBERS)]
    write_csv(folder / "members_gbk.csv", gbk_members, "gbk")
    write_csv(folder / "members_bom.csv", members, "utf-8-sig")
    write_xlsx(folder / "members.xlsx", [MEMBER_HEADERS, *([*m[:7], _date(m[7]), *m[8:]] for m in MEMBERS)],
               "委员名单")
    json_members = [
        {h: c for h, c in zip(MEMBER_HEADERS, m, strict=True) if c} | {"身份": m[6].split("、")} for m in MEMBERS
    ]
    (folder / "members.json").write_text(
        json.dumps({"members": json_members}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    gbk_records = [RECORD_HEADERS, *([*r[:8], _zh_date(r[8]), *r[9:]] for r in RECORDS)]
    write_csv(folder / "records_gbk.csv", gbk_records, "gbk")
    write_csv(folder / "records_bom.csv", [RECORD_HEADERS, *RECORDS], "utf-8-sig")
    write_xlsx(folder / "records.xlsx", [RECORD_HEADERS, *([*r[:8], _date(r[8]), *r[9:]] for r in RECORDS)],
               "履职档案")
    (folder / "records.json").write_text(
        json.dumps({"records": records_json()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    lines = [
        json.dumps({h: c for h, c in zip(RECORD_HEADERS, r, strict=True) if c}, ensure_ascii=False) for r in RECORDS
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    write_csv(folder / "records_bad.csv", BAD_RECORDS, "utf-8")
    write_csv(folder / "members_bad.csv", BAD_MEMBERS, "utf-8")


if __name__ == "__main__":
    write_samples(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
