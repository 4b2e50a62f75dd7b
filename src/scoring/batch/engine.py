"""``score_batch()``: the vectorised path. Same results as :func:`scoring.score`, for all members
at once, from records encoded once into columns.

Members whose arithmetic is not exact at 10⁻⁶, or who depend on an unpublished value, or who are
exempt, are *irregular*: they are scored by the reference path's own functions, so the two paths
agree on every total, grade, gate and warning by construction and by differential tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..engine.card import _bounded
from ..engine.core import Draft, MemberPlans, draft_member
from ..engine.escalation import trigger_measure
from ..engine.history import History, HistoryEntry
from ..engine.ranking import group_key
from ..fixedpoint import Ints, round_scaled, scaled, to_decimal
from ..models import ActivityRecord, Member, Period, ScoringResult
from ..rules.base import ZERO, Measure, Tally
from ..ruleset import CompiledRule, RuleSet
from ..ruleset.schema import Requirement
from .columns import Codebook, RecordColumns, encode
from .facts import BatchTally, Bools, tally
from .members import MemberColumns
from .result import BatchResult
from .screen import screen

GATE_MET, GATE_FAILED, GATE_UNDECIDED = 1, 0, -1


@dataclass
class _State:
    """Per-member arrays under construction."""

    n: int
    irregular: Bools
    total: Ints
    known: Bools


def score_batch(
    rule_set: RuleSet,
    members: Iterable[Member] | MemberColumns,
    records: Sequence[ActivityRecord] | RecordColumns,
    period: Period,
    *,
    history: Iterable[HistoryEntry | ScoringResult] = (),
) -> BatchResult:
    """Score every member at once (same results as :func:`scoring.score`)."""
    return prepare(rule_set, members, records, period, history=history).score(rule_set)


def prepare(
    rule_set: RuleSet,
    members: Iterable[Member] | MemberColumns,
    records: Sequence[ActivityRecord] | RecordColumns,
    period: Period,
    *,
    history: Iterable[HistoryEntry | ScoringResult] = (),
) -> Workspace:
    """Encode and screen the records once; :meth:`Workspace.score` then scores ``rule_set`` or any
    policy variant of it from the same facts, without re-reading or re-aggregating records."""
    roster = members if isinstance(members, MemberColumns) else MemberColumns.of(members)
    book = Codebook.of(rule_set.vocabulary)
    cols = records if isinstance(records, RecordColumns) else encode(records, roster.index, book)
    return Workspace(roster, cols, book, period, list(history), rule_set)


def encode_records(
    rule_set: RuleSet, members: Iterable[Member] | MemberColumns, records: Sequence[ActivityRecord]
) -> RecordColumns:
    """Encode records once, for several :func:`score_batch` runs over them."""
    roster = members if isinstance(members, MemberColumns) else MemberColumns.of(members)
    return encode(records, roster.index, Codebook.of(rule_set.vocabulary))


class Workspace:
    """One period's members and records, encoded and screened, with every tally computed so far."""

    def __init__(
        self, roster: MemberColumns, cols: RecordColumns, book: Codebook, period: Period,
        history: list[HistoryEntry | ScoringResult], rule_set: RuleSet,
    ) -> None:
        self.roster, self.cols, self.book, self.period = roster, cols, book, period
        self.members: Sequence[Member] = roster.members
        self.history_items = history
        self.history = History(history)
        self.n = len(roster)
        self._screened_for = (rule_set.vocabulary, rule_set.spec.policy.date_basis)
        self.screening = screen(rule_set, roster, cols, book, period)
        self.masks: dict[object, Bools] = {}
        self.tallies: dict[Measure, BatchTally] = {}
        self.groups: dict[object, tuple[Ints, list[str]]] = {}
        self.exempt: dict[object, Bools] = {}
        self.profiles = self._profiles()
        self._by_member: Ints | None = None
        self._starts: Ints | None = None

    def accepted_records(self, i: int) -> list[ActivityRecord]:
        """The accepted records of member ``i`` (in input order); the per-member index is built
        on first use, since only explanations and irregular members need it."""
        if self._by_member is None or self._starts is None:
            accepted = np.flatnonzero(self.screening.accepted)
            order = np.argsort(self.cols.member[accepted], kind="stable")
            self._by_member = accepted[order]
            self._starts = np.searchsorted(self.cols.member[self._by_member], np.arange(self.n + 1))
        rows = self._by_member[self._starts[i]:self._starts[i + 1]]
        return [self.cols.records[r] for r in rows.tolist()]

    @property
    def index(self) -> dict[str, int]:
        """Member id → position in the per-member arrays."""
        return self.roster.index

    def _profiles(self) -> dict[tuple[str, ...], Bools]:
        """Member mask of every distinct combination of roles."""
        return {roles: self.roster.profile == c for c, roles in enumerate(self.roster.profiles)}

    def score(self, rule_set: RuleSet) -> BatchResult:
        """Score ``rule_set`` (the one prepared for, or a variant with the same vocabulary and date
        basis — anything else is screened afresh)."""
        if (rule_set.vocabulary, rule_set.spec.policy.date_basis) != self._screened_for:
            return prepare(
                rule_set, self.roster, self.cols.records, self.period, history=self.history_items
            ).score(rule_set)
        return _Run(rule_set, self).result()


class _Run:
    """One scoring of a rule set over a workspace; each method computes one stage for all members."""

    def __init__(self, rule_set: RuleSet, ws: Workspace) -> None:
        self.rule_set, self.ws = rule_set, ws
        self.members, self.cols, self.book, self.period, self.history = (
            ws.members, ws.cols, ws.book, ws.period, ws.history
        )
        self.n = ws.n
        self.screening = ws.screening
        self.accepted = ws.screening.accepted
        self.profiles = ws.profiles
        self.plans = MemberPlans(rule_set)

    # -- who is subject to what --------------------------------------------------------------

    def _applies(self, test: object) -> Bools:
        mask = np.zeros(self.n, dtype=bool)
        for roles, members in self.profiles.items():
            if test(roles):  # type: ignore[operator]
                mask |= members
        return mask

    def _tally(self, measure: Measure) -> BatchTally:
        cached = self.ws.tallies.get(measure)
        if cached is None:
            cached = self.ws.tallies[measure] = tally(
                measure, self.cols, self.accepted, self.n, self.book, self.ws.masks  # type: ignore[arg-type]
            )
        return cached

    # -- points -------------------------------------------------------------------------------

    def _points(self, state: _State) -> None:
        spec = self.rule_set.spec
        categories = {c.id: np.zeros(self.n, dtype=np.int64) for c in spec.categories}
        for rule in self.rule_set.rules:
            applies = self._applies(rule.applies_to)
            line = self._line(rule, applies, state)
            categories[rule.spec.category] += np.where(applies, line, 0)
        total = np.zeros(self.n, dtype=np.int64)
        for category in spec.categories:
            if category.id in self.rule_set.categories_unavailable:
                state.irregular[:] = True
            total += self._bounded(categories[category.id], category.cap, category.floor, "categories", state)
        state.total = self._bounded(total, spec.total.cap, spec.total.floor, "total", state)

    def _line(self, rule: CompiledRule, applies: Bools, state: _State) -> Ints:
        tallies = [self._tally(m) for m in rule.measures]
        for t in tallies:
            state.irregular |= applies & t.irregular
        if rule.unavailable is not None or rule.params is None:
            touched = np.zeros(self.n, dtype=bool)
            for t in tallies:
                touched |= t.count > 0
            if not rule.rule_type.zero_without_records:
                touched[:] = True
            state.irregular |= applies & touched
            zero, _ = _bounded(ZERO, rule.spec.cap, rule.spec.floor, self.rule_set.spec.rounding, "lines")
            return np.full(self.n, scaled(zero) or 0, dtype=np.int64)
        batch = rule.rule_type.evaluate_batch(rule.params, tallies, self.n)
        if batch is None:
            points, exact = self._scalar_fallback(rule, tallies, applies)
        else:
            points, exact = batch
        state.irregular |= applies & ~exact
        return self._bounded(points, rule.spec.cap, rule.spec.floor, "lines", state)

    def _scalar_fallback(self, rule: CompiledRule, tallies: list[BatchTally], applies: Bools) -> tuple[Ints, Bools]:
        """Per-member :meth:`RuleType.evaluate` for rule types without a batch form."""
        points = np.zeros(self.n, dtype=np.int64)
        exact = np.ones(self.n, dtype=bool)
        assert rule.params is not None
        for i in np.flatnonzero(applies).tolist():
            ts = [Tally(int(t.count[i]), to_decimal(int(t.value[i]))) for t in tallies]
            value = scaled(rule.rule_type.evaluate(rule.params, ts).points)
            if value is None:
                exact[i] = False
            else:
                points[i] = value
        return points, exact

    def _bounded(self, values: Ints, cap: object, floor: object, level: str, state: _State) -> Ints:
        """Clamp, then round as the rule set says; values off the 10⁻⁶ grid are irregular."""
        out = values
        cap_s = scaled(cap) if cap is not None else None  # type: ignore[arg-type]
        floor_s = scaled(floor) if floor is not None else None  # type: ignore[arg-type]
        if (cap is not None and cap_s is None) or (floor is not None and floor_s is None):
            state.irregular[:] = True
            return out
        if cap_s is not None:
            out = np.minimum(out, cap_s)
        if floor_s is not None:
            out = np.maximum(out, floor_s)
        rounding = self.rule_set.spec.rounding
        if rounding.places is not None and rounding.apply_to == level:
            rounded = round_scaled(out, rounding.places, rounding.mode)
            if cap_s is not None:
                rounded = np.where(rounded > cap_s, round_scaled(np.full(1, cap_s), rounding.places, "down")[0],
                                   rounded)
            if floor_s is not None:
                rounded = np.where(rounded < floor_s, round_scaled(np.full(1, floor_s), rounding.places, "up")[0],
                                   rounded)
            out = rounded
        return out

    # -- the run --------------------------------------------------------------------------------

    def result(self) -> BatchResult:
        state = _State(self.n, np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=np.int64),
                       np.ones(self.n, dtype=bool))
        exempt = self.exempt()
        self._points(state)
        gates = self._gates()
        grades, by_score = self._grades(state, gates)
        drafts = self._irregular_drafts(state)
        off_grid: dict[int, Decimal] = {}
        for i, draft in drafts.items():
            state.known[i] = draft.total is not None
            on_grid = scaled(draft.total) if draft.total is not None else 0
            if on_grid is None and draft.total is not None:
                off_grid[i] = draft.total  # e.g. a 1/3 share: kept exact, ranked exactly
            state.total[i] = on_grid or 0
            grades[i], by_score[i] = draft.grade, draft.grade_by_score
            for g in draft.gates:
                gates[g.id][i] = GATE_UNDECIDED if g.met is None else int(g.met)
        return BatchResult.build(self, state, gates, grades, by_score, drafts, exempt, off_grid)

    def exempt(self) -> Bools:
        """Members not assessed this period (exempt, or too few days of service), cached per policy."""
        key = self.rule_set.spec.policy.min_service_days
        if key not in self.ws.exempt:
            roster = self.ws.roster
            exempt = roster.exempt if key is None else roster.exempt | roster.served_too_little(self.period, key)
            self.ws.exempt[key] = exempt
        return self.ws.exempt[key]

    def _irregular_drafts(self, state: _State) -> dict[int, Draft]:
        """Reference-path drafts of the irregular members (from their own accepted records)."""
        return {
            i: draft_member(self.rule_set, self.members[i], self.period, self.ws.accepted_records(i), self.plans)
            for i in np.flatnonzero(state.irregular).tolist()
        }

    # -- gates and grades -----------------------------------------------------------------------

    def requirement_met(self, gate_id: str, req: Requirement) -> Ints:
        """1 met, 0 not met, -1 undecided (threshold unpublished), per member."""
        if f"{gate_id}.{req.id}" in self.rule_set.requirements_unavailable:
            return np.full(self.n, GATE_UNDECIDED, dtype=np.int64)
        met = np.zeros(self.n, dtype=bool)
        for alt in req.any_of or (req,):
            assert alt.match is not None
            met |= self._tally(Measure(alt.match)).count >= alt.min
        return met.astype(np.int64)

    def requirement_applies(self, req: Requirement) -> Bools:
        """Members a requirement applies to (its role variants)."""
        return self._applies(lambda roles: not req.roles or bool({"member", *roles} & set(req.roles)))

    def _gates(self) -> dict[str, Ints]:
        out: dict[str, Ints] = {}
        for gate in self.rule_set.spec.gates:
            state = np.full(self.n, GATE_MET, dtype=np.int64)
            undecided = np.zeros(self.n, dtype=bool)
            failed = np.zeros(self.n, dtype=bool)
            for req in gate.requirements:
                applies = self.requirement_applies(req)
                met = self.requirement_met(gate.id, req)
                failed |= applies & (met == 0)
                undecided |= applies & (met == GATE_UNDECIDED)
            state[undecided] = GATE_UNDECIDED
            state[failed] = GATE_FAILED
            out[gate.id] = state
        return out

    def _grades(self, state: _State, gates: dict[str, Ints]) -> tuple[list[str | None], list[str | None]]:
        bands = self.rule_set.grades
        by_score: list[str | None] = [None] * self.n
        final: list[str | None] = [None] * self.n
        if not bands:
            return final, by_score
        if self.rule_set.grades_unavailable is not None:
            state.irregular[:] = True
            return final, by_score
        band_index = np.full(self.n, -1, dtype=np.int64)
        for b, band in enumerate(bands):
            inside = np.ones(self.n, dtype=bool)
            low = scaled(band.min) if band.min is not None else None
            high = scaled(band.max) if band.max is not None else None
            if (band.min is not None and low is None) or (band.max is not None and high is None):
                state.irregular[:] = True
                return final, by_score
            if low is not None:
                inside &= (state.total > low) | ((state.total == low) & band.min_inclusive)
            if high is not None:
                inside &= (state.total < high) | ((state.total == high) & band.max_inclusive)
            band_index = np.where((band_index < 0) & inside, b, band_index)
        final_index = band_index.copy()
        for gate in self.rule_set.spec.gates:
            if not gate.binding or gate.fail_grade is None:
                continue
            limit = self.rule_set.grade_rank(gate.fail_grade)
            worse = (band_index >= 0) & (limit > final_index)
            final_index = np.where(worse & (gates[gate.id] == GATE_FAILED), limit, final_index)
            # an undecided binding gate that could lower the grade leaves no grade: reference path
            state.irregular |= worse & (gates[gate.id] == GATE_UNDECIDED)
        names = np.array([band.id for band in bands] + [None], dtype=object)  # code -1 → None
        return names[final_index].tolist(), names[band_index].tolist()

    # -- ranking, escalation, accounting -------------------------------------------------------

    def groups(self) -> tuple[Ints, list[str]]:
        """Each member's peer group as a code into the sorted group names (cached per ranking
        setting and role vocabulary)."""
        key = (self.rule_set.spec.ranking, tuple(sorted(self.rule_set.vocabulary.roles.items())))
        if key not in self.ws.groups:
            combination, representative = self.ws.roster.combinations(self.rule_set.spec.ranking.group_by)
            keys = [group_key(self.rule_set, self.members[i]) for i in representative.tolist()]
            names = sorted(set(keys))
            code = {g: c for c, g in enumerate(names)}
            by_combination = np.array([code[g] for g in keys], dtype=np.int64)
            self.ws.groups[key] = (by_combination[combination], names)
        return self.ws.groups[key]

    def counted_records(self) -> Bools:
        """Accepted records that some rule, requirement or trigger applicable to their member used."""
        counted = np.zeros(len(self.cols), dtype=bool)
        member = np.maximum(self.cols.member, 0)
        users: dict[Measure, Bools] = {}
        for rule in self.rule_set.rules:
            applies = self._applies(rule.applies_to)
            for m in rule.measures:
                users[m] = users.get(m, np.zeros(self.n, dtype=bool)) | applies
        for gate in self.rule_set.spec.gates:
            for req in gate.requirements:
                applies = self.requirement_applies(req)
                for alt in req.any_of or (req,):
                    if alt.match is not None:
                        m = Measure(alt.match)
                        users[m] = users.get(m, np.zeros(self.n, dtype=bool)) | applies
        for step in self.rule_set.escalation:
            trigger = trigger_measure(step)
            if trigger is not None:
                users[trigger] = np.ones(self.n, dtype=bool)
        for measure, applies in users.items():
            records = self._tally(measure).records
            counted |= records if applies.all() else records & np.take(applies, member)
        return counted & self.accepted

    def history_totals(
        self, periods: int
    ) -> tuple[list[Ints], list[Bools], list[list[str | None]], list[list[tuple[str, ...]]]]:
        """For lags 1…periods-1: earlier totals (scaled), whether present and contiguous, grades, failed gates."""
        totals: list[Ints] = []
        present: list[Bools] = []
        grades: list[list[str | None]] = []
        failed: list[list[tuple[str, ...]]] = []
        for _ in range(1, periods):
            totals.append(np.zeros(self.n, dtype=np.int64))
            present.append(np.zeros(self.n, dtype=bool))
            grades.append([None] * self.n)
            failed.append([()] * self.n)
        if periods <= 1:
            return totals, present, grades, failed
        for member_id in self.history.member_ids():
            i = self.ws.index.get(member_id)
            if i is None:
                continue
            earlier = self.history.previous(member_id, self.period, periods - 1)
            if earlier is None:
                continue
            for k, entry in enumerate(earlier):
                present[k][i] = entry.total is not None
                totals[k][i] = scaled(entry.total) if entry.total is not None else 0  # type: ignore[assignment]
                grades[k][i] = entry.grade
                failed[k][i] = entry.gates_failed
        return totals, present, grades, failed

