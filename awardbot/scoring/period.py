"""Award periods: a quarter (``2026Q4``) or a year (``2026``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERN = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1–12, got {self.month}")

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Period:
    """A round's period; ``quarter`` is ``None`` for a whole year."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``"2026Q4"`` or ``"2026"``; raises ``ValueError`` otherwise."""
        match = _PATTERN.match(text.strip().upper())
        if not match:
            raise ValueError(f'period must look like "2026Q4" or "2026", got {text!r}')
        year, quarter = match.groups()
        return cls(int(year), int(quarter) if quarter else None)

    @property
    def cycle(self) -> str:
        return "annual" if self.quarter is None else "quarterly"

    @property
    def months(self) -> tuple[Month, ...]:
        first = 1 if self.quarter is None else 3 * self.quarter - 2
        count = 12 if self.quarter is None else 3
        return tuple(Month(self.year, m) for m in range(first, first + count))

    @property
    def start(self) -> date:
        first = self.months[0]
        return date(first.year, first.month, 1)

    @property
    def end(self) -> date:
        last = self.months[-1]
        if last.month == 12:
            return date(last.year, 12, 31)
        return date(last.year, last.month + 1, 1) - timedelta(days=1)

    def contains(self, month: Month) -> bool:
        return month in self.months

    def __str__(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}Q{self.quarter}"
