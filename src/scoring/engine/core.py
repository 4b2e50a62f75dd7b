"""``score()``: apply a rule set to one period's members and records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .._version import __version__
from ..errors import InputError, Problem
from ..models import (
    Accounting,
    ActivityRecord,
    GateResult,
    Member,
    Period,
    Provenance,
    RecordOutcome,
    Scorecard,
    ScoringResult,
    Warning,
)
from ..models.trusted import trusted
from ..rules.base import Measure, Tally
from ..ruleset import CompiledRule, RuleSet
from ..ruleset.schema import Requirement
from ..text import Text, t
from .card import Points, compute_points, eligibility, gate_result, grade_of
from .escalation import counters, escalate, open_requirements, trigger_measure
from .facts import FactsPlan, aggregate
from .history import History, HistoryEntry
from .notify import notifications
from .ranking import Rankable, rank_all
from .screening import Screening, reason, screen


@dataclass
class Draft(Rankable):
    """A member's scorecard before ranking and warnings (mutable until finished)."""

    points: Points = field(default_factory=Points)
    gates: tuple[GateResult, ...] = ()
    grade_by_score: str | None = None
    grade_note: Text | None = None
    eligible: tuple[str, ...] = ()
    counters: dict[str, int] = field(default_factory=dict)
    exempt_reason: Text | None = None
    used: dict[str, set[str]] = field(default_factory=dict)


class MemberPlans:
    """Which rules and measures apply to a member, cached per role profile."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self.measure_of: dict[Requirement, Measure] = {}
        for gate in rule_set.spec.gates:
            for req in gate.requirements:
                for alt in req.any_of or (req,):
                    if alt.match is not None:
                        self.measure_of[alt] = Measure(alt.match)
        self.trigger_measures = [m for s in rule_set.escalation if (m := trigger_measure(s)) is not None]
        self._cache: dict[tuple[str, ...], tuple[list[CompiledRule], FactsPlan, dict[Measure, list[str]]]] = {}

    def for_roles(self, roles: tuple[str, ...]) -> tuple[list[CompiledRule], FactsPlan, dict[Measure, list[str]]]:
        """The rules that apply to a member with ``roles``, the facts plan, and who uses each measure."""
        if roles not in self._cache:
            rules = [r for r in self.rule_set.rules if r.applies_to(roles)]
            users: dict[Measure, list[str]] = {}
            for rule in rules:
                for m in rule.measures:
                    users.setdefault(m, []).append(rule.id)
            held = {"member", *roles}
            for gate in self.rule_set.spec.gates:
                for req in gate.requirements:
                    if req.roles and not held.intersection(req.roles):
                        continue
                    for alt in req.any_of or (req,):
                        if alt.match is not None:
                            users.setdefault(self.measure_of[alt], []).append(f"{gate.id}.{req.id}")
            for step, m in zip((s for s in self.rule_set.escalation if trigger_measure(s)), self.trigger_measures,
                               strict=True):
                users.setdefault(m, []).append(step.id)
            self._cache[roles] = (rules, FactsPlan.of(users), users)
        return self._cache[roles]


def score(
    rule_set: RuleSet,
    members: Iterable[Member],
    records: Iterable[ActivityRecord],
    period: Period,
    *,
    history: Iterable[HistoryEntry | ScoringResult] = (),
) -> ScoringResult:
    """Score every member for ``period``: scorecards, warnings, notifications and an accounting of
    every record. The result does not depend on the order of ``members`` or ``records``."""
    by_id = _index_members(members)
    screening = screen(rule_set, by_id, records, period)
    plans = MemberPlans(rule_set)
    past = History(history)
    drafts: list[Draft] = []
    for member_id in sorted(by_id):
        member = by_id[member_id]
        drafts.append(draft_member(rule_set, member, period, screening.accepted.get(member_id, ()), plans))
    rank_all(rule_set, drafts)
    cards = [finish_card(rule_set, d, period, past) for d in drafts]
    accounting = _accounting(screening, drafts)
    return ScoringResult(
        rule_set_id=rule_set.id, rule_set_version=rule_set.version, period=period, scorecards=tuple(cards),
        accounting=accounting, notifications=notifications(rule_set, cards, by_id),
    )


def _index_members(members: Iterable[Member]) -> dict[str, Member]:
    out: dict[str, Member] = {}
    problems: list[Problem] = []
    for member in members:
        if member.id in out and out[member.id] != member:
            problems.append(Problem(
                f"委员编号 '{member.id}' 重复且信息不同", f"member id '{member.id}' appears twice with different data",
                column="id", found=member.id,
            ))
        out[member.id] = member
    if problems:
        raise InputError(problems)
    return out


def draft_member(
    rule_set: RuleSet, member: Member, period: Period, accepted: Iterable[ActivityRecord], plans: MemberPlans
) -> Draft:
    """Aggregate one member's accepted records and draft the scorecard (the reference path)."""
    rules, plan, users = plans.for_roles(member.roles)
    tallies = aggregate(plan, sorted(accepted, key=lambda r: r.id))
    return draft_card(rule_set, member, period, rules, tallies, plans, users)


def draft_card(
    rule_set: RuleSet, member: Member, period: Period, rules: list[CompiledRule],
    tallies: dict[Measure, Tally], plans: MemberPlans, users: dict[Measure, list[str]],
) -> Draft:
    """Points, gates and grade of one member from the tallies of their records."""
    points = compute_points(rule_set, rules, tallies)
    exempt = _exemption(rule_set, member, period)
    gates = () if exempt else tuple(
        gate_result(g, member, tallies, plans.measure_of, rule_set.requirements_unavailable)
        for g in rule_set.spec.gates
    )
    grading = grade_of(rule_set, points.total, gates) if not exempt else None
    used: dict[str, set[str]] = {}
    for measure, tally in tallies.items():
        for rid in tally.record_ids:
            used.setdefault(rid, set()).update(users.get(measure, ()))
    return Draft(
        member=member, total=points.total, grade=grading.final if grading else None, assessed=exempt is None,
        points=points, gates=gates, grade_by_score=grading.by_score if grading else None,
        grade_note=grading.note if grading else None,
        eligible=eligibility(rule_set, points.total, gates) if not exempt else (),
        counters=counters(rule_set, tallies), exempt_reason=exempt, used=used,
    )


def _exemption(rule_set: RuleSet, member: Member, period: Period) -> Text | None:
    if member.exempt:
        return Text(zh=f"免于考核：{member.exempt}", en=f"exempt: {member.exempt}")
    min_days = rule_set.spec.policy.min_service_days
    if min_days is None:
        return None
    start = max(period.start, member.joined or period.start)
    end = min(period.end, member.left or period.end)
    served = max(0, (end - start).days + 1)
    if served < min_days:
        return Text(
            zh=f"本期任职 {served} 天，少于 {min_days} 天，不参加考核",
            en=f"served {served} days this period, fewer than {min_days}: not assessed",
        )
    return None


def finish_card(rule_set: RuleSet, d: Draft, period: Period, past: History) -> Scorecard:
    """The final scorecard of a ranked draft: escalation and interim warnings, provenance."""
    warnings: list[Warning] = []
    not_computable = list(d.points.not_computable)
    not_computable += [
        t(zh=f"评定「{e.label.zh}」{why.zh}", en=f"'{e.label.get('en')}' {why.get('en')}")
        for e in rule_set.spec.eligibility if (why := rule_set.eligibility_unavailable.get(e.id)) is not None
    ] if d.assessed else []
    if d.assessed:
        found, undecided = escalate(rule_set, d.member, period, d.total, d.grade, d.gates, d.counters, past)
        warnings += found
        not_computable += undecided
        if period.interim:
            warnings += open_requirements(d.member, d.gates, period.end)
    band = rule_set.grade(d.grade)
    # Every part was validated when it was made; the card itself is assembled without re-validation.
    return trusted(
        Scorecard,
        member_id=d.member.id, member_name=d.member.name, status="assessed" if d.assessed else "exempt",
        exempt_reason=d.exempt_reason, total=d.total, grade=d.grade, grade_label=band.label if band else None,
        grade_by_score=d.grade_by_score, grade_note=d.quota_note or d.grade_note, eligible=d.eligible,
        gates=d.gates, categories=tuple(d.points.categories), lines=tuple(d.points.lines),
        warnings=tuple(sorted(warnings, key=lambda w: (-w.level, w.rule_id))), rank=d.rank,
        counters=d.counters, not_computable=tuple(not_computable), term=d.member.term,
        provenance=trusted(
            Provenance,
            rule_set_id=rule_set.id, rule_set_version=rule_set.version, fingerprint=rule_set.fingerprint,
            scoring_version=__version__, source=rule_set.source, period=period,
        ),
    )


def _accounting(screening: Screening, drafts: list[Draft]) -> Accounting:
    outcomes: list[RecordOutcome] = list(screening.outcomes)
    used = {rid: rules for d in drafts for rid, rules in d.used.items()}
    for member_id, records in screening.accepted.items():
        for record in records:
            rules = used.get(record.id)
            if rules:
                outcomes.append(trusted(RecordOutcome,
                    record_id=record.id, duplicate=0, member_id=member_id, outcome="counted", reason=None,
                    reason_code=None, rules=tuple(sorted(rules)),
                ))
            else:
                outcomes.append(trusted(RecordOutcome,
                    record_id=record.id, duplicate=0, member_id=member_id, outcome="ignored", reason=reason("no_rule"),
                    reason_code="no_rule", rules=(),
                ))
    ordered = tuple(sorted(outcomes, key=lambda o: (o.record_id, o.duplicate)))
    tally = Counter(o.outcome for o in ordered)
    return Accounting(
        read=screening.read, counted=tally["counted"], ignored=tally["ignored"], rejected=tally["rejected"],
        by_reason=dict(sorted(Counter(o.reason_code for o in ordered if o.reason_code).items())),
        records=ordered,
    )
