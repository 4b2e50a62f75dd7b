"""Scoring a period outside a rule set's effective dates: a warning on stderr (zh/en), an error
with ``--strict-dates``; no warning when the rule set is in force. jinan-2015 is in force from
2015-03-01 (open-ended)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.cli import main
from stderr_notes import without_accounting

DATA = Path(__file__).parent / "data" / "cli"
INPUTS = ("-m", str(DATA / "members_gbk.csv"), "-d", str(DATA / "records_gbk.csv"))
VARIANT = str(Path(__file__).parents[1] / "examples" / "variants" / "jinan-2015-strict.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    err = without_accounting(err)
    return code, out, err


def test_a_period_before_the_rule_set_is_in_force_warns_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--year", "2014")
    assert code == 0 and out  # scored all the same
    assert err.startswith("警告：考核期 2014-01-01~2014-12-31 不在规则集 jinan-2015 的施行期内（自 2015-03-01 起施行）")
    assert "加 --strict-dates 则视为错误" in err and err.count("\n") == 1


def test_the_warning_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--year", "2014", "--lang", "en")
    assert code == 0
    assert err.startswith("warning: the period 2014-01-01~2014-12-31 is outside the effective dates of rule set "
                          "jinan-2015 (in force from 2015-03-01)")
    assert "--strict-dates makes this an error" in err


def test_a_period_only_partly_in_force_warns_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--year", "2015", "--lang", "en")
    assert code == 0 and "is only partly within the effective dates of rule set jinan-2015" in err


def test_strict_dates_makes_it_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--year", "2014", "--strict-dates",
                         "--lang", "en")
    assert code == 1 and out == ""
    assert err.startswith("error: the period 2014-01-01~2014-12-31 is outside the effective dates of rule set "
                          "jinan-2015")


@pytest.mark.parametrize("command", [
    ("score", "-f", "json"), ("score", "-f", "jsonl"), ("score", "-f", "jsonl", "--engine", "reference"),
    ("explain", "--member", "M001"), ("compare", "-V", VARIANT),
])
def test_every_scoring_command_checks_the_dates(capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    code, _, err = run(capsys, *command, "-r", "jinan-2015", *INPUTS, "--year", "2014", "--lang", "en")
    assert code == 0 and "warning: the period 2014-01-01~2014-12-31 is outside" in err
    code, out, err = run(capsys, *command, "-r", "jinan-2015", *INPUTS, "--year", "2014", "--strict-dates")
    assert code == 1 and out == "" and err.startswith("错误：考核期 2014-01-01~2014-12-31 不在规则集 jinan-2015")


def test_a_compared_variant_outside_its_dates_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "compare", "-r", "jinan-2015", "-V", VARIANT, *INPUTS, "--from", "2014-06-01",
                       "--to", "2014-12-31", "--lang", "en")
    assert code == 0
    assert [line.split(" is ")[0] for line in err.splitlines()] == ["warning: the period 2014-06-01~2014-12-31"] * 2
    assert "rule set jinan-2015 " in err and "rule set jinan-2015-strict " in err


def test_no_warning_when_the_rule_set_is_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--year", "2024", "--strict-dates")
    assert code == 0 and out and err == ""


def test_a_rule_set_without_dates_is_always_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "-r", "huzhou-example", *INPUTS, "--year", "1999", "--strict-dates")
    assert code == 0 and err == ""
