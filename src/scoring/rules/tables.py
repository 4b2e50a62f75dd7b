"""Table-based rule types: points looked up by a record's status, level or role."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from ..frozen import FrozenMap
from ..selectors import Selector
from ..text import t

if TYPE_CHECKING:
    from ..batch.facts import BatchTally
    from .base import BatchPoints
from .base import Measure, Outcome, RuleParams, RuleType, SplitParams, Tally, Weight, fmt


class TableParams(RuleParams):
    points: FrozenMap[str, Decimal] = Field(description="points for each code; a code not listed is unpublished")
    field: Literal["status", "subtype", "level", "role"] = Field(
        default="status", description="record field whose code selects the points"
    )
    unit: Literal["count", "quantity"] = Field(default="count", description="per record or per unit")
    split: SplitParams | None = Field(default=None, description="share the points among co-signers")


class StatusPoints(RuleType[TableParams]):
    """Points by the record's status (全会: 出席 50 / 请假 30 / 无故缺席 0). A record whose code the
    table does not list makes the line not computable for that member: unknown is not zero."""

    name = "status_points"
    label = t("按状态计分", "points by status")
    Params = TableParams

    def measures(self, params: TableParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        table = tuple(sorted(params.points.items()))
        return (Measure(match, Weight(unit=params.unit, table_field=params.field, table=table, split=params.split)),)

    def evaluate(self, params: TableParams, tallies: Sequence[Tally]) -> Outcome:
        (tally,) = tallies
        return Outcome(
            tally.value,
            t(
                zh=f"{tally.count} 项按{_FIELD_ZH[params.field]}计分，合计 {fmt(tally.value)}",
                en=f"{tally.count} item(s) scored by {params.field}: {fmt(tally.value)}",
            ),
        )

    def codes(self, params: TableParams) -> tuple[tuple[str, str, str], ...]:
        return tuple(("points", params.field, code) for code in sorted(params.points))

    def evaluate_batch(self, params: TableParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        (tally,) = tallies
        return tally.value, np.ones(size, dtype=bool)  # the weights are the points

    def max_points_per_item(self, params: TableParams) -> Decimal | None:
        if params.unit != "count" or not params.points:
            return None
        return max(abs(v) for v in params.points.values())


class LevelParams(TableParams):
    field: Literal["status", "subtype", "level", "role"] = Field(
        default="level", description="record field whose code selects the points"
    )


class LevelPoints(StatusPoints):
    """Points by level (表彰: 国家级 10 / 省级 8 / 地市级 6 / 县市级 4)."""

    name = "level_points"
    label = t("按级别计分", "points by level")
    Params = LevelParams


_FIELD_ZH = {"status": "状态", "subtype": "类别", "level": "级别", "role": "角色"}
