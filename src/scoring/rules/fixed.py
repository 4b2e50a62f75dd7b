"""Fixed points and start-full-then-deduct rule types (scale models with a base)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..fixedpoint import constant, per
from ..selectors import Selector
from ..text import t

if TYPE_CHECKING:
    from ..batch.facts import BatchTally
    from .base import BatchPoints
from .base import Measure, Outcome, RuleParams, RuleType, Tally, Weight, fmt


class FixedParams(RuleParams):
    points: Decimal = Field(description="points every assessed member starts with (基本分)")


class Fixed(RuleType[FixedParams]):
    """A base every assessed member is credited with (基本分 70)."""

    name = "fixed"
    label = t("基本分", "base points")
    Params = FixedParams
    needs_match = False
    zero_without_records = False

    def measures(self, params: FixedParams, match: Selector | None) -> tuple[Measure, ...]:
        return ()

    def evaluate(self, params: FixedParams, tallies: Sequence[Tally]) -> Outcome:
        return Outcome(params.points, t(zh=f"基本分 {fmt(params.points)}", en=f"base {fmt(params.points)}"))

    def evaluate_batch(self, params: FixedParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        return constant(params.points, size)


class DeductParams(RuleParams):
    full: Decimal = Field(description="points at the start (满分)")
    deduct: Decimal = Field(gt=0, description="points deducted per matching record or unit")
    unit: Literal["count", "quantity"] = Field(default="count", description="per record or per unit")


class DeductFromFull(RuleType[DeductParams]):
    """Start full and deduct per matching record. For 扣完为止 give the rule ``floor = 0``;
    without a floor the points may go negative."""

    name = "deduct_from_full"
    label = t("满分倒扣", "start full and deduct")
    Params = DeductParams
    zero_without_records = False

    def measures(self, params: DeductParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        return (Measure(match, Weight(unit=params.unit)),)

    def evaluate(self, params: DeductParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        points = params.full - params.deduct * tally.value
        formula = f"{fmt(params.full)} − {fmt(tally.value)} × {fmt(params.deduct)} = {fmt(points)}"
        return Outcome(points, t(zh=formula, en=formula))

    def evaluate_batch(self, params: DeductParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        full, exact = constant(params.full, size)
        taken, ok = per(tally.value, params.deduct)
        return full - taken, exact & ok

    def max_points_per_item(self, params: DeductParams) -> Decimal | None:
        return params.deduct if params.unit == "count" else None
