"""Count-based rule types: points per unit, once per period, from the N-th item, shortfall."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from ..fixedpoint import SCALE, constant, per
from ..selectors import Selector
from ..text import t

if TYPE_CHECKING:
    from ..batch.facts import BatchTally
    from .base import BatchPoints
from .base import ZERO, Measure, Outcome, RuleParams, RuleType, SplitParams, Tally, Weight, fmt


class PerUnitParams(RuleParams):
    points: Decimal = Field(description="points per record (or per unit of quantity); negative deducts")
    unit: Literal["count", "quantity"] = Field(default="count", description="count records or sum quantities")
    split: SplitParams | None = Field(default=None, description="share the points among co-signers")


class PerUnit(RuleType[PerUnitParams]):
    """Points for every matching record (每项 N 分); with ``split``, each signer gets a share."""

    name = "per_unit"
    label = t("按项计分", "points per unit")
    Params = PerUnitParams

    def measures(self, params: PerUnitParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        return (Measure(match, Weight(unit=params.unit, split=params.split)),)

    def evaluate(self, params: PerUnitParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        points = tally.value * params.points
        what = "份额合计" if params.split else ("数量" if params.unit == "quantity" else "")
        what_en = "shares" if params.split else ("units" if params.unit == "quantity" else "")
        formula = f"{fmt(tally.value)} × {fmt(params.points)} = {fmt(points)}"
        return Outcome(points, t(zh=f"{what}{formula}", en=f"{what_en + ' ' if what_en else ''}{formula}"))

    def evaluate_batch(self, params: PerUnitParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        return per(tally.value, params.points)

    def max_points_per_item(self, params: PerUnitParams) -> Decimal | None:
        return abs(params.points) if params.unit == "count" else None


class OnceParams(RuleParams):
    points: Decimal = Field(description="points given once when the member has enough records")
    min_count: int = Field(default=1, ge=1, description="records needed (一件及以上)")


class Once(RuleType[OnceParams]):
    """Points once per period when at least ``min_count`` records match (全年提案一件以上加 10 分)."""

    name = "once"
    label = t("期内一次性计分", "once per period")
    Params = OnceParams

    def measures(self, params: OnceParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        return (Measure(match),)

    def evaluate(self, params: OnceParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        met = tally.count >= params.min_count
        points = params.points if met else ZERO
        return Outcome(
            points,
            t(
                zh=f"{tally.count} 项 ≥ {params.min_count}：计 {fmt(points)} 分" if met
                else f"{tally.count} 项 < {params.min_count}：不计分",
                en=f"{tally.count} ≥ {params.min_count}: {fmt(points)} once" if met
                else f"{tally.count} < {params.min_count}: nothing",
            ),
        )

    def evaluate_batch(self, params: OnceParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        points, exact = constant(params.points, size)
        return np.where(tally.count >= params.min_count, points, 0), exact

    def max_points_per_item(self, params: OnceParams) -> Decimal | None:
        return abs(params.points)


class FromNthParams(RuleParams):
    points: Decimal = Field(description="points for each record from the N-th on")
    nth: int = Field(ge=2, description="the first record that earns points (超过1件的每多1件: nth = 2)")


class FromNth(RuleType[FromNthParams]):
    """Marginal points from the N-th matching record on (从第 2 件立案提案起每件加 5 分)."""

    name = "from_nth"
    label = t("第N项起计分", "points from the N-th item")
    Params = FromNthParams

    def measures(self, params: FromNthParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        return (Measure(match),)

    def evaluate(self, params: FromNthParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        counted = max(0, tally.count - (params.nth - 1))
        points = params.points * counted
        product = f"× {fmt(params.points)} = {fmt(points)}"
        return Outcome(
            points,
            t(
                zh=f"共 {tally.count} 项，第 {params.nth} 项起 {counted} 项 {product}",
                en=f"{tally.count} items; from #{params.nth}: {counted} {product}",
            ),
        )

    def evaluate_batch(self, params: FromNthParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        counted = np.maximum(0, tally.count - (params.nth - 1))
        return per(counted * SCALE, params.points)

    def max_points_per_item(self, params: FromNthParams) -> Decimal | None:
        return abs(params.points)


class ShortfallParams(RuleParams):
    points: Decimal = Field(description="points (usually negative) when fewer than min_count records match")
    min_count: int = Field(default=1, ge=1, description="records required")


class Shortfall(RuleType[ShortfallParams]):
    """Points when a required item is missing (常委未提交履职报告扣 N 分)."""

    name = "shortfall"
    label = t("未完成扣分", "points for a missing item")
    Params = ShortfallParams
    zero_without_records = False

    def measures(self, params: ShortfallParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        return (Measure(match),)

    def evaluate(self, params: ShortfallParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        short = tally.count < params.min_count
        points = params.points if short else ZERO
        return Outcome(
            points,
            t(
                zh=f"{tally.count} 项 < 应有 {params.min_count} 项：{fmt(points)}" if short
                else f"{tally.count} 项，已满足 {params.min_count} 项",
                en=f"{tally.count} < {params.min_count} required: {fmt(points)}" if short
                else f"{tally.count} items, {params.min_count} required: met",
            ),
        )

    def evaluate_batch(self, params: ShortfallParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        points, exact = constant(params.points, size)
        return np.where(tally.count < params.min_count, points, 0), exact
