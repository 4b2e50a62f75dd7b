"""Exact fixed-point arithmetic for the batch path: points as int64 multiples of 10⁻⁶.

Every operation also reports where its result is *not* exactly representable; those members are
scored by the reference (Decimal) path instead, so both paths always agree to the last digit.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

PLACES = 6
SCALE = 10**PLACES
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_LIMIT = 2**62  # beyond this an int64 product could have overflowed: treat as inexact


def scaled(value: Decimal | int) -> int | None:
    """``value`` × 10⁶ as an int, or None when it has more than six decimal places."""
    result = Fraction(value) * SCALE
    return int(result) if result.denominator == 1 else None


def ratio(value: Decimal | int) -> tuple[int, int]:
    """``value`` as an exact (numerator, denominator)."""
    fraction = Fraction(value)
    return fraction.numerator, fraction.denominator


def times(values: Ints, numerator: int, denominator: int = 1) -> tuple[Ints, Bools]:
    """``values`` × numerator / denominator, and where that is exact (no remainder, no overflow)."""
    with np.errstate(over="ignore"):
        product = values * np.int64(numerator)
    safe = np.abs(values) <= _LIMIT // max(1, abs(numerator))
    if denominator == 1:
        return product, safe
    quotient, remainder = np.divmod(product, np.int64(denominator))
    return quotient, safe & (remainder == 0)


def to_decimal(value: int) -> Decimal:
    """The Decimal for a scaled int, in the reference path's plain form (no exponent)."""
    return Decimal(value).scaleb(-PLACES).normalize() + Decimal(0)


def round_scaled(values: Ints, places: int, mode: str) -> Ints:
    """Round scaled values to ``places`` decimals with a Decimal rounding mode's semantics."""
    if places >= PLACES:
        return values
    step = np.int64(10 ** (PLACES - places))
    sign = np.sign(values)
    magnitude = np.abs(values)
    whole, rest = np.divmod(magnitude, step)
    if mode == "down":
        up = np.zeros_like(rest, dtype=bool)
    elif mode == "up":
        up = rest > 0
    elif mode == "half_up":
        up = rest * 2 >= step
    else:  # half_even
        up = (rest * 2 > step) | ((rest * 2 == step) & (whole % 2 == 1))
    rounded: Ints = sign * (whole + up.astype(np.int64)) * step
    return rounded



def constant(value: Decimal, n: int) -> tuple[Ints, Bools]:
    """``value`` for every one of ``n`` members (inexact everywhere if it has > 6 decimals)."""
    v = scaled(value)
    if v is None:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    return np.full(n, v, dtype=np.int64), np.ones(n, dtype=bool)


def per(values: Ints, points: Decimal) -> tuple[Ints, Bools]:
    """``values`` (scaled) × ``points``, exactly where possible."""
    p, q = ratio(points)
    return times(values, p, q)
