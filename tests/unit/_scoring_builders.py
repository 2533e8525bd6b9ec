"""Builders shared by the scoring unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from awardbot.scoring import Nomination, Rules, Sheet, parse_facts, score_sheet

T0 = datetime(2026, 10, 9, 9, 0, tzinfo=UTC)


def tally(n: int = 10, level: str = "very_satisfied") -> dict[str, int]:
    return {level: n}


def window(**facts: Any) -> dict[str, Any]:
    """Window facts with a complete survey unless overridden."""
    return {"satisfaction": tally(), **facts}


def hall(**facts: Any) -> dict[str, Any]:
    return {"onboarding_rate": 100, "guide_accuracy": 100, "satisfaction": tally(), **facts}


def sheet(award: str, data: dict[str, Any], rules: Rules | None = None) -> Sheet:
    return score_sheet(award, parse_facts(award, data), rules or Rules())


def line_points(s: Sheet, item: str) -> Fraction:
    for sec in s.sections:
        for ln in sec.lines:
            if ln.item == item:
                return ln.points
    raise KeyError(item)


def nomination(nid: str, award: str, data: dict[str, Any], minutes: int = 0) -> Nomination:
    return Nomination(nid, award, T0 + timedelta(minutes=minutes), parse_facts(award, data))


def grades(*values: float | str | None) -> dict[str, Any]:
    return {f"m{i}": (Decimal(str(v)) if isinstance(v, float | int) else v)
            for i, v in enumerate(values)}
