"""``scoring score`` output formats (table, JSON, CSV, XLSX, Markdown, HTML), ``--lang`` and
``scoring explain``, on the committed sample city (tests/data/cli)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from scoring import load_history
from scoring.cli import main
from stderr_notes import without_accounting

DATA = Path(__file__).parent / "data" / "cli"
INPUTS = ["-r", "jinan-2015", "-m", str(DATA / "members_gbk.csv"), "-d", str(DATA / "records.xlsx"), "--year", "2024"]



#: what the readers say about the sample workbook (its title row is skipped, and said so)
TITLE_NOTE = f"注意：{DATA / 'records.xlsx'}: 跳过了 1 行：标题行 1\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert without_accounting(err) in ("", TITLE_NOTE, TITLE_NOTE.replace("注意：", "note: ").replace(
        "跳过了 1 行：标题行 1", "skipped 1 row(s): title 1")), err
    assert code == 0
    return out


def test_json_has_scorecards_and_accounting_and_reads_back_as_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = run(capsys, "score", *INPUTS, "--format", "json")
    doc = json.loads(out)
    card = next(c for c in doc["scorecards"] if c["member_id"] == "M003")
    assert card["total"] == "40" and isinstance(card["total"], str)
    assert card["grade"] == "incompetent"
    assert card["gates"][0]["id"] == "three_ones" and card["gates"][0]["met"] is False
    assert card["warnings"][0]["action"] == "talk"
    assert {line["rule_id"] for line in card["lines"]} >= {"base", "plenary_unexcused"}
    assert (doc["accounting"]["read"], doc["accounting"]["counted"]) == (28, 23)
    path = tmp_path / "2024.json"
    path.write_text(out, encoding="utf-8")
    history = {e.member_id: e for e in load_history(path)}
    assert history["M003"].total == Decimal(40)
    assert "M005" not in history  # exempt members are not history


def test_history_from_json_output_feeds_the_next_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "2023.json"
    run(capsys, "score", *INPUTS[:-1], "2023", "-o", str(path))  # format from the extension
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["period"]["label"] == "2023"
    out = run(capsys, "score", *INPUTS, "--history", str(path), "-f", "json")
    assert json.loads(out)["period"]["label"] == "2024"


def test_csv_output(capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(run(capsys, "score", *INPUTS, "-f", "csv"))))
    by_id = {r["委员编号"]: r for r in rows}
    assert len(rows) == 6
    assert by_id["M004"]["总分"] == "61"
    assert by_id["M004"]["等级"] == "称职"
    assert by_id["M002"]["等级"] == "不称职" and by_id["M002"]["按分数等级"] == "称职"
    assert by_id["M003"]["预警"] == "约谈"
    assert by_id["M005"]["状态"] == "免考"


def test_csv_file_has_a_bom_for_excel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    run(capsys, "score", *INPUTS, "--lang", "en", "-o", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["member id"] == "M001" and rows[0]["grade"] == "excellent"


def test_xlsx_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    assert run(capsys, "score", *INPUTS, "-f", "xlsx", "-o", str(path)) == ""
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["成绩单", "预警", "明细", "记录核对", "记录去向"]
    cards = book["成绩单"]
    headers = [c.value for c in cards[1]]
    assert headers[:9] == ["委员编号", "姓名", "界别", "专委会", "分组", "排名", "总分", "等级", "按分数等级"]
    assert all(c.font.b for c in cards[1])
    assert cards.freeze_panes == "A2"
    assert cards.column_dimensions["A"].width >= 10
    rows = {r[0]: r for r in cards.iter_rows(min_row=2, values_only=True)}
    assert rows["M001"][6] == 90 and isinstance(rows["M001"][6], int)  # a number, not text
    assert rows["M001"][7] == "优秀"
    assert rows["M006"][1] == "欧阳<娜>&Co"
    warnings = list(book["预警"].iter_rows(min_row=2, values_only=True))
    assert [(w[0], w[2], w[3]) for w in warnings] == [("M003", "约谈", 1)]
    lines = list(book["明细"].iter_rows(min_row=2, values_only=True))
    excellent = next(r for r in lines if r[0] == "M001" and r[3] == "excellent_proposal")
    assert (excellent[7], excellent[8]) == (10, "R005")
    accounting = list(book["记录核对"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in accounting[:4]] == [("读取", 28), ("计分", 23), ("忽略", 4), ("拒绝", 1)]
    assert ("拒绝", "unknown_member", "委员编号不在委员名单中", 1) in accounting
    outcomes = {r[0]: r[2] for r in book["记录去向"].iter_rows(min_row=2, values_only=True)}
    assert (outcomes["R026"], outcomes["R024"], outcomes["R001"]) == ("拒绝", "忽略", "计分")


def test_xlsx_in_english(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    run(capsys, "score", *INPUTS, "-o", str(path), "--lang", "en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Scorecards", "Warnings", "Line items", "Accounting", "Record outcomes"]
    assert [c.value for c in book["Scorecards"][1]][:3] == ["member id", "name", "sector"]


def test_markdown_report(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "score", *INPUTS, "-f", "md")
    assert out.startswith("# 关于政协委员履职量化考核的实施办法（济南市政协） — 考核期 2024\n")
    assert "jinan-2015 2015.1" in out
    for heading in ("## 按等级汇总", "## 按界别汇总", "## 成绩单", "## 预警 (1)", "## 记录核对"):
        assert f"\n{heading}\n" in out
    assert "| 等级 | 人数 | 占比 | 平均分 | 最低分 | 最高分 |" in out
    assert "| 称职 | 2 | 33.3% | 66.5 | 61 | 72 |" in out
    assert "| 经济界 | 2 | 75.5 | 61 | 90 | 1 | 1 | 0 | 0 |" in out
    assert "| 经济界 | 1/1 | M004 | 赵六 | 经济界 | 61 | 称职 | 三个一 ✓ |  |" in out
    assert "欧阳&lt;娜&gt;&amp;Co" in out and "欧阳<娜>" not in out


def test_html_report_is_self_contained_and_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "score", *INPUTS, "-f", "html", "--lang", "en")
    assert out.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in out and "<style>" in out
    assert "<link" not in out and "<script" not in out and "src=" not in out
    assert "<td>欧阳&lt;娜&gt;&amp;Co</td>" in out and "欧阳<娜>" not in out
    for heading in ("Summary by grade", "Summary by sector", "Scorecards", "Warnings (1)", "Accounting"):
        assert f"<h2>{heading}</h2>" in out
    assert "<th>member id</th>" in out
    assert "period 2024" in out


def test_table_output_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    zh = run(capsys, "score", *INPUTS)
    assert "委员编号" in zh and "三个一 ✗" in zh and "记录核对" in zh
    en = run(capsys, "score", *INPUTS, "--lang", "en")
    assert "member id" in en and "Three ones ✗" in en and "incompetent (score band: competent)" in en
    assert "委员编号" not in en


def test_explain_cites_clauses_and_records(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "explain", *INPUTS, "--member", "M001")
    assert out.startswith("M001 张三 — ")
    assert "优秀提案 加10分" in out and "超过1件且被立案的，每多1件 第一提案人加5分" in out
    assert "R005, R006" in out and "[R002, R003, R004]" in out
    en = run(capsys, "explain", *INPUTS, "--member", "M002", "--lang", "en")
    assert "Three ones: not met" in en and "R008" in en and "因故请假缺席 扣10分" in en
    card = json.loads(run(capsys, "explain", *INPUTS, "--member", "M002", "-f", "json"))
    assert (card["member_id"], card["total"]) == ("M002", "60")


def test_output_file_and_format_from_extension(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for name, start in (("r.md", "# "), ("r.html", "<!DOCTYPE html>"), ("r.txt", "关于")):
        assert run(capsys, "score", *INPUTS, "-o", str(tmp_path / name)) == ""
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


@pytest.mark.parametrize(("value", "text"), [
    ("72.5", "72.5"), ("70.00", "70"), ("-10", "-10"), ("73.666666666666666666666667", "≈73.67"), ("0.125", "≈0.13"),
])
def test_reports_round_long_decimals_for_people(value: str, text: str) -> None:
    from scoring.report.tables import decimal_text

    assert decimal_text(Decimal(value)) == text
