"""The rule-type contract: how a rule reads per-member facts and turns them into points.

A rule type declares the *measures* it needs (a selector plus a per-record weight). The engine
aggregates every record once into per-member tallies of those measures, then calls
:meth:`RuleType.evaluate` with the tallies. Rules never loop over records themselves, which keeps
scoring linear in the number of records and lets a vectorised path compute the same tallies.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..models import ActivityRecord
from ..selectors import Selector
from ..text import Text

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ..batch.facts import BatchTally

    BatchPoints = tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]

ZERO = Decimal(0)
ONE = Decimal(1)


def fmt(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 12.50 → '12.5', 1E+1 → '10'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class SplitParams(BaseModel):
    """How a co-signed item's points are shared (联名提案): the first proposer's share when there
    are several signers, each co-signer's share, and each main member's share of a collective one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first: Decimal = Field(ge=0, le=1, description="first proposer's share when signers > 1")
    co: Decimal | Literal["rest_equal"] = Field(
        default="rest_equal", description="each co-signer's share; rest_equal = (1 - first) / (signers - 1)"
    )
    collective_main: Decimal | None = Field(
        default=None, description="share of a main member of a collective proposal; omitted = unpublished"
    )


@dataclass(frozen=True)
class Weight:
    """The value one matching record adds to a measure: 1 or its quantity, times an optional
    per-code table value, times an optional co-author share. ``None`` means unknown."""

    unit: Literal["count", "quantity"] = "count"
    table_field: Literal["status", "subtype", "level", "role"] | None = None
    table: tuple[tuple[str, Decimal], ...] = ()
    split: SplitParams | None = None

    def value(self, record: ActivityRecord) -> Decimal | None:
        """This weight for ``record``; ``None`` when the rule set does not publish it."""
        base = record.quantity if self.unit == "quantity" else ONE
        if self.table_field is not None:
            code = getattr(record, self.table_field)
            if self.table_field == "role":
                code = code or "sole"
            factor = dict(self.table).get(code) if code is not None else None
            if factor is None:
                return None
            base = base * factor
        if self.split is not None:
            share = share_of(record, self.split)
            if share is None:
                return None
            base = base * share
        return base


def share_of(record: ActivityRecord, split: SplitParams) -> Decimal | None:
    """The member's share of a co-signed record under ``split`` (None when unpublished)."""
    role = record.role or "sole"
    if role == "collective_main":
        return split.collective_main
    if record.signers <= 1 or role == "sole":
        return ONE
    if role == "first":
        return split.first
    if isinstance(split.co, Decimal):
        return split.co
    return (ONE - split.first) / (record.signers - 1)


@dataclass(frozen=True)
class Measure:
    """What to aggregate: records matching ``selector``, each adding ``weight``.

    Measures are dictionary keys on the hot path, so their hash is computed once.
    """

    selector: Selector
    weight: Weight = Weight()
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.selector, self.weight)))

    def __hash__(self) -> int:
        return self._hash


@dataclass(frozen=True)
class Tally:
    """A member's aggregate of one measure over the period's accepted records."""

    count: int = 0
    value: Decimal = ZERO
    record_ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


EMPTY_TALLY = Tally()


@dataclass(frozen=True)
class Outcome:
    """Points produced by a rule for one member, and how (a formula a person can check)."""

    points: Decimal
    detail: Text
    adjustment: Text | None = None


class RuleParams(BaseModel):
    """Base of every rule type's parameter model: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


P = TypeVar("P", bound=RuleParams)


class RuleType(ABC, Generic[P]):
    """A family of rules (per_unit, status_points …). Subclasses set ``name``, ``label``,
    ``Params`` and implement :meth:`measures` and :meth:`evaluate`."""

    name: ClassVar[str]
    label: ClassVar[Text]
    Params: ClassVar[type[RuleParams]]
    needs_match: ClassVar[bool] = True
    zero_without_records: ClassVar[bool] = True
    """True when a member without matching records scores 0 whatever the parameters are, so
    an unpublished value only matters for members who have matching records."""

    def parse(self, params: dict[str, Any]) -> P:
        """Validate raw parameters against :attr:`Params`."""
        return self.Params.model_validate(params)  # type: ignore[return-value]

    @abstractmethod
    def measures(self, params: P, match: Selector | None) -> tuple[Measure, ...]:
        """The measures this rule reads, in the order :meth:`evaluate` receives their tallies."""

    @abstractmethod
    def evaluate(self, params: P, tallies: Sequence[Tally]) -> Outcome:
        """Points for one member from the tallies of :meth:`measures` (all known)."""

    def evaluate_batch(self, params: P, tallies: Sequence[BatchTally], size: int) -> BatchPoints | None:
        """Optional vectorised form of :meth:`evaluate` for all ``size`` members at once: points as
        int64 multiples of 10⁻⁶ and a mask of members whose result is exact at that scale.
        Return None (the default) to let the batch engine call :meth:`evaluate` per member.
        When present, it must agree with :meth:`evaluate`: ``scoring.testing.check_plugin`` compares
        the two on a grid of tallies."""
        return None

    def codes(self, params: P) -> tuple[tuple[str, str, str], ...]:
        """Vocabulary codes the parameters name, as (parameter, record field, code), so the loader
        can check them against the vocabulary of the rule's ``match`` kind."""
        return ()

    def max_points_per_item(self, params: P) -> Decimal | None:
        """The most one record can add (for lint: a cap below one item). None = not applicable."""
        return None
