"""Lifecycle increments: a record earns the points of every stage it has reached."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field

from ..selectors import Selector
from ..text import Text, t

if TYPE_CHECKING:
    from ..batch.facts import BatchTally
    from .base import BatchPoints
from ..fixedpoint import per
from .base import ZERO, Measure, Outcome, RuleParams, RuleType, SplitParams, Tally, Weight, fmt


class Stage(RuleParams):
    label: Text = Field(description="e.g. 立案")
    points: Decimal = Field(description="points added when a record reaches this stage")
    when: dict[str, Any] = Field(
        default_factory=dict, description="extra match conditions (status, flags, level …); empty = every record"
    )


class LifecycleParams(RuleParams):
    stages: tuple[Stage, ...] = Field(min_length=1, description="stages in order, each with its increment")
    split: SplitParams | None = Field(default=None, description="share the points among co-signers")


class Lifecycle(RuleType[LifecycleParams]):
    """Increments along an item's life (提交 +10, 立案 +15; 采用 +5, 批示 +10)."""

    name = "lifecycle"
    label = t("按办理进程累加计分", "lifecycle increments")
    Params = LifecycleParams

    def measures(self, params: LifecycleParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        weight = Weight(split=params.split)
        return tuple(Measure(match.narrowed(stage.when), weight) for stage in params.stages)

    def evaluate(self, params: LifecycleParams, tallies: Sequence[Tally]) -> Outcome:
        total = ZERO
        parts_zh: list[str] = []
        parts_en: list[str] = []
        for stage, tally in zip(params.stages, tallies, strict=True):
            points = tally.value * stage.points
            total += points
            parts_zh.append(f"{stage.label.get('zh')} {fmt(tally.value)} × {fmt(stage.points)}")
            parts_en.append(f"{stage.label.get('en')} {fmt(tally.value)} × {fmt(stage.points)}")
        return Outcome(
            total,
            t(zh=" + ".join(parts_zh) + f" = {fmt(total)}", en=" + ".join(parts_en) + f" = {fmt(total)}"),
        )

    def evaluate_batch(self, params: LifecycleParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        total = np.zeros(size, dtype=np.int64)
        exact = np.ones(size, dtype=bool)
        for stage, tally in zip(params.stages, tallies, strict=True):
            points, ok = per(tally.value, stage.points)
            total += points
            exact &= ok
        return total, exact

    def max_points_per_item(self, params: LifecycleParams) -> Decimal | None:
        return sum((abs(s.points) for s in params.stages), ZERO)
