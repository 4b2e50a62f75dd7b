"""Regenerate the office example: ``python examples/office/make_office.py [DIR]``.

Two files as a CPPCC office keeps them — made up, but laid out the way real exports are:

- ``members.csv``: the member list from an old archive system, GBK-encoded, CRLF, with columns
  no field needs (序号, 性别, 民族, 联系电话), 职务 spelt the office's way (市政协常委), a blank
  line and a 合计 row at the end;
- ``meetings.xlsx``: the attendance sheet kept by hand: a title merged across the columns, a
  second title line (填报单位 … 制表日期), the headers 序号, 姓名, 界别, 活动名称, 日期, 出席情况, 备注,
  members named but not numbered (two-character names padded: 王  芳), dates as date cells and
  as 2024.3.5 / 2024年6月18日 / 2024/9/10 text, 出席/请假/缺席/✓/×/病假 marks, blank rows
  between meetings, the header repeated at a page break, a 合计 row and a 制表人 line.

``profile.toml`` (written by hand, next to this script) says how to read them. The output is
byte-for-byte deterministic: fixed workbook timestamps, fixed zip entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAMP = dt.datetime(2025, 1, 6, 9, 0, 0)

MEMBER_HEADERS = ["序号", "委员编号", "姓名", "性别", "民族", "界别", "工作单位", "职务", "联系电话"]
MEMBERS = [
    ("WY001", "张伟", "男", "汉族", "经济界", "某某集团有限公司", "市政协常委"),
    ("WY002", "王芳", "女", "汉族", "教育界", "市第一中学", "委员"),
    ("WY003", "李娜", "女", "回族", "医药卫生界", "市人民医院", "委员"),
    ("WY004", "刘洋", "男", "汉族", "经济界", "某某商贸公司", "政协委员"),
    ("WY005", "陈静", "女", "汉族", "文化艺术界", "市文化馆", "常委"),
    ("WY006", "杨帆", "男", "满族", "科技界", "某某科技有限公司", "委员"),
    ("WY007", "赵磊", "男", "汉族", "农业界", "某某农业合作社", "委员"),
    ("WY008", "黄丽", "女", "汉族", "教育界", "市职业技术学院", "市政协常委"),
    ("WY009", "周杰", "男", "汉族", "医药卫生界", "市中医院", "委员"),
    ("WY010", "欧阳明", "男", "汉族", "经济界", "某某银行市分行", "委员"),
]

TITLE = "2024年度委员履职情况统计表"
HEADER = ["序号", "姓名", "界别", "活动名称", "日期", "出席情况", "备注"]
# (meeting, date as written, [(member name as written, 出席情况, 备注)])
MEETINGS: list[tuple[str, object, list[tuple[str, str, str]]]] = [
    ("2024年第一次全体会议", dt.datetime(2024, 1, 15), [
        ("张伟", "出席", ""), ("王  芳", "出席", ""), ("李娜", "请假", "因公出差"), ("刘洋", "✓", ""),
        ("陈静", "出席", ""), ("杨帆", "缺席", ""), ("赵磊", "✓", ""), ("黄丽", "出席", ""), ("周杰", "出席", ""),
        ("欧阳明", "请假", "病假"),
    ]),
    ("2024年第三次常委会议", "2024.3.5", [("张伟", "出席", ""), ("陈静", "✓", ""), ("黄丽", "请假", "外出学习")]),
    ("关于优化营商环境的专题协商会", "2024年6月18日", [
        ("张伟", "出席", ""), ("刘洋", "×", ""), ("欧阳明", "出席", ""), ("周杰", "病假", "住院"),
    ]),
    ("2024年第五次常委会议", "2024/9/10", [("张伟", "✓", ""), ("陈静", "出席", ""), ("黄丽", "出席", "")]),
]


def members_csv() -> bytes:
    """The old system's member list: GBK, CRLF, a blank line and a 合计 row at the end."""
    lines = [",".join(MEMBER_HEADERS)]
    for number, (ident, name, sex, ethnicity, sector, employer, duty) in enumerate(MEMBERS, start=1):
        phone = f"0531-8800{number:04d}"
        lines.append(",".join([str(number), ident, name, sex, ethnicity, sector, employer, duty, phone]))
    lines += ["", f"合计：{len(MEMBERS)}人" + "," * (len(MEMBER_HEADERS) - 1)]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def meetings_xlsx() -> bytes:
    """The hand-kept attendance sheet (see the module docstring)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "2024年会议出席"
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：市政协办公室", None, None, None, None, "制表日期：2025年1月6日"])
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("F2:G2")
    sheet.append(HEADER)
    number = 0
    attended = 0
    for index, (meeting, date, rows) in enumerate(MEETINGS):
        if index == 2:  # a page break: the office's printout repeats the header
            sheet.append(HEADER)
        for name, mark, note in rows:
            number += 1
            attended += mark in ("出席", "✓")
            sector = next(m[4] for m in MEMBERS if m[1] == "".join(name.split()))
            sheet.append([number, name, sector, meeting, date, mark, note or None])
            if isinstance(date, dt.datetime):
                sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy年m月d日"
        if index < len(MEETINGS) - 1:
            sheet.append([])  # a blank row between meetings
    sheet.append(["合计", None, None, None, None, f"出席 {attended} 人次"])
    sheet.append(["制表人：李明", None, None, None, "审核人：王强"])
    for column, width in zip("ABCDEFG", (6, 10, 12, 30, 14, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.creator = "市政协办公室"
    workbook.properties.created = STAMP
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The workbook with fixed zip entry times and a fixed modification time (openpyxl writes
    the current time in both)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def write(folder: Path = HERE) -> list[Path]:
    """Write both files into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [(folder / "members.csv", members_csv()), (folder / "meetings.xlsx", meetings_xlsx())]
    for path, content in written:
        path.write_bytes(content)
    return [path for path, _ in written]


if __name__ == "__main__":
    for written_path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written_path)
