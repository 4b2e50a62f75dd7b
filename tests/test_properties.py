"""Properties of ``scoring.score`` over random rule sets and random cities, and over the shipped
rule sets: order independence, determinism, accounting, caps and floors, monotonicity, JSON
round trips and overlay neutrality.

Inputs come from :mod:`scoring.testing.strategies` (the strategies shipped to plugin authors).
Example counts are kept small so that this file runs in well under a minute; raise them with
``SCORING_HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from scoring import ActivityRecord, Member, Period, RuleSet, ScoringResult, parse_rule_set, score
from scoring.ruleset import parse_toml
from scoring.testing.strategies import cities, periods, rule_sets
from scoring.vocabulary import base_vocabulary

#: Shipped rule sets that must be present (all shipped rule sets are covered, see conftest.py).
KNOWN = ("jinan-2015", "tongcheng-2019", "tongcheng-2019-floored", "jilin-city", "jilin-city-example")
#: Rule sets without any rule that lowers points for a proposal.
MONOTONE = ("jinan-2015", "tongcheng-2019", "tongcheng-2019-floored")

#: Examples per property: random rule sets explore more, each shipped rule set a little less.
RANDOM = settings(max_examples=50)
SHIPPED = settings(max_examples=12)


@dataclass(frozen=True)
class Scenario:
    """One generated run: a rule set, a period and a city."""

    rule_set: RuleSet
    period: Period
    members: list[Member]
    records: list[ActivityRecord]
    text: str | None = None

    def run(self, members: Sequence[Member] | None = None, records: Sequence[ActivityRecord] | None = None,
            ) -> ScoringResult:
        return score(self.rule_set, self.members if members is None else members,
                     self.records if records is None else records, self.period)


@cache
def _compiled(text: str) -> RuleSet:
    return parse_rule_set(text, source="<generated>")


def _kinds(rule_set: RuleSet) -> list[str]:
    return sorted({s.kind for s in rule_set.selectors()})


def _city(draw: st.DrawFn, rule_set: RuleSet, period: Period) -> tuple[list[Member], list[ActivityRecord]]:
    # Half the time only kinds the rule set reads, so that most records are actually scored.
    kinds = draw(st.sampled_from([None, _kinds(rule_set) or None]))
    return draw(cities(rule_set, period, kinds=kinds, max_records=30))


@st.composite
def random_scenarios(draw: st.DrawFn) -> Scenario:
    """A random rule set with a random city."""
    text = draw(rule_sets())
    note(text)
    rule_set = _compiled(text)
    period = draw(periods())
    people, rows = _city(draw, rule_set, period)
    return Scenario(rule_set, period, people, rows, text)


@st.composite
def shipped_scenarios(draw: st.DrawFn, rule_set: RuleSet) -> Scenario:
    """A random city under a shipped rule set."""
    period = draw(periods(min_year=2019, max_year=2025))
    people, rows = _city(draw, rule_set, period)
    return Scenario(rule_set, period, people, rows)


def scenarios(name: str | None, shipped: Callable[[str], RuleSet]) -> st.SearchStrategy[Scenario]:
    return random_scenarios() if name is None else shipped_scenarios(shipped(name))


def _examples(name: str | None) -> settings:
    return RANDOM if name is None else SHIPPED


# --------------------------------------------------------------------------------------------
# the strategies themselves
# --------------------------------------------------------------------------------------------


def test_shipped_rule_sets_are_found(shipped_ids: list[str]) -> None:
    assert set(KNOWN) <= set(shipped_ids)


@settings(max_examples=100)
@given(rule_sets())
def test_generated_rule_sets_compile(text: str) -> None:
    rule_set = parse_rule_set(text)
    assert 1 <= len(rule_set.categories) <= 4
    assert 2 <= len(rule_set.grades) <= 4
    assert {r.spec.type for r in rule_set.rules} <= {
        "per_unit", "once", "from_nth", "status_points", "lifecycle", "fixed", "deduct_from_full", "shortfall"
    }


@settings(max_examples=50)
@given(periods(), st.data())
def test_generated_records_are_consistent(period: Period, data: st.DataObject) -> None:
    people, rows = data.draw(cities(period=period))
    vocab = base_vocabulary()
    ids = [m.id for m in people]
    assert len(set(ids)) == len(ids)
    by_id: dict[str, list[ActivityRecord]] = {}
    for r in rows:
        by_id.setdefault(r.id, []).append(r)
        assert r.kind in vocab.kinds
        if r.role == "co":
            assert r.signers >= 2
        for field in ("subtype", "status", "role", "level"):
            code = getattr(r, field)
            assert code is None or code in vocab.allowed(r.kind, field)
        assert set(r.flags) <= set(vocab.allowed(r.kind, "flags"))
    for copies in by_id.values():
        assert len({c.member_id for c in copies}) == 1  # conflicting copies keep their member


# --------------------------------------------------------------------------------------------
# (a) order independence and (b) determinism
# --------------------------------------------------------------------------------------------


def test_shuffling_members_and_records_changes_nothing(
    any_rule_set: str | None, shipped: Callable[[str], RuleSet]
) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped), st.data())
    def check(s: Scenario, data: st.DataObject) -> None:
        expected = s.run().model_dump()
        shuffled_members = data.draw(st.permutations(s.members), label="members")
        shuffled_records = data.draw(st.permutations(s.records), label="records")
        assert s.run(shuffled_members, shuffled_records).model_dump() == expected

    check()


def test_scoring_twice_gives_identical_results(any_rule_set: str | None, shipped: Callable[[str], RuleSet]) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        first = s.run()
        assert s.run() == first
        assert s.run().model_dump_json() == first.model_dump_json()

    check()


# --------------------------------------------------------------------------------------------
# (c) accounting
# --------------------------------------------------------------------------------------------


def _expected_accounting_ids(records: Sequence[ActivityRecord]) -> list[tuple[str, int]]:
    """Every input record once: copies sharing an id are reported as (id, 0), (id, 1), (id, 2) …"""
    seen: Counter[str] = Counter(r.id for r in records)
    return sorted((rid, n) for rid, count in seen.items() for n in range(count))


def test_accounting_reconciles(any_rule_set: str | None, shipped: Callable[[str], RuleSet]) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        acc = s.run().accounting
        assert acc.read == acc.counted + acc.ignored + acc.rejected == len(s.records) == len(acc.records)
        assert acc.reconciles
        assert sorted((o.record_id, o.duplicate) for o in acc.records) == _expected_accounting_ids(s.records)
        assert sum(acc.by_reason.values()) == acc.ignored + acc.rejected
        for outcome in acc.records:
            if outcome.outcome == "counted":
                assert outcome.rules and outcome.reason_code is None
            else:
                assert outcome.reason_code and outcome.reason is not None and not outcome.rules

    check()


# --------------------------------------------------------------------------------------------
# (d) caps and floors
# --------------------------------------------------------------------------------------------


def _within(value: Decimal, cap: Decimal | None, floor: Decimal | None) -> bool:
    return (cap is None or value <= cap) and (floor is None or value >= floor)


def test_caps_and_floors_are_never_exceeded(any_rule_set: str | None, shipped: Callable[[str], RuleSet]) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        spec = s.rule_set.spec
        rules = {r.id: r.spec for r in s.rule_set.rules}
        categories = {c.id: c for c in spec.categories}
        for card in s.run().scorecards:
            for line in card.lines:
                if line.points is not None:
                    rule = rules[line.rule_id]
                    assert _within(line.points, rule.cap, rule.floor), (line, rule.cap, rule.floor)
            for cat in card.categories:
                if cat.points is not None:
                    c = categories[cat.id]
                    assert _within(cat.points, c.cap, c.floor), (cat, c.cap, c.floor)
            if card.total is not None:
                assert _within(card.total, spec.total.cap, spec.total.floor), (card.total, spec.total)

    check()


# --------------------------------------------------------------------------------------------
# (e) monotonicity: one more proposal never lowers a Jinan or Tongcheng total
# --------------------------------------------------------------------------------------------


def _rules_reading(rule_set: RuleSet, kind: str) -> list[Any]:
    return [r for r in rule_set.rules if any(m.selector.kind == kind for m in r.measures)]


def _non_negative(rule: Any) -> bool:
    """True when no record matching ``rule`` can lower its points (the monotonicity premise)."""
    params = rule.params.model_dump()
    if rule.spec.type == "lifecycle":
        return all(Decimal(stage["points"]) >= 0 for stage in params["stages"])
    if rule.spec.type in ("per_unit", "from_nth", "once"):
        return Decimal(params["points"]) >= 0
    if rule.spec.type == "status_points":
        return all(Decimal(v) >= 0 for v in params["points"].values())
    return False


@st.composite
def proposals(draw: st.DrawFn, member: Member, period: Period) -> ActivityRecord:
    """A new proposal of ``member`` dated inside the period (and before any as-of date)."""
    vocab = base_vocabulary().kinds["proposal"]
    role = draw(st.one_of(st.none(), st.sampled_from(sorted(vocab.roles))))
    signers = draw(st.integers(min_value=2 if role == "co" else 1, max_value=6))
    day = draw(st.integers(min_value=0, max_value=(period.cutoff - period.start).days))
    return ActivityRecord(
        id="zz-new-proposal", member_id=member.id, kind="proposal",
        status=draw(st.one_of(st.none(), st.sampled_from(sorted(vocab.statuses)))), role=role, signers=signers,
        flags=draw(st.lists(st.sampled_from(sorted(vocab.flags)), max_size=3, unique=True)),
        date=period.start + dt.timedelta(days=day),
    )


@pytest.mark.parametrize("name", MONOTONE)
def test_adding_a_proposal_never_lowers_the_total(name: str, shipped: Callable[[str], RuleSet]) -> None:
    rule_set = shipped(name)
    assert all(_non_negative(r) for r in _rules_reading(rule_set, "proposal")), "premise: no negative proposal rule"

    @settings(max_examples=40)
    @given(shipped_scenarios(rule_set), st.data())
    def check(s: Scenario, data: st.DataObject) -> None:
        member = data.draw(st.sampled_from(s.members), label="member")
        new = data.draw(proposals(member, s.period), label="proposal")
        before = s.run().scorecard(member.id)
        after = s.run(records=[*s.records, new]).scorecard(member.id)
        if before.total is None:
            return
        if after.total is None:
            # Only an unpublished share may make the total unknown (Tongcheng: collective proposals).
            assert new.role == "collective_main" and name.startswith("tongcheng"), after.not_computable
            return
        assert after.total >= before.total

    check()


# --------------------------------------------------------------------------------------------
# (f) JSON round trip
# --------------------------------------------------------------------------------------------


def test_json_round_trip(any_rule_set: str | None, shipped: Callable[[str], RuleSet]) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        result = s.run()
        again = ScoringResult.model_validate_json(result.model_dump_json())
        assert again == result
        assert again.model_dump_json() == result.model_dump_json()

    check()


# --------------------------------------------------------------------------------------------
# (g) an overlay that changes nothing but the id scores the same
# --------------------------------------------------------------------------------------------


def _same_but_provenance(base: ScoringResult, variant: ScoringResult) -> None:
    assert len(base.scorecards) == len(variant.scorecards)
    for a, b in zip(base.scorecards, variant.scorecards, strict=True):
        assert (a.member_id, a.total, a.grade, a.grade_by_score) == (b.member_id, b.total, b.grade, b.grade_by_score)
        assert a.model_dump(exclude={"provenance"}) == b.model_dump(exclude={"provenance"})
        assert a.provenance.rule_set_id != b.provenance.rule_set_id
    assert base.accounting == variant.accounting
    assert base.notifications == variant.notifications


@settings(max_examples=40)
@given(random_scenarios())
def test_identity_overlay_of_a_random_rule_set_scores_the_same(s: Scenario) -> None:
    assert s.text is not None
    overlay = f'[rule_set]\nid = "{s.rule_set.id}-same"\nextends = "{s.rule_set.id}"\n'
    variant = parse_rule_set(overlay, resolve=lambda ref: parse_toml(s.text or "", ref))
    assert variant.fingerprint != s.rule_set.fingerprint
    assert variant.chain[-1] == "<string>"
    _same_but_provenance(s.run(), score(variant, s.members, s.records, s.period))


def test_identity_overlay_of_a_shipped_rule_set_scores_the_same(
    shipped_name: str, shipped: Callable[[str], RuleSet], rule_set_path: Callable[[str], Path]
) -> None:
    base = shipped(shipped_name)
    overlay = f'[rule_set]\nid = "{shipped_name}-same"\nextends = "{rule_set_path(shipped_name).as_posix()}"\n'
    variant = parse_rule_set(overlay)
    assert variant.fingerprint != base.fingerprint
    assert variant.spec.model_dump(exclude={"rule_set"}) == base.spec.model_dump(exclude={"rule_set"})

    @SHIPPED
    @given(shipped_scenarios(base))
    def check(s: Scenario) -> None:
        _same_but_provenance(s.run(), score(variant, s.members, s.records, s.period))

    check()


# --------------------------------------------------------------------------------------------
# scorecard invariants
# --------------------------------------------------------------------------------------------


def test_scorecard_invariants(any_rule_set: str | None, shipped: Callable[[str], RuleSet]) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        result = s.run()
        assert [c.member_id for c in result.scorecards] == sorted(m.id for m in s.members)
        for card in result.scorecards:
            assert card.provenance.fingerprint == s.rule_set.fingerprint
            assert all(w.member_id == card.member_id for w in card.warnings)
            for line in card.lines:
                assert (line.points is None) == (line.not_computable is not None)
                assert line.count == len(line.record_ids)
            if card.total is None:
                assert card.not_computable and card.grade is None and card.rank is None
            if card.status == "exempt":
                assert card.exempt_reason is not None
                assert card.grade is None and card.grade_by_score is None
                assert card.warnings == () and card.rank is None and card.gates == ()
            if card.rank is not None:
                assert 1 <= card.rank.position <= card.rank.of
            if card.grade is not None:
                assert s.rule_set.grade(card.grade) is not None
        for notification in result.notifications:
            for member_id in notification.member_ids:
                assert result.scorecard(member_id).status == "assessed"

    check()
