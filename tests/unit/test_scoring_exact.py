from decimal import Decimal
from fractions import Fraction

import pytest

from awardbot.scoring.exact import fmt, fraction_text, mean


@pytest.mark.parametrize(("value", "shown"), [
    (Fraction(73, 4), "18.25"), (Fraction(4), "4"), (Decimal("2.50"), "2.5"),
    (Fraction(28, 3), "9.33"), (Fraction(2, 3), "0.67"), (Fraction(1, 200), "0.01"),
    (Fraction(1, 201), "0"), (Decimal("0.125"), "0.13"), (Decimal("-0.125"), "-0.13"),
    (0, "0"), (Decimal("19.995"), "20"), (Fraction(-10), "-10"),
])
def test_display_rounds_half_up_and_drops_zeros(value, shown):
    assert fmt(value) == shown


def test_mean_is_exact():
    assert mean([18, 18, 18, 19]) == Fraction(73, 4)
    assert mean([Decimal("9.1"), Decimal("9.2"), Decimal("9.3")]) == Fraction(46, 5)
    assert mean([10, 9, 9]) == Fraction(28, 3)
    assert mean([]) is None


def test_fraction_text():
    assert fraction_text(Fraction(73, 4)) == "73/4"
    assert fraction_text(Fraction(8)) == "8"
