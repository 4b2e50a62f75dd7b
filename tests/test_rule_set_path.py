"""The rule-set path: rule files in ``--path`` directories and ``$SCORING_RULE_SET_PATH`` are found
by id (and family) like the plugins' rule sets; nothing the user pointed to is skipped silently."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from scoring import ConfigurationError, Period
from scoring.cli import main
from scoring.plugins import Registry, make_plugin_manager
from scoring.rule_set_path import RULE_SET_PATH_ENV, rule_set_path
from scoring.ruleset.in_force import EffectiveDates
from stderr_notes import without_accounting

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ROOT / "examples" / "variants"
FAMILIES = Path(__file__).parent / "data" / "families"
JINAN = ROOT / "plugins/scoring-jinan/src/scoring_jinan/rule_sets/jinan-2015.toml"
DATA = Path(__file__).parent / "data" / "cli"
INPUTS = ("-m", str(DATA / "members_gbk.csv"), "-d", str(DATA / "records_gbk.csv"), "--year", "2024")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    err = without_accounting(err)
    return code, out, err


def test_the_path_is_the_given_directories_then_the_environment() -> None:
    env = {RULE_SET_PATH_ENV: f"b{os.pathsep}{os.pathsep} {os.pathsep}c"}
    assert rule_set_path(["a"], env) == (Path("a"), Path("b"), Path("c"))
    assert rule_set_path([], {}) == ()


def test_a_variant_on_the_path_is_found_by_id() -> None:
    registry = Registry.build(path=[VARIANTS])
    entry = registry.rule_sets["jinan-2015-strict"]
    assert entry.plugin is None and entry.provider == str(VARIANTS / "jinan-2015-strict.toml")
    assert (entry.extends, entry.version, entry.family) == ("jinan-2015", "2015.1-strict", None)
    assert entry.dates == EffectiveDates(dt.date(2015, 3, 1), None)  # inherited from jinan-2015
    assert entry.title.get("en").startswith("Jinan 2015, example variant")
    rule_set = registry.load("jinan-2015-strict", period=Period.year(2024))
    assert rule_set.source == str(VARIANTS / "jinan-2015-strict.toml")
    assert rule_set.grade("competent").min == 65  # type: ignore[union-attr]


def test_without_a_path_no_directory_is_read() -> None:
    assert "jinan-2015-strict" not in Registry.build().rule_sets


def test_case_files_and_other_toml_are_passed_over(tmp_path: Path) -> None:
    shutil.copy(FAMILIES / "testcity-2015.toml", tmp_path)
    (tmp_path / "testcity.cases.toml").write_text('rule_set = "testcity-2015"\n[[cases]]\nid = "x"\n')
    (tmp_path / "mapping.toml").write_text('[members]\n"编号" = "id"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a rule file")
    registry = Registry.build(make_plugin_manager(load_entry_points=False), path=[tmp_path])
    assert set(registry.rule_sets) == {"testcity-2015"}


@pytest.mark.parametrize(("name", "text", "message"), [
    ("broken.toml", "[rule_set\nid = 1", "TOML syntax error"),
    ("anonymous.toml", '[rule_set]\nversion = "1"\n', "rule file has no [rule_set] id"),
])
def test_a_bad_rule_file_on_the_path_is_an_error_naming_it(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        Registry.build(make_plugin_manager(load_entry_points=False), path=[tmp_path])
    assert [(p.file, p.en) for p in caught.value.problems] == [(str(tmp_path / name), message)]


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Registry.build(make_plugin_manager(load_entry_points=False), path=[tmp_path / "nope"])
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "nope") and problem.en == "the rule-set directory does not exist"


def test_an_id_already_taken_is_an_error_naming_both(tmp_path: Path) -> None:
    shutil.copy(JINAN, tmp_path)
    with pytest.raises(ConfigurationError) as caught:
        Registry.build(path=[tmp_path])
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "jinan-2015.toml")
    assert problem.en == "rule-set id 'jinan-2015' is taken by cppcc-scoring-jinan 0.1.0"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(VARIANTS / "jinan-2015-strict.toml", other)
    with pytest.raises(ConfigurationError) as caught:
        Registry.build(path=[VARIANTS, other])
    assert caught.value.problems[0].en == (
        f"rule-set id 'jinan-2015-strict' is taken by {VARIANTS / 'jinan-2015-strict.toml'}")


def test_score_and_check_with_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "--path", str(VARIANTS), "-r", "jinan-2015-strict", *INPUTS, "-f", "json")
    assert code == 0 and err == "" and json.loads(out)["rule_set_id"] == "jinan-2015-strict"
    code, out, _ = run(capsys, "check", "--path", str(VARIANTS), "-r", "jinan-2015-strict")
    assert code == 0 and out.startswith("OK: jinan-2015-strict 2015.1-strict")


def test_compare_a_variant_named_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "-r", "jinan-2015", "-V", "jinan-2015-strict", "--path", str(VARIANTS),
                         *INPUTS, "-f", "json")
    assert code == 0 and err == ""
    assert [v["variant"]["id"] for v in json.loads(out)["variants"]] == ["jinan-2015-strict"]


def test_the_environment_variable(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RULE_SET_PATH_ENV, f"{FAMILIES}{os.pathsep}{VARIANTS}")
    code, out, err = run(capsys, "score", "-r", "jinan-2015-strict", *INPUTS, "-f", "json")
    assert code == 0 and err == "" and json.loads(out)["rule_set_id"] == "jinan-2015-strict"
    code, out, _ = run(capsys, "rule-sets")
    assert code == 0 and "testcity-2020-trial" in out and "jinan-2015-strict" in out


def test_a_bad_environment_directory_stops_only_the_commands_that_name_rule_sets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setenv(RULE_SET_PATH_ENV, str(tmp_path / "gone"))
    code, _, err = run(capsys, "score", "-r", "jinan-2015", *INPUTS, "--lang", "en")
    assert code == 1 and err == f"error: {tmp_path / 'gone'}: the rule-set directory does not exist (expected a " \
                                f"directory of .toml rule files; check --path and ${RULE_SET_PATH_ENV} / 请检查 " \
                                f"--path 与 ${RULE_SET_PATH_ENV})\n"
    code, out, _ = run(capsys, "plugins")
    assert code == 0 and "cppcc-scoring-jinan" in out


def test_unknown_rule_set_lists_the_families(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", "--path", str(FAMILIES), "-r", "testcty", *INPUTS, "--lang", "en")
    assert code == 1
    assert "; or a family: jinan, testcity, tongcheng" in err and "did you mean 'testcity'?" in err
