"""Load-time errors of rule files: each names the file and the key path, says what was expected,
and offers a did-you-mean hint where a near miss exists; all problems come in one error.

Overlays (``extends``) are checked here too: patching or removing what does not exist, adding
an id that exists, reusing the base id, cycles, and that a variant never changes its base.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import scoring
from scoring import Problem, RuleSetError, load_rule_set, parse_rule_set

HEAD = """\
schema_version = 1

[rule_set]
id = "loader-test"
version = "1"
title = { zh = "加载测试", en = "loader test" }

[[categories]]
id = "meetings"
label = { zh = "会议", en = "Meetings" }
"""

RULE = """
[[rules]]
id = "plenary"
type = "per_unit"
category = "meetings"
label = "全体会议"
match = { kind = "meeting", subtype = "plenary", status = "attended" }
points = 10
"""

BANDS = """
[[grades]]
id = "pass"
label = "合格"
min = 60

[[grades]]
id = "fail"
label = "不合格"
max = 60
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(RuleSetError) as exc:
        load_rule_set(path)
    assert exc.value.problems, "a RuleSetError always carries problems"
    return list(exc.value.problems)


def only(problems: list[Problem], en_start: str) -> Problem:
    """The single problem whose English message starts with ``en_start``."""
    found = [p for p in problems if p.en.startswith(en_start)]
    assert len(found) == 1, [p.en for p in problems]
    return found[0]


@pytest.fixture
def load_error(tmp_path: Path) -> Callable[[str], tuple[Path, list[Problem]]]:
    """Write ``text`` to ``rules.toml`` and return its path and the problems loading it raises."""

    def load(text: str) -> tuple[Path, list[Problem]]:
        path = write(tmp_path, "rules.toml", text)
        return path, problems_of(path)

    return load


def test_a_valid_file_loads(tmp_path: Path) -> None:
    rule_set = load_rule_set(write(tmp_path, "ok.toml", HEAD + RULE + BANDS))
    assert rule_set.id == "loader-test" and [r.id for r in rule_set.rules] == ["plenary"]
    assert rule_set.source == str(tmp_path / "ok.toml")


# --------------------------------------------------------------------------------------------
# single-file errors
# --------------------------------------------------------------------------------------------


def test_toml_syntax_error_names_the_file_line_and_column(
    load_error: Callable[..., tuple[Path, list[Problem]]]
) -> None:
    path, problems = load_error(HEAD + "\n[[rules]\nid = 1\n")
    (problem,) = problems
    assert problem.file == str(path)
    assert (problem.zh, problem.en) == ("TOML 语法错误", "TOML syntax error")
    assert problem.found is not None and "line 12" in problem.found and "column" in problem.found


def test_missing_file_is_named(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "nowhere.toml")
    assert problem.file == str(tmp_path / "nowhere.toml")
    assert problem.en == "rule-set file not found"


def test_misspelt_rule_key_is_an_unknown_key_with_did_you_mean(
    load_error: Callable[..., tuple[Path, list[Problem]]]
) -> None:
    path, problems = load_error(HEAD + RULE.replace("points = 10", "pointz = 10"))
    problem = only(problems, "unknown key")
    assert problem.file == str(path)
    assert problem.key == "rules[0] (id=plenary).pointz"
    assert problem.en == "unknown key 'pointz'"
    assert problem.zh == "未知的键 'pointz'"
    assert problem.expected == "one of: points, split, unit"
    assert problem.hint == "did you mean 'points'? / 是否指 'points'？"
    # The required key it replaced is reported as missing, in the same error.
    missing = only(problems, "missing required key")
    assert missing.key == "rules[0] (id=plenary).points"


@pytest.mark.parametrize(
    ("text", "key", "hint_word", "expected_word"),
    [
        (HEAD + RULE + "\n[totl]\ncap = 100\n", "totl", "total", "total"),
        (HEAD.replace('label = { zh = "会议"', 'lable = { zh = "会议"'), "categories[0] (id=meetings).lable", "label",
         "label"),
        (HEAD + RULE.replace('status = "attended"', 'stauts = "attended"'), "rules[0] (id=plenary).match.stauts",
         "status", "not_flags"),
        (HEAD + RULE + '\n[policy]\nmin_service_day = 30\n', "policy.min_service_day", "min_service_days",
         "date_basis"),
    ],
    ids=["top-level", "category", "match", "policy"],
)
def test_unknown_keys_anywhere_name_their_key_path(
    load_error: Callable[..., tuple[Path, list[Problem]]], text: str, key: str, hint_word: str, expected_word: str
) -> None:
    path, problems = load_error(text)
    problem = only(problems, "unknown key")
    assert (problem.file, problem.key) == (str(path), key)
    assert problem.hint is not None and f"'{hint_word}'" in problem.hint
    assert problem.expected is not None and expected_word in problem.expected


def test_unknown_rule_type_suggests_the_closest(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE.replace('type = "per_unit"', 'type = "per_unti"'))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "rules[0] (id=plenary).type")
    assert problem.en == "unknown rule type 'per_unti'"
    assert problem.zh == "未知的规则类型 'per_unti'"
    assert problem.expected is not None and problem.expected.startswith("one of: ")
    assert {"per_unit", "status_points", "lifecycle", "deduct_from_full"} <= set(
        problem.expected.removeprefix("one of: ").split(", ")
    )
    assert problem.hint == "did you mean 'per_unit'? / 是否指 'per_unit'？"


def test_reference_to_an_unknown_category(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE.replace('category = "meetings"', 'category = "meeting"'))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "rules[0] (id=plenary).category")
    assert problem.en == "reference to an undefined category 'meeting'"
    assert problem.zh == "引用了不存在的类别 'meeting'"
    assert problem.expected == "one of: meetings"
    assert problem.hint == "did you mean 'meetings'? / 是否指 'meetings'？"


def test_unknown_vocabulary_code_in_a_match(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    rule = RULE.replace('{ kind = "meeting", subtype = "plenary", status = "attended" }',
                        '{ kind = "activity", subtype = ["inspection", "reserch"] }')
    path, problems = load_error(HEAD + rule)
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "rules[0] (id=plenary).match.subtype")
    assert problem.en == "unknown activity subtype 'reserch'"
    assert problem.zh == "未知的子类 'reserch'"
    assert problem.expected is not None and "research" in problem.expected and "inspection" in problem.expected
    assert problem.hint == "did you mean 'research'? / 是否指 'research'？"


@pytest.mark.parametrize(
    ("match", "key", "en"),
    [
        ('{ kind = "meetng" }', "match.kind", "unknown record kind 'meetng'"),
        ('{ kind = "meeting", status = "atended" }', "match.status", "unknown meeting status 'atended'"),
        ('{ kind = "proposal", flags = ["kye"] }', "match.flags", "unknown proposal flag 'kye'"),
        ('{ kind = "award", level = "provincal" }', "match.level", "unknown award level 'provincal'"),
    ],
)
def test_other_unknown_codes_in_a_match(
    load_error: Callable[..., tuple[Path, list[Problem]]], match: str, key: str, en: str
) -> None:
    rule = RULE.replace('{ kind = "meeting", subtype = "plenary", status = "attended" }', match)
    path, problems = load_error(HEAD + rule)
    (problem,) = problems
    assert (problem.file, problem.key, problem.en) == (str(path), f"rules[0] (id=plenary).{key}", en)
    assert problem.hint is not None and problem.hint.startswith("did you mean")


def test_unknown_code_in_a_lifecycle_stage_condition(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    rule = """
[[rules]]
id = "proposal"
type = "lifecycle"
category = "meetings"
label = "提案"
match = { kind = "proposal" }
stages = [{ label = "提交", points = 10 }, { label = "立案", points = 15, when = { status = "registerd" } }]
"""
    path, problems = load_error(HEAD + rule)
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "rules[0] (id=proposal).match.status")
    assert problem.en == "unknown proposal status 'registerd'"
    assert problem.hint == "did you mean 'registered'? / 是否指 'registered'？"


def test_unknown_code_in_a_points_table_is_a_load_error(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    rule = RULE.replace('type = "per_unit"', 'type = "status_points"').replace(
        ', status = "attended" }', " }").replace("points = 10", "points = { attendd = 10, leave_approved = 5 }")
    path, problems = load_error(HEAD + rule)
    (problem,) = problems
    assert problem.file == str(path) and problem.key is not None and "points" in problem.key
    assert problem.hint is not None and "attended" in problem.hint


def test_overlapping_grade_bands(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE + BANDS.replace("max = 60", "max = 70"))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "grades[1].max")
    assert problem.en == "grades 'pass' and 'fail' overlap"
    assert problem.zh == "等级 'pass' 与 'fail' 重叠"
    assert problem.expected == "max = 60 with max_inclusive = false"
    assert problem.found == "max = 70, max_inclusive = false"


def test_bands_sharing_an_inclusive_boundary_overlap(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    _, problems = load_error(HEAD + RULE + BANDS.replace("max = 60", "max = 60\nmax_inclusive = true"))
    (problem,) = problems
    assert problem.en == "grades 'pass' and 'fail' overlap" and problem.key == "grades[1].max"
    assert problem.found == "max = 60, max_inclusive = true"


def test_a_gap_between_grade_bands(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE + BANDS.replace("max = 60", "max = 50"))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "grades[1].max")
    assert problem.en == "grades 'pass' and 'fail' leave a gap"
    assert problem.zh == "等级 'pass' 与 'fail' 之间有空档"
    assert problem.expected == "max = 60 with max_inclusive = false"


def test_a_missing_boundary_between_grade_bands(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE + BANDS.replace("max = 60\n", ""))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "grades[0]")
    assert problem.en == "no boundary between grades 'pass' and 'fail'"
    assert problem.expected is not None and "best band first" in problem.expected


GATE = """
[[gates]]
id = "ones"
label = "三个一"
binding = true

[[gates.requirements]]
id = "plenary"
label = "出席一次全体会议"
match = { kind = "meeting", subtype = "plenary", status = "attended" }
"""


def test_binding_gate_without_fail_grade(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, problems = load_error(HEAD + RULE + BANDS + GATE)
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "gates[0] (id=ones)")
    assert "a binding gate needs fail_grade" in problem.en
    assert "约束性门槛须指定 fail_grade" in problem.zh


def test_gate_fail_grade_must_be_a_band(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    gate = GATE.replace("binding = true", 'binding = true\nfail_grade = "fial"')
    path, problems = load_error(HEAD + RULE + BANDS + gate)
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "gates[0] (id=ones).fail_grade")
    assert problem.en == "reference to an undefined grade 'fial'"
    assert problem.hint == "did you mean 'fail'? / 是否指 'fail'？"


def test_reference_to_an_undefined_setting(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    settings = '\n[settings]\nplenary_points = { label = "出席全会得分", value = 10 }\n'
    path, problems = load_error(HEAD + settings + RULE.replace("points = 10", 'points = { setting = "plenary_point" }'))
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "rules[0].points")
    assert problem.en == "reference to undefined setting 'plenary_point'"
    assert problem.zh == "引用了未定义的设定 'plenary_point'"
    assert problem.expected == "one of: plenary_points"
    assert problem.hint == "did you mean 'plenary_points'? / 是否指 'plenary_points'？"


def test_unpublished_setting_where_no_rule_owns_it(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    settings = '\n[settings]\nline = { label = "及格线" }\n'
    path, problems = load_error(HEAD + settings + RULE + '\n[total]\npass_mark = { setting = "line" }\n')
    (problem,) = problems
    assert (problem.file, problem.key) == (str(path), "total.pass_mark")
    assert problem.en == "setting 'line' has no value and cannot be used here"


def test_every_problem_is_reported_in_one_error(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    text = HEAD + RULE.replace('category = "meetings"', 'category = "meeting"').replace(
        'subtype = "plenary"', 'subtype = "plenery"') + BANDS.replace("max = 60", "max = 50")
    path, problems = load_error(text)
    assert sorted(p.key or "" for p in problems) == [
        "grades[1].max", "rules[0] (id=plenary).category", "rules[0] (id=plenary).match.subtype",
    ]
    assert all(p.file == str(path) for p in problems)


def test_error_text_names_file_key_expectation_and_hint(load_error: Callable[..., tuple[Path, list[Problem]]]) -> None:
    path, _ = load_error(HEAD + RULE.replace('type = "per_unit"', 'type = "per_unti"'))
    with pytest.raises(RuleSetError) as exc:
        load_rule_set(path)
    en = exc.value.format("en")
    assert en.startswith(f"{path}: rules[0] (id=plenary).type: unknown rule type 'per_unti' (expected one of: ")
    assert en.endswith("did you mean 'per_unit'? / 是否指 'per_unit'？)")
    zh = str(exc.value)
    assert zh.startswith(f"{path}: rules[0] (id=plenary).type: 未知的规则类型 'per_unti'（应为 one of: ")


def test_parse_rule_set_names_its_source() -> None:
    with pytest.raises(RuleSetError) as exc:
        parse_rule_set(HEAD + RULE.replace("points = 10", "pointz = 10"), source="inline.toml")
    assert {p.file for p in exc.value.problems} == {"inline.toml"}


# --------------------------------------------------------------------------------------------
# overlays
# --------------------------------------------------------------------------------------------


@pytest.fixture
def base_file(tmp_path: Path) -> Path:
    return write(tmp_path, "base.toml", HEAD + RULE + BANDS)


def overlay(tmp_path: Path, body: str, variant_id: str = "loader-variant", name: str = "variant.toml") -> Path:
    return write(tmp_path, name, f'[rule_set]\nid = "{variant_id}"\nextends = "base.toml"\n\n{body}')


def test_an_overlay_patches_adds_and_removes(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, """
[patch.rules.plenary]
points = 12

[patch.categories.meetings]
cap = 20

[[categories]]
id = "extra"
label = "其他"

[[rules]]
id = "research"
type = "per_unit"
category = "extra"
label = "调研"
match = { kind = "activity", subtype = "research" }
points = 2

[remove]
grades = []
""")
    variant = load_rule_set(path)
    assert variant.id == "loader-variant" and variant.version == "1"
    assert [r.id for r in variant.rules] == ["plenary", "research"]
    assert variant.rules[0].params is not None and variant.rules[0].params.model_dump()["points"] == 12
    assert variant.categories[0].cap == 20
    assert variant.chain == (str(base_file), str(path))


def test_overlay_patching_a_rule_that_does_not_exist(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, "[patch.rules.plenery]\npoints = 12\n")
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "patch.rules.plenery")
    assert problem.en == "patched 'plenery' does not exist in the base"
    assert problem.zh == "要修补的 'plenery' 在基础规则集中不存在"
    assert problem.expected == "one of: plenary"
    assert problem.hint == "did you mean 'plenary'? / 是否指 'plenary'？"


def test_overlay_patching_an_array_that_cannot_be_patched(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, "[patch.rule.plenary]\npoints = 12\n")
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "patch.rule")
    assert problem.en == "cannot patch 'rule'"
    assert problem.hint == "did you mean 'rules'? / 是否指 'rules'？"


def test_overlay_removing_what_does_not_exist(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, '[remove]\nrules = ["plenery"]\n')
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "remove.rules")
    assert problem.en == "removed 'plenery' does not exist"
    assert problem.hint == "did you mean 'plenary'? / 是否指 'plenary'？"


def test_overlay_adding_an_id_that_already_exists(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, RULE)
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "rules[0].id")
    assert problem.en == "'plenary' is already defined in the base"
    assert problem.zh == "'plenary' 已在基础规则集中定义"
    assert problem.hint == "use [patch.rules.plenary] to change it"


def test_overlay_with_the_id_of_its_base(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, "", variant_id="loader-test")
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "rule_set.id")
    assert problem.en == "a variant needs an id of its own"
    assert problem.zh == "变体必须有自己的 id"
    assert problem.found == "loader-test"


def test_overlay_whose_base_file_is_missing(tmp_path: Path) -> None:
    path = overlay(tmp_path, "")
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "rule_set.extends")
    assert problem.en == "the file named by extends is not a rule file"
    assert problem.found == str(tmp_path / "base.toml")


def test_overlay_extending_by_id_needs_a_resolver(tmp_path: Path) -> None:
    path = write(tmp_path, "v.toml", '[rule_set]\nid = "v"\nextends = "tongcheng-2019"\n')
    (problem,) = problems_of(path)
    assert (problem.file, problem.key) == (str(path), "rule_set.extends")
    assert problem.en == "cannot resolve base rule set 'tongcheng-2019'"
    assert problem.hint is not None and "plugin" in problem.hint


def test_problems_in_the_merged_rule_set_name_the_overlay(tmp_path: Path, base_file: Path) -> None:
    path = overlay(tmp_path, "[patch.rules.plenary]\npointz = 12\n")
    problem = only(problems_of(path), "unknown key")
    assert (problem.file, problem.key) == (str(path), "rules[0] (id=plenary).pointz")


def test_extends_cycle_between_two_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", '[rule_set]\nid = "a"\nversion = "1"\ntitle = "a"\nextends = "b.toml"\n')
    b = write(tmp_path, "b.toml", '[rule_set]\nid = "b"\nversion = "1"\ntitle = "b"\nextends = "a.toml"\n')
    for start in (a, b):
        (problem,) = problems_of(start)
        assert problem.file in (str(a), str(b))
        assert problem.key == "rule_set.extends"
        assert problem.en == "rule sets extend each other in a cycle"
        assert problem.zh == "规则集继承出现循环"
        assert problem.found is not None and "a.toml" in problem.found and "b.toml" in problem.found


def test_a_file_extending_itself(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", '[rule_set]\nid = "a"\nversion = "1"\ntitle = "a"\nextends = "a.toml"\n')
    (problem,) = problems_of(a)
    assert (problem.key, problem.en) == ("rule_set.extends", "rule sets extend each other in a cycle")


def test_extends_cycle_message_lists_every_file_with_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a.toml", '[rule_set]\nid = "a"\nversion = "1"\ntitle = "a"\nextends = "b.toml"\n')
    write(tmp_path, "b.toml", '[rule_set]\nid = "b"\nversion = "1"\ntitle = "b"\nextends = "a.toml"\n')
    monkeypatch.chdir(tmp_path)
    (problem,) = problems_of(Path("a.toml"))
    assert problem.found is not None and "b.toml" in problem.found


def test_an_overlay_never_mutates_its_base(tmp_path: Path, base_file: Path) -> None:
    before = load_rule_set(base_file)
    variant = load_rule_set(overlay(tmp_path, """
[patch.rules.plenary]
points = 99
match = { kind = "meeting", subtype = "plenary", status = ["attended", "late_or_early"] }

[patch.categories.meetings]
cap = 5

[remove]
grades = ["fail"]

[[grades]]
id = "fail2"
label = "不合格"
max = 60
"""))
    after = load_rule_set(base_file)
    assert variant.fingerprint != before.fingerprint
    assert after.fingerprint == before.fingerprint
    assert after.spec == before.spec
    assert before.categories[0].cap is None and [g.id for g in before.grades] == ["pass", "fail"]
    assert variant.categories[0].cap == 5 and [g.id for g in variant.grades] == ["pass", "fail2"]


def test_shipped_variant_leaves_its_shipped_base_alone(rule_set_path: Callable[[str], Path]) -> None:
    base = load_rule_set(rule_set_path("tongcheng-2019"))
    floored = load_rule_set(rule_set_path("tongcheng-2019-floored"))
    again = load_rule_set(rule_set_path("tongcheng-2019"))
    assert base.fingerprint == again.fingerprint != floored.fingerprint
    meetings = {c.id: c for c in again.categories}["meetings"]
    assert meetings.floor is None
    assert {c.id: c for c in floored.categories}["meetings"].floor == 0


def test_rule_set_error_is_a_scoring_error() -> None:
    with pytest.raises(scoring.ScoringError):
        parse_rule_set("not toml [")
