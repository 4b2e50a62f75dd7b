"""`scoring check` runs the rule-set lint: warnings are listed, errors fail the check."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.cli import main

HEAD = """
[rule_set]
id = "linted"
version = "1"
title = "检查"

[[categories]]
id = "c"
label = "类别"
cap = 3

[[rules]]
id = "proposal"
type = "per_unit"
category = "c"
label = "提案"
match = { kind = "proposal" }
points = 5
"""


def test_a_cap_below_one_item_is_a_warning_and_the_check_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(HEAD, encoding="utf-8")
    assert main(["check", "--rule-set", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: linted 1")
    assert "[warning cap_below_item]" in out


def test_an_unreachable_grade_band_fails_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.toml"
    path.write_text(HEAD + """
[[grades]]
id = "top"
label = "优秀"
min = 90

[[grades]]
id = "rest"
label = "其他"
max = 90
""", encoding="utf-8")
    assert main(["check", "--rule-set", str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "grades[0]" in err and "lint: unreachable_grade" in err
