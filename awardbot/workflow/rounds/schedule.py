"""Rounds on a calendar: open the due rounds with their deadlines.

:func:`ensure_rounds` is idempotent — a round is unique per family and period, an
existing round (opened by hand, perhaps) is never overwritten, only its missing later
deadlines are filled in — so the scheduler may call it on every tick and after a restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round
from awardbot.scoring import CalendarUnavailable, Period, WorkingCalendar
from awardbot.workflow import audit
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds.admin import (
    AdminRound,
    admin_rounds,
    close_round,
    extend_round,
    extension_options,
    parse_deadline,
)
from awardbot.workflow.rounds.calendar import load_calendar
from awardbot.workflow.rounds.opening import OPEN, RoundView, view
from awardbot.workflow.rounds.plan import (
    SchedulePlan,
    candidate_periods,
    day_reminder_at,
    deadlines_after,
    nominal_open,
    round_times,
)
from awardbot.workflow.rounds.stages import Stage

LATEST_OPENING = timedelta(days=92)  # a period whose opening is further back is not due
__all__ = [  # the round admin's use cases moved to rounds/admin.py; these names stay here
    "AdminRound", "Refusal", "admin_rounds", "close_round", "extend_round",
    "extension_options", "parse_deadline",
]
BEFORE_EVALUATION = (Stage.ACCEPTING.value, Stage.CLOSED.value, Stage.REVIEW.value)
LIVE = tuple(s.value for s in Stage if s is not Stage.FINAL)

log = logging.getLogger(__name__)


@dataclass
class EnsureReport:
    created: list[RoundView] = field(default_factory=list)
    filled: list[int] = field(default_factory=list)
    missing_years: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.filled)


async def _create(sessions: SessionFactory, family: str, period: Period, plan: SchedulePlan,
                  calendar: WorkingCalendar, now: datetime) -> RoundView | None:
    times = round_times(period, plan, calendar)
    if not times.opens_at - plan.create_ahead <= now < times.closes_at:
        return None
    try:
        async with sessions.begin() as session:
            round_ = Round(
                family=family, period=str(period), state=OPEN, opens_at=times.opens_at,
                closes_at=times.closes_at, leader_deadline=times.leader_deadline,
                check_deadline=times.check_deadline, scoring_deadline=times.scoring_deadline,
                survey_deadline=times.survey_deadline, created_at=now)
            session.add(round_)
            await session.flush()
            await audit.append(session, at=now, actor_id=None, action="round.opened",
                               subject_type="round", subject_id=round_.id,
                               data={"family": family, "period": str(period), "by": "schedule",
                                     "opens_at": times.opens_at.isoformat(),
                                     "closes_at": times.closes_at.isoformat()})
            return view(round_)
    except IntegrityError:
        return None  # opened meanwhile by hand or by another instance


async def _fill(sessions: SessionFactory, plan: SchedulePlan, calendar: WorkingCalendar,
                report: EnsureReport, now: datetime) -> None:
    async with sessions.begin() as session:
        rows = await session.scalars(select(Round).where(
            Round.state.in_(BEFORE_EVALUATION), Round.closes_at > now - timedelta(days=90),
            (Round.leader_deadline.is_(None) | Round.check_deadline.is_(None)
             | Round.scoring_deadline.is_(None) | Round.survey_deadline.is_(None))))
        for round_ in rows:
            offsets = plan.offsets_for(round_.family)
            if offsets is None:
                continue
            try:
                later = deadlines_after(round_.closes_at, offsets, plan, calendar)
            except CalendarUnavailable as exc:
                report.missing_years.add(exc.year)
                continue
            round_.leader_deadline = round_.leader_deadline or later.leader
            round_.check_deadline = round_.check_deadline or later.check
            round_.scoring_deadline = round_.scoring_deadline or later.scoring
            round_.survey_deadline = round_.survey_deadline or later.survey
            report.filled.append(round_.id)


async def ensure_rounds(sessions: SessionFactory, plan: SchedulePlan,
                        calendar: WorkingCalendar, now: datetime) -> EnsureReport:
    """Create the rounds due around ``now`` and fill missing deadlines of open rounds."""
    report = EnsureReport()
    if not plan.enabled:
        return report
    today = plan.day_of(now)
    async with sessions() as session:
        result = await session.execute(select(Round.family, Round.period))
        existing = {(family, period) for family, period in result}
    for family, period in candidate_periods(today, plan):
        if (family, str(period)) in existing:
            continue
        nominal = nominal_open(period, plan)
        if not nominal - plan.create_ahead - timedelta(days=14) <= today <= (
                nominal + LATEST_OPENING):
            continue
        try:
            created = await _create(sessions, family, period, plan, calendar, now)
        except CalendarUnavailable as exc:
            report.missing_years.add(exc.year)
            continue
        if created is not None:
            report.created.append(created)
    await _fill(sessions, plan, calendar, report, now)
    return report


async def deadline_horizon(sessions: SessionFactory, now: datetime) -> list[datetime]:
    """Deadlines still ahead: the years they (and the notices after them) fall in matter."""
    async with sessions() as session:
        rows = await session.execute(select(
            Round.closes_at, Round.leader_deadline, Round.check_deadline,
            Round.scoring_deadline, Round.survey_deadline).where(Round.state.in_(LIVE)))
        return [d for row in rows for d in row if d is not None and d > now]


def round_jobs(round_: Round, plan: SchedulePlan, calendar: WorkingCalendar,
               prefix: str = "round:") -> dict[str, datetime]:
    """The moments a round's reminders fall due, by job name (``round:{id}:deadline3`` …)."""
    name = f"{prefix}{round_.id}:"
    jobs = {f"{name}opening": round_.opens_at}
    for n in plan.reminders.before_deadline_working_days:
        jobs[f"{name}deadline{n}"] = day_reminder_at(round_.closes_at, n, plan, calendar)
    if round_.scoring_deadline is not None:
        for n in plan.reminders.scoring_before_working_days:
            jobs[f"{name}scoring{n}"] = day_reminder_at(round_.scoring_deadline, n, plan,
                                                        calendar)
    return jobs


async def reminder_moments(sessions: SessionFactory, plan: SchedulePlan, now: datetime, *,
                           prefix: str = "round:") -> dict[str, datetime]:
    """Every reminder still ahead for the rounds that have a deadline ahead, by job name; a
    round whose deadlines fall in a year without calendar data is left out (and logged)."""
    calendar = await load_calendar(sessions)
    async with sessions() as session:
        rounds = list(await session.scalars(select(Round).where(
            or_(Round.closes_at > now, Round.scoring_deadline > now)).order_by(Round.id)))
    wanted: dict[str, datetime] = {}
    for round_ in rounds:
        try:
            jobs = round_jobs(round_, plan, calendar, prefix)
        except CalendarUnavailable as exc:
            log.warning("schedule: round %s: %s", round_.id, exc)
            continue
        wanted |= {name: at for name, at in jobs.items() if at > now}
    return wanted
