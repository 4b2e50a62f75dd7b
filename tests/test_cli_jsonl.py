"""``scoring score --format jsonl``: one summary per member, byte for byte the same from the
batch engine (default) and the reference engine, for every shipped rule set, interim runs,
history and Parquet inputs."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.plugins import Registry

ROOT = Path(__file__).resolve().parents[1]
CITY = ["-m", str(ROOT / "examples/city/members.csv"), "-d", str(ROOT / "examples/city/records.csv")]
RULE_SETS = sorted(Registry.build().rule_sets)

NOTES = re.compile(r"((注意：|note: )(读取 \d+ 条记录，|\d+ records read, )[^\n]*\n)?")
"""standard error of a run: nothing, or the line accounting for records not counted"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0 and NOTES.fullmatch(err), err
    return out


def both_engines(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    batch = run(capsys, "score", *args, "--format", "jsonl")
    reference = run(capsys, "score", *args, "--format", "jsonl", "--engine", "reference")
    assert batch == reference
    return batch


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_batch_and_reference_summaries_are_identical(capsys: pytest.CaptureFixture[str], rule_set: str) -> None:
    out = both_engines(capsys, "-r", rule_set, *CITY, "--year", "2024")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 300
    assert [d["member_id"] for d in lines] == sorted(d["member_id"] for d in lines)
    assert set(lines[0]) == {"member_id", "status", "total", "grade", "grade_by_score", "gates", "warnings", "rank"}


def test_an_interim_run_lists_open_requirements(capsys: pytest.CaptureFixture[str]) -> None:
    out = both_engines(capsys, "-r", "jinan-2015", *CITY, "--year", "2024", "--as-of", "2024-03-31")
    warned = [json.loads(line)["warnings"] for line in out.splitlines()]
    assert any(any(w.startswith("three_ones.") for w in ws) for ws in warned)


def test_history_escalates_in_both_engines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    earlier = tmp_path / "2023.json"
    run(capsys, "score", "-r", "jinan-2015", *CITY, "--year", "2024", "--format", "json", "-o", str(earlier))
    # the 2024 result stands in for 2023: same members, a year earlier
    doc = json.loads(earlier.read_text(encoding="utf-8"))
    doc["period"] = {**doc["period"], "start": "2023-01-01", "end": "2023-12-31", "label": "2023"}
    earlier.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = both_engines(capsys, "-r", "jinan-2015", *CITY, "--year", "2024", "--history", str(earlier))
    assert '"below60_2years"' in out or '"below60_year"' in out


def test_parquet_inputs_give_the_same_summaries_as_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from pyarrow import csv as pacsv

    options = pacsv.ConvertOptions(strings_can_be_null=False)
    paths = []
    for name in ("members", "records"):
        table = pacsv.read_csv(ROOT / f"examples/city/{name}.csv", convert_options=options)
        table = table.cast(pa.schema([(f.name, pa.string()) for f in table.schema]))
        pq.write_table(table, tmp_path / f"{name}.parquet")
        paths.append(str(tmp_path / f"{name}.parquet"))
    from_parquet = run(capsys, "score", "-r", "jinan-2015", "-m", paths[0], "-d", paths[1], "--year", "2024",
                       "--format", "jsonl")
    from_csv = run(capsys, "score", "-r", "jinan-2015", *CITY, "--year", "2024", "--format", "jsonl")
    assert from_parquet == from_csv


def test_output_file_by_extension(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "summaries.jsonl"
    assert run(capsys, "score", "-r", "jinan-2015", *CITY, "--year", "2024", "-o", str(target)) == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 300


def test_the_batch_engine_refuses_full_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["score", "-r", "jinan-2015", *CITY, "--year", "2024", "--format", "json", "--engine", "batch"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "--format jsonl" in err


def test_bad_inputs_are_reported_with_file_row_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    bad = ROOT / "tests/data/cli/records_bad.csv"
    code = main(["score", "-r", "jinan-2015", "-m", CITY[1], "-d", str(bad), "--year", "2024", "--format", "jsonl"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "records_bad.csv: row" in err and "column" in err


def test_problems_of_both_files_are_reported_together(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing members file does not hide the records file's problems (and no reading thread
    is left behind): both are reported, the same way by both engines."""
    import threading

    bad = ROOT / "tests/data/cli/records_bad.csv"
    missing = tmp_path / "members.csv"
    errors = []
    for engine in ("batch", "reference"):
        code = main(["score", "-r", "jinan-2015", "-m", str(missing), "-d", str(bad), "--year", "2024",
                     "--format", "jsonl", "--engine", engine])
        _, err = capsys.readouterr()
        assert code == 1
        assert "members.csv" in err and "records_bad.csv: row" in err
        errors.append(err)
    assert errors[0] == errors[1]
    assert not [t for t in threading.enumerate() if t.name == "scoring-read-ahead"]


def test_without_pyarrow_the_batch_engine_reads_row_by_row(capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow is an optional extra (``fast``): without it the same summaries come out, the
    files being read by the row-by-row readers."""
    expected = run(capsys, "score", "-r", "jinan-2015", *CITY, "--year", "2024", "--format", "jsonl")
    for module in ("pyarrow", "pyarrow.compute", "pyarrow.csv", "pyarrow.parquet"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails: not installed
    from scoring.batch.arrow import available

    assert not available()
    assert run(capsys, "score", "-r", "jinan-2015", *CITY, "--year", "2024", "--format", "jsonl") == expected
