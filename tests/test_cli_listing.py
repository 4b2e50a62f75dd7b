"""``scoring rule-sets`` (family, dates, titles in the chosen language, files on the rule-set path)
and ``scoring plugins`` (our distribution names; a warning of a foreign ``scoring``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.cli import main

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = "examples/variants"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _rows(out: str) -> dict[str, list[str]]:
    """Rule-set id → the cells of its row (columns are separated by two spaces or more)."""
    import re

    lines = out.splitlines()[2:]
    return {cells[0]: cells for cells in (re.split(r"\s{2,}", line.strip()) for line in lines) if cells[0]}


def test_rule_sets_in_english_has_english_headings_and_titles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rule-sets", "--lang", "en")
    assert code == 0 and err == ""
    assert out.split()[:8] == ["rule", "set", "version", "family", "in", "force", "title", "provided"]
    rows = _rows(out)
    assert rows["jinan-2015"] == ["jinan-2015", "2015.1", "jinan", "2015-03-01 –",
                                  "Jinan CPPCC implementing measures for the quantitative assessment of members' duty "
                                  "performance", "cppcc-scoring-jinan 0.1.0"]
    assert "济南" not in out and "湖州" not in out


def test_rule_sets_in_chinese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule-sets")
    assert code == 0 and out.split()[:4] == ["规则集", "版本", "系列", "施行日期"]
    assert _rows(out)["jinan-2015"][4] == "关于政协委员履职量化考核的实施办法（济南市政协）"


def test_variants_show_the_dates_they_inherit_and_no_family(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows(run(capsys, "rule-sets", "--lang", "en")[1])
    assert rows["tongcheng-2019-floored"][:3] == ["tongcheng-2019-floored", "2019.1-floored", "2019-01-10 –"]
    assert rows["tongcheng-2019-floored"][-1] == "tongcheng-2019.toml"
    assert rows["huzhou"][:3] == ["huzhou", "2020.1", "huzhou"]  # a family of one, named like it; no dates


def test_rule_files_on_the_path_are_listed_with_their_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule-sets", "--path", VARIANTS, "--path", "tests/data/families", "--lang", "en")
    assert code == 0
    rows = _rows(out)
    assert rows["jinan-2015-strict"][-2:] == [f"{VARIANTS}/jinan-2015-strict.toml", "jinan-2015"]
    assert rows["testcity-2020"][:4] == ["testcity-2020", "2020.1", "testcity", "2020-01-01 –"]
    assert rows["testcity-2015"][3] == "2015-01-01 – 2019-12-31"
    assert out.splitlines()[-2:] == ["rule-set directory examples/variants: 1 rule file",
                                     "rule-set directory tests/data/families: 3 rule files"]
    ids = [line.split()[0] for line in out.splitlines()[2:-2]]
    assert ids.index("zhangjiakou-example") < ids.index("jinan-2015-strict")  # plugins first, then files


def test_the_listing_example_in_docs_cli_is_what_the_command_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    command = "$ scoring rule-sets --path examples/variants --lang en\n"
    shown = doc.split(command, 1)[1].split("```", 1)[0]
    assert run(capsys, "rule-sets", "--path", VARIANTS, "--lang", "en")[1] == shown


def test_plugins_are_listed_under_their_cppcc_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plugins", "--lang", "en")
    assert code == 0 and err == ""
    rows = _rows(out)
    assert rows["scoring.builtins"][1] == "cppcc-scoring"
    assert rows["jinan"][1:] == ["cppcc-scoring-jinan", "0.1.0"]


def test_plugins_warns_of_a_distribution_named_scoring(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    info = tmp_path / "scoring-0.0.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: scoring\nVersion: 0.0.9\n"
                                   "Summary: Build scorecard for credit risk analysis\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    code, _, err = run(capsys, "plugins", "--lang", "en")
    assert code == 0
    assert err.startswith("warning: a distribution named scoring is installed (scoring 0.0.9: Build scorecard for "
                          "credit risk analysis): not cppcc-scoring")
    assert "python -m pip uninstall scoring" in err
