"""Rounds on a calendar: open the due rounds with their deadlines; extend or close by hand.

:func:`ensure_rounds` is idempotent — a round is unique per family and period, an
existing round (opened by hand, perhaps) is never overwritten, only its missing later
deadlines are filled in — so the scheduler may call it on every tick and after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round
from awardbot.scoring import CalendarUnavailable, Period, WorkingCalendar
from awardbot.workflow import audit
from awardbot.workflow.calendar_store import working_calendar
from awardbot.workflow.outbox import Text
from awardbot.workflow.rounds import CLOSED, OPEN, RoundView, view
from awardbot.workflow.schedule_plan import (
    SchedulePlan,
    candidate_periods,
    deadlines_after,
    nominal_open,
    round_times,
)

LATEST_OPENING = timedelta(days=92)  # a period whose opening is further back is not due


@dataclass
class EnsureReport:
    created: list[RoundView] = field(default_factory=list)
    filled: list[int] = field(default_factory=list)
    missing_years: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.filled)


@dataclass(frozen=True)
class AdminRound:
    """A round as the admin's /rounds list shows it."""

    id: int
    family: str
    period: str
    state: str
    opens_at: datetime
    closes_at: datetime
    accepting: bool


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
            Round.state == OPEN, Round.closes_at > now - timedelta(days=90),
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


async def admin_rounds(sessions: SessionFactory, now: datetime, *, limit: int = 12
                       ) -> list[AdminRound]:
    """The latest rounds, newest first."""
    async with sessions() as session:
        rows = await session.scalars(select(Round).order_by(Round.opens_at.desc(),
                                                            Round.id.desc()).limit(limit))
        return [_admin_view(r, now) for r in rows]


class RoundRefusal(Exception):
    """An admin's round change that cannot be made; ``text`` says why, in their language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text.key)
        self.text = text


@dataclass(frozen=True)
class ExtensionOptions:
    round: AdminRound
    choices: tuple[date, ...]  # later working days to pick from


async def _round_for_update(session: AsyncSession, round_id: int) -> Round:
    round_ = await session.scalar(select(Round).where(Round.id == round_id).with_for_update())
    if round_ is None:
        raise RoundRefusal(Text("schedule.rounds.gone"))
    return round_


def _admin_view(round_: Round, now: datetime) -> AdminRound:
    return AdminRound(round_.id, round_.family, round_.period, round_.state, round_.opens_at,
                      round_.closes_at, view(round_).accepting(now))


def parse_deadline(text: str, plan: SchedulePlan) -> datetime | None:
    """``YYYY-MM-DD`` (the end of office hours that day) or ``YYYY-MM-DD HH:MM``, local."""
    text = " ".join(text.split())
    for fmt, has_time in (("%Y-%m-%d %H:%M", True), ("%Y-%m-%d", False)):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        at = parsed.time() if has_time else plan.office_end
        return plan.local(parsed.date(), at)
    return None


async def extension_options(sessions: SessionFactory, round_id: int, *, plan: SchedulePlan,
                            now: datetime, count: int = 3) -> ExtensionOptions:
    async with sessions() as session:
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise RoundRefusal(Text("schedule.rounds.gone"))
        calendar = await working_calendar(session)
    start = max(plan.day_of(round_.closes_at), plan.day_of(now))
    try:
        choices = tuple(calendar.add_working_days(start, n) for n in range(1, count + 1))
    except CalendarUnavailable as exc:
        raise RoundRefusal(Text("schedule.rounds.no_calendar", {"year": exc.year})) from None
    return ExtensionOptions(_admin_view(round_, now), choices)


async def extend_round(sessions: SessionFactory, round_id: int, closes_at: datetime, *,
                       plan: SchedulePlan, now: datetime, actor_id: int | None) -> AdminRound:
    """Move the application deadline; the later deadlines move with it (working days)."""
    async with sessions.begin() as session:
        round_ = await _round_for_update(session, round_id)
        if closes_at <= now or closes_at <= round_.opens_at:
            raise RoundRefusal(Text("schedule.rounds.past"))
        offsets = plan.offsets_for(round_.family)
        if offsets is not None:
            calendar = await working_calendar(session)
            try:
                later = deadlines_after(closes_at, offsets, plan, calendar)
            except CalendarUnavailable as exc:
                raise RoundRefusal(
                    Text("schedule.rounds.no_calendar", {"year": exc.year})) from None
            round_.leader_deadline, round_.check_deadline = later.leader, later.check
            round_.scoring_deadline, round_.survey_deadline = later.scoring, later.survey
        round_.closes_at, round_.state = closes_at, OPEN
        await audit.append(session, at=now, actor_id=actor_id, action="round.closing_set",
                           subject_type="round", subject_id=round_.id,
                           data={"closes_at": closes_at.isoformat(), "by": "admin"})
        return _admin_view(round_, now)


async def close_round(sessions: SessionFactory, round_id: int, *, now: datetime,
                      actor_id: int | None) -> AdminRound:
    async with sessions.begin() as session:
        round_ = await _round_for_update(session, round_id)
        if round_.state == CLOSED or round_.closes_at <= now:
            return _admin_view(round_, now)  # pressed twice: already closed
        round_.closes_at, round_.state = now, CLOSED
        await audit.append(session, at=now, actor_id=actor_id, action="round.closing_set",
                           subject_type="round", subject_id=round_.id,
                           data={"closes_at": now.isoformat(), "by": "admin"})
        return _admin_view(round_, now)


async def deadline_horizon(sessions: SessionFactory, now: datetime) -> list[datetime]:
    """Deadlines still ahead: the years they (and the notices after them) fall in matter."""
    async with sessions() as session:
        rows = await session.execute(select(
            Round.closes_at, Round.leader_deadline, Round.check_deadline,
            Round.scoring_deadline, Round.survey_deadline).where(Round.state == OPEN))
        return [d for row in rows for d in row if d is not None and d > now]
