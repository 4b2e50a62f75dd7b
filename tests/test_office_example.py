"""examples/office: an office's real-looking exports are checked and scored from the command line
with the committed mapping profile and no edits to the files; every skipped row is named."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from scoring.cli import main
from scoring.io import profile
from stderr_notes import without_accounting

ROOT = Path(__file__).resolve().parents[1]
OFFICE = ROOT / "examples" / "office"
FILES = ["-m", "examples/office/members.csv", "-d", "examples/office/meetings.xlsx"]
PROFILE = ["--mapping", "examples/office/profile.toml"]
NOTES = (
    "注意：examples/office/members.csv: 跳过了 2 行：空行 12；合计行 13（合计:10人）\n"
    "注意：examples/office/meetings.xlsx: 跳过了 8 行：标题行 1–2；空行 14, 18, 24；重复的表头 19；合计行 28（合计）；"
    "按配置跳过 29（制表人:李明）\n"
    "注意：examples/office/meetings.xlsx: 按「姓名」列的姓名匹配委员，共 20 条记录（文件没有委员编号列）\n"
)

pytest.importorskip("openpyxl")


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_office", OFFICE / "make_office.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    for path in _generator().write(tmp_path):
        assert path.read_bytes() == (OFFICE / path.name).read_bytes(), path.name


def test_check_with_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-r", "jinan-2015", *FILES, *PROFILE]) == 0
    out, err = capsys.readouterr()
    assert err == NOTES
    assert out.splitlines()[1:] == [
        "OK: examples/office/members.csv: 10 名委员", "OK: examples/office/meetings.xlsx: 20 条记录",
    ]


def test_score_with_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "-r", "jinan-2015", *FILES, *PROFILE, "--year", "2024", "-f", "json"]) == 0
    out, err = capsys.readouterr()
    assert without_accounting(err) == NOTES
    assert "忽略：本规则集没有适用于此记录的规则或要求 5 条" in err  # the consultations: no rule in jinan-2015
    result = json.loads(out)
    cards = {c["member_id"]: c for c in result["scorecards"]}
    assert len(cards) == 10
    assert (cards["WY006"]["total"], [w["rule_id"] for w in cards["WY006"]["warnings"]]) == ("40", ["below60_year"])
    assert cards["WY003"]["total"] == "60"  # plenary leave (请假): −10
    assert cards["WY004"]["total"] == "70"  # × at the consultation: no rule for consultations in jinan-2015
    assert result["accounting"]["read"] == 20 and result["accounting"]["rejected"] == 0
    record = next(line for line in cards["WY006"]["lines"] if line["record_ids"])
    assert record["record_ids"] == ["meetings:9"]  # the sheet's row 9


def test_the_batch_engine_reads_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    lines = {}
    for engine in ("batch", "reference"):
        assert main(["score", "-r", "jinan-2015", *FILES, *PROFILE, "--year", "2024", "-f", "jsonl",
                     "--engine", engine]) == 0
        out, err = capsys.readouterr()
        assert without_accounting(err) == NOTES
        lines[engine] = out
    assert lines["batch"] == lines["reference"]


def test_explain_and_compare_take_the_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "-r", "jinan-2015", *FILES, *PROFILE, "--year", "2024", "--member", "WY006"]) == 0
    out, err = capsys.readouterr()
    assert "meetings:9" in out and without_accounting(err) == NOTES
    assert main(["compare", "-r", "jinan-2015", "-V", "examples/variants/jinan-2015-strict.toml", *FILES, *PROFILE,
                 "--year", "2024", "-f", "json"]) == 0
    assert without_accounting(capsys.readouterr().err) == NOTES


def test_without_the_profile_the_problems_say_what_is_missing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-r", "jinan-2015", *FILES, "--lang", "en"]) == 1
    _, err = capsys.readouterr()
    notes, error = err.split("error: ", 1)
    assert notes.splitlines() == [
        "note: examples/office/members.csv: ignored 4 column(s): 序号, 性别, 民族, 联系电话",
        "note: examples/office/members.csv: skipped 2 row(s): blank 12; totals 13 (合计:10人)",
        "note: examples/office/meetings.xlsx: ignored 2 column(s): 序号, 界别",
        "note: examples/office/meetings.xlsx: skipped 7 row(s): title 1–2; blank 14, 18, 24; repeated header 19; "
        "totals 28 (合计)",
    ]
    assert error.startswith("7 problems")
    assert "required column 'kind' is missing" in error and 'ids = "row"' in error


def test_strict_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-r", "jinan-2015", "-m", "examples/office/members.csv", "--strict-columns"]) == 1
    err = capsys.readouterr().err
    extra = ["序号", "性别", "民族", "联系电话"]
    assert [m for m in extra if f"未知的列「{m}」" in err] == extra
    assert main(["check", "-r", "jinan-2015", *FILES, *PROFILE, "--strict-columns"]) == 0  # the profile ignores them


def _titled_blocks(markdown: str) -> dict[str, str]:
    """Code blocks written as ```lang title="path"``` in a document (as tests/test_docs.py reads them)."""
    return {m.group(1): m.group(2) for m in re.finditer(r'^```\w+ title="([^"]+)"\n(.*?)^```', markdown, re.M | re.S)}


def test_the_docs_show_the_profile_that_reads_the_example() -> None:
    """docs/formats.md ("Office exports") shows the committed profile, and its Python example runs."""
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = doc.split("## Office exports: a mapping profile", 1)[1].split("\n## ", 1)[0]
    assert _titled_blocks(section) == {
        "examples/office/profile.toml": (OFFICE / "profile.toml").read_text(encoding="utf-8"),
    }
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(block.replace("print(", "str("), "docs/formats.md", "exec"), namespace)
    records = namespace["records"]
    assert len(records) == 20  # type: ignore[arg-type]
    codes = [n.code for n in namespace["notes"]]  # type: ignore[attr-defined]
    assert codes == ["skipped_rows", "skipped_rows", "matched_by_name"]
    table = section.split("### Every key", 1)[1].split("\n### ", 1)[0]
    keys = [f"| `{key}` |" if key == "title" else f"| `[{key}]`" for key in profile._TOP_KEYS]
    keys += [f"| `records.{key}` |" if key == "ids" else f"| `….{key}" for key in profile._SECTION_KEYS]
    keys += [f"| `skip_rows.{key}` |" for key in profile._SKIP_KEYS]
    assert [key for key in keys if key not in table] == []  # every key of a profile is documented
