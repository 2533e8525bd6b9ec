"""The working-day calendar: the package's official data plus the years an admin loaded.

An admin loads a year (the State Council's schedule, published late in the year before)
as JSON; it replaces the package's data for that year. :func:`working_calendar` builds
the :class:`~awardbot.scoring.WorkingCalendar` every deadline is computed with, and
:func:`warn_missing_years` tells the admins — once per year and interval, through the
outbox — when a deadline or notice would fall in a year nobody has data for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import CalendarYear, Staff, StaffRole
from awardbot.scoring import CalendarUnavailable, WorkingCalendar, parse_year_calendar
from awardbot.workflow import audit, outbox
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority
from awardbot.workflow.roles import Role


@dataclass(frozen=True)
class StoredYear:
    year: int
    holidays: int
    workdays: int
    replaced: bool


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: str  # "loaded" or "package"
    loaded_at: datetime | None
    holidays: tuple[date, ...]  # weekdays off
    workdays: tuple[date, ...]  # weekend days on (调休)


def _to_json(data: Mapping[str, Any]) -> dict[str, Any]:
    year = parse_year_calendar(data)
    return {"year": year.year, "holidays": sorted(d.isoformat() for d in year.holidays),
            "workdays": sorted(d.isoformat() for d in year.workdays)}


async def working_calendar(session: AsyncSession) -> WorkingCalendar:
    rows = await session.scalars(select(CalendarYear).order_by(CalendarYear.year))
    return WorkingCalendar.with_years(parse_year_calendar(r.data) for r in rows)


async def load_calendar(sessions: SessionFactory) -> WorkingCalendar:
    async with sessions() as session:
        return await working_calendar(session)


async def store_year(
    sessions: SessionFactory, data: Mapping[str, Any], *, now: datetime,
    actor_id: int | None = None,
) -> StoredYear:
    """Validate and store one year (raises ``CalendarError`` naming the key); idempotent."""
    clean = _to_json(data)
    async with sessions.begin() as session:
        row = await session.get(CalendarYear, clean["year"])
        replaced = row is not None
        if row is None:
            session.add(CalendarYear(year=clean["year"], data=clean, loaded_at=now))
        elif row.data == clean:
            return StoredYear(clean["year"], len(clean["holidays"]), len(clean["workdays"]),
                              replaced=False)
        else:
            row.data, row.loaded_at = clean, now
        await audit.append(session, at=now, actor_id=actor_id, action="calendar.loaded",
                           subject_type="calendar", subject_id=clean["year"],
                           data={"holidays": len(clean["holidays"]),
                                 "workdays": len(clean["workdays"]), "replaced": replaced})
    return StoredYear(clean["year"], len(clean["holidays"]), len(clean["workdays"]), replaced)


def has_year(calendar: WorkingCalendar, year: int) -> bool:
    try:
        calendar.is_working_day(date(year, 1, 1))
        calendar.is_working_day(date(year, 12, 31))
    except CalendarUnavailable:
        return False
    return True


async def describe_year(sessions: SessionFactory, year: int) -> YearSummary:
    """The year's days off and 调休 working days; raises ``CalendarUnavailable``."""
    async with sessions() as session:
        row = await session.get(CalendarYear, year)
        calendar = await working_calendar(session)
    if not has_year(calendar, year):
        raise CalendarUnavailable(year)
    day, holidays, workdays = date(year, 1, 1), [], []
    while day.year == year:
        working = calendar.is_working_day(day)
        if day.weekday() < 5 and not working:
            holidays.append(day)
        elif day.weekday() >= 5 and working:
            workdays.append(day)
        day += timedelta(days=1)
    return YearSummary(year, "loaded" if row else "package", row.loaded_at if row else None,
                       tuple(holidays), tuple(workdays))


def years_needed(today: date, warning_days: int, horizon: Iterable[date] = ()) -> set[int]:
    """This year; the next once the year's end is ``warning_days`` away; any ``horizon`` day's."""
    years = {today.year} | {d.year for d in horizon}
    if date(today.year, 12, 31) - today <= timedelta(days=warning_days):
        years.add(today.year + 1)
    return years


async def warn_missing_years(
    session: AsyncSession, years: Iterable[int], *, now: datetime, repeat_days: int,
) -> int:
    """Tell every bound admin which needed years have no calendar; deduped per interval."""
    missing = sorted(set(years))
    if not missing:
        return 0
    admins = list(await session.scalars(
        select(Staff.id).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role == Role.ADMIN, Staff.active,
               Staff.telegram_user_id.is_not(None)).distinct()))
    bucket = int(now.astimezone(UTC).timestamp() // (repeat_days * 86400))
    sent = 0
    for year in missing:
        message = Message(Text("schedule.calendar_missing", {"year": year}))
        for admin in sorted(admins):
            sent += await outbox.enqueue_for_staff(
                session, admin, message, now=now, priority=Priority.NOTIFY,
                dedupe_key=f"sched:cal:{year}:{bucket}:{admin}")
    return sent


async def warn_admins(sessions: SessionFactory, years: Iterable[int], *, now: datetime,
                      repeat_days: int) -> int:
    """:func:`warn_missing_years` in a transaction of its own (the scheduler's tick)."""
    async with sessions.begin() as session:
        return await warn_missing_years(session, years, now=now, repeat_days=repeat_days)
