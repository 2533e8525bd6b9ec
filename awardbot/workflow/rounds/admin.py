"""An admin's rounds in chat: the list with each round's stage, extending and closing
applications. Opening the evaluation is ``rounds/evaluation.py``.

Every use case asks the policy (:mod:`awardbot.workflow.policy`) and the round's stage
(:mod:`awardbot.workflow.rounds.stages`) inside its own transaction; the command line acts
as the operator (``actor_id=None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round
from awardbot.scoring import CalendarUnavailable
from awardbot.workflow import audit, policy
from awardbot.workflow.messages import Text
from awardbot.workflow.policy import Permission
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds.calendar import working_calendar
from awardbot.workflow.rounds.plan import SchedulePlan, deadlines_after
from awardbot.workflow.rounds.stages import Act, Stage, catch_up, effective, move, require


@dataclass(frozen=True)
class AdminRound:
    """A round as the admin's /rounds list shows it."""

    id: int
    family: str
    period: str
    stage: Stage
    opens_at: datetime
    closes_at: datetime
    accepting: bool
    scoring_deadline: datetime | None = None
    survey_deadline: datetime | None = None

    @property
    def state(self) -> str:
        return self.stage.value


@dataclass(frozen=True)
class ExtensionOptions:
    round: AdminRound
    choices: tuple[date, ...]  # later working days to pick from


def admin_view(round_: Round, now: datetime) -> AdminRound:
    stage = effective(round_, now)
    return AdminRound(round_.id, round_.family, round_.period, stage, round_.opens_at,
                      round_.closes_at, stage is Stage.ACCEPTING and round_.opens_at <= now,
                      round_.scoring_deadline, round_.survey_deadline)


async def admin_rounds(sessions: SessionFactory, now: datetime, *, limit: int = 12
                       ) -> list[AdminRound]:
    """The latest rounds, newest first."""
    async with sessions() as session:
        rows = await session.scalars(select(Round).order_by(Round.opens_at.desc(),
                                                            Round.id.desc()).limit(limit))
        return [admin_view(r, now) for r in rows]


async def round_for_update(session: AsyncSession, round_id: int) -> Round:
    round_ = await session.scalar(select(Round).where(Round.id == round_id).with_for_update())
    if round_ is None:
        raise Refusal("schedule.rounds.gone")
    return round_


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
                            now: datetime, actor_id: int | None = None,
                            count: int = 3) -> ExtensionOptions:
    async with sessions() as session:
        await policy.require(session, actor_id, Permission.MANAGE_ROUNDS)
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise Refusal("schedule.rounds.gone")
        require(round_, Act.EXTEND, now)
        calendar = await working_calendar(session)
    start = max(plan.day_of(round_.closes_at), plan.day_of(now))
    try:
        choices = tuple(calendar.add_working_days(start, n) for n in range(1, count + 1))
    except CalendarUnavailable as exc:
        raise Refusal("schedule.rounds.no_calendar", year=exc.year) from None
    return ExtensionOptions(admin_view(round_, now), choices)


async def extend_round(sessions: SessionFactory, round_id: int, closes_at: datetime, *,
                       plan: SchedulePlan, now: datetime, actor_id: int | None) -> AdminRound:
    """Move the application deadline; the later deadlines move with it (working days).

    Possible while applications are open, or closed but not yet in review (it reopens them).
    """
    async with sessions.begin() as session:
        await policy.require(session, actor_id, Permission.MANAGE_ROUNDS)
        round_ = await round_for_update(session, round_id)
        require(round_, Act.EXTEND, now)
        if closes_at <= now or closes_at <= round_.opens_at:
            raise Refusal("schedule.rounds.past")
        offsets = plan.offsets_for(round_.family)
        if offsets is not None:
            calendar = await working_calendar(session)
            try:
                later = deadlines_after(closes_at, offsets, plan, calendar)
            except CalendarUnavailable as exc:
                raise Refusal("schedule.rounds.no_calendar", year=exc.year) from None
            round_.leader_deadline, round_.check_deadline = later.leader, later.check
            round_.scoring_deadline, round_.survey_deadline = later.scoring, later.survey
        if await catch_up(session, round_, now) is Stage.CLOSED:
            await move(session, round_, Stage.ACCEPTING, now, actor_id=actor_id,
                       by="extended", act=Act.EXTEND)
        round_.closes_at = closes_at
        await audit.append(session, at=now, actor_id=actor_id, action="round.closing_set",
                           subject_type="round", subject_id=round_.id,
                           data={"closes_at": closes_at.isoformat(), "by": "admin"})
        return admin_view(round_, now)


async def close_round(sessions: SessionFactory, round_id: int, *, now: datetime,
                      actor_id: int | None) -> AdminRound:
    """Close applications now; pressed twice, the second press changes nothing."""
    async with sessions.begin() as session:
        await policy.require(session, actor_id, Permission.MANAGE_ROUNDS)
        round_ = await round_for_update(session, round_id)
        if effective(round_, now) is Stage.CLOSED:
            return admin_view(round_, now)
        require(round_, Act.CLOSE_APPLICATIONS, now)
        round_.closes_at = now
        await catch_up(session, round_, now)
        await audit.append(session, at=now, actor_id=actor_id, action="round.closing_set",
                           subject_type="round", subject_id=round_.id,
                           data={"closes_at": now.isoformat(), "by": "admin"})
        return admin_view(round_, now)


def stage_line(item: AdminRound) -> Text:
    return Text(f"rounds.stage.{item.stage.value}")
