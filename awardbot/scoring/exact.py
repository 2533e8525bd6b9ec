"""Exact arithmetic and display of scores.

Every score is a :class:`fractions.Fraction` inside the scoring layer, so means stay
exact (73/4 = 18.25, 28/3 stays 28/3) and rankings compare exact values. Inputs arrive
as ``Decimal``/``int``; display rounds half up to at most two decimals and drops
trailing zeros (18.25, 4, 2.5).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

Number = Fraction | Decimal | int

ZERO = Fraction(0)


def exact(value: Number) -> Fraction:
    """Return ``value`` as an exact fraction (Decimal converts without loss)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(value)


def mean(values: Iterable[Number]) -> Fraction | None:
    """Exact arithmetic mean, or ``None`` for no values."""
    total = ZERO
    count = 0
    for value in values:
        total += exact(value)
        count += 1
    return total / count if count else None


def clamp(value: Fraction, low: Fraction, high: Fraction) -> tuple[Fraction, str | None]:
    """Clamp to ``[low, high]``; also say which bound cut it ("floor"/"cap") if any."""
    if value < low:
        return low, "floor"
    if value > high:
        return high, "cap"
    return value, None


def fmt(value: Number, places: int = 2) -> str:
    """Display: round half up (away from zero) to ``places`` decimals, drop zeros."""
    frac = exact(value)
    sign = "-" if frac < 0 else ""
    num, den = abs(frac.numerator), frac.denominator
    scale = 10**places
    scaled = (2 * num * scale + den) // (2 * den)  # half up on the magnitude
    whole, part = divmod(scaled, scale)
    if scaled == 0:
        return "0"
    if not part:
        return f"{sign}{whole}"
    digits = f"{part:0{places}d}".rstrip("0")
    return f"{sign}{whole}.{digits}"


def fraction_text(value: Number) -> str:
    """Machine form of an exact value: ``"73/4"`` or ``"18"``."""
    frac = exact(value)
    if frac.denominator == 1:
        return str(frac.numerator)
    return f"{frac.numerator}/{frac.denominator}"
