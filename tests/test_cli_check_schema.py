"""``scoring check`` (rule set and input files, every problem at once) and ``scoring schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.cli import main

DATA = Path(__file__).parent / "data" / "cli"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_rule_set_and_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "-r", "jinan-2015", "-m", str(DATA / "members_gbk.csv"),
                         "-d", str(DATA / "records.xlsx"))
    assert (code, err) == (0, f"注意：{DATA / 'records.xlsx'}: 跳过了 1 行：标题行 1\n")  # the sample's title row
    lines = out.splitlines()
    assert lines[0].startswith("OK: jinan-2015 2015.1 (7 条规则) sha256:")
    assert lines[1].endswith("members_gbk.csv: 6 名委员")
    assert lines[2].endswith("records.xlsx: 28 条记录")
    assert "R026 (M999)" in lines[3]  # scoring would reject it: said, but not an error


def test_check_reports_the_problems_of_both_files_together(capsys: pytest.CaptureFixture[str]) -> None:
    members, records = str(DATA / "members_bad.csv"), str(DATA / "records_bad.csv")
    code, out, err = run(capsys, "check", "-r", "jinan-2015", "-m", members, "-d", records, "--lang", "en")
    assert code == 1 and out == ""
    assert err.startswith("error: 4 problems\n")
    assert f"{members}: row 2: column 身份: not a known member role" in err
    assert f"{members}: row 3: column 委员编号: required value '委员编号' is empty" in err
    assert f"{records}: row 3: column 状态: not a known status of meeting records" in err
    assert "found 会晤" in err
    assert f"{records}: row 4: column 日期: no such date" in err
    assert "Traceback" not in err


def test_check_reports_a_bad_rule_set_with_the_input_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "-r", "jinan-2051", "-d", str(DATA / "records_bad.csv"))
    assert code == 1
    assert "共 3 处问题" in err
    assert "未知的规则集 'jinan-2051'" in err and "did you mean 'jinan-2015'?" in err
    assert "records_bad.csv: row 3" in err


def test_check_a_broken_rule_file_lists_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'schema_version = 1\n[rule_set]\nid = "x"\nextends = "jinan-2015"\nversion = "1"\ntitle = "x"\n'
        '[patch.rules.no_such_rule]\npoints = 1\n[patch.grades.also_missing]\nmin = 1\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", "-r", str(path))
    assert code == 1 and out == ""
    assert "no_such_rule" in err and "also_missing" in err


@pytest.mark.parametrize(
    ("what", "titles"),
    [
        ("inputs", {"Member": "Member", "ActivityRecord": "ActivityRecord", "Period": "Period"}),
        ("outputs", {"ScoringResult": "ScoringResult", "Comparison": "Comparison"}),
    ],
)
def test_schema_groups(capsys: pytest.CaptureFixture[str], what: str, titles: dict[str, str]) -> None:
    code, out, err = run(capsys, "schema", "--what", what)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert {k: v["title"] for k, v in doc.items()} == titles
    assert all(v["$schema"] == "https://json-schema.org/draft/2020-12/schema" for v in doc.values())


def test_schema_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["inputs", "outputs", "rule-set"]
    member = doc["inputs"]["Member"]
    assert member["required"] == ["id"] and "sector" in member["properties"]
    record = doc["inputs"]["ActivityRecord"]
    assert set(record["required"]) == {"id", "member_id", "kind", "date"}
    result = doc["outputs"]["ScoringResult"]
    total = result["$defs"]["Scorecard"]["properties"]["total"]
    assert {"type": "null"} in total["anyOf"] and any(t.get("type") == "string" for t in total["anyOf"])
    rule_set = doc["rule-set"]
    assert rule_set["RuleSetSpec"]["title"] == "RuleSetSpec"
    assert rule_set["RuleSetSpec"]["$defs"]["RuleSpec"]["additionalProperties"] is True
    assert {"patch", "remove", "rule_set", "rules", "grades"} <= set(rule_set["RuleSetSpec"]["properties"])
    assert {"fixed", "per_unit", "from_nth"} <= set(rule_set["rule_types"])
    assert "points" in rule_set["rule_types"]["per_unit"]["properties"]


def test_schema_accepts_a_real_result(capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    _, out, _ = run(capsys, "schema", "--what", "outputs")
    schema = json.loads(out)["ScoringResult"]
    main(["score", "-r", "jinan-2015", "-m", str(DATA / "members.json"), "-d", str(DATA / "records.json"),
          "--year", "2024", "-f", "json"])
    result = json.loads(capsys.readouterr().out)
    jsonschema.validate(result, schema)


@pytest.mark.parametrize("path", [
    *sorted(Path(__file__).resolve().parents[1].glob("plugins/*/src/*/rule_sets/*.toml")),
    Path(__file__).resolve().parents[1] / "examples" / "variants" / "jinan-2015-strict.toml",
], ids=lambda p: p.name)
def test_rule_files_validate_against_the_rule_file_schema(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    _, out, _ = run(capsys, "schema", "--what", "rule-set")
    schemas = json.loads(out)
    schema = schemas["RuleSetSpec"]
    data = json.loads(json.dumps(tomllib.loads(path.read_text(encoding="utf-8")), default=str))
    if "extends" in data["rule_set"]:  # an overlay holds only what differs: its top level is checked
        assert set(data) <= set(schema["properties"])
        return
    jsonschema.validate(data, schema)
    common = set(schema["$defs"]["RuleSpec"]["properties"])
    for rule in data.get("rules", []):
        params = {k: v for k, v in rule.items() if k not in common}
        jsonschema.validate(params, schemas["rule_types"][rule["type"]])
