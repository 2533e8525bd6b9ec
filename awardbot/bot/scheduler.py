"""The scheduler: JobQueue jobs derived from the rounds in the database, and a periodic tick.

Schedules live in our tables, never in APScheduler's job store (JobQueue callbacks do not
pickle). At start-up and whenever rounds change, :meth:`Scheduler.reschedule` derives one
job per round and purpose (``round:{id}:opening``, ``round:{id}:deadline3``,
``round:{id}:scoring0`` …) at the moment a reminder falls due; a job whose round moved is
replaced, one whose moment passed or whose round went away is removed — never duplicated.
Every job, and the ``schedule:tick`` that runs every few minutes, does the same idempotent
work (:meth:`Scheduler.tick`): open due rounds, send due reminders, warn about missing
calendar years. What was done is recorded by the outbox's dedupe keys, so a restart or a
second run sends nothing twice. On PostgreSQL only the holder of an advisory lock runs
the work; the others keep trying and take over when it dies. On SQLite: always.

Wiring (``bot/app.py``): build it after the Application, ``await scheduler.start()`` in
``post_init``, ``await scheduler.stop()`` in ``post_shutdown``; pass
``scheduler.reschedule`` to whatever changes rounds (``rounds_admin.handlers``).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import CallbackContext, JobQueue

from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.bot.sender.leader import Leadership
from awardbot.db.engine import SessionFactory
from awardbot.scoring import Catalogue, Rules
from awardbot.workflow.reminders import scan as reminders
from awardbot.workflow.rounds import calendar as calendar_store
from awardbot.workflow.rounds import schedule
from awardbot.workflow.services import Services

log = logging.getLogger(__name__)

SCHEDULER_LOCK = int.from_bytes(
    hashlib.sha256(b"awardbot.scheduler").digest()[:8], "big", signed=True)
TICK = "schedule:tick"
ROUND_JOB = "round:"
NOTICE_MARGIN = timedelta(days=14)  # a notice follows the last deadline by days, not weeks


@dataclass
class TickReport:
    created: list[str] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    missing_years: set[int] = field(default_factory=set)
    warnings: int = 0


class Scheduler:
    def __init__(
        self, job_queue: JobQueue[Any], sessions: SessionFactory, engine: AsyncEngine,
        settings: ScheduleSettings, rules: Rules, awards: Catalogue,
        clock: Callable[[], datetime], leadership: Leadership | None = None,
    ) -> None:  # fmt: skip
        self._queue, self._sessions, self._clock = job_queue, sessions, clock
        self._settings = settings
        self.plan = settings.plan(rules)
        self._services = Services(sessions, awards=awards, rules=rules, plan=self.plan)
        self._leadership = leadership or Leadership(engine, key=SCHEDULER_LOCK)
        self._lock = asyncio.Lock()
        self._each_tick: list[Callable[[datetime], Awaitable[object]]] = []

    def also_each_tick(self, work: Callable[[datetime], Awaitable[object]]) -> None:
        """More idempotent work for the leader's tick (closing notices and surveys …)."""
        self._each_tick.append(work)

    async def start(self) -> None:
        """Check at once (start-up; it derives the round jobs too), then tick periodically."""
        if await self.tick() is None:
            await self.reschedule()  # not the leader: keep the jobs ready to take over
        self._queue.run_repeating(self._run_tick, interval=self._settings.tick_minutes * 60,
                                  first=self._settings.tick_minutes * 60, name=TICK)

    async def stop(self) -> None:
        for job in self._queue.jobs():
            if job.name == TICK or (job.name or "").startswith(ROUND_JOB):
                job.schedule_removal()
        await self._leadership.release()

    async def _run_tick(self, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        try:
            await self.tick()
        except Exception:  # the next tick retries; nothing was half-recorded
            log.exception("schedule: tick failed")

    async def tick(self, now: datetime | None = None) -> TickReport | None:
        """Do everything due at ``now``; None if another instance is the leader."""
        async with self._lock:
            if not (await self._leadership.acquire() and await self._leadership.check()):
                return None
            return await self._tick(now or self._clock())

    async def _tick(self, now: datetime) -> TickReport:
        report = TickReport()
        calendar = await calendar_store.load_calendar(self._sessions)
        ensured = await schedule.ensure_rounds(self._sessions, self.plan, calendar, now)
        report.created = [f"{r.family} {r.period}" for r in ensured.created]
        await self.reschedule(now)  # also catches rounds changed elsewhere (the CLI)
        scanned = await reminders.scan(self._services, calendar, now)
        report.sent = dict(scanned.sent)
        for work in self._each_tick:
            try:
                await work(now)
            except Exception:  # one failing piece must not stop the others; retried next tick
                log.exception("schedule: %s failed", getattr(work, "__qualname__", work))
        horizon = [d + NOTICE_MARGIN for d in
                   await schedule.deadline_horizon(self._sessions, now)]
        needed = calendar_store.years_needed(self.plan.day_of(now),
                                             self.plan.calendar_warning_days,
                                             [self.plan.day_of(d) for d in horizon])
        report.missing_years = {y for y in needed if not calendar_store.has_year(calendar, y)}
        report.missing_years |= ensured.missing_years | scanned.missing_years
        report.warnings = await calendar_store.warn_admins(
            self._sessions, report.missing_years, now=now,
            repeat_days=self.plan.calendar_warning_repeat_days)
        if report.created or scanned.total or report.warnings:
            log.info("schedule: opened %s, sent %s, calendar warnings %d",
                     report.created, report.sent, report.warnings)
        return report

    async def reschedule(self, now: datetime | None = None) -> dict[str, datetime]:
        """Bring the round jobs in line with the database; returns the jobs now planned."""
        now = now or self._clock()
        wanted = await self._wanted(now)
        for job in self._queue.jobs():
            name = job.name or ""
            if not name.startswith(ROUND_JOB):
                continue
            if wanted.get(name) == job.data:
                del wanted[name]  # unchanged: keep it
            else:
                job.schedule_removal()
        for name, at in wanted.items():
            self._queue.run_once(self._run_tick, when=at - now, name=name, data=at)
        return {j.name or "": cast(datetime, j.data) for j in self._queue.jobs()
                if (j.name or "").startswith(ROUND_JOB)}

    async def _wanted(self, now: datetime) -> dict[str, datetime]:
        if not self.plan.enabled:
            return {}
        return await schedule.reminder_moments(self._sessions, self.plan, now, prefix=ROUND_JOB)
