"""Mainland-China working days and the public-notice period.

Working days come from the ``chinesecalendar`` package (official State Council
schedules), overridden per year by admin-loaded calendars. The State Council publishes
a year's schedule late in the year before, so an admin may load it as JSON::

    {"year": 2027,
     "holidays": ["2027-01-01", "2027-02-16", ...],
     "workdays": ["2027-02-07", ...]}

``holidays`` are the statutory days off (weekend days may be listed too; they are off
anyway); ``workdays`` are the adjusted working weekend days (调休). Every other
Monday–Friday is a working day and every other Saturday/Sunday is not. A loaded year
replaces the package's data for that year. For a year with neither, every function
raises :class:`CalendarUnavailable` — we never guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar

from .errors import CalendarError, CalendarUnavailable
from .rules import Rules

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class YearCalendar:
    """One admin-loaded year: statutory days off and adjusted working weekends."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _dates(path: str, value: Any, year: int) -> frozenset[date]:
    if not isinstance(value, list):
        raise CalendarError(path, 'must be a list of dates written "YYYY-MM-DD"')
    days = set()
    for index, text in enumerate(value):
        try:
            day = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise CalendarError(f"{path}[{index}]", 'must be a date written "YYYY-MM-DD"')
        if day.year != year:
            raise CalendarError(f"{path}[{index}]", f"{text} is not in {year}")
        days.add(day)
    return frozenset(days)


def parse_year_calendar(data: Mapping[str, Any]) -> YearCalendar:
    """Validate one year's calendar (the parsed JSON document, not a path)."""
    if not isinstance(data, Mapping):
        raise CalendarError("", "a calendar must be a JSON object")
    unknown = set(data) - {"year", "holidays", "workdays"}
    if unknown:
        raise CalendarError(sorted(unknown)[0], "unknown key (expected year, holidays, workdays)")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CalendarError("year", "must be a year between 2000 and 2100")
    holidays = _dates("holidays", data.get("holidays"), year)
    workdays = _dates("workdays", data.get("workdays", []), year)
    for index, text in enumerate(data.get("workdays", [])):
        day = date.fromisoformat(text)
        if day.weekday() < 5:
            raise CalendarError(f"workdays[{index}]", f"{day} is a weekday, not a weekend 调休")
        if day in holidays:
            raise CalendarError(f"workdays[{index}]", f"{day} is also listed as a holiday")
    if not holidays:
        raise CalendarError("holidays", "must list the year's statutory days off")
    return YearCalendar(year, holidays, workdays)


@dataclass(frozen=True)
class NoticePeriod:
    """A public notice: open on the working days ``start``..``end``, closing at ``closes_at``."""

    published_at: datetime
    start: date
    end: date
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.published_at <= now < self.closes_at


@dataclass(frozen=True)
class WorkingCalendar:
    """The package's official data plus admin-loaded years (which take precedence)."""

    loaded: Mapping[int, YearCalendar] = field(default_factory=dict)

    @classmethod
    def with_years(cls, years: Iterable[YearCalendar]) -> WorkingCalendar:
        return cls({y.year: y for y in years})

    def is_working_day(self, day: date) -> bool:
        loaded = self.loaded.get(day.year)
        if loaded is not None:
            return loaded.is_working_day(day)
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise CalendarUnavailable(day.year) from None

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0).

        ``n`` = 0 returns ``day`` itself, working day or not.
        """
        step = ONE_DAY if n > 0 else -ONE_DAY
        left = abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def notice_period(self, published_at: datetime, rules: Rules) -> NoticePeriod:
        """The notice covers the N full working days after the publication day.

        It closes at the end of office hours on the last of them, in the bureau's zone.
        """
        if published_at.tzinfo is None or published_at.utcoffset() is None:
            raise ValueError("published_at must be timezone-aware")
        tz = rules.tz
        published_day = published_at.astimezone(tz).date()
        start = self.add_working_days(published_day, 1)
        end = self.add_working_days(published_day, rules.notice_working_days)
        closes_at = datetime.combine(end, rules.office_hours_end, tzinfo=tz)
        return NoticePeriod(published_at, start, end, closes_at)


def notice_period(
    published_at: datetime, rules: Rules, calendar: WorkingCalendar | None = None
) -> NoticePeriod:
    """Module-level shortcut for :meth:`WorkingCalendar.notice_period`."""
    return (calendar or WorkingCalendar()).notice_period(published_at, rules)
