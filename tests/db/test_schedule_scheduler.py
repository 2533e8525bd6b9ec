"""The scheduler: jobs derived from the rounds and replaced on change; an idempotent tick;
calendar warnings to admins; one leader on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import JobQueue

from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.bot.scheduler import Scheduler
from awardbot.db.engine import SessionFactory
from awardbot.db.models import Notification
from awardbot.scoring import Rules, default_catalogue
from awardbot.workflow.rounds import calendar as calendar_store
from awardbot.workflow.rounds.opening import open_round
from awardbot.workflow.rounds.schedule import close_round, extend_round
from tests.factories import add_staff, add_unit

SH = ZoneInfo("Asia/Shanghai")
SETTINGS = ScheduleSettings.model_validate({
    "enabled": True,
    "quarterly": {"open_working_day": 3, "application_working_days": 5},
    "annual": {"enabled": False},
})
Y2027 = {"year": 2027, "holidays": ["2027-01-01"], "workdays": []}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def made(engine: AsyncEngine, sessions: SessionFactory) -> AsyncIterator[
        tuple[Scheduler, Clock, JobQueue]]:  # type: ignore[type-arg]
    clock = Clock(sh(2026, 10, 3, 10))
    queue: JobQueue = JobQueue()  # type: ignore[type-arg]
    scheduler = Scheduler(queue, sessions, engine, SETTINGS, Rules(), default_catalogue(), clock)
    yield scheduler, clock, queue
    await scheduler.stop()


async def bureau(sessions: SessionFactory) -> dict[str, int]:
    section = await add_unit(sessions, "S1", "审批科", kind="section")
    office = await add_unit(sessions, "B1", "局办公室", kind="bureau")  # not eligible for 三牛
    return {
        "sun": await add_staff(sessions, "3001", "孙丽", section, telegram_user_id=9003),
        "admin": await add_staff(sessions, "A001", "管理员", office, telegram_user_id=9100,
                                 roles=("admin",)),
        "admin2": await add_staff(sessions, "A002", "未绑定", office, roles=("admin",)),
    }


def jobs(queue: JobQueue) -> dict[str, datetime]:  # type: ignore[type-arg]
    return {j.name or "": j.data for j in queue.jobs() if (j.name or "").startswith("round:")}


async def test_jobs_follow_the_rounds(made, sessions: SessionFactory) -> None:
    scheduler, clock, queue = made
    report = await scheduler.tick()  # opens 2026Q3 ahead of its first day (and reschedules)
    assert report is not None and report.created == ["sanniu 2026Q3"]
    planned = jobs(queue)
    assert planned == {
        "round:1:opening": sh(2026, 10, 10, 9),
        "round:1:deadline3": sh(2026, 10, 13, 9), "round:1:deadline1": sh(2026, 10, 15, 9),
        "round:1:scoring2": sh(2026, 10, 26, 9), "round:1:scoring0": sh(2026, 10, 28, 9),
    }
    ids_before = {j.name: j.id for j in queue.jobs()}
    assert await scheduler.reschedule() == planned  # nothing changed: the same jobs stay
    assert {j.name: j.id for j in queue.jobs()} == ids_before

    await extend_round(sessions, 1, sh(2026, 10, 20, 17, 30), plan=scheduler.plan,
                       now=clock(), actor_id=None)
    moved = await scheduler.reschedule()
    assert len(queue.jobs()) == len(moved) == 5  # replaced, not duplicated
    assert moved["round:1:deadline1"] == sh(2026, 10, 19, 9)
    assert moved["round:1:opening"] == planned["round:1:opening"]
    assert {j.name: j.id for j in queue.jobs()}["round:1:opening"] == ids_before[
        "round:1:opening"]

    clock.now = sh(2026, 10, 12, 10)
    await close_round(sessions, 1, now=clock(), actor_id=None)
    left = await scheduler.reschedule()
    assert sorted(left) == ["round:1:scoring0", "round:1:scoring2"]  # scoring goes on


async def test_tick_is_idempotent_across_restarts(made, engine: AsyncEngine,
                                                  sessions: SessionFactory) -> None:
    scheduler, clock, _queue = made
    ids = await bureau(sessions)
    await scheduler.tick()
    clock.now = sh(2026, 10, 10, 9, 5)
    first = await scheduler.tick()
    assert first is not None and first.sent == {"round_open": 1}
    assert (await scheduler.tick()).sent == {}  # type: ignore[union-attr]
    await scheduler.stop()
    restarted = Scheduler(JobQueue(), sessions, engine, SETTINGS, Rules(), default_catalogue(),
                          clock)
    again = await restarted.tick()
    assert again is not None and again.sent == {} and again.created == []
    await restarted.stop()
    async with sessions() as session:
        assert list(await session.scalars(select(Notification.staff_id))) == [ids["sun"]]


async def test_missing_calendar_year_warns_admins(made, sessions: SessionFactory) -> None:
    scheduler, clock, _queue = made
    ids = await bureau(sessions)
    clock.now = sh(2026, 10, 15, 10)  # 77 days before the year's end: 2027 not needed yet
    assert (await scheduler.tick()).warnings == 0  # type: ignore[union-attr]
    clock.now = sh(2026, 11, 5, 10)
    report = await scheduler.tick()
    assert report is not None and report.missing_years == {2027} and report.warnings == 1
    assert (await scheduler.tick()).warnings == 0  # type: ignore[union-attr]
    async with sessions() as session:
        note = await session.scalar(select(Notification).where(
            Notification.dedupe_key.like("sched:cal:%")))
    assert note is not None and note.staff_id == ids["admin"]
    assert note.payload["text"] == {"$text": "schedule.calendar_missing",
                                    "params": {"year": 2027}}
    clock.now += timedelta(days=7)
    assert (await scheduler.tick()).warnings == 1  # type: ignore[union-attr]
    await calendar_store.store_year(sessions, Y2027, now=clock())
    clock.now += timedelta(days=7)
    report = await scheduler.tick()
    assert report is not None and report.missing_years == set() and report.warnings == 0


async def test_a_deadline_in_an_unloaded_year_warns(made, sessions: SessionFactory) -> None:
    scheduler, clock, _queue = made
    await bureau(sessions)
    clock.now = sh(2026, 10, 20, 10)
    await open_round(sessions, family="sanniu", period="2026Q4", opens_at=clock(),
                     closes_at=sh(2026, 12, 28, 17, 30), now=clock())
    report = await scheduler.tick()  # its later deadlines would fall in January 2027
    assert report is not None and report.missing_years == {2027} and report.warnings == 1


async def test_only_one_instance_runs_the_jobs_on_postgresql(
    made, engine: AsyncEngine, sessions: SessionFactory,
) -> None:
    scheduler, clock, _queue = made
    other = Scheduler(JobQueue(), sessions, engine, SETTINGS, Rules(), default_catalogue(),
                      clock)
    try:
        assert await scheduler.tick() is not None
        if engine.dialect.name == "postgresql":
            assert await other.tick() is None
            await scheduler.stop()  # the leader goes: the other takes over
            assert await other.tick() is not None
        else:
            assert await other.tick() is not None
    finally:
        await other.stop()
