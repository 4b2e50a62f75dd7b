"""The batch result: totals, grades, gates, ranks and warnings for every member as arrays; full
scorecards (every line item explained) built on demand, one member at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

from ..engine.core import Draft, draft_member, finish_card
from ..engine.ranking import quota_allowed, quota_note
from ..fixedpoint import Ints, scaled, to_decimal
from ..models import Member, Rank, Scorecard
from ..models.accounting import EXAMPLES, AccountingSummary, SetAside, first_ids
from ..models.trusted import trusted
from ..rules.base import Measure
from ..ruleset import RuleSet
from ..ruleset.schema import GateFailed, GradeIn, RecordsAtLeast, TotalBelow
from .columns import strings_at
from .facts import Bools
from .screen import CODE, REASONS, REJECTED

if TYPE_CHECKING:
    from ..models import Period
    from .engine import _Run, _State

GATE_FAILED = 0


@dataclass(frozen=True)
class MemberSummary:
    """What the batch path decides for one member (compared field by field with the reference)."""

    member_id: str
    status: str
    total: Decimal | None
    grade: str | None
    grade_by_score: str | None
    gates: tuple[tuple[str, bool | None], ...]
    warnings: tuple[str, ...]
    rank: tuple[str, int, int] | None


@dataclass
class BatchResult:
    """Results of :func:`score_batch` for every member, as arrays indexed in member-id order."""

    rule_set: RuleSet
    period: Period
    members: Sequence[Member]
    total: Ints
    known: Bools
    exempt: Bools
    grade: list[str | None]
    grade_by_score: list[str | None]
    gates: dict[str, Ints]
    warnings: dict[str, Bools]
    rank_group_code: Ints  # -1 when not ranked
    group_names: list[str]
    rank_position: Ints
    rank_of: Ints
    record_codes: np.ndarray
    irregular: Bools
    demoted: dict[int, str] = field(default_factory=dict)
    off_grid: dict[int, Decimal] = field(default_factory=dict)
    _run: _Run | None = None
    _drafts: dict[int, Draft] = field(default_factory=dict)
    _accounted: bool = False

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls, run: _Run, state: _State, gates: dict[str, Ints], grades: list[str | None],
        by_score: list[str | None], drafts: dict[int, Draft], exempt: Bools, off_grid: dict[int, Decimal],
    ) -> BatchResult:
        """Rank, apply quotas and escalation, and settle the accounting, for all members."""
        n = run.n
        for g in gates.values():
            g[exempt] = -2  # exempt members have no gates
        result = cls(
            rule_set=run.rule_set, period=run.period, members=run.members, total=state.total, known=state.known,
            exempt=exempt, grade=grades, grade_by_score=by_score, gates=gates, warnings={},
            rank_group_code=np.full(n, -1, dtype=np.int64), group_names=[],
            rank_position=np.zeros(n, dtype=np.int64), rank_of=np.zeros(n, dtype=np.int64),
            record_codes=run.screening.code.copy(), irregular=state.irregular.copy(), _run=run, _drafts=drafts,
            off_grid=off_grid,
        )
        for i in np.flatnonzero(exempt).tolist():
            result.grade[i] = result.grade_by_score[i] = None
        result._rank(run)
        result._escalate(run)
        return result

    def _settle_accounting(self) -> None:
        """Counted or no_rule for every accepted record (computed on first use)."""
        if self._accounted or self._run is None:
            return
        counted = self._run.counted_records()
        self.record_codes[counted] = CODE["counted"]
        self.record_codes[self._run.accepted & ~counted] = CODE["no_rule"]
        self._accounted = True

    def _rank(self, run: _Run) -> None:
        codes, names = run.groups()
        self.group_names = names
        idx = np.flatnonzero(~self.exempt & self.known)
        if not len(idx):
            return
        group_code = codes[idx]
        if self.off_grid:  # exact Decimal order for totals off the 10⁻⁶ grid (rare)
            keyed = sorted(idx.tolist(), key=lambda i: (int(codes[i]), -(self.total_of(i) or 0), i))
            order = np.searchsorted(idx, np.array(keyed, dtype=np.int64))
        else:
            order = _rank_order(group_code, self.total[idx])
        idx, group_code = idx[order], group_code[order]
        k = np.arange(len(idx))
        new_group = np.r_[True, group_code[1:] != group_code[:-1]]
        if self.off_grid:
            values = [self.total_of(i) for i in idx.tolist()]
            same = np.array([a == b for a, b in zip(values[1:], values[:-1], strict=True)], dtype=bool)
        else:
            totals = self.total[idx]
            same = totals[1:] == totals[:-1]
        new_value = new_group | np.r_[True, ~same]
        start = np.maximum.accumulate(np.where(new_group, k, 0))
        last_change = np.maximum.accumulate(np.where(new_value, k, 0))
        sizes = np.bincount(group_code, minlength=len(names))
        self.rank_position[idx] = last_change - start + 1
        self.rank_of[idx] = sizes[group_code]
        self.rank_group_code[idx] = group_code
        for quota in self.rule_set.spec.quotas:
            if quota.id in self.rule_set.quotas_unavailable:
                continue
            holder = np.array(self.grade, dtype=object)[idx] == quota.grade  # in rank order
            held = np.cumsum(holder)
            within = held - (held - holder)[start]  # holders so far in the member's group
            allowed = np.array([quota_allowed(quota, int(k)) for k in sizes], dtype=np.int64)
            for i in idx[holder & (within > allowed[group_code])].tolist():
                self.grade[i] = quota.demote_to
                self.demoted[i] = quota.id

    def _escalate(self, run: _Run) -> None:
        assessed = ~self.exempt
        interim = self.period.interim
        for step in self.rule_set.escalation:
            fired = np.zeros(len(self.members), dtype=bool)
            trig = step.trigger
            if step.id in self.rule_set.steps_unavailable or (interim and not isinstance(trig, RecordsAtLeast)):
                self.warnings[step.id] = fired
                continue
            if isinstance(trig, RecordsAtLeast):
                count = run._tally(Measure(trig.match)).count.copy()
                if trig.window == "term":
                    for i, member in enumerate(self.members):
                        if not run.history.has(member.id):
                            continue
                        for entry in run.history.in_term(member.id, member.term, self.period.start):
                            count[i] += entry.counters.get(step.id, 0)
                fired = count >= trig.count
            else:
                fired = self._holds_now(trig) & self._held_before(run, trig)
            self.warnings[step.id] = fired & assessed
        if interim:  # requirements not met yet, with a known threshold
            for gate in self.rule_set.spec.gates:
                for req in gate.requirements:
                    applies = run.requirement_applies(req)
                    self.warnings[f"{gate.id}.{req.id}"] = assessed & applies & (run.requirement_met(gate.id, req) == 0)

    def _holds_now(self, trig: TotalBelow | GradeIn | GateFailed) -> Bools:
        if isinstance(trig, TotalBelow):
            value = scaled(trig.value)
            assert value is not None, "thresholds have at most six decimals"
            below = self.known & (self.total < value)
            for i, total in self.off_grid.items():
                below[i] = total < trig.value
            return below
        if isinstance(trig, GradeIn):
            return np.array([g in trig.grades for g in self.grade], dtype=bool)
        failed: Bools = self.gates[trig.gate] == GATE_FAILED
        return failed

    def _held_before(self, run: _Run, trig: TotalBelow | GradeIn | GateFailed) -> Bools:
        ok = np.ones(len(self.members), dtype=bool)
        if trig.periods <= 1:
            return ok
        totals, present, grades, failed = run.history_totals(trig.periods)
        for k in range(trig.periods - 1):
            if isinstance(trig, TotalBelow):
                value = scaled(trig.value)
                ok &= present[k] & (totals[k] < (value or 0))
            else:
                # a missing earlier period is simply not a match
                have = np.array([e is not None or f != () for e, f in zip(grades[k], failed[k], strict=True)])
                have |= present[k]
                if isinstance(trig, GradeIn):
                    ok &= have & np.array([g in trig.grades for g in grades[k]], dtype=bool)
                else:
                    ok &= have & np.array([trig.gate in f for f in failed[k]], dtype=bool)
        return ok

    # -- reading --------------------------------------------------------------------------------

    def index(self, member_id: str) -> int:
        """Position of ``member_id`` in the arrays (KeyError when absent)."""
        assert self._run is not None
        return self._run.ws.index[member_id]

    def group_of(self, i: int) -> str | None:
        """The peer group member ``i`` is ranked in (None when not ranked)."""
        code = int(self.rank_group_code[i])
        return self.group_names[code] if code >= 0 else None

    def total_of(self, i: int) -> Decimal | None:
        """The total of member ``i`` as a Decimal (None when not computable)."""
        if not self.known[i]:
            return None
        return self.off_grid.get(i) or to_decimal(int(self.total[i]))

    def summary(self, i: int) -> MemberSummary:
        """Totals, grade, gates, warnings and rank of member ``i``."""
        gates = tuple(
            (gid, None if state[i] == -1 else bool(state[i] == 1)) for gid, state in self.gates.items()
            if state[i] != -2
        )
        warned = tuple(sorted(s for s, fired in self.warnings.items() if fired[i]))
        group = self.group_of(i)
        rank = (group, int(self.rank_position[i]), int(self.rank_of[i])) if group is not None else None
        return MemberSummary(
            member_id=self.members[i].id, status="exempt" if self.exempt[i] else "assessed", total=self.total_of(i),
            grade=self.grade[i], grade_by_score=self.grade_by_score[i], gates=gates, warnings=warned,
            rank=rank,
        )

    def summaries(self) -> list[MemberSummary]:
        """The summary of every member, in member-id order."""
        return [self.summary(i) for i in range(len(self.members))]

    def accounting_counts(self) -> dict[str, int]:
        """Records per outcome and reason; ``read`` = ``counted`` + ``ignored`` + ``rejected``."""
        self._settle_accounting()
        by_code = np.bincount(self.record_codes.astype(np.intp), minlength=len(REASONS)).tolist()
        reasons = {REASONS[c]: n for c, n in enumerate(by_code) if n}
        rejected = sum(n for r, n in reasons.items() if r in REJECTED)
        counted = reasons.get("counted", 0)
        return {
            "read": len(self.record_codes), "counted": counted, "ignored": len(self.record_codes) - counted - rejected,
            "rejected": rejected, **{r: n for r, n in sorted(reasons.items()) if r != "counted"},
        }

    def accounting_summary(self, limit: int = EXAMPLES) -> AccountingSummary:
        """The records not counted, by reason, each with its ``limit`` smallest record ids: the
        reference result's ``accounting.summary()`` for the same inputs (``.line(lang)`` says it in
        one line, as ``scoring score -f jsonl`` prints it on standard error)."""
        counts = self.accounting_counts()
        by_reason: dict[str, tuple[SetAside, int]] = {}
        examples: dict[str, list[tuple[str, str]]] = {}
        for code, n in counts.items():
            if code not in CODE or code == "counted":
                continue
            by_reason[code] = ("rejected" if code in REJECTED else "ignored", n)
            if self._run is not None:
                rows = np.flatnonzero(self.record_codes == CODE[code]).tolist()
                ids = strings_at(self._run.cols.ids, rows)
                first = set(first_ids(ids, limit))
                examples[code] = [(r, self._member_id_of_record(i)) for r, i in zip(ids, rows, strict=True)
                                  if r in first]
        return AccountingSummary.build(counts["read"], counts["counted"], by_reason, examples, limit)

    def _member_id_of_record(self, i: int) -> str:
        assert self._run is not None
        member = int(self._run.cols.member[i])
        return self.members[member].id if member >= 0 else self._run.cols.records[i].member_id

    def scorecard(self, member_id: str) -> Scorecard:
        """The full scorecard of one member — every line item with its records and clauses."""
        i = self.index(member_id)
        run = self._run
        assert run is not None
        draft = self._drafts.get(i)
        if draft is None:
            draft = draft_member(self.rule_set, self.members[i], self.period, run.ws.accepted_records(i), run.plans)
        draft.grade = self.grade[i]
        if i in self.demoted:
            quota = next(q for q in self.rule_set.spec.quotas if q.id == self.demoted[i])
            draft.quota_note = quota_note(quota, quota_allowed(quota, int(self.rank_of[i])))
        group = self.group_of(i)
        if group is not None:
            draft.rank = trusted(Rank, group=group, position=int(self.rank_position[i]), of=int(self.rank_of[i]))
        return finish_card(self.rule_set, draft, self.period, run.history, run.plans)

    def scorecards(self, member_ids: Sequence[str] | None = None) -> list[Scorecard]:
        """Full scorecards of ``member_ids`` (default: everyone; slow for large cities)."""
        ids = member_ids if member_ids is not None else [m.id for m in self.members]
        return [self.scorecard(m) for m in ids]


def _rank_order(group: Ints, total: Ints) -> Ints:
    """Positions sorted by group, then total descending, then position: one sort of a combined
    key when it fits in int64, else a lexsort."""
    n = len(total)
    span = int(total.max()) - int(total.min()) + 1
    if (int(group.max()) + 1) * span * n < 2**62:
        key = (group * span + (int(total.max()) - total)) * n + np.arange(n)
        order: Ints = np.argsort(key)
        return order
    order = np.lexsort((np.arange(n), -total, group))
    return order
