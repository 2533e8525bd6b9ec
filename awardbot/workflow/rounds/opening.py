"""Rounds by hand (the command line): open, extend and close a family's competition for a
period; which rounds accept applications now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round
from awardbot.workflow import audit
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds.stages import Act, Stage, catch_up, effective, move, require

OPEN = Stage.ACCEPTING.value
CLOSED = Stage.CLOSED.value


class RoundError(ValueError):
    """A round command that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class RoundView:
    id: int
    family: str
    period: str
    opens_at: datetime
    closes_at: datetime
    state: str

    def accepting(self, now: datetime) -> bool:
        return self.state == OPEN and self.opens_at <= now < self.closes_at

    @property
    def stage(self) -> Stage:
        return Stage(self.state)


def view(round_: Round) -> RoundView:
    return RoundView(round_.id, round_.family, round_.period, round_.opens_at,
                     round_.closes_at, round_.state)


async def open_round(
    sessions: SessionFactory, *, family: str, period: str, opens_at: datetime,
    closes_at: datetime, now: datetime, actor_id: int | None = None,
) -> RoundView:
    if closes_at <= opens_at:
        raise RoundError("the closing time must be after the opening time")
    async with sessions.begin() as session:
        existing = await session.scalar(
            select(Round).where(Round.family == family, Round.period == period))
        if existing is not None:
            raise RoundError(f"round {family} {period} already exists")
        round_ = Round(family=family, period=period, state=OPEN, opens_at=opens_at,
                       closes_at=closes_at, created_at=now)
        session.add(round_)
        await session.flush()
        await audit.append(session, at=now, actor_id=actor_id, action="round.opened",
                           subject_type="round", subject_id=round_.id,
                           data={"family": family, "period": period,
                                 "closes_at": closes_at.isoformat()})
        return view(round_)


async def set_closing(
    sessions: SessionFactory, *, family: str, period: str, closes_at: datetime | None,
    now: datetime, actor_id: int | None = None,
) -> RoundView:
    """Extend (a later time) or close (``None``: now) a round's application window.

    Extending is possible while applications are open or just closed (nothing has moved
    on yet); closing only while they are open.
    """
    async with sessions.begin() as session:
        round_ = await session.scalar(
            select(Round).where(Round.family == family, Round.period == period)
            .with_for_update())
        if round_ is None:
            raise RoundError(f"no round {family} {period}")
        try:
            if closes_at is None:
                require(round_, Act.CLOSE_APPLICATIONS, now)
                round_.closes_at = now
                await catch_up(session, round_, now)
            else:
                require(round_, Act.EXTEND, now)
                if closes_at <= now:
                    raise RoundError("the new closing time must be later than now")
                if await catch_up(session, round_, now) is Stage.CLOSED:
                    await move(session, round_, Stage.ACCEPTING, now, actor_id=actor_id,
                               by="extended", act=Act.EXTEND)
                round_.closes_at = closes_at
        except Refusal as refusal:
            raise RoundError(_stage_problem(round_, now)) from refusal
        await audit.append(session, at=now, actor_id=actor_id, action="round.closing_set",
                           subject_type="round", subject_id=round_.id,
                           data={"closes_at": round_.closes_at.isoformat()})
        return view(round_)


def _stage_problem(round_: Round, now: datetime) -> str:
    return (f"round {round_.family} {round_.period} is {effective(round_, now).value}: "
            "only a round accepting applications (or just closed, to extend it) can change "
            "its application deadline")


async def find_round(sessions: SessionFactory, family: str, period: str) -> int | None:
    """A round's id by its family and period."""
    async with sessions() as session:
        return await session.scalar(
            select(Round.id).where(Round.family == family, Round.period == period))


async def open_now(session: AsyncSession, now: datetime) -> list[RoundView]:
    rows = await session.scalars(
        select(Round).where(Round.state == OPEN, Round.opens_at <= now, Round.closes_at > now)
        .order_by(Round.closes_at))
    return [view(r) for r in rows]
