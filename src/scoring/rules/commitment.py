"""Commitment completion: members commit to items of a duty menu (履职菜单) at the start of the
year and are assessed on the share of their commitments they fulfilled."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field

from ..selectors import Selector
from ..text import t

if TYPE_CHECKING:
    from ..batch.facts import BatchTally
    from .base import BatchPoints
from ..fixedpoint import SCALE, constant, scaled
from .base import ZERO, Measure, Outcome, RuleParams, RuleType, Tally, Weight, fmt


class CommitmentParams(RuleParams):
    points: Decimal = Field(description="points for fulfilling every commitment (scaled by the share fulfilled)")
    items: dict[str, dict[str, Any]] = Field(
        min_length=1,
        description="menu item code (the commitment record's subtype) → match table of the records that fulfil it",
    )
    none_committed: Decimal | None = Field(
        default=ZERO, description="points when the member committed to nothing; omitted = not computable"
    )


class Commitment(RuleType[CommitmentParams]):
    """Points for the share of committed menu items fulfilled: Σ min(done, committed) / Σ committed.

    ``match`` selects the commitment records (e.g. ``{ kind = "commitment" }``); each one's
    ``subtype`` is a menu item and its ``quantity`` how many times the member committed to it.
    """

    name = "commitment"
    label = t("认领事项完成度", "commitment completion")
    Params = CommitmentParams

    def measures(self, params: CommitmentParams, match: Selector | None) -> tuple[Measure, ...]:
        assert match is not None
        out: list[Measure] = []
        for code, fulfil in sorted(params.items.items()):
            out.append(Measure(match.narrowed({"subtype": code}), Weight(unit="quantity")))
            out.append(Measure(Selector.model_validate(fulfil)))
        return tuple(out)

    def evaluate(self, params: CommitmentParams, tallies: Sequence[Tally]) -> Outcome:
        committed = done = ZERO
        parts: list[str] = []
        for (code, _), (pledged, fulfilled) in zip(
            sorted(params.items.items()), zip(tallies[::2], tallies[1::2], strict=True), strict=True
        ):
            if pledged.value:
                got = min(Decimal(fulfilled.count), pledged.value)
                committed += pledged.value
                done += got
                parts.append(f"{code} {fmt(got)}/{fmt(pledged.value)}")
        if not committed:
            points = params.none_committed if params.none_committed is not None else ZERO
            return Outcome(points, t(zh=f"未认领履职事项：{fmt(points)}", en=f"nothing committed: {fmt(points)}"))
        points = params.points * done / committed
        listing = ", ".join(parts)
        return Outcome(points, t(
            zh=f"完成 {fmt(done)}/{fmt(committed)}（{listing}）× {fmt(params.points)} = {fmt(points)}",
            en=f"fulfilled {fmt(done)}/{fmt(committed)} ({listing}) × {fmt(params.points)} = {fmt(points)}",
        ))

    def evaluate_batch(self, params: CommitmentParams, tallies: Sequence[BatchTally], size: int) -> BatchPoints:
        committed = np.zeros(size, dtype=np.int64)
        done = np.zeros(size, dtype=np.int64)
        for pledged, fulfilled in zip(tallies[::2], tallies[1::2], strict=True):
            committed += pledged.value
            done += np.minimum(fulfilled.count * SCALE, pledged.value)
        full = scaled(params.points)
        if full is None:
            return np.zeros(size, dtype=np.int64), np.zeros(size, dtype=bool)
        quotient, remainder = np.divmod(done * full, np.maximum(committed, 1))
        exact = (remainder == 0) & (np.abs(done) < 2**62 // max(abs(full), 1))
        if params.none_committed is None:
            none_points, none_exact = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=bool)
        else:
            none_points, none_exact = constant(params.none_committed, size)
        nothing = committed == 0
        return np.where(nothing, none_points, quotient), np.where(nothing, none_exact, exact)

    def codes(self, params: CommitmentParams) -> tuple[tuple[str, str, str], ...]:
        return tuple(("items", "subtype", code) for code in sorted(params.items))

    def max_points_per_item(self, params: CommitmentParams) -> Decimal | None:
        return abs(params.points)
