"""The rule-file schema: what a rule set TOML may contain, validated at load time.

Rule files are data. Everything here is a frozen pydantic model with ``extra="forbid"`` so that
a typo in a key is an error naming the key path. Type-specific rule parameters are validated
later, against the rule type's own ``Params`` model, once the rule type is known.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..frozen import FrozenMap
from ..selectors import Selector
from ..text import Text

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=64)]

_STRICT = ConfigDict(frozen=True, extra="forbid")


class Source(BaseModel):
    """A published source of the method (regulation text, news report …)."""

    model_config = _STRICT

    url: str | None = None
    kind: str | None = Field(default=None, description="regulation_text, news, seed …")
    date: dt.date | None = None
    coverage: str | None = Field(default=None, description="what the stored source covers")


class Choice(BaseModel):
    """An explicit decision where the method is silent or ambiguous, with its justification."""

    model_config = _STRICT

    id: Identifier
    about: Text = Field(description="what the source leaves open")
    choice: Text = Field(description="what this rule set does")
    cite: str | None = None


class Meta(BaseModel):
    """Identity and origin of a rule set."""

    model_config = _STRICT

    id: Identifier
    version: str
    title: Text
    issuer: str | None = None
    sources: tuple[Source, ...] = ()
    effective_from: dt.date | None = Field(default=None, description="first day the method is in force")
    effective_to: dt.date | None = Field(default=None, description="last day the method is in force (inclusive)")
    family: Identifier | None = Field(
        default=None,
        description="the method this is a version of (e.g. jinan): asked for by family, the version in force "
        "for the period is chosen; not inherited through extends",
    )
    extends: str | None = Field(default=None, description="id or relative path of the base rule set")
    example: bool = Field(
        default=False, description="true when it carries example values, not published ones"
    )
    description: Text | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Meta:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from / 施行截止日期早于施行日期")
        return self


class Setting(BaseModel):
    """A named number the method needs. No ``value`` means the source does not publish it."""

    model_config = _STRICT

    label: Text
    value: Decimal | None = None
    cite: str | None = None
    note: Text | None = None


class Rounding(BaseModel):
    """Where and how points are rounded. No source states rounding, so it is always explicit."""

    model_config = _STRICT

    places: int | None = Field(default=None, ge=0, le=6, description="decimal places; none = exact")
    mode: Literal["half_up", "half_even", "down", "up"] = "half_up"
    apply_to: Literal["total", "categories", "lines"] = "total"


class Category(BaseModel):
    """A group of rules whose sum may be capped and floored (参加会议 ≤ 50, 扣完为止 …)."""

    model_config = _STRICT

    id: Identifier
    label: Text
    cite: str | None = None
    cap: Decimal | None = Field(default=None, description="maximum points of the category")
    floor: Decimal | None = Field(default=None, description="minimum points (e.g. 0 for 扣完为止)")
    note: Text | None = None

    @model_validator(mode="after")
    def _cap_above_floor(self) -> Category:
        if self.cap is not None and self.floor is not None and self.cap < self.floor:
            raise ValueError("cap is below floor / 上限低于下限")
        return self


_COMMON_RULE_KEYS = frozenset(
    {"id", "type", "category", "label", "cite", "match", "roles", "not_roles", "cap", "floor", "note"}
)


class RuleSpec(BaseModel):
    """One scoring rule. Keys other than the common ones are the rule type's parameters."""

    model_config = _STRICT

    id: Identifier
    type: str = Field(description="rule type, e.g. per_unit, status_points")
    category: Identifier
    label: Text
    cite: str | None = None
    match: Selector | None = Field(default=None, description="records the rule looks at")
    roles: tuple[str, ...] = Field(default=(), description="applies only to members with any of these roles")
    not_roles: tuple[str, ...] = Field(default=(), description="does not apply to members with these roles")
    cap: Decimal | None = Field(default=None, description="maximum points from this rule")
    floor: Decimal | None = Field(default=None, description="minimum points from this rule")
    note: Text | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="type-specific parameters")

    @model_validator(mode="before")
    @classmethod
    def _collect_params(cls, data: Any) -> Any:
        if isinstance(data, dict) and "params" not in data:
            common = {k: v for k, v in data.items() if k in _COMMON_RULE_KEYS}
            common["params"] = {k: v for k, v in data.items() if k not in _COMMON_RULE_KEYS}
            return common
        return data


class Total(BaseModel):
    """How the total is formed: the sum of categories, clamped to [floor, cap]."""

    model_config = _STRICT

    model: Literal["sum_of_capped_categories", "base_plus_rewards_minus_deductions", "from_zero"] = (
        "sum_of_capped_categories"
    )
    cap: Decimal | None = None
    floor: Decimal | None = None
    nominal_max: Decimal | None = None
    pass_mark: Decimal | None = None
    cite: str | None = None


class GradeBand(BaseModel):
    """A grade band with explicit inclusivity at each end ("60分以上(含60分)")."""

    model_config = _STRICT

    id: Identifier
    label: Text
    min: Decimal | None = None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool = False
    cite: str | None = None
    note: Text | None = None

    def contains(self, total: Decimal) -> bool:
        """True when ``total`` falls into this band."""
        if self.min is not None and (total < self.min or (total == self.min and not self.min_inclusive)):
            return False
        return not (
            self.max is not None and (total > self.max or (total == self.max and not self.max_inclusive))
        )


class Requirement(BaseModel):
    """One item of a gate: at least ``min`` matching records, or any one of ``any_of``."""

    model_config = _STRICT

    id: Identifier
    label: Text
    match: Selector | None = None
    min: int = Field(default=1, ge=1)
    roles: tuple[str, ...] = Field(default=(), description="applies only to members with these roles")
    any_of: tuple[Requirement, ...] = ()

    @model_validator(mode="after")
    def _match_or_alternatives(self) -> Requirement:
        if (self.match is None) == (not self.any_of):
            raise ValueError("a requirement needs exactly one of 'match' or 'any_of' / 需且仅需 match 或 any_of")
        return self


class Gate(BaseModel):
    """A minimum-requirement gate (N个一) and its precedence over the score-based grade."""

    model_config = _STRICT

    id: Identifier
    label: Text
    cite: str | None = None
    requirements: tuple[Requirement, ...]
    binding: bool = Field(description="true: failing it limits the grade to fail_grade")
    fail_grade: Identifier | None = Field(default=None, description="best grade a member failing it can get")
    note: Text | None = None

    @model_validator(mode="after")
    def _binding_needs_grade(self) -> Gate:
        if self.binding and self.fail_grade is None:
            raise ValueError("a binding gate needs fail_grade / 约束性门槛须指定 fail_grade")
        return self


class Eligibility(BaseModel):
    """A mark such as '可参加优秀委员评选' for totals above a line (and gates met)."""

    model_config = _STRICT

    id: Identifier
    label: Text
    min: Decimal
    min_inclusive: bool = True
    requires_gates: tuple[Identifier, ...] = ()
    cite: str | None = None


class TotalBelow(BaseModel):
    """Total below ``value`` in this period and the ``periods - 1`` contiguous periods before."""

    model_config = _STRICT
    type: Literal["total_below"]
    value: Decimal
    periods: int = Field(default=1, ge=1)


class GradeIn(BaseModel):
    """Final grade in ``grades`` in this period and the ``periods - 1`` contiguous periods before."""

    model_config = _STRICT
    type: Literal["grade_in"]
    grades: tuple[Identifier, ...]
    periods: int = Field(default=1, ge=1)


class GateFailed(BaseModel):
    """Gate ``gate`` failed in this period and the ``periods - 1`` contiguous periods before."""

    model_config = _STRICT
    type: Literal["gate_failed"]
    gate: Identifier
    periods: int = Field(default=1, ge=1)


class RecordsAtLeast(BaseModel):
    """At least ``count`` matching records this period, or within the member's term."""

    model_config = _STRICT
    type: Literal["records_at_least"]
    match: Selector
    count: int = Field(ge=1)
    window: Literal["period", "term"] = "period"


Trigger = Annotated[TotalBelow | GradeIn | GateFailed | RecordsAtLeast, Field(discriminator="type")]

ActionCode = Literal["notice", "remind", "talk", "resign", "remove", "praise"]


class EscalationStep(BaseModel):
    """One step of the exit mechanism (提醒 → 约谈 → 劝辞 …) and what triggers it."""

    model_config = _STRICT

    id: Identifier
    action: ActionCode
    action_label: Text = Field(description="e.g. 约谈")
    level: int = Field(default=1, ge=0, description="position on the ladder; higher is more serious")
    actor: Text | None = None
    cite: str | None = None
    trigger: Trigger
    note: Text | None = None


class Ranking(BaseModel):
    """Ranking within peer groups (by member fields), optionally with roles ranked apart."""

    model_config = _STRICT

    group_by: tuple[Literal["sector", "committee", "group"], ...] = ()
    separate_roles: tuple[str, ...] = Field(default=(), description="e.g. standing_committee ranked apart")
    cite: str | None = None


class Quota(BaseModel):
    """At most ``max_share`` of a ranking group may hold ``grade``; the rest get ``demote_to``."""

    model_config = _STRICT

    id: Identifier
    grade: Identifier
    max_share: Decimal = Field(gt=0, le=1)
    demote_to: Identifier
    cite: str | None = None


class NotificationRule(BaseModel):
    """Who receives which results (通报): all members, members with warnings, or some grades."""

    model_config = _STRICT

    id: Identifier
    recipient: Text
    send: Literal["all", "warnings", "grades"] = "all"
    grades: tuple[Identifier, ...] = ()
    per_member_field: Literal["employer", "sector", "committee", "group"] | None = Field(
        default=None, description="split into one notification per value (e.g. each employer)"
    )
    cite: str | None = None


class Policy(BaseModel):
    """Explicit policies for edge cases the published methods leave open."""

    model_config = _STRICT

    date_basis: Literal["event", "scoring"] = Field(
        default="event", description="which date places a record in a period"
    )
    min_service_days: int | None = Field(
        default=None, ge=1, description="members serving fewer days in the period are not assessed"
    )


class RuleSetSpec(BaseModel):
    """A whole rule file after overlays are applied."""

    model_config = _STRICT

    schema_version: Literal[1] = 1
    rule_set: Meta
    settings: FrozenMap[Identifier, Setting] = Field(default_factory=dict, validate_default=True)
    vocabulary: dict[str, Any] = Field(default_factory=dict, description="extensions to the vocabulary")
    policy: Policy = Policy()
    rounding: Rounding = Rounding()
    categories: tuple[Category, ...] = ()
    rules: tuple[RuleSpec, ...] = ()
    total: Total = Total()
    grades: tuple[GradeBand, ...] = ()
    gates: tuple[Gate, ...] = ()
    eligibility: tuple[Eligibility, ...] = ()
    escalation: tuple[EscalationStep, ...] = ()
    ranking: Ranking = Ranking()
    quotas: tuple[Quota, ...] = ()
    notifications: tuple[NotificationRule, ...] = ()
    choices: tuple[Choice, ...] = ()
