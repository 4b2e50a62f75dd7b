"""Example-based tests of what users of ``scoring.score`` rely on: the accounting of every record,
interim checks, exemptions, ranking and quotas, notifications, provenance, history-driven
escalation, not-computable propagation, and exact decimal arithmetic with explicit rounding.

Small rule sets are written inline; the shipped rule sets come from ``conftest.py``.
Tests named after a bug found while writing them stay as regression tests.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring import (
    ActivityRecord,
    InputError,
    Member,
    Period,
    RuleSet,
    ScoringResult,
    parse_rule_set,
    score,
)
from scoring.engine import entries_of, load_history

Y2024 = Period.year(2024)
D = dt.date(2024, 5, 10)

HEAD = """
[rule_set]
id = "engine-test"
version = "1.0"
title = { zh = "引擎测试", en = "engine test" }
"""

#: A small rule set: meetings by status, proposals per unit (shared), a non-binding gate.
BASIC = HEAD + """
[[categories]]
id = "meetings"
label = { zh = "会议", en = "Meetings" }

[[categories]]
id = "proposals"
label = { zh = "提案", en = "Proposals" }

[[rules]]
id = "plenary"
type = "status_points"
category = "meetings"
label = { zh = "全体会议", en = "Plenary" }
match = { kind = "meeting", subtype = "plenary" }
points = { attended = 10, leave_approved = 5 }

[[rules]]
id = "proposal"
type = "per_unit"
category = "proposals"
label = { zh = "提案", en = "Proposals" }
match = { kind = "proposal" }
points = 5

[[grades]]
id = "pass"
label = { zh = "合格", en = "pass" }
min = 10

[[grades]]
id = "fail"
label = { zh = "不合格", en = "fail" }
max = 10

[[gates]]
id = "two_ones"
label = { zh = "两个一", en = "Two ones" }
binding = false

[[gates.requirements]]
id = "plenary"
label = { zh = "出席一次全体会议", en = "attend one plenary" }
match = { kind = "meeting", subtype = "plenary", status = "attended" }

[[gates.requirements]]
id = "proposal"
label = { zh = "提交一件提案", en = "submit one proposal" }
match = { kind = "proposal" }
"""


@pytest.fixture(scope="module")
def basic() -> RuleSet:
    return parse_rule_set(BASIC)


def rec(rid: str, member_id: str = "m1", **fields: Any) -> ActivityRecord:
    """A record with sensible defaults (an attended plenary on 2024-05-10)."""
    data: dict[str, Any] = {"kind": "meeting", "subtype": "plenary", "status": "attended", "date": D, **fields}
    return ActivityRecord(id=rid, member_id=member_id, **data)


def proposal(rid: str, member_id: str = "m1", **fields: Any) -> ActivityRecord:
    return rec(rid, member_id, **{"kind": "proposal", "subtype": None, "status": "registered", **fields})


def outcome(result: ScoringResult, record_id: str, copy: int = 0) -> scoring.RecordOutcome:
    (found,) = [o for o in result.accounting.records if (o.record_id, o.duplicate) == (record_id, copy)]
    return found


# --------------------------------------------------------------------------------------------
# accounting: every reason code
# --------------------------------------------------------------------------------------------


def test_counted_records_name_the_rules_and_requirements_that_used_them(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1"), proposal("r2")], Y2024)
    assert outcome(result, "r1").outcome == "counted"
    assert outcome(result, "r1").rules == ("plenary", "two_ones.plenary")
    assert outcome(result, "r2").rules == ("proposal", "two_ones.proposal")
    assert result.accounting.counted == 2 and result.accounting.by_reason == {}


def test_deleted_record_is_ignored_with_exact_reason(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", deleted=True)], Y2024)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code) == ("ignored", "deleted")
    assert o.reason is not None
    assert o.reason.zh == "记录已删除（软删除）"
    assert o.reason.en == "soft-deleted record"
    assert result.scorecard("m1").total == 0


def test_record_outside_the_period_is_ignored_and_the_reason_names_its_date(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", date=dt.date(2023, 12, 31))], Y2024)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code) == ("ignored", "outside_period")
    assert o.reason is not None
    assert o.reason.zh == "日期不在考核期内：2023-12-31"
    assert o.reason.en == "date outside the assessment period: 2023-12-31"


def test_scoring_date_basis_places_records_by_their_decision_date() -> None:
    rule_set = parse_rule_set(BASIC + '\n[policy]\ndate_basis = "scoring"\n')
    late = proposal("r1", date=dt.date(2023, 12, 1), scored_on=dt.date(2024, 1, 15))
    early = proposal("r2", date=dt.date(2024, 12, 1), scored_on=dt.date(2025, 1, 15))
    result = score(rule_set, [Member(id="m1")], [late, early], Y2024)
    assert outcome(result, "r1").outcome == "counted"
    assert outcome(result, "r2").reason_code == "outside_period"


def test_record_after_the_as_of_date_is_ignored_in_an_interim_check(basic: RuleSet) -> None:
    period = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), as_of=dt.date(2024, 6, 30))
    result = score(basic, [Member(id="m1")], [rec("r1", date=dt.date(2024, 7, 1)), rec("r2")], period)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code) == ("ignored", "after_as_of")
    assert o.reason is not None and o.reason.en == "date after the as-of date: 2024-07-01"
    assert outcome(result, "r2").outcome == "counted"


def test_record_outside_the_membership_is_ignored(basic: RuleSet) -> None:
    member = Member(id="m1", joined=dt.date(2024, 3, 1), left=dt.date(2024, 10, 31))
    rows = [rec("before", date=dt.date(2024, 2, 29)), rec("first_day", date=dt.date(2024, 3, 1)),
            rec("last_day", date=dt.date(2024, 10, 31)), rec("after", date=dt.date(2024, 11, 1))]
    result = score(basic, [member], rows, Y2024)
    assert outcome(result, "before").reason_code == "outside_membership"
    assert outcome(result, "after").reason_code == "outside_membership"
    assert outcome(result, "first_day").outcome == outcome(result, "last_day").outcome == "counted"
    before = outcome(result, "before").reason
    assert before is not None and before.zh == "日期不在该委员任职期间：2024-02-29"


def test_record_of_an_unknown_member_is_rejected(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", member_id="ghost")], Y2024)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code, o.member_id) == ("rejected", "unknown_member", "ghost")
    assert o.reason is not None
    assert o.reason.zh == "委员编号不在委员名单中：ghost"
    assert o.reason.en == "member id not in the member list: ghost"
    assert [c.member_id for c in result.scorecards] == ["m1"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"kind": "meetin"}, "unknown record kind 'meetin'"),
        ({"subtype": "plenery"}, "meeting subtype 'plenery' is not in the vocabulary"),
        ({"status": "attendd"}, "meeting status 'attendd' is not in the vocabulary"),
        ({"kind": "proposal", "subtype": None, "status": None, "flags": ["kye"]},
         "proposal flag 'kye' is not in the vocabulary"),
        ({"role": "first"}, "meeting role 'first' is not in the vocabulary"),
        ({"level": "galactic"}, "meeting level 'galactic' is not in the vocabulary"),
    ],
)
def test_unknown_codes_are_rejected_with_a_message_naming_the_value(
    basic: RuleSet, fields: dict[str, Any], named: str
) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", **fields)], Y2024)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code) == ("rejected", "unknown_code")
    assert o.reason is not None
    assert named in o.reason.get("en")
    value = named.split("'")[1]
    assert f"'{value}'" in o.reason.zh


def test_unknown_code_message_lists_the_allowed_codes(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", status="attendd")], Y2024)
    reason = outcome(result, "r1").reason
    assert reason is not None
    en = reason.get("en")
    assert en.startswith("meeting status 'attendd' is not in the vocabulary (allowed: ")
    allowed = en.split("(allowed: ")[1].rstrip(")").split(", ")
    assert sorted(allowed) == ["absent_unexcused", "attended", "late_or_early", "leave_approved", "leave_not_approved"]
    assert reason.zh.startswith("meeting 记录的 status 'attendd' 不在词表中（可用：")


def test_identical_duplicates_are_counted_once(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [proposal("r1"), proposal("r1"), proposal("r1")], Y2024)
    acc = result.accounting
    assert (acc.read, acc.counted, acc.ignored, acc.rejected) == (3, 1, 2, 0)
    assert [(o.record_id, o.duplicate, o.outcome, o.reason_code) for o in acc.records] == [
        ("r1", 0, "counted", None),
        ("r1", 1, "ignored", "duplicate_identical"),
        ("r1", 2, "ignored", "duplicate_identical"),
    ]
    assert outcome(result, "r1", copy=1).reason == scoring.Text(
        zh="与同编号记录完全相同，只计一次", en="identical duplicate of another record"
    )
    assert result.scorecard("m1").total == 5


def test_conflicting_duplicates_are_all_rejected(basic: RuleSet) -> None:
    rows = [proposal("r1"), proposal("r1", status="not_registered")]
    result = score(basic, [Member(id="m1")], rows, Y2024)
    acc = result.accounting
    assert (acc.read, acc.counted, acc.rejected) == (2, 0, 2)
    assert [(o.record_id, o.duplicate, o.reason_code) for o in acc.records] == [
        ("r1", 0, "duplicate_conflict"), ("r1", 1, "duplicate_conflict"),
    ]
    reason = outcome(result, "r1").reason
    assert reason is not None and reason.en == "duplicate record id with different content"
    assert result.scorecard("m1").total == 0


def test_same_as_counts_the_item_once(basic: RuleSet) -> None:
    rows = [proposal("a"), proposal("b", same_as="a")]
    result = score(basic, [Member(id="m1")], rows, Y2024)
    o = outcome(result, "b")
    assert (o.outcome, o.reason_code) == ("ignored", "same_as")
    assert o.reason == scoring.Text(zh="与记录 a 为同一事项，只计一次", en="same item as record a; counted once")
    assert result.scorecard("m1").total == 5


def test_a_mutual_same_as_pair_keeps_the_smaller_id_whatever_the_order(basic: RuleSet) -> None:
    a, b = proposal("a", same_as="b"), proposal("b", same_as="a")
    for rows in ([a, b], [b, a]):
        result = score(basic, [Member(id="m1")], rows, Y2024)
        assert outcome(result, "a").outcome == "counted"
        assert outcome(result, "b").reason_code == "same_as"


def test_same_as_pointing_to_an_ignored_record_keeps_the_record(basic: RuleSet) -> None:
    rows = [proposal("a", deleted=True), proposal("b", same_as="a"), proposal("c", same_as="missing")]
    result = score(basic, [Member(id="m1")], rows, Y2024)
    assert outcome(result, "b").outcome == "counted"
    assert outcome(result, "c").outcome == "counted"


def test_record_no_rule_reads_is_ignored_as_no_rule(basic: RuleSet) -> None:
    result = score(basic, [Member(id="m1")], [rec("r1", kind="study", subtype="notebook", status=None)], Y2024)
    o = outcome(result, "r1")
    assert (o.outcome, o.reason_code) == ("ignored", "no_rule")
    assert o.reason is not None and o.reason.en == "no rule or requirement of this rule set applies"


def test_screening_order_of_checks(basic: RuleSet) -> None:
    """Unknown member before unknown code before deleted before dates."""
    rows = [
        rec("a", member_id="ghost", status="attendd", deleted=True),
        rec("b", status="attendd", deleted=True, date=dt.date(2020, 1, 1)),
        rec("c", deleted=True, date=dt.date(2020, 1, 1)),
    ]
    result = score(basic, [Member(id="m1")], rows, Y2024)
    assert [outcome(result, r).reason_code for r in "abc"] == ["unknown_member", "unknown_code", "deleted"]


def test_by_reason_counts_every_code(basic: RuleSet) -> None:
    period = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), as_of=dt.date(2024, 6, 30))
    member = Member(id="m1", joined=dt.date(2024, 2, 1))
    rows = [
        rec("c1"), proposal("c2"),
        rec("d1", deleted=True), rec("o1", date=dt.date(2025, 1, 1)), rec("a1", date=dt.date(2024, 8, 1)),
        rec("m1", date=dt.date(2024, 1, 15)), rec("u1", member_id="x"), rec("k1", kind="unknown"),
        proposal("i1"), proposal("i1"), proposal("x1"), proposal("x1", note="other"),
        proposal("s1", same_as="c2"), rec("n1", kind="study", subtype="reading", status=None),
    ]
    acc = score(scoring.parse_rule_set(BASIC), [member], rows, period).accounting
    assert acc.by_reason == {
        "after_as_of": 1, "deleted": 1, "duplicate_conflict": 2, "duplicate_identical": 1, "no_rule": 1,
        "outside_membership": 1, "outside_period": 1, "same_as": 1, "unknown_code": 1, "unknown_member": 1,
    }
    assert (acc.read, acc.counted, acc.ignored, acc.rejected) == (14, 3, 7, 4)
    assert acc.reconciles


# --------------------------------------------------------------------------------------------
# interim checks
# --------------------------------------------------------------------------------------------

INTERIM = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), as_of=dt.date(2024, 6, 30))


def test_interim_check_warns_of_open_requirements_with_what_is_missing_and_the_due_date(basic: RuleSet) -> None:
    card = score(basic, [Member(id="m1")], [rec("r1")], INTERIM).scorecard("m1")
    (warning,) = card.warnings
    assert warning.kind == "open_requirement"
    assert warning.rule_id == "two_ones.proposal"
    assert warning.action == "complete"
    assert warning.due == dt.date(2024, 12, 31)
    assert warning.message.zh == "「两个一」尚缺：提交一件提案（已完成 0/1，还需 1 项），截止 2024-12-31"
    assert warning.message.en == "'Two ones' still open: submit one proposal (0/1 done, 1 more needed) by 2024-12-31"


def test_interim_check_counts_what_is_done_so_far() -> None:
    three = BASIC.replace(
        'label = { zh = "提交一件提案", en = "submit one proposal" }\nmatch = { kind = "proposal" }',
        'label = { zh = "提交三件提案", en = "submit three proposals" }\nmatch = { kind = "proposal" }\nmin = 3',
    )
    assert three != BASIC
    card = score(parse_rule_set(three), [Member(id="m1")], [rec("r1"), proposal("p1")], INTERIM).scorecard("m1")
    (warning,) = card.warnings
    assert warning.message.zh == "「两个一」尚缺：提交三件提案（已完成 1/3，还需 2 项），截止 2024-12-31"
    assert warning.message.en == (
        "'Two ones' still open: submit three proposals (1/3 done, 2 more needed) by 2024-12-31"
    )


def test_no_open_requirement_warnings_when_everything_is_done_or_at_year_end(basic: RuleSet) -> None:
    assert score(basic, [Member(id="m1")], [rec("r1"), proposal("p1")], INTERIM).scorecard("m1").warnings == ()
    year_end = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), as_of=dt.date(2024, 12, 31))
    assert not year_end.interim
    assert score(basic, [Member(id="m1")], [rec("r1")], year_end).scorecard("m1").warnings == ()


def test_score_based_exit_steps_wait_for_the_year_end(jinan: RuleSet) -> None:
    rows = [rec("r1", status="absent_unexcused")]
    interim = Period(start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31), as_of=dt.date(2015, 6, 30))
    card = score(jinan, [Member(id="m1")], [r.model_copy(update={"date": dt.date(2015, 3, 1)}) for r in rows],
                 interim).scorecard("m1")
    assert card.total == 40
    assert {w.kind for w in card.warnings} == {"open_requirement"}
    final = score(jinan, [Member(id="m1")], [r.model_copy(update={"date": dt.date(2015, 3, 1)}) for r in rows],
                  Period.year(2015)).scorecard("m1")
    assert [w.rule_id for w in final.warnings] == ["below60_year"]


# --------------------------------------------------------------------------------------------
# exemptions
# --------------------------------------------------------------------------------------------

ESCALATING = BASIC + """
[[escalation]]
id = "low"
action = "talk"
action_label = { zh = "约谈", en = "talk" }
trigger = { type = "total_below", value = 10 }

[[notifications]]
id = "office"
recipient = { zh = "办公室", en = "office" }
"""


def test_exempt_member_gets_no_grade_and_no_warnings() -> None:
    rule_set = parse_rule_set(ESCALATING)
    members = [Member(id="m1", exempt="病休"), Member(id="m2")]
    result = score(rule_set, members, [], INTERIM.model_copy(update={"as_of": None}))
    exempt, assessed = result.scorecard("m1"), result.scorecard("m2")
    assert exempt.status == "exempt"
    assert exempt.exempt_reason == scoring.Text(zh="免于考核：病休", en="exempt: 病休")
    assert exempt.grade is None and exempt.grade_by_score is None and exempt.grade_label is None
    assert exempt.warnings == () and exempt.gates == () and exempt.rank is None and exempt.eligible == ()
    assert assessed.status == "assessed" and assessed.grade == "fail"
    assert [w.rule_id for w in assessed.warnings] == ["low"]
    assert result.notifications[0].member_ids == ("m2",)
    assert [e.member_id for e in entries_of(result)] == ["m2"]


def test_exempt_member_gets_no_open_requirement_warnings_in_an_interim_check(basic: RuleSet) -> None:
    card = score(basic, [Member(id="m1", exempt="挂职")], [], INTERIM).scorecard("m1")
    assert card.status == "exempt" and card.warnings == ()


@pytest.mark.parametrize(
    ("joined", "status", "served"),
    [(dt.date(2024, 11, 15), "exempt", 47), (dt.date(2024, 10, 3), "assessed", 90), (dt.date(2025, 2, 1), "exempt", 0)],
)
def test_min_service_days_exempts_short_serving_members(joined: dt.date, status: str, served: int) -> None:
    rule_set = parse_rule_set(ESCALATING + "\n[policy]\nmin_service_days = 90\n")
    card = score(rule_set, [Member(id="m1", joined=joined)], [], Y2024).scorecard("m1")
    assert card.status == status
    if status == "exempt":
        assert card.exempt_reason is not None
        assert card.exempt_reason.zh == f"本期任职 {served} 天，少于 90 天，不参加考核"
        assert card.exempt_reason.en == f"served {served} days this period, fewer than 90: not assessed"
        assert card.grade is None and card.warnings == ()
    else:
        assert card.grade == "fail" and [w.rule_id for w in card.warnings] == ["low"]


# --------------------------------------------------------------------------------------------
# ranking and quotas
# --------------------------------------------------------------------------------------------

RANKED = BASIC + """
[ranking]
group_by = ["sector"]
separate_roles = ["standing_committee"]
"""


def _proposals(member_id: str, n: int) -> list[ActivityRecord]:
    return [proposal(f"{member_id}-p{i}", member_id) for i in range(n)]


def test_competition_ranking_with_ties_within_peer_groups() -> None:
    rule_set = parse_rule_set(RANKED)
    members = [
        Member(id="a", sector="经济界"), Member(id="b", sector="经济界"), Member(id="c", sector="经济界"),
        Member(id="d", sector="经济界"), Member(id="e", sector="教育界"),
        Member(id="s", sector="经济界", roles=("standing_committee",)),
    ]
    rows = [*_proposals("a", 2), *_proposals("b", 4), *_proposals("c", 4), *_proposals("d", 1),
            *_proposals("e", 1), *_proposals("s", 9)]
    result = score(rule_set, members, rows, Y2024)
    ranks = {c.member_id: (c.rank.group, c.rank.position, c.rank.of) for c in result.scorecards if c.rank}
    assert ranks == {
        "b": ("经济界", 1, 4), "c": ("经济界", 1, 4), "a": ("经济界", 3, 4), "d": ("经济界", 4, 4),
        "e": ("教育界", 1, 1),
        "s": ("经济界 / 常委", 1, 1),  # standing-committee members are ranked apart
    }


def test_members_without_a_total_or_exempt_are_not_ranked() -> None:
    rule_set = parse_rule_set(RANKED.replace("leave_approved = 5", "leave_approved = 5, absent_unexcused = 0"))
    members = [Member(id="a", sector="x"), Member(id="b", sector="x"), Member(id="c", sector="x", exempt="病休")]
    rows = [rec("r1", member_id="a", status="late_or_early"), rec("r2", member_id="b"), rec("r3", member_id="c")]
    result = score(rule_set, members, rows, Y2024)
    assert result.scorecard("a").total is None and result.scorecard("a").rank is None
    assert result.scorecard("c").status == "exempt" and result.scorecard("c").rank is None
    rank = result.scorecard("b").rank
    assert rank is not None and (rank.group, rank.position, rank.of) == ("x", 1, 1)


QUOTA = HEAD + """
[[categories]]
id = "proposals"
label = "提案"

[[rules]]
id = "proposal"
type = "per_unit"
category = "proposals"
label = "提案"
match = { kind = "proposal" }
points = 10

[[grades]]
id = "excellent"
label = { zh = "优秀", en = "excellent" }
min = 30

[[grades]]
id = "good"
label = { zh = "良好", en = "good" }
min = 10
max = 30

[[grades]]
id = "fail"
label = { zh = "不合格", en = "fail" }
max = 10

[ranking]
group_by = ["sector"]

[[quotas]]
id = "excellent_quota"
grade = "excellent"
max_share = 0.5
demote_to = "good"
"""


def test_quota_demotes_excellent_members_beyond_max_share_by_rank() -> None:
    rule_set = parse_rule_set(QUOTA)
    members = [Member(id=i, sector="经济界") for i in ("a", "b", "c", "d", "e")] + [Member(id="z", sector="教育界")]
    rows = [*_proposals("a", 3), *_proposals("b", 5), *_proposals("c", 4), *_proposals("d", 1),
            *_proposals("e", 0), *_proposals("z", 3)]
    result = score(rule_set, members, rows, Y2024)
    grades = {c.member_id: (c.grade_by_score, c.grade) for c in result.scorecards}
    # 5 members in 经济界: at most floor(0.5 × 5) = 2 may be excellent; a (30) is third.
    # z is alone in 教育界: floor(0.5 × 1) = 0 places, so "at most half" demotes z too.
    assert grades == {
        "a": ("excellent", "good"), "b": ("excellent", "excellent"), "c": ("excellent", "excellent"),
        "d": ("good", "good"), "e": ("fail", "fail"), "z": ("excellent", "good"),
    }
    note = result.scorecard("a").grade_note
    assert note is not None
    assert note.zh == "「excellent」名额为本组 50%（2 名），按排名调整为「good」"
    assert note.en == "quota for 'excellent' is 50% of the group (2); demoted to 'good' by rank"
    assert result.scorecard("a").grade_label == scoring.Text(zh="良好", en="good")


# --------------------------------------------------------------------------------------------
# notifications
# --------------------------------------------------------------------------------------------


def test_notifications_per_employer() -> None:
    rule_set = parse_rule_set(ESCALATING + """
[[notifications]]
id = "employer"
recipient = { zh = "工作单位", en = "employer" }
send = "warnings"
per_member_field = "employer"

[[notifications]]
id = "failed"
recipient = { zh = "统战部", en = "united front department" }
send = "grades"
grades = ["fail"]
""")
    members = [
        Member(id="a", employer="市医院"), Member(id="b", employer="市一中"), Member(id="c", employer="市医院"),
        Member(id="d"), Member(id="e", employer="市一中", exempt="病休"), Member(id="f", employer="市一中"),
    ]
    rows = [rec("f1", member_id="f")]
    result = score(rule_set, members, rows, Y2024)
    by_id = {n.recipient_id: n for n in result.notifications}
    assert list(by_id) == ["office", "employer:—", "employer:市一中", "employer:市医院", "failed"]
    assert by_id["office"].member_ids == ("a", "b", "c", "d", "f")
    assert by_id["employer:市医院"].member_ids == ("a", "c")
    assert by_id["employer:市一中"].member_ids == ("b",)
    assert by_id["employer:—"].member_ids == ("d",)
    assert by_id["employer:市医院"].recipient == scoring.Text(zh="工作单位：市医院", en="employer: 市医院")
    assert by_id["failed"].member_ids == ("a", "b", "c", "d")


# --------------------------------------------------------------------------------------------
# provenance
# --------------------------------------------------------------------------------------------


def test_provenance_names_rule_set_version_fingerprint_and_engine(
    tongcheng: RuleSet, rule_set_path: Any
) -> None:
    result = score(tongcheng, [Member(id="m1")], [], Period.year(2019))
    prov = result.scorecard("m1").provenance
    assert (prov.rule_set_id, prov.rule_set_version) == ("tongcheng-2019", "2019.1")
    assert prov.fingerprint == tongcheng.fingerprint and prov.fingerprint.startswith("sha256:")
    assert len(prov.fingerprint) == len("sha256:") + 64
    assert prov.scoring_version == scoring.__version__
    assert prov.source is not None and prov.source.endswith("tongcheng-2019.toml")
    assert prov.period == Period.year(2019)
    assert (result.rule_set_id, result.rule_set_version) == ("tongcheng-2019", "2019.1")


def test_fingerprint_is_stable_across_loads_and_differs_for_a_variant(rule_set_path: Any) -> None:
    first = scoring.load_rule_set(rule_set_path("tongcheng-2019"))
    again = scoring.load_rule_set(rule_set_path("tongcheng-2019"))
    text = Path(rule_set_path("tongcheng-2019")).read_text(encoding="utf-8")
    from_text = parse_rule_set(text, source="elsewhere")
    variant = scoring.load_rule_set(rule_set_path("tongcheng-2019-floored"))
    assert first.fingerprint == again.fingerprint == from_text.fingerprint
    assert variant.fingerprint != first.fingerprint
    assert variant.chain[0] == str(rule_set_path("tongcheng-2019"))
    result = score(variant, [Member(id="m1")], [], Period.year(2019))
    prov = result.scorecard("m1").provenance
    assert (prov.rule_set_id, prov.rule_set_version) == ("tongcheng-2019-floored", "2019.1-floored")
    assert prov.fingerprint == variant.fingerprint


def test_fingerprint_ignores_formatting_but_not_content() -> None:
    compact = parse_rule_set(BASIC)
    spaced = parse_rule_set("# a comment\n" + BASIC.replace(" = ", "   =   "))
    changed = parse_rule_set(BASIC.replace("points = 5", "points = 6"))
    assert compact.fingerprint == spaced.fingerprint != changed.fingerprint


# --------------------------------------------------------------------------------------------
# history: consecutive periods and term windows
# --------------------------------------------------------------------------------------------


def _jinan_low(year: int) -> list[ActivityRecord]:
    return [rec(f"absent-{year}", status="absent_unexcused", date=dt.date(year, 3, 1))]


def test_history_written_as_json_drives_consecutive_period_escalation(jinan: RuleSet, tmp_path: Path) -> None:
    members = [Member(id="m1", sector="经济界")]
    r2014 = score(jinan, members, _jinan_low(2014), Period.year(2014))
    assert r2014.scorecard("m1").total == 40
    path = tmp_path / "2014.json"
    path.write_text(r2014.model_dump_json(indent=2), encoding="utf-8")
    history = load_history(path)
    assert history == entries_of(r2014)
    (entry,) = history
    assert (entry.member_id, entry.grade, entry.gates_failed) == ("m1", "incompetent", ("three_ones",))
    assert entry.total == Decimal(40)

    r2015 = score(jinan, members, _jinan_low(2015), Period.year(2015), history=history)
    card = r2015.scorecard("m1")
    assert [w.rule_id for w in card.warnings] == ["below60_two_years", "below60_year"]
    two_years = card.warnings[0]
    assert (two_years.action, two_years.level) == ("talk", 2)
    assert two_years.message.zh == "约谈（市政协）：连续 2 期总分低于 60（本期 40）"
    assert two_years.message.en == "talk (the municipal CPPCC): total below 60 in 2 consecutive periods (now 40)"

    # A result object works as history too, and without history only this year's step fires.
    assert score(jinan, members, _jinan_low(2015), Period.year(2015), history=[r2014]) == r2015
    alone = score(jinan, members, _jinan_low(2015), Period.year(2015)).scorecard("m1")
    assert [w.rule_id for w in alone.warnings] == ["below60_year"]


def test_a_gap_in_history_breaks_a_consecutive_run(jinan: RuleSet) -> None:
    members = [Member(id="m1")]
    r2013 = score(jinan, members, _jinan_low(2013), Period.year(2013))
    card = score(jinan, members, _jinan_low(2015), Period.year(2015), history=[r2013]).scorecard("m1")
    assert [w.rule_id for w in card.warnings] == ["below60_year"]


def test_load_history_rejects_a_file_that_is_not_a_result(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_history(path)
    (problem,) = exc.value.problems
    assert problem.file == str(path)
    assert problem.en == "history file is not a scoring JSON result"
    with pytest.raises(InputError) as missing:
        load_history(tmp_path / "missing.json")
    assert missing.value.problems[0].en == "cannot read history file"


TERM = BASIC + """
[[escalation]]
id = "absences"
action = "talk"
action_label = { zh = "约谈", en = "talk" }
[escalation.trigger]
type = "records_at_least"
match = { kind = "meeting", status = "absent_unexcused" }
count = 3
window = "term"

[[escalation]]
id = "absences_year"
action = "remind"
action_label = { zh = "提醒", en = "reminder" }
trigger = { type = "records_at_least", match = { kind = "meeting", status = "absent_unexcused" }, count = 3 }
"""


def _absences(year: int, n: int, member_id: str = "m1") -> list[ActivityRecord]:
    return [rec(f"{member_id}-a{year}-{i}", member_id, status="absent_unexcused", date=dt.date(year, 3, 1 + i))
            for i in range(n)]


def test_records_at_least_over_the_term_sums_counters_across_history(tmp_path: Path) -> None:
    rule_set = parse_rule_set(TERM.replace("attended = 10, leave_approved = 5",
                                           "attended = 10, leave_approved = 5, absent_unexcused = 0"))
    members = [Member(id="m1", term="十四届"), Member(id="m2", term="十四届")]
    r2023 = score(rule_set, members, [*_absences(2023, 2), *_absences(2023, 2, "m2")], Period.year(2023))
    assert r2023.scorecard("m1").counters == {"absences": 2, "absences_year": 2}
    assert r2023.scorecard("m1").warnings == ()
    path = tmp_path / "2023.json"
    path.write_text(r2023.model_dump_json(), encoding="utf-8")

    # m2 starts a new term in 2024: the 2023 counts belong to the previous term.
    members_2024 = [Member(id="m1", term="十四届"), Member(id="m2", term="十五届")]
    rows = [*_absences(2024, 1), *_absences(2024, 1, "m2")]
    r2024 = score(rule_set, members_2024, rows, Period.year(2024), history=load_history(path))
    card = r2024.scorecard("m1")
    assert card.counters == {"absences": 1, "absences_year": 1}
    (warning,) = card.warnings
    assert warning.rule_id == "absences"
    assert warning.message.zh == "约谈：本届相关记录 3 次（≥ 3）"
    assert warning.message.en == "talk: 3 matching records this term (≥ 3)"
    assert r2024.scorecard("m2").warnings == ()
    # Without history the term count is only this period's.
    assert score(rule_set, members_2024, rows, Period.year(2024)).scorecard("m1").warnings == ()


# --------------------------------------------------------------------------------------------
# not computable: unknown is never zero
# --------------------------------------------------------------------------------------------


def test_unpublished_settings_propagate_as_not_computable(jilin: RuleSet) -> None:
    result = score(jilin, [Member(id="m1")], [rec("r1")], Y2024)
    card = result.scorecard("m1")
    line = next(line for line in card.lines if line.rule_id == "plenary")
    assert line.points is None and line.raw_points is None
    assert line.not_computable is not None
    assert line.not_computable.zh.startswith("依赖未公布的数值：")
    assert "出席全体会议得分（plenary_attended）" in line.not_computable.zh
    assert "points for attending the plenary (plenary_attended)" in line.not_computable.get("en")
    meetings = next(c for c in card.categories if c.id == "meetings")
    assert meetings.points is None
    assert meetings.not_computable is not None
    assert meetings.not_computable.zh == "含无法计算的项目：出席全体会议"
    proposals = next(c for c in card.categories if c.id == "proposals")
    assert proposals.raw_points == 0 and proposals.points is None
    assert proposals.not_computable == scoring.Text(
        zh="依赖未公布的数值：提案类上限（cap_proposals）",
        en="depends on unpublished values: cap of the proposals category (cap_proposals)",
    )
    assert card.total is None and card.grade is None and card.grade_by_score is None and card.rank is None
    assert card.grade_note is not None and "excellent_min" in card.grade_note.zh
    assert "参加会议：含无法计算的项目：出席全体会议" in [t.zh for t in card.not_computable]
    undecided = [t for t in card.not_computable if t.zh.startswith("退出机制")]
    assert undecided[0].zh == "退出机制「提醒」无法判断：依赖未公布的数值：退出机制分数线（exit_line）"
    assert undecided[0].get("en") == (
        "exit step 'reminder' cannot be decided: depends on unpublished values: exit-mechanism line (exit_line)"
    )
    assert len(undecided) == 3
    assert card.warnings == ()
    assert outcome(result, "r1").outcome == "counted"


PER_PROPOSAL = '[settings]\nper_proposal = { label = { zh = "每件提案得分", en = "points per proposal" } }\n\n'
UNPUBLISHED = BASIC.replace("points = 5\n", 'points = { setting = "per_proposal" }\n', 1).replace(
    "[[categories]]", PER_PROPOSAL + "[[categories]]", 1
) + """
[[escalation]]
id = "low"
action = "talk"
action_label = { zh = "约谈", en = "talk" }
trigger = { type = "total_below", value = 10 }

[[escalation]]
id = "low_grade"
action = "remind"
action_label = { zh = "提醒", en = "reminder" }
trigger = { type = "grade_in", grades = ["fail"] }
"""


def test_unpublished_points_matter_only_for_members_with_matching_records() -> None:
    rule_set = parse_rule_set(UNPUBLISHED)
    result = score(rule_set, [Member(id="m1"), Member(id="m2")], [rec("r1", "m1"), proposal("p1", "m2")], Y2024)
    without = result.scorecard("m1")
    assert without.total == 10 and without.grade == "pass"
    line = next(line for line in without.lines if line.rule_id == "proposal")
    assert line.points == 0
    with_record = result.scorecard("m2")
    line = next(line for line in with_record.lines if line.rule_id == "proposal")
    assert line.points is None and line.not_computable == scoring.Text(
        zh="依赖未公布的数值：每件提案得分（per_proposal）",
        en="depends on unpublished values: points per proposal (per_proposal)",
    )
    assert with_record.total is None and with_record.grade is None
    texts = [t.get("en") for t in with_record.not_computable]
    assert "exit step 'talk' cannot be decided: the total cannot be computed" in texts
    assert "exit step 'reminder' cannot be decided: no grade" in texts
    assert with_record.warnings == ()


def test_a_code_without_published_points_is_not_computable(tongcheng: RuleSet) -> None:
    rows = [rec("late", status="late_or_early", date=dt.date(2019, 3, 1))]
    card = score(tongcheng, [Member(id="m1")], rows, Period.year(2019)).scorecard("m1")
    line = next(line for line in card.lines if line.rule_id == "plenary")
    assert line.points is None
    assert line.not_computable == scoring.Text(
        zh="记录 late 的取值在本规则集中没有公布分值",
        en="records late have values this rule set publishes no points for",
    )
    assert card.total is None


SHORTFALL_UNPUBLISHED = HEAD + """
[settings]
missing_report = { label = { zh = "未交履职报告扣分", en = "deduction for a missing duty report" } }

[[categories]]
id = "duties"
label = "职责"

[[rules]]
id = "no_report"
type = "shortfall"
category = "duties"
label = { zh = "未提交履职报告", en = "no duty report" }
match = { kind = "report", subtype = "duty_report" }
points = { setting = "missing_report" }
"""


DEDUCT_UNPUBLISHED = HEAD + """
[settings]
full_marks = { label = { zh = "纪律满分", en = "full marks for discipline" } }

[[categories]]
id = "duties"
label = "职责"

[[rules]]
id = "absences"
type = "deduct_from_full"
category = "duties"
label = { zh = "缺席扣分", en = "absences" }
match = { kind = "meeting", status = "absent_unexcused" }
full = { setting = "full_marks" }
deduct = 5
"""


@pytest.mark.parametrize("text", [SHORTFALL_UNPUBLISHED, DEDUCT_UNPUBLISHED], ids=["shortfall", "deduct_from_full"])
def test_unpublished_values_are_not_computable_for_members_without_records(text: str) -> None:
    card = score(parse_rule_set(text), [Member(id="m1")], [], Y2024).scorecard("m1")
    line = card.lines[0]
    assert line.points is None and line.not_computable is not None
    assert card.total is None


# --------------------------------------------------------------------------------------------
# decimals and rounding
# --------------------------------------------------------------------------------------------


def test_co_signer_shares_are_exact_decimals(tongcheng: RuleSet) -> None:
    rows = [
        rec("p", status="attended", date=dt.date(2019, 3, 1)),
        proposal("q", role="co", signers=3, date=dt.date(2019, 3, 1)),
        *[rec(f"a{i}", kind="activity", subtype="research", status=None, date=dt.date(2019, 4, i + 1))
          for i in range(5)],
    ]
    result = score(tongcheng, [Member(id="m1")], rows, Period.year(2019))
    card = result.scorecard("m1")
    line = next(line for line in card.lines if line.rule_id == "proposal")
    # (1 − 0.5) / (3 − 1) = 0.25 of (10 + 15)
    assert line.points == Decimal("6.25") and str(line.points) == "6.25"
    assert card.total == Decimal("66.25")
    assert json.loads(result.model_dump_json())["scorecards"][0]["total"] == "66.25"


THIRDS = HEAD + """
[[categories]]
id = "proposals"
label = "提案"

[[rules]]
id = "proposal"
type = "per_unit"
category = "proposals"
label = "提案"
match = { kind = "proposal" }
points = 3
split = { first = 0 }
"""


def _thirds(rule_set: RuleSet, n: int = 1) -> scoring.Scorecard:
    # Each record: one of three co-signers after a first proposer with share 0 → 1/3 of 3 points.
    rows = [proposal(f"p{i}", role="co", signers=4) for i in range(n)]
    return score(rule_set, [Member(id="m1")], rows, Y2024).scorecard("m1")


def test_one_third_shares_use_decimal_arithmetic_never_floats() -> None:
    rule_set = parse_rule_set(THIRDS)
    one = _thirds(rule_set)
    third = Decimal(1) / Decimal(3)
    assert one.lines[0].points == third * 3 == Decimal("0.9999999999999999999999999999")
    assert one.lines[0].detail is not None
    assert one.lines[0].detail.zh == "份额合计0.3333333333333333333333333333 × 3 = 0.9999999999999999999999999999"
    assert one.total == Decimal("0.9999999999999999999999999999")
    three = _thirds(rule_set, 3)
    assert three.total == 3 and isinstance(three.total, Decimal)


@pytest.mark.parametrize(
    ("rounding", "line", "category", "total"),
    [
        ('places = 1\nmode = "half_up"\napply_to = "total"', None, None, "1.0"),
        ('places = 0\nmode = "down"\napply_to = "total"', None, None, "0"),
        ('places = 2\nmode = "up"\napply_to = "lines"', "1.00", "1.00", "1.00"),
        ('places = 1\nmode = "half_even"\napply_to = "categories"', None, "1.0", "1.0"),
    ],
)
def test_rounding_policy_is_applied_where_the_rule_set_says(
    rounding: str, line: str | None, category: str | None, total: str
) -> None:
    card = _thirds(parse_rule_set(THIRDS + "\n[rounding]\n" + rounding + "\n"))
    exact = "0.9999999999999999999999999999"
    assert str(card.lines[0].points) == (line or exact)
    assert str(card.categories[0].points) == (category or exact)
    assert str(card.total) == total


def test_half_up_rounding_of_the_total() -> None:
    rule_set = parse_rule_set(THIRDS.replace("points = 3\nsplit = { first = 0 }", "points = 0.25") +
                              '\n[rounding]\nplaces = 1\nmode = "half_up"\napply_to = "total"\n')
    card = score(rule_set, [Member(id="m1")], [proposal("p0")], Y2024).scorecard("m1")
    assert card.lines[0].points == Decimal("0.25")
    assert str(card.total) == "0.3"  # half_up, not banker's rounding (0.2)


# --------------------------------------------------------------------------------------------
# regression tests for engine bugs found while writing these tests
# --------------------------------------------------------------------------------------------


def test_conflicting_duplicates_of_different_members_do_not_depend_on_order(basic: RuleSet) -> None:
    a, b = rec("x", member_id="m1"), rec("x", member_id="m2")
    members = [Member(id="m1"), Member(id="m2")]
    assert score(basic, members, [a, b], Y2024) == score(basic, members, [b, a], Y2024)


def test_duplicate_suffixes_never_collide_with_real_ids(basic: RuleSet) -> None:
    rows = [rec("x"), rec("x", status="leave_approved"), rec("x#2")]
    acc = score(basic, [Member(id="m1")], rows, Y2024).accounting
    assert acc.reconciles


def test_a_same_as_cycle_counts_the_item_once(basic: RuleSet) -> None:
    rows = [proposal("a", same_as="b"), proposal("b", same_as="c"), proposal("c", same_as="a")]
    result = score(basic, [Member(id="m1")], rows, Y2024)
    assert result.accounting.counted == 1
    assert result.scorecard("m1").total == 5


def test_rounding_never_pushes_a_capped_category_beyond_its_cap() -> None:
    rule_set = parse_rule_set(HEAD + """
[rounding]
places = 0
mode = "half_up"
apply_to = "categories"

[[categories]]
id = "activities"
label = "活动"
cap = 2.5

[[rules]]
id = "activity"
type = "per_unit"
category = "activities"
label = "活动"
match = { kind = "activity" }
points = 1
""")
    rows = [rec(f"a{i}", kind="activity", subtype="research", status=None) for i in range(4)]
    category = score(rule_set, [Member(id="m1")], rows, Y2024).scorecard("m1").categories[0]
    assert category.points is not None and category.points <= Decimal("2.5")


def test_deduct_from_full_honours_a_negative_floor() -> None:
    rule_set = parse_rule_set(HEAD + """
[[categories]]
id = "discipline"
label = "纪律"

[[rules]]
id = "absences"
type = "deduct_from_full"
category = "discipline"
label = "缺席扣分"
match = { kind = "meeting", status = "absent_unexcused" }
full = 10
deduct = 5
floor = -10
""")
    rows = [rec(f"a{i}", status="absent_unexcused") for i in range(4)]
    line = score(rule_set, [Member(id="m1")], rows, Y2024).scorecard("m1").lines[0]
    assert line.points == -10
