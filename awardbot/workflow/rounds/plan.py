"""When rounds open and what their deadlines are: the ``[schedule]`` settings as plain values,
and the working-day arithmetic that turns them into times.

Every time is computed on the bureau's calendar (Asia/Shanghai by default) and returned as
an aware datetime; the database stores it in UTC. A date in a year without official
working-day data raises :class:`~awardbot.scoring.CalendarUnavailable` — never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from awardbot.scoring import Period, WorkingCalendar

QuarterlyMode = Literal["next_quarter_working_day", "last_month_day"]


@dataclass(frozen=True)
class Offsets:
    """Deadlines in working days: the application's after the opening day, the others
    after the application deadline's day. Each closes at the end of office hours."""

    application: int = 10
    leader: int = 3
    check: int = 5
    scoring: int = 8
    survey: int = 7  # during the evaluation, closing before scoring does


@dataclass(frozen=True)
class QuarterlyPlan:
    """三牛奖 and any other quarterly family.

    ``next_quarter_working_day``: the round for a quarter opens on the ``open_working_day``-th
    working day of the following quarter (2026Q3 opens in October 2026).
    ``last_month_day``: it opens on day ``open_day`` of the quarter's own last month (or the
    first working day after it).
    """

    families: tuple[str, ...] = ("sanniu",)
    mode: QuarterlyMode = "next_quarter_working_day"
    open_working_day: int = 3
    open_day: int = 20
    offsets: Offsets = field(default_factory=Offsets)


@dataclass(frozen=True)
class AnnualPlan:
    """The annual families: open on a fixed date (``year_offset`` 1 = the following year)."""

    families: tuple[str, ...] = ("zuimei_staff", "zuimei_window", "hall")
    open_month: int = 12
    open_day: int = 1
    year_offset: int = 0
    offsets: Offsets = field(default_factory=lambda: Offsets(application=15))


@dataclass(frozen=True)
class ReminderPolicy:
    before_deadline_working_days: tuple[int, ...] = (3, 1)
    leader_after_working_hours: float = 8.0
    leader_repeat_working_hours: float = 8.0
    escalate_after_working_hours: float = 16.0
    scoring_before_working_days: tuple[int, ...] = (2, 0)
    min_interval: timedelta = timedelta(hours=4)
    send_at: time = time(9, 0)  # day-based reminders go out from this local time


@dataclass(frozen=True)
class SchedulePlan:
    enabled: bool = True
    quarterly: QuarterlyPlan | None = field(default_factory=QuarterlyPlan)
    annual: AnnualPlan | None = field(default_factory=AnnualPlan)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    timezone: str = "Asia/Shanghai"
    office_start: time = time(9, 0)
    office_end: time = time(17, 30)
    create_ahead: timedelta = timedelta(days=7)
    calendar_warning_days: int = 60
    calendar_warning_repeat_days: int = 7
    auto_evaluation: bool = True  # open the evaluation (and survey) at the check deadline

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def offsets_for(self, family: str) -> Offsets | None:
        for part in (self.quarterly, self.annual):
            if part is not None and family in part.families:
                return part.offsets
        return None

    def local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz)

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


@dataclass(frozen=True)
class RoundTimes:
    opens_at: datetime
    closes_at: datetime
    leader_deadline: datetime
    check_deadline: datetime
    scoring_deadline: datetime
    survey_deadline: datetime


@dataclass(frozen=True)
class Deadlines:
    leader: datetime
    check: datetime
    scoring: datetime
    survey: datetime


def first_working_day_from(day: date, calendar: WorkingCalendar) -> date:
    return day if calendar.is_working_day(day) else calendar.add_working_days(day, 1)


def next_quarter(period: Period) -> Period:
    assert period.quarter is not None
    if period.quarter == 4:
        return Period(period.year + 1, 1)
    return Period(period.year, period.quarter + 1)


def nominal_open(period: Period, plan: SchedulePlan) -> date:
    """The opening day before working-day adjustment (needs no calendar)."""
    if period.quarter is not None:
        assert plan.quarterly is not None
        if plan.quarterly.mode == "next_quarter_working_day":
            return next_quarter(period).start
        return period.end.replace(day=min(plan.quarterly.open_day, period.end.day))
    assert plan.annual is not None
    return date(period.year + plan.annual.year_offset, plan.annual.open_month,
                plan.annual.open_day)


def open_day(period: Period, plan: SchedulePlan, calendar: WorkingCalendar) -> date:
    nominal = nominal_open(period, plan)
    quarterly = plan.quarterly
    if period.quarter is not None and quarterly and quarterly.mode == "next_quarter_working_day":
        return calendar.add_working_days(nominal - timedelta(days=1), quarterly.open_working_day)
    return first_working_day_from(nominal, calendar)


def deadlines_after(closing: datetime, offsets: Offsets, plan: SchedulePlan,
                    calendar: WorkingCalendar) -> Deadlines:
    day = plan.day_of(closing)

    def at(n: int) -> datetime:
        return plan.local(calendar.add_working_days(day, n), plan.office_end)

    return Deadlines(at(offsets.leader), at(offsets.check), at(offsets.scoring),
                     at(offsets.survey))


def round_times(period: Period, plan: SchedulePlan, calendar: WorkingCalendar) -> RoundTimes:
    part = plan.quarterly if period.quarter is not None else plan.annual
    assert part is not None
    opening = open_day(period, plan, calendar)
    closing_day = calendar.add_working_days(opening, part.offsets.application)
    closes_at = plan.local(closing_day, plan.office_end)
    later = deadlines_after(closes_at, part.offsets, plan, calendar)
    return RoundTimes(plan.local(opening, plan.office_start), closes_at, later.leader,
                      later.check, later.scoring, later.survey)


def candidate_periods(today: date, plan: SchedulePlan) -> list[tuple[str, Period]]:
    """(family, period) pairs whose rounds might be due around ``today``."""
    out: list[tuple[str, Period]] = []
    if plan.quarterly is not None:
        quarter = Period(today.year, (today.month - 1) // 3 + 1)
        previous = Period(today.year - 1, 4) if quarter.quarter == 1 else Period(
            today.year, (quarter.quarter or 1) - 1)
        for period in (previous, quarter, next_quarter(quarter)):
            out += [(family, period) for family in plan.quarterly.families]
    if plan.annual is not None:
        for year in (today.year - 2, today.year - 1, today.year, today.year + 1):
            out += [(family, Period(year)) for family in plan.annual.families]
    return out


def working_hours_between(start: datetime, end: datetime, calendar: WorkingCalendar,
                          plan: SchedulePlan) -> float:
    """Office hours on working days between two moments; weekends and holidays count 0."""
    if end <= start:
        return 0.0
    total = timedelta()
    day, last = plan.day_of(start), plan.day_of(end)
    while day <= last:
        if calendar.is_working_day(day):
            lo = max(start, plan.local(day, plan.office_start))
            hi = min(end, plan.local(day, plan.office_end))
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def day_reminder_at(deadline: datetime, before: int, plan: SchedulePlan,
                    calendar: WorkingCalendar) -> datetime:
    """When the reminder ``before`` working days ahead of ``deadline`` goes out."""
    day = calendar.add_working_days(plan.day_of(deadline), -before)
    return plan.local(day, plan.reminders.send_at)


def latest_due(deadline: datetime, befores: tuple[int, ...], plan: SchedulePlan,
               calendar: WorkingCalendar, now: datetime) -> int | None:
    """The most recent of the day-based reminders that is due now (None: none is).

    Only the latest is sent: after a pause, the earlier ones are stale, not owed.
    """
    if now >= deadline:
        return None
    due = [n for n in befores if day_reminder_at(deadline, n, plan, calendar) <= now]
    return min(due) if due else None
