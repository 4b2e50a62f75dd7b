"""``score()``: apply a rule set to one period's members and records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter

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
from .card import GatePlan, Idle, Points, compute_points, eligibility, gate_result, grade_of
from .escalation import escalate, open_requirements, trigger_measure
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
    tallies: dict[Measure, Tally] = field(default_factory=dict)
    users: dict[Measure, list[str]] = field(default_factory=dict)

    @property
    def used(self) -> dict[str, set[str]]:
        """The rules, requirements and triggers that read each of the member's records (for the
        accounting; computed when asked, since a scorecard alone does not need it)."""
        used: dict[str, set[str]] = {}
        for measure, tally in self.tallies.items():
            for rid in tally.record_ids:
                used.setdefault(rid, set()).update(self.users.get(measure, ()))
        return used


@dataclass
class RolePlan:
    """Everything about a rule set that depends only on a member's roles: the rules that apply,
    the facts plan, who uses each measure and the gates' requirements; plus the parts of the
    scorecards of members without any matching record, which are the same for all of them."""

    rules: list[CompiledRule]
    facts: FactsPlan
    users: dict[Measure, list[str]]
    gates: tuple[GatePlan, ...]
    idle: Idle = field(default_factory=Idle)


class MemberPlans:
    """Which rules and measures apply to a member, cached per role profile; and the parts of a
    scorecard that are the same for every member (provenance per period)."""

    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        # One Measure object per distinct measure, so that tally lookups find it by identity.
        canonical: dict[Measure, Measure] = {}
        for rule in rule_set.rules:
            for m in rule.measures:
                canonical.setdefault(m, m)
        self.measure_of: dict[Requirement, Measure] = {}
        for gate in rule_set.spec.gates:
            for req in gate.requirements:
                for alt in req.any_of or (req,):
                    if alt.match is not None:
                        m = Measure(alt.match)
                        self.measure_of[alt] = canonical.setdefault(m, m)
        counted: list[tuple[str, Measure]] = []
        for step in rule_set.escalation:
            trigger = trigger_measure(step)
            if trigger is not None:
                counted.append((step.id, canonical.setdefault(trigger, trigger)))
        self.counted = tuple(counted)
        self._cache: dict[tuple[str, ...], RolePlan] = {}
        self._provenance: tuple[Period, Provenance] | None = None

    def for_roles(self, roles: tuple[str, ...]) -> RolePlan:
        """The plan for members holding ``roles``."""
        plan = self._cache.get(roles)
        if plan is None:
            plan = self._cache[roles] = self._plan(roles)
        return plan

    def _plan(self, roles: tuple[str, ...]) -> RolePlan:
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
        for step_id, m in self.counted:
            users.setdefault(m, []).append(step_id)
        gates = tuple(
            GatePlan.of(g, roles, self.measure_of, self.rule_set.requirements_unavailable)
            for g in self.rule_set.spec.gates
        )
        return RolePlan(rules, FactsPlan.of(users), users, gates)

    def counters(self, tallies: Mapping[Measure, Tally]) -> dict[str, int]:
        """This period's counts for record-count triggers (as :func:`escalation.counters`)."""
        return {step_id: tallies[m].count if m in tallies else 0 for step_id, m in self.counted}

    def provenance(self, period: Period) -> Provenance:
        """The provenance of every scorecard of ``period`` under this rule set."""
        last = self._provenance
        if last is None or (last[0] is not period and last[0] != period):
            last = self._provenance = (period, provenance(self.rule_set, period))
        return last[1]


def provenance(rule_set: RuleSet, period: Period) -> Provenance:
    """Where a scorecard of ``period`` under ``rule_set`` came from."""
    return trusted(
        Provenance,
        rule_set_id=rule_set.id, rule_set_version=rule_set.version, fingerprint=rule_set.fingerprint,
        scoring_version=__version__, source=rule_set.source, period=period,
    )


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
    cards = [finish_card(rule_set, d, period, past, plans) for d in drafts]
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
    plan = plans.for_roles(member.roles)
    tallies = aggregate(plan.facts, sorted(accepted, key=_record_id))
    return draft_card(rule_set, member, period, plan, tallies, plans)


_record_id = attrgetter("id")


def draft_card(
    rule_set: RuleSet, member: Member, period: Period, plan: RolePlan, tallies: dict[Measure, Tally],
    plans: MemberPlans,
) -> Draft:
    """Points, gates and grade of one member from the tallies of their records."""
    points = compute_points(rule_set, plan.rules, tallies, plan.idle)
    exempt = _exemption(rule_set, member, period)
    if exempt is not None:
        return Draft(
            member=member, total=points.total, grade=None, assessed=False, points=points,
            counters=plans.counters(tallies), exempt_reason=exempt, tallies=tallies, users=plan.users,
        )
    gates = tuple([gate_result(g, tallies, plan.idle) for g in plan.gates])
    grading = grade_of(rule_set, points.total, gates)
    return Draft(
        member=member, total=points.total, grade=grading.final, assessed=True, points=points, gates=gates,
        grade_by_score=grading.by_score, grade_note=grading.note,
        eligible=eligibility(rule_set, points.total, gates), counters=plans.counters(tallies),
        exempt_reason=None, tallies=tallies, users=plan.users,
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


def finish_card(
    rule_set: RuleSet, d: Draft, period: Period, past: History, plans: MemberPlans | None = None
) -> Scorecard:
    """The final scorecard of a ranked draft: escalation and interim warnings, provenance (shared
    by all the cards of ``plans``, when given)."""
    warnings: list[Warning] = []
    not_computable = list(d.points.not_computable)
    if d.assessed and rule_set.eligibility_unavailable:
        not_computable += [
            t(zh=f"评定「{e.label.zh}」{why.zh}", en=f"'{e.label.get('en')}' {why.get('en')}")
            for e in rule_set.spec.eligibility if (why := rule_set.eligibility_unavailable.get(e.id)) is not None
        ]
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
        warnings=tuple(sorted(warnings, key=_warning_order)) if len(warnings) > 1 else tuple(warnings), rank=d.rank,
        counters=d.counters, not_computable=tuple(not_computable), term=d.member.term,
        provenance=plans.provenance(period) if plans is not None else provenance(rule_set, period),
    )


def _warning_order(w: Warning) -> tuple[int, str]:
    return -w.level, w.rule_id


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
