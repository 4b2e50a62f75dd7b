"""Differential tests: the batch path gives exactly the reference path's results."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from hypothesis import given, settings

from scoring import ActivityRecord, Member, Period, RuleSet, ScoringResult, score
from scoring.batch import BatchResult, MemberSummary, score_batch
from scoring.engine.history import HistoryEntry
from test_properties import Scenario, _examples, scenarios


def reference_summaries(result: ScoringResult) -> list[MemberSummary]:
    return [
        MemberSummary(
            member_id=c.member_id, status=c.status, total=c.total, grade=c.grade, grade_by_score=c.grade_by_score,
            gates=tuple((g.id, g.met) for g in c.gates), warnings=tuple(sorted(w.rule_id for w in c.warnings)),
            rank=(c.rank.group, c.rank.position, c.rank.of) if c.rank else None,
        )
        for c in result.scorecards
    ]


def assert_same(reference: ScoringResult, batch: BatchResult) -> None:
    assert batch.summaries() == reference_summaries(reference)
    acc = reference.accounting
    counts = batch.accounting_counts()
    assert (counts["read"], counts["counted"], counts["ignored"], counts["rejected"]) == (
        acc.read, acc.counted, acc.ignored, acc.rejected
    )
    assert {k: v for k, v in counts.items() if k not in ("read", "counted", "ignored", "rejected")} == acc.by_reason
    assert batch.accounting_summary() == acc.summary()  # the same records named for each reason


def test_batch_equals_reference_for_random_and_shipped_rule_sets(
    any_rule_set: str | None, shipped: Callable[[str], RuleSet]
) -> None:
    @_examples(any_rule_set)
    @given(scenarios(any_rule_set, shipped))
    def check(s: Scenario) -> None:
        assert_same(s.run(), score_batch(s.rule_set, s.members, s.records, s.period))

    check()


@settings(max_examples=25, deadline=None)
@given(scenarios(None, lambda name: None))  # type: ignore[arg-type, return-value]
def test_lazy_scorecards_equal_the_reference_scorecards(s: Scenario) -> None:
    reference = s.run()
    batch = score_batch(s.rule_set, s.members, s.records, s.period)
    for card in reference.scorecards:
        assert batch.scorecard(card.member_id) == card


def _plenary(rid: str, member: str, status: str) -> ActivityRecord:
    return ActivityRecord(id=rid, member_id=member, kind="meeting", subtype="plenary", status=status, date="2015-03-03")


def test_history_drives_the_same_escalation(shipped: Callable[[str], RuleSet]) -> None:
    jinan = shipped("jinan-2015")
    members = [Member(id=f"m{i}") for i in range(4)]
    records = [_plenary(f"r{i}", f"m{i}", "absent_unexcused") for i in range(3)]
    history = [
        HistoryEntry(member_id="m0", period=Period.year(2014), total=Decimal(40), grade="incompetent"),
        HistoryEntry(member_id="m1", period=Period.year(2013), total=Decimal(40), grade="incompetent"),
        HistoryEntry(member_id="m2", period=Period.year(2014), total=Decimal(75), grade="competent"),
    ]
    reference = score(jinan, members, records, Period.year(2015), history=history)
    batch = score_batch(jinan, members, records, Period.year(2015), history=history)
    assert_same(reference, batch)
    assert batch.summary(0).warnings == ("below60_two_years", "below60_year")
    assert batch.summary(1).warnings == ("below60_year",)  # 2014 missing: not two years running


def test_interim_open_requirements_match(shipped: Callable[[str], RuleSet]) -> None:
    jilin = shipped("jilin-city-example")
    members = [Member(id="a"), Member(id="b")]
    records = [ActivityRecord(id="r1", member_id="a", kind="proposal", status="submitted", date="2024-02-01")]
    period = Period.year(2024, as_of=Period.year(2024).start.replace(month=6, day=30))
    reference = score(jilin, members, records, period)
    batch = score_batch(jilin, members, records, period)
    assert_same(reference, batch)
    assert batch.scorecard("a") == reference.scorecard("a")


def test_a_parameter_only_variant_rescores_from_the_same_facts(shipped: Callable[[str], RuleSet], tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sys
    from pathlib import Path

    from scoring.batch import prepare
    from scoring.plugins import Registry

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.synthetic import generate

    base = shipped("jinan-2015")
    variant = Registry.build().load(Path(__file__).resolve().parents[1] / "examples/variants/jinan-2015-strict.toml")
    members, records = generate(200, 4000, seed=7)
    workspace = prepare(base, members, records, Period.year(2024))
    first = workspace.score(base)
    tallies_before = len(workspace.tallies)
    strict = workspace.score(variant)
    assert len(workspace.tallies) == tallies_before  # nothing re-aggregated
    assert_same(score(variant, members, records, Period.year(2024)), strict)
    assert_same(score(base, members, records, Period.year(2024)), first)
