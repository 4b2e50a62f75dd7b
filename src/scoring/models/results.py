"""Result models: scorecards, line items, gates, warnings, accounting and provenance.

These are the library's output contract: frozen, JSON-ready (decimals serialise as strings),
and complete enough to be read back as history for later periods.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..text import Text
from .accounting import EXAMPLES, AccountingSummary, SetAside
from .inputs import Period

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class LineItem(BaseModel):
    """Points from one rule for one member, with the records and clause behind them."""

    model_config = _FROZEN

    rule_id: str
    rule_type: str
    category: str
    label: Text
    cite: str | None = Field(default=None, description="clause of the published method")
    record_ids: tuple[str, ...] = Field(default=(), description="records that contributed")
    count: int = Field(default=0, description="number of contributing records")
    raw_points: Decimal | None = Field(description="points before the rule's own cap/floor")
    points: Decimal | None = Field(description="points after the rule's own cap/floor; None = not computable")
    detail: Text | None = Field(default=None, description="how the points were computed")
    adjustment: Text | None = Field(default=None, description="why a cap or floor applied")
    not_computable: Text | None = Field(default=None, description="why the points are unknown")


class CategoryScore(BaseModel):
    """A category (e.g. 参加政协会议) with its cap/floor applied to the sum of its lines."""

    model_config = _FROZEN

    id: str
    label: Text
    cite: str | None = None
    raw_points: Decimal | None
    points: Decimal | None
    adjustment: Text | None = None
    not_computable: Text | None = None


class RequirementResult(BaseModel):
    """One requirement of a gate (e.g. 'one proposal a year'): how many done, how many needed."""

    model_config = _FROZEN

    id: str
    label: Text
    required: int | None = Field(description="records required; None when the method does not publish it")
    done: int
    met: bool | None = Field(description="None when it cannot be decided (threshold unpublished)")
    record_ids: tuple[str, ...] = ()
    not_computable: Text | None = None


class GateResult(BaseModel):
    """A minimum-requirement gate (N个一) and whether the member met it."""

    model_config = _FROZEN

    id: str
    label: Text
    cite: str | None = None
    met: bool | None = Field(description="False if any requirement fails, None if any cannot be decided")
    binding: bool = Field(description="whether failing it changes the grade (rule-set precedence)")
    requirements: tuple[RequirementResult, ...]


WarningKind = Literal["escalation", "open_requirement", "below_pass", "policy"]


class Warning(BaseModel):
    """Something a member or the office must act on: an exit-mechanism step or an open requirement."""

    model_config = _FROZEN

    member_id: str
    kind: WarningKind
    rule_id: str
    action: str = Field(description="action code: notice, remind, talk, resign, remove, complete")
    action_label: Text = Field(description="提醒 / 约谈 / 劝辞 …")
    level: int = Field(default=0, description="step on the ladder; higher is more serious")
    actor: Text | None = Field(default=None, description="who acts (e.g. 所在界别组召集人)")
    message: Text
    cite: str | None = None
    due: date | None = Field(default=None, description="deadline for open requirements")


class Rank(BaseModel):
    """Position within a peer group (competition ranking: ties share a position)."""

    model_config = _FROZEN

    group: str
    position: int
    of: int


class Provenance(BaseModel):
    """Where a scorecard came from: rule set, its content fingerprint, engine and plugin versions."""

    model_config = _FROZEN

    rule_set_id: str
    rule_set_version: str
    fingerprint: str = Field(description="sha256 of the effective rule set's canonical JSON")
    scoring_version: str
    source: str | None = Field(default=None, description="file or plugin distribution the rule set came from")
    period: Period


class Scorecard(BaseModel):
    """One member's 成绩单 for one period."""

    model_config = _FROZEN

    member_id: str
    member_name: str = ""
    status: Literal["assessed", "exempt"] = "assessed"
    exempt_reason: Text | None = None
    total: Decimal | None = Field(description="total points; None when not computable")
    grade: str | None = Field(default=None, description="final grade band id (after gates and quotas)")
    grade_label: Text | None = None
    grade_by_score: str | None = Field(default=None, description="grade band from the total alone")
    grade_note: Text | None = Field(default=None, description="why the final grade differs from the score band")
    eligible: tuple[str, ...] = Field(default=(), description="eligibility marks, e.g. may be nominated 优秀")
    gates: tuple[GateResult, ...] = ()
    categories: tuple[CategoryScore, ...] = ()
    lines: tuple[LineItem, ...] = ()
    warnings: tuple[Warning, ...] = ()
    rank: Rank | None = None
    counters: dict[str, int] = Field(
        default_factory=dict, description="record counts kept for multi-period rules (history)"
    )
    not_computable: tuple[Text, ...] = Field(default=(), description="why the total is unknown")
    term: str | None = None
    provenance: Provenance


RecordOutcomeKind = Literal["counted", "ignored", "rejected"]


class RecordOutcome(BaseModel):
    """What happened to one input record, and why."""

    model_config = _FROZEN

    record_id: str
    duplicate: int = Field(default=0, description="0 for the first record with this id; n for its n-th duplicate")
    member_id: str
    outcome: RecordOutcomeKind
    reason: Text | None = None
    reason_code: str | None = None
    rules: tuple[str, ...] = Field(default=(), description="rules or requirements that used it")


class Accounting(BaseModel):
    """Every input record accounted for: read = counted + ignored + rejected."""

    model_config = _FROZEN

    read: int
    counted: int
    ignored: int
    rejected: int
    by_reason: dict[str, int] = Field(default_factory=dict)
    records: tuple[RecordOutcome, ...] = ()

    @property
    def reconciles(self) -> bool:
        """True when every record read has exactly one outcome."""
        return self.read == self.counted + self.ignored + self.rejected == len(self.records)

    def summary(self, limit: int = EXAMPLES) -> AccountingSummary:
        """The records not counted, by reason, each with its ``limit`` smallest record ids;
        ``summary().line(lang)`` says it in one line ('' when every record was counted), as
        ``scoring score`` prints it on standard error."""
        by_reason: dict[str, tuple[SetAside, int]] = {}
        examples: dict[str, list[tuple[str, str]]] = {}
        for o in self.records:
            if o.outcome == "counted":
                continue
            code = o.reason_code or o.outcome
            by_reason[code] = (o.outcome, by_reason.get(code, (o.outcome, 0))[1] + 1)
            examples.setdefault(code, []).append((o.record_id, o.member_id))
        return AccountingSummary.build(self.read, self.counted, by_reason, examples, limit)

    def rejected_ids(self, limit: int | None = None) -> tuple[str, ...]:
        """The distinct ids of the rejected records, sorted (the first ``limit`` of them)."""
        ids = sorted({o.record_id for o in self.records if o.outcome == "rejected"})
        return tuple(ids if limit is None else ids[:limit])


class Notification(BaseModel):
    """Results to be sent to one recipient (组织部, 统战部, a member's employer …)."""

    model_config = _FROZEN

    recipient_id: str
    recipient: Text
    member_ids: tuple[str, ...]
    cite: str | None = None


class ScoringResult(BaseModel):
    """The outcome of one run: scorecards, warnings, accounting and notifications."""

    model_config = _FROZEN

    rule_set_id: str
    rule_set_version: str
    period: Period
    scorecards: tuple[Scorecard, ...]
    accounting: Accounting
    notifications: tuple[Notification, ...] = ()

    @property
    def warnings(self) -> tuple[Warning, ...]:
        """All warnings of all members, in scorecard order."""
        return tuple(w for card in self.scorecards for w in card.warnings)

    def scorecard(self, member_id: str) -> Scorecard:
        """The scorecard of ``member_id`` (KeyError when absent)."""
        for card in self.scorecards:
            if card.member_id == member_id:
                return card
        raise KeyError(member_id)
