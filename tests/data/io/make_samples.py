"""Regenerate the binary / non-UTF-8 samples of this folder: ``python make_samples.py``.

The tests import the helpers below to build variants in temporary folders, and check that the
committed files equal what :func:`write_samples` produces (the XLSX by content).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).parent

MEMBERS_ZH: list[list[str]] = [
    line.split(",")
    for line in (
        "委员编号,姓名,界别,专委会,活动组,工作单位,身份,任职日期,届次,免考原因",
        "M001,张　三,经济界,经济委员会,第一组,某某公司,常委、骨干,2023年1月10日,十四届,",
        "M002,李四,教育界,,第二组,某某学校,委员,2023/1/10,十四届,病休",
    )
]

RECORDS_ZH: list[list[str]] = [
    line.split(",")
    for line in (
        "记录编号,委员编号,类型,子类,状态,提案人身份,联名人数,标记,级别,数量,日期,立案日期,"
        "同一事项,已删除,备注",
        "R001,M001,会议,全体会议,出席,,,,,,2024-01-15,,,否,",
        "R002,M001,会议,常委会,请假,,,,,,2024.3.5,,,否,因公出差",
        "R003,M002,会议,其他,无故缺席,,,,,,20240305,,,,",
        "R004,M001,提案,,已立案,第一提案人,３,重点；优秀,,,2024年2月1日,2024/3/1,,,",
        "R005,M002,社情民意,,已采用,,,批示,省级,,45356,,,是,",
        "R006,M002,活动,其他,参加,,,,,1.5,2024-04-01,,,,半天调研",
    )
]


def set_cached_values(path: Path, values: Mapping[str, str], sheet: str = "sheet1") -> None:
    """Store ``values`` (coordinate → number) as the cached results of formula cells, as
    Excel does on saving; openpyxl itself writes formulas without results."""
    member = f"xl/worksheets/{sheet}.xml"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[member].decode("utf-8")
    for coordinate, value in values.items():
        pattern = re.compile(rf'(<c r="{coordinate}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>')
        xml, count = pattern.subn(rf"\g<1><v>{value}</v>", xml)
        if count != 1:
            raise ValueError(f"no formula cell {coordinate} in {path}")
    parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merge: Sequence[str] = ()) -> None:
    """A one-sheet workbook with ``rows`` (a value starting with ``=`` is a formula) and the
    ``merge`` ranges merged."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cell_range in merge:
        sheet.merge_cells(cell_range)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str, newline: str = "\n") -> None:
    """``rows`` as simple CSV (no quoting needed) in ``encoding``."""
    text = "".join(",".join(row) + newline for row in rows)
    path.write_bytes(text.encode(encoding))


def sample_xlsx_rows() -> list[list[object]]:
    """Records with a real date cell, a number id cell and a formula (quantity ``=1+2``)."""
    return [
        ["记录编号", "委员编号", "类型", "会议类型", "状态", "数量", "活动日期", "备注"],
        ["R101", "M001", "会议", "全会", "出席", "", dt.date(2024, 3, 5), ""],
        ["R102", 1002, "履职活动", "调研", "参加", "=1+2", dt.datetime(2024, 5, 6, 9, 30), "三天"],
        ["R103", "M001", "提案", "", "立案", 1, "2024/6/7", ""],
    ]


def write_samples(folder: Path = HERE) -> None:
    """Write every generated sample into ``folder``."""
    write_csv(folder / "members_bom.csv", MEMBERS_ZH, "utf-8-sig", newline="\r\n")
    write_csv(folder / "records_gbk.csv", RECORDS_ZH, "gbk", newline="\r\n")
    write_xlsx(folder / "records.xlsx", sample_xlsx_rows())
    set_cached_values(folder / "records.xlsx", {"F3": "3"})


if __name__ == "__main__":
    write_samples(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
