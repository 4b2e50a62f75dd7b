"""Rule-set lint (``scoring.ruleset.lint``): every finding code on a minimal rule file, nothing on
clean files, no errors on any shipped rule set, and the soundness of the reachable-total range
that grade, trigger and eligibility findings rest on (every total scored lies inside it)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import ActivityRecord, Member, Period, RuleSet, load_rule_set, parse_rule_set, score
from scoring.plugins import Registry
from scoring.ruleset.lint import Finding, lint, total_range
from scoring.testing.strategies import cities, periods, rule_sets
from scoring.vocabulary import base_vocabulary

HEAD = """\
[rule_set]
id = "lint-test"
version = "1"
title = { zh = "检查测试", en = "lint test" }
"""

#: Base 70, rewards per proposal capped at 30: totals lie in [70, 100].
BASE = HEAD + """
[total]
cap = 100

[[categories]]
id = "base"
label = "基本分"

[[categories]]
id = "rewards"
label = "加分"
cap = 30

[[rules]]
id = "base"
type = "fixed"
category = "base"
label = "基本分"
points = 70

[[rules]]
id = "proposal"
type = "per_unit"
category = "rewards"
label = "提案"
match = { kind = "proposal" }
points = 5
"""

BANDS = """
[[grades]]
id = "good"
label = "好"
min = 85

[[grades]]
id = "ok"
label = "中"
min = 60
max = 85

[[grades]]
id = "bad"
label = "差"
max = 60
"""


def load(tmp_path: Path, text: str, name: str = "lint.toml") -> RuleSet:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_rule_set(path)


def findings(tmp_path: Path, text: str) -> list[Finding]:
    return lint(load(tmp_path, text))


def of(found: list[Finding], code: str) -> list[Finding]:
    return [f for f in found if f.code == code]


def test_a_clean_rule_set_has_no_findings(tmp_path: Path) -> None:
    assert findings(tmp_path, BASE + BANDS.replace("60", "75")) == []


# --------------------------------------------------------------------------------------------
# unreachable grade bands
# --------------------------------------------------------------------------------------------


def test_band_below_every_possible_total_is_an_error(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, BASE + BANDS)
    assert finding == Finding(
        severity="error", code="unreachable_grade", key="grades[2] (id=bad)",
        zh="等级 'bad' 不可能达到：总分范围为 [70, 100]",
        en="grade 'bad' is unreachable: totals lie in [70, 100]",
        file=str(tmp_path / "lint.toml"),
    )


def test_band_above_the_total_cap_is_an_error(tmp_path: Path) -> None:
    text = BASE.replace("points = 70", "points = 40") + BANDS.replace("min = 85", "min = 101").replace(
        "max = 85", "max = 101")
    (finding,) = findings(tmp_path, text)
    assert (finding.severity, finding.code, finding.key) == ("error", "unreachable_grade", "grades[0] (id=good)")
    assert finding.en == "grade 'good' is unreachable: totals lie in [40, 70]"


def test_a_band_exactly_at_an_exclusive_boundary_is_unreachable(tmp_path: Path) -> None:
    text = BASE.replace("points = 70", "points = 0").replace("cap = 30", "cap = 85") + BANDS.replace(
        "min = 85", "min = 85\nmin_inclusive = false").replace("max = 85", "max = 85\nmax_inclusive = true")
    (finding,) = of(findings(tmp_path, text), "unreachable_grade")
    assert finding.key == "grades[0] (id=good)"


def test_a_band_only_a_binding_gate_gives_is_a_warning(tmp_path: Path) -> None:
    gate = """
[[gates]]
id = "one"
label = "一个一"
binding = true
fail_grade = "bad"

[[gates.requirements]]
id = "proposal"
label = "一件提案"
match = { kind = "proposal" }
"""
    (finding,) = findings(tmp_path, BASE + BANDS + gate)
    assert (finding.severity, finding.code, finding.key) == ("warning", "unreachable_grade", "grades[2] (id=bad)")
    assert finding.en == "no total falls into grade 'bad' (totals lie in [70, 100]); only a gate or a quota can give it"


def test_rounding_widens_the_reachable_range(tmp_path: Path) -> None:
    # 84.995 cannot reach [85, …) exactly, but rounded up to two places it can.
    text = BASE.replace("points = 70", "points = 54.995").replace("[total]", "[rounding]\nplaces = 2\nmode = \"up\"\n"
                                                                    "\n[total]") + BANDS
    assert of(findings(tmp_path, text), "unreachable_grade") == []


def test_grades_depending_on_unpublished_settings_are_not_judged(tmp_path: Path) -> None:
    text = BASE + '\n[settings]\nline = { label = "线" }\n' + BANDS.replace("max = 60", 'max = { setting = "line" }')
    assert of(findings(tmp_path, text), "unreachable_grade") == []


# --------------------------------------------------------------------------------------------
# gates that can never be met
# --------------------------------------------------------------------------------------------

GATE = """
[[gates]]
id = "ones"
label = "N个一"
binding = false

[[gates.requirements]]
id = "req"
label = "要求"
{requirement}
"""


@pytest.mark.parametrize(
    ("requirement", "why"),
    [
        ('match = { kind = "proposal", flags = ["key"], not_flags = ["key"] }', "flags and not_flags both name key"),
        ('match = { kind = "meeting", status = [] }', "status = [] (an empty list matches nothing)"),
    ],
    ids=["flags-and-not-flags", "empty-code-list"],
)
def test_a_requirement_no_record_can_meet(tmp_path: Path, requirement: str, why: str) -> None:
    (finding,) = findings(tmp_path, BASE + GATE.format(requirement=requirement))
    assert finding == Finding(
        "error", "gate_never_met", "gates[0] (id=ones).requirements[0] (id=req)",
        f"要求 'req' 不可能满足：{why}", f"requirement 'req' can never be met: {why}", str(tmp_path / "lint.toml"),
    )


def test_any_of_is_unmeetable_only_when_every_alternative_is(tmp_path: Path) -> None:
    both = """any_of = [
  { id = "a", label = "a", match = { kind = "proposal", subtype = [] } },
  { id = "b", label = "b", match = { kind = "opinion", flags = ["instructed"], not_flags = ["instructed"] } },
]"""
    (finding,) = findings(tmp_path, BASE + GATE.format(requirement=both))
    assert finding.code == "gate_never_met"
    assert finding.en == (
        "requirement 'req' can never be met by any alternative: a: subtype = [] (an empty list matches nothing); "
        "b: flags and not_flags both name instructed"
    )
    one_fine = both.replace('subtype = []', 'subtype = ["other"]').replace('kind = "proposal"', 'kind = "meeting"')
    assert findings(tmp_path, BASE + GATE.format(requirement=one_fine)) == []


# --------------------------------------------------------------------------------------------
# escalation triggers that can never hold
# --------------------------------------------------------------------------------------------


def step(trigger: str) -> str:
    return f"""
[[escalation]]
id = "warn"
action = "remind"
action_label = "提醒"
trigger = {trigger}
"""


def test_total_below_a_value_no_total_can_go_under(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, BASE + step('{ type = "total_below", value = 70 }'))
    assert finding == Finding(
        "error", "trigger_never_holds", "escalation[0] (id=warn).trigger",
        "步骤 'warn' 的触发条件永远不会成立：总分不可能低于 70（最低可能总分 70）",
        "the trigger of step 'warn' can never hold: no total is below 70 (the lowest possible total is 70)",
        str(tmp_path / "lint.toml"),
    )
    assert findings(tmp_path, BASE + step('{ type = "total_below", value = 70.5 }')) == []


def test_total_below_the_total_floor(tmp_path: Path) -> None:
    text = HEAD + """
[total]
floor = 0

[[categories]]
id = "c"
label = "c"

[[rules]]
id = "absent"
type = "per_unit"
category = "c"
label = "缺席"
match = { kind = "meeting", status = "absent_unexcused" }
points = -5
""" + step('{ type = "total_below", value = 0 }')
    (finding,) = findings(tmp_path, text)
    assert (finding.code, finding.key) == ("trigger_never_holds", "escalation[0] (id=warn).trigger")
    assert finding.en.endswith("no total is below 0 (the lowest possible total is 0)")


def test_grade_in_unreachable_grades_gate_without_requirements_and_empty_match(tmp_path: Path) -> None:
    text = BASE + BANDS.replace("min = 85", "min = 85") + """
[[gates]]
id = "empty"
label = "空门槛"
binding = false
requirements = []
""" + step('{ type = "grade_in", grades = ["bad"] }') + step(
        '{ type = "gate_failed", gate = "empty" }').replace('"warn"', '"warn2"') + step(
        '{ type = "records_at_least", match = { kind = "meeting", subtype = [] }, count = 2 }').replace(
        '"warn"', '"warn3"')
    never = of(findings(tmp_path, text), "trigger_never_holds")
    assert [(f.key, f.en) for f in never] == [
        ("escalation[0] (id=warn).trigger",
         "the trigger of step 'warn' can never hold: none of the grades bad can be given"),
        ("escalation[1] (id=warn2).trigger",
         "the trigger of step 'warn2' can never hold: gate 'empty' has no requirement"),
        ("escalation[2] (id=warn3).trigger",
         "the trigger of step 'warn3' can never hold: its match selects no record (subtype = [] (an empty list matches "
         "nothing))"),
    ]


def test_steps_depending_on_unpublished_settings_are_not_judged(tmp_path: Path) -> None:
    trigger = step('{ type = "total_below", value = { setting = "line" } }')
    text = BASE + '\n[settings]\nline = { label = "线" }\n' + trigger
    assert findings(tmp_path, text) == [
        f for f in findings(tmp_path, text) if f.code == "unused_setting"
    ] == []


# --------------------------------------------------------------------------------------------
# caps below one item's points
# --------------------------------------------------------------------------------------------


def test_rule_cap_below_one_item(tmp_path: Path) -> None:
    text = BASE.replace("points = 5\n", "points = 5\ncap = 3\n")
    (finding,) = findings(tmp_path, text)
    assert finding == Finding(
        "warning", "cap_below_item", "rules[1] (id=proposal).cap",
        "规则上限 3 低于规则 'proposal' 单项记录可得的 5 分",
        "the rule's cap 3 is below the 5 points one record earns under rule 'proposal'",
        str(tmp_path / "lint.toml"),
    )


def test_category_cap_below_a_once_rule(tmp_path: Path) -> None:
    text = BASE + """
[[rules]]
id = "any_report"
type = "once"
category = "rewards"
label = "提交履职报告"
match = { kind = "report" }
points = 40
"""
    (finding,) = findings(tmp_path, text)
    assert (finding.severity, finding.code, finding.key) == (
        "warning", "cap_below_item", "categories[1] (id=rewards).cap")
    assert finding.en == "category 'rewards''s cap 30 is below the 40 points one record earns under rule 'any_report'"


def test_caps_do_not_bound_deductions_or_negative_table_entries(tmp_path: Path) -> None:
    text = BASE + """
[[rules]]
id = "plenary"
type = "status_points"
category = "rewards"
label = "全会"
match = { kind = "meeting", subtype = "plenary" }
points = { attended = 2, absent_unexcused = -50 }
cap = 10

[[rules]]
id = "late"
type = "per_unit"
category = "rewards"
label = "迟到"
match = { kind = "meeting", status = "late_or_early" }
points = -40
cap = 0

[[rules]]
id = "discipline"
type = "deduct_from_full"
category = "rewards"
label = "纪律"
match = { kind = "discipline" }
full = 10
deduct = 20
cap = 10
"""
    assert of(findings(tmp_path, text), "cap_below_item") == []


# --------------------------------------------------------------------------------------------
# rules, categories, settings, eligibility
# --------------------------------------------------------------------------------------------


def test_rule_that_matches_nothing(tmp_path: Path) -> None:
    text = BASE.replace('match = { kind = "proposal" }', 'match = { kind = "proposal", role = [] }')
    (finding,) = findings(tmp_path, text)
    assert (finding.severity, finding.code, finding.key) == ("warning", "rule_never_matches",
                                                              "rules[1] (id=proposal).match")
    assert finding.en == "rule 'proposal' matches no record: role = [] (an empty list matches nothing)"


def test_category_without_rules(tmp_path: Path) -> None:
    text = BASE + '\n[[categories]]\nid = "spare"\nlabel = { zh = "备用", en = "spare" }\n'
    (finding,) = findings(tmp_path, text)
    assert finding == Finding("warning", "empty_category", "categories[2] (id=spare)", "类别 'spare' 没有任何规则",
                              "category 'spare' has no rule", str(tmp_path / "lint.toml"))


def test_unused_setting(tmp_path: Path) -> None:
    text = BASE.replace("points = 5\n", 'points = { setting = "per_proposal" }\n') + """
[settings]
per_proposal = { label = "每件提案", value = 5 }
forgotten = { label = "没人用", value = 1 }
"""
    (finding,) = findings(tmp_path, text)
    assert finding == Finding("warning", "unused_setting", "settings.forgotten", "设定 'forgotten' 没有被任何地方引用",
                              "setting 'forgotten' is referenced by nothing", str(tmp_path / "lint.toml"))


def test_a_setting_used_only_by_a_rule_an_overlay_removes_is_unused_in_the_variant(tmp_path: Path) -> None:
    base = BASE.replace("points = 5\n", 'points = { setting = "per_proposal" }\n') + (
        '\n[settings]\nper_proposal = { label = "每件提案", value = 5 }\n')
    assert findings(tmp_path, base) == []
    (tmp_path / "lint.toml").write_text(base, encoding="utf-8")
    variant = load(tmp_path, '[rule_set]\nid = "lint-variant"\nextends = "lint.toml"\n\n'
                             '[remove]\nrules = ["proposal"]\n', name="variant.toml")
    assert [(f.code, f.key, f.file) for f in lint(variant)] == [
        ("empty_category", "categories[1] (id=rewards)", str(tmp_path / "variant.toml")),
        ("unused_setting", "settings.per_proposal", str(tmp_path / "variant.toml")),
    ]


def test_settings_of_a_rule_set_parsed_from_text_are_not_judged() -> None:
    text = BASE + '\n[settings]\nforgotten = { label = "没人用", value = 1 }\n'
    assert lint(parse_rule_set(text)) == []


def test_eligibility_above_the_highest_total(tmp_path: Path) -> None:
    text = BASE + '\n[[eligibility]]\nid = "star"\nlabel = "可评优"\nmin = 100\nmin_inclusive = false\n'
    (finding,) = findings(tmp_path, text)
    assert (finding.severity, finding.code, finding.key) == ("warning", "eligibility_unreachable",
                                                              "eligibility[0] (id=star).min")
    assert finding.en == "the line 100 of 'star' is above the highest possible total 100"


# --------------------------------------------------------------------------------------------
# vocabulary findings (load errors normally; lint still guards rule sets built another way)
# --------------------------------------------------------------------------------------------


def test_roles_and_kinds_outside_the_vocabulary(tmp_path: Path) -> None:
    text = BASE.replace('match = { kind = "proposal" }', 'match = { kind = "proposal" }\nroles = ["core"]') + (
        GATE.format(requirement='match = { kind = "proposal" }\nroles = ["core"]'))
    rule_set = load(tmp_path, text)
    vocab = base_vocabulary()
    smaller = vocab.model_copy(update={
        "roles": {k: v for k, v in vocab.roles.items() if k != "core"},
        "kinds": {k: v for k, v in vocab.kinds.items() if k != "proposal"},
    })
    found = lint(dataclasses.replace(rule_set, vocabulary=smaller))
    assert [(f.severity, f.code, f.key) for f in found] == [
        ("error", "unknown_role", "rules[1] (id=proposal).roles"),
        ("error", "unknown_kind", "rules[1] (id=proposal).match.kind"),
        ("error", "unknown_role", "gates[0] (id=ones).requirements[0] (id=req).roles"),
        ("error", "unknown_kind", "gates[0] (id=ones).requirements[0] (id=req).match.kind"),
    ]
    assert found[0].en == "member role 'core' is not in the vocabulary: no member can hold it"
    assert found[1].zh == "记录类型 'proposal' 不在词表中，没有记录能匹配"


# --------------------------------------------------------------------------------------------
# the Finding type
# --------------------------------------------------------------------------------------------


def test_a_finding_is_frozen_and_formats_in_both_languages() -> None:
    finding = Finding("warning", "empty_category", "categories[0] (id=x)", "类别 'x' 没有任何规则",
                      "category 'x' has no rule", "rules.toml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "other"  # type: ignore[misc]
    assert finding.format("en") == "rules.toml: categories[0] (id=x): [warning empty_category] category 'x' has no rule"
    assert finding.format("zh") == "rules.toml: categories[0] (id=x): [警告 empty_category] 类别 'x' 没有任何规则"
    problem = finding.to_problem()
    assert (problem.file, problem.key, problem.en, problem.hint) == (
        "rules.toml", "categories[0] (id=x)", "category 'x' has no rule", "lint: empty_category")


def test_errors_come_before_warnings(tmp_path: Path) -> None:
    text = BASE.replace("points = 5\n", "points = 5\ncap = 3\n") + BANDS
    assert [f.severity for f in findings(tmp_path, text)] == ["error", "error", "warning"]


# --------------------------------------------------------------------------------------------
# shipped rule sets
# --------------------------------------------------------------------------------------------


def test_shipped_rule_set_has_no_lint_errors(shipped_name: str, rule_set_path: Callable[[str], Path],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    found = lint(load_rule_set(rule_set_path(shipped_name)))
    with capsys.disabled():
        for finding in found:
            print(f"\n[lint {shipped_name}] {finding.format('en')}")
    assert [f.format("en") for f in found if f.severity == "error"] == []


def test_rule_sets_loaded_through_plugins_lint_the_same() -> None:
    registry = Registry.build()
    for rule_set_id in sorted(registry.rule_sets):
        assert [f for f in lint(registry.load(rule_set_id)) if f.severity == "error"] == [], rule_set_id


# --------------------------------------------------------------------------------------------
# soundness: every total a rule set produces lies in total_range
# --------------------------------------------------------------------------------------------


@settings(max_examples=int(os.environ.get("SCORING_LINT_EXAMPLES", "60")))
@given(rule_sets(), periods(), st.data())
def test_every_scored_total_lies_in_the_reachable_range(text: str, period: object, data: st.DataObject) -> None:
    rule_set = parse_rule_set(text)
    span = total_range(rule_set)
    members, records = data.draw(cities(rule_set, period, max_records=30))  # type: ignore[arg-type]
    result = score(rule_set, members, records, period)  # type: ignore[arg-type]
    for card in result.scorecards:
        if card.total is not None:
            assert span.lo <= card.total <= span.hi, (card.member_id, card.total, span)
    unreachable = {f.key for f in lint(rule_set) if f.code == "unreachable_grade"}
    for card in result.scorecards:
        if card.grade_by_score is not None:
            index = rule_set.grade_rank(card.grade_by_score)
            assert f"grades[{index}] (id={card.grade_by_score})" not in unreachable


def test_reachable_range_of_shipped_rule_sets(shipped: Callable[[str], RuleSet]) -> None:
    jinan = total_range(shipped("jinan-2015"))
    assert (jinan.lo, jinan.hi) == (Decimal("-Infinity"), Decimal(120))
    floored = total_range(shipped("tongcheng-2019-floored"))
    assert (floored.lo, floored.hi) == (Decimal(0), Decimal(100))


def test_a_rule_floor_above_its_cap_does_not_confuse_the_range(tmp_path: Path) -> None:
    # The engine clamps above the cap first: a rule with cap 5 and floor 10 yields 5 or 10.
    rule_set = load(tmp_path, BASE.replace("points = 5\n", "points = 5\ncap = 5\nfloor = 10\n"))
    span = total_range(rule_set)
    assert (span.lo, span.hi) == (Decimal(75), Decimal(80))
    for records in ([], [{"kind": "proposal"}], [{"kind": "proposal"}] * 3):
        result = score(rule_set, [Member(id="m1")], [
            ActivityRecord(id=f"r{i}", member_id="m1", date="2024-03-05", **r)  # type: ignore[arg-type]
            for i, r in enumerate(records)], Period.year(2024))
        assert span.lo <= result.scorecards[0].total <= span.hi  # type: ignore[operator]
