"""``scoring score`` on the committed samples in every input format: GBK CSV with Chinese headers,
UTF-8 CSV with a BOM, an Excel export, JSON and JSON Lines — all give the same result."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scoring.cli import main
from stderr_notes import without_accounting

DATA = Path(__file__).parent / "data" / "cli"
MEMBER_FILES = ["members_gbk.csv", "members_bom.csv", "members.xlsx", "members.json"]
RECORD_FILES = ["records_gbk.csv", "records_bom.csv", "records.xlsx", "records.json", "records.jsonl"]



def _samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_samples", DATA / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_json(capsys: pytest.CaptureFixture[str], members: str, records: str) -> dict[str, Any]:
    code = main(["score", "-r", "jinan-2015", "-m", str(DATA / members), "-d", str(DATA / records),
                 "--year", "2024", "--format", "json"])
    out, err = capsys.readouterr()
    # the sample workbooks have a title row: skipped, and said so (then the accounting line)
    workbooks = [name for name in (members, records) if name.endswith(".xlsx")]
    notes = "".join(f"注意：{DATA / name}: 跳过了 1 行：标题行 1\n" for name in workbooks)
    assert (code, without_accounting(err)) == (0, notes), err
    result: dict[str, Any] = json.loads(out)
    return result


def test_committed_samples_are_what_the_generator_writes(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    _samples().write_samples(tmp_path)
    for path in sorted(DATA.iterdir()):
        if path.suffix in (".py", "") or path.name.startswith("."):
            continue
        fresh = tmp_path / path.name
        if path.suffix == ".xlsx":  # workbooks carry a creation time: compare cell values
            def cells(p: Path) -> list[tuple[object, ...]]:
                return list(openpyxl.load_workbook(p).active.iter_rows(values_only=True))

            assert cells(fresh) == cells(path), path.name
        else:
            assert fresh.read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("records", RECORD_FILES)
def test_every_records_format_gives_the_same_result(capsys: pytest.CaptureFixture[str], records: str) -> None:
    assert score_json(capsys, "members_bom.csv", records) == score_json(capsys, "members_bom.csv", "records_bom.csv")


@pytest.mark.parametrize("members", MEMBER_FILES)
def test_every_members_format_gives_the_same_result(capsys: pytest.CaptureFixture[str], members: str) -> None:
    assert score_json(capsys, members, "records_gbk.csv") == score_json(capsys, "members_bom.csv", "records_gbk.csv")


def test_the_sample_city_scores_as_documented(capsys: pytest.CaptureFixture[str]) -> None:
    result = score_json(capsys, "members_gbk.csv", "records_gbk.csv")
    cards = {c["member_id"]: c for c in result["scorecards"]}
    assert {k: (c["total"], c["grade"]) for k, c in cards.items()} == {
        "M001": ("90", "excellent"), "M002": ("60", "incompetent"), "M003": ("40", "incompetent"),
        "M004": ("61", "competent"), "M005": ("70", None), "M006": ("72", "competent"),
    }
    assert cards["M005"]["status"] == "exempt"
    assert cards["M006"]["member_name"] == "欧阳<娜>&Co"
    assert cards["M001"]["member_name"] == "张三"
    assert [w["action"] for w in cards["M003"]["warnings"]] == ["talk"]
    assert cards["M002"]["grade_by_score"] == "competent"
    accounting = result["accounting"]
    assert {k: accounting[k] for k in ("read", "counted", "ignored", "rejected")} == {
        "read": 28, "counted": 23, "ignored": 4, "rejected": 1,
    }
    assert accounting["by_reason"] == {
        "deleted": 1, "no_rule": 1, "outside_period": 1, "same_as": 1, "unknown_member": 1,
    }
