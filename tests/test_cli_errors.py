"""Errors name the file, row, column and what was expected, exit non-zero, and never show a
traceback unless ``--traceback``; plus the progress bar and a smoke test of the installed command."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.cli.progress import Progress

DATA = Path(__file__).parent / "data" / "cli"
MEMBERS = str(DATA / "members_gbk.csv")
RECORDS = str(DATA / "records_gbk.csv")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_input_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.csv")
    code, out, err = run(capsys, "score", "-r", "jinan-2015", "-m", missing, "-d", RECORDS, "--year", "2024")
    assert code == 1 and out == ""
    assert err.startswith(f"错误：{missing}: 无法读取文件")
    assert "Traceback" not in err


def test_both_missing_files_are_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", str(tmp_path / "a.csv"),
                       "-d", str(tmp_path / "b.xlsx"), "--year", "2024", "--lang", "en")
    assert code == 1
    assert err.startswith("error: 2 problems\n")
    assert "a.csv: cannot read the file" in err and "b.xlsx" in err


def test_a_directory_instead_of_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "records.csv"
    folder.mkdir()
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", str(folder), "--year", "2024")
    assert code == 1 and str(folder) in err and "Traceback" not in err
    code, _, err = run(capsys, "score", "-r", str(tmp_path), "-m", MEMBERS, "-d", RECORDS, "--year", "2024")
    assert code == 1 and str(tmp_path) in err and "Traceback" not in err


def test_unknown_rule_set_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "-r", "jinan-2051", "-m", MEMBERS, "-d", RECORDS, "--year", "2024",
                         "--lang", "en")
    assert code == 1 and out == ""
    assert "unknown rule set 'jinan-2051'" in err
    assert "did you mean 'jinan-2015'?" in err
    assert "jinan-2015, tongcheng-2019" in err  # the installed ids are listed


def test_missing_rule_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = str(tmp_path / "mine.toml")
    code, _, err = run(capsys, "check", "-r", path, "--lang", "en")
    assert code == 1 and err == f"error: {path}: rule-set file not found\n"


def test_bad_row_names_row_column_and_expectation(capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(DATA / "records_bad.csv")
    code, out, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", bad, "--year", "2024")
    assert code == 1 and out == ""
    assert "共 2 处问题" in err
    assert f"{bad}: row 3: column 状态: 不是会议记录可用的状态" in err
    assert "应为 one of / 可选: attended (出席)" in err and "实际为 会晤" in err
    assert f"{bad}: row 4: column 日期: 日期不存在" in err
    assert "Traceback" not in err


def test_traceback_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(DATA / "records_bad.csv")
    for args in (["--traceback", "score"], ["score", "--traceback"]):
        code, _, err = run(capsys, *args, "-r", "jinan-2015", "-m", MEMBERS, "-d", bad, "--year", "2024")
        assert code == 1
        assert "Traceback (most recent call last)" in err and "InputError" in err


def test_unknown_member_in_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "explain", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--year", "2024",
                       "--member", "M01", "--lang", "en")
    assert code == 1
    assert "member 'M01' is not in the member list" in err and "did you mean 'M001'?" in err


def test_bad_period_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--year", "2024",
                       "--from", "2024-01-01")
    assert code == 1 and "--year 不能与 --from/--to 同用" in err
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--from", "2024-12-31",
                       "--to", "2024-01-01", "--lang", "en")
    assert code == 1 and "invalid period" in err
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "-f", "pdf")
    assert code == 2 and "invalid choice: 'pdf'" in err
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--as-of", "30/6/2024")
    assert code == 2 and "not a date YYYY-MM-DD" in err


def test_unwritable_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = str(tmp_path / "no" / "such" / "dir" / "out.html")
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--year", "2024",
                       "-o", target, "--lang", "en")
    assert code == 1 and err.startswith(f"error: {target}: cannot write the output file")


def test_bad_history_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    history = tmp_path / "2023.json"
    history.write_text('{"not": "a result"}', encoding="utf-8")
    code, _, err = run(capsys, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--year", "2024",
                       "--history", str(history), "--lang", "en")
    assert code == 1 and f"{history}" in err and "history file is not a scoring JSON result" in err


def test_help_and_version_return_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("scoring ")
    code, out, _ = run(capsys, "compare", "--help")
    assert code == 0 and "--variant" in out and "--chart" in out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    tty = _Terminal()
    with Progress(2, stream=tty) as progress:
        progress.step("读取")
        progress.step("计分")
    text = tty.getvalue()
    assert "[" in text and "1/2 读取" in text and "2/2 计分" in text and text.endswith("\r\x1b[K")
    piped = io.StringIO()
    with Progress(2, stream=piped) as progress:
        progress.step("读取")
    assert piped.getvalue() == ""
    quiet = _Terminal()
    with Progress(2, stream=quiet, enabled=False) as progress:
        progress.step("读取")
    assert quiet.getvalue() == ""


def _installed_command() -> str:
    beside = Path(sys.executable).with_name("scoring")
    found = str(beside) if beside.exists() else shutil.which("scoring")
    assert found, "the `scoring` command is not installed (pip install -e .)"
    return found


def test_installed_command_smoke(tmp_path: Path) -> None:
    command = _installed_command()
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    done = subprocess.run(
        [command, "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", str(DATA / "records.jsonl"), "--year", "2024",
         "-f", "csv"],
        capture_output=True, text=True, encoding="utf-8", env=env, check=False, timeout=120,
    )
    assert done.returncode == 0
    # no progress bar when stderr is a pipe: only the accounting line (R026 names an unknown member)
    assert done.stderr.startswith("注意：读取 28 条记录") and done.stderr.count("\n") == 1 and "\r" not in done.stderr
    assert done.stdout.splitlines()[0].startswith("委员编号,姓名,")
    failed = subprocess.run(
        [command, "score", "-r", "jinan-2015", "-m", str(tmp_path / "missing.csv"), "-d", RECORDS],
        capture_output=True, text=True, encoding="utf-8", env=env, check=False, timeout=120,
    )
    assert failed.returncode == 1 and "missing.csv" in failed.stderr and "Traceback" not in failed.stderr


def test_a_gbk_terminal_gets_gbk_output() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [_installed_command(), "score", "-r", "jinan-2015", "-m", MEMBERS, "-d", RECORDS, "--year", "2024"],
        capture_output=True, env=env, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")  # strict: every character encodable
    assert "三个一 √" in text and "三个一 ×" in text and "欧阳<娜>&Co" in text
