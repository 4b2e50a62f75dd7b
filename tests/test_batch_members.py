"""Members encoded once into columns (:class:`MemberColumns`): the batch path computes from them
exactly what it computed, and the reference path computes, from Member objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import ActivityRecord, Member, Period, RuleSet, score
from scoring.batch import MemberColumns, encode_members, prepare, score_batch
from scoring.batch.engine import _Run
from scoring.engine.core import _exemption, _index_members
from scoring.engine.ranking import group_key
from scoring.errors import InputError
from scoring.testing.strategies import members as member_lists
from test_batch import assert_same
from test_properties import Scenario, scenarios

DAY0 = dt.date(2010, 1, 1)


def _error(fn: Callable[[], object]) -> InputError:
    with pytest.raises(InputError) as caught:
        fn()
    return caught.value


def test_duplicate_members_are_refused_exactly_as_by_the_reference() -> None:
    people = [Member(id="a"), Member(id="b", sector="x"), Member(id="b", sector="y"), Member(id="a")]
    ours = _error(lambda: MemberColumns.of(people))
    assert ours.problems == _error(lambda: _index_members(people)).problems
    assert ours.problems[0].found == "b"


def test_identical_duplicates_are_merged_and_rows_are_in_id_order() -> None:
    people = [Member(id="b", roles=("core",)), Member(id="a"), Member(id="b", roles=("core",))]
    roster = encode_members(people)
    assert len(roster) == 2 and list(roster.ids) == ["a", "b"]
    assert [m.id for m in roster.members] == ["a", "b"]
    assert [roster.profiles[c] for c in roster.profile.tolist()] == [("member",), ("core",)]
    assert roster.index == {"a": 0, "b": 1}


def test_columns_hold_what_the_members_say() -> None:
    people = [
        Member(id="m1", sector="农工党", joined=dt.date(2024, 3, 1), exempt="病休"),
        Member(id="m2", committee="经济", left=dt.date(2024, 6, 30), roles=("standing_committee", "member")),
    ]
    roster = encode_members(people)
    assert roster.joined.tolist() == [dt.date(2024, 3, 1).toordinal(), 0]
    assert roster.left.tolist() == [10**7, dt.date(2024, 6, 30).toordinal()]
    assert roster.exempt.tolist() == [True, False]
    for field in ("sector", "committee", "group"):
        codes, values = roster.attributes[field]
        assert [values[c] for c in codes.tolist()] == [getattr(m, field) for m in people]


@settings(max_examples=30, deadline=None)
@given(scenarios(None, lambda name: None))  # type: ignore[arg-type, return-value]
def test_prepare_from_columns_equals_prepare_from_members(s: Scenario) -> None:
    from_columns = prepare(s.rule_set, encode_members(s.members), s.records, s.period).score(s.rule_set)
    from_members = score_batch(s.rule_set, s.members, s.records, s.period)
    assert from_columns.summaries() == from_members.summaries()
    assert from_columns.accounting_counts() == from_members.accounting_counts()
    assert_same(s.run(), from_columns)


def _dates(draw: st.DrawFn, period: Period) -> dt.date | None:
    days = draw(st.integers(min_value=-400, max_value=800))
    return draw(st.none() | st.just(period.start + dt.timedelta(days=days)))


@st.composite
def _service(draw: st.DrawFn) -> tuple[Period, list[Member], int]:
    start = DAY0 + dt.timedelta(days=draw(st.integers(min_value=0, max_value=5000)))
    period = Period(start=start, end=start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=800))))
    people = []
    for n in range(draw(st.integers(min_value=1, max_value=12))):
        joined, left = _dates(draw, period), _dates(draw, period)
        if joined is not None and left is not None and left < joined:
            joined, left = left, joined
        people.append(Member(id=f"m{n:02d}", joined=joined, left=left, exempt=draw(st.sampled_from([None, "病休"]))))
    return period, people, draw(st.integers(min_value=-2, max_value=900))


@given(_service())
def test_vectorised_service_days_equal_the_reference_exemption(case: tuple[Period, list[Member], int]) -> None:
    period, people, min_days = case
    rule_set: Any = SimpleNamespace(spec=SimpleNamespace(policy=SimpleNamespace(min_service_days=min_days)))
    roster = encode_members(people)
    vectorised = roster.exempt | roster.served_too_little(period, min_days)
    assert vectorised.tolist() == [_exemption(rule_set, m, period) is not None for m in roster.members]


@settings(max_examples=30, deadline=None)
@given(scenarios(None, lambda name: None))  # type: ignore[arg-type, return-value]
def test_exemptions_from_columns_equal_the_reference(s: Scenario) -> None:
    ws = prepare(s.rule_set, s.members, s.records, s.period)
    exempt = _Run(s.rule_set, ws).exempt()
    assert exempt.tolist() == [_exemption(s.rule_set, m, s.period) is not None for m in ws.members]


def _check_groups(rule_set: RuleSet, people: list[Member]) -> None:
    ws = prepare(rule_set, people, [], Period.year(2024))
    codes, names = _Run(rule_set, ws).groups()
    assert names == sorted(set(names))
    assert [names[c] for c in codes.tolist()] == [group_key(rule_set, m) for m in ws.members]


@settings(max_examples=30, deadline=None)
@given(scenarios(None, lambda name: None))  # type: ignore[arg-type, return-value]
def test_group_keys_of_random_rule_sets_equal_group_key(s: Scenario) -> None:
    _check_groups(s.rule_set, s.members)


def test_group_keys_of_a_shipped_rule_set_equal_group_key(shipped: Callable[[str], RuleSet]) -> None:
    jinan = shipped("jinan-2015")  # by sector, 常委 apart

    @settings(max_examples=40, deadline=None)
    @given(member_lists(jinan, max_size=20))
    def check(people: list[Member]) -> None:
        _check_groups(jinan, people)

    check()


def test_a_workspace_from_columns_rescored_with_another_vocabulary_still_agrees(
    shipped: Callable[[str], RuleSet],
) -> None:
    jinan, other = shipped("jinan-2015"), shipped("huzhou")
    assert jinan.vocabulary != other.vocabulary  # so the workspace is screened afresh
    people = [Member(id=f"m{i}", sector="中共" if i % 2 else None) for i in range(5)]
    records = [
        ActivityRecord(id=f"r{i}", member_id=f"m{i % 6}", kind=kind, subtype=subtype, status="attended",
                       date="2024-03-03")
        for i, (kind, subtype) in enumerate([("meeting", "plenary"), ("activity", "research")] * 4)
    ]
    ws = prepare(jinan, encode_members(people), records, Period.year(2024))
    assert_same(score(other, people, records, Period.year(2024)), ws.score(other))
    assert_same(score(jinan, people, records, Period.year(2024)), ws.score(jinan))
