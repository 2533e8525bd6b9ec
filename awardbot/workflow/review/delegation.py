"""委办: a leader lets a deputy sign for them over a date range (Asia/Shanghai dates).

While a delegation is active the deputy receives the leader's review cards and may sign;
the leader keeps the right to sign too. The audit log records who signed for whom.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select

from awardbot.db.engine import AsyncSession, SessionFactory
from awardbot.db.models import Delegation, Staff, StaffRole
from awardbot.workflow import audit, outbox
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.naming import SHANGHAI
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role

CANCEL_WORDS = ("cancel", "off", "取消")


def today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


async def active_deputies(session: AsyncSession, leader_ids: Iterable[int],
                          on: date) -> dict[int, int]:
    """Leader → deputy for the delegations covering ``on``; the latest one wins."""
    rows = await session.scalars(select(Delegation).where(
        Delegation.leader_id.in_(list(leader_ids)), Delegation.starts_on <= on,
        Delegation.ends_on >= on).order_by(Delegation.id))
    return {row.leader_id: row.deputy_id for row in rows}


async def principals(session: AsyncSession, deputy_id: int, on: date) -> set[int]:
    """The leaders ``deputy_id`` signs for on ``on``."""
    rows = await session.scalars(select(Delegation).where(
        Delegation.starts_on <= on, Delegation.ends_on >= on).order_by(Delegation.id))
    latest: dict[int, int] = {row.leader_id: row.deputy_id for row in rows}
    return {leader for leader, deputy in latest.items() if deputy == deputy_id}


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal("review.delegate.bad_date", value=value) from None


async def require_leader(session: AsyncSession, leader_id: int) -> None:
    is_leader = await session.scalar(select(StaffRole.id).where(
        StaffRole.staff_id == leader_id, StaffRole.role == Role.LEADER).limit(1))
    if is_leader is None:
        raise Refusal("review.delegate.leaders_only")


def check_range(starts: date, ends: date, now: datetime) -> None:
    if starts < today(now):  # a deputy cannot have signed in the past
        raise Refusal("review.delegate.past_start", starts=starts.isoformat(),
                      today=today(now).isoformat())
    if ends < starts:
        raise Refusal("review.delegate.bad_range")


async def delegate(sessions: SessionFactory, leader_id: int, args: list[str],
                   now: datetime) -> Text:
    """``/delegate STAFF_ID FROM TO`` names a deputy; ``/delegate cancel`` ends it early."""
    async with sessions.begin() as session:
        await require_leader(session, leader_id)
        if not args:
            return await current(session, leader_id, today(now))
        if args[0].lower() in CANCEL_WORDS:
            return await end(session, leader_id, now)
        if len(args) != 3:
            raise Refusal("review.delegate.usage")
        starts, ends = _parse_date(args[1]), _parse_date(args[2])
        check_range(starts, ends, now)
        deputy = await session.scalar(select(Staff).where(Staff.staff_no == args[0],
                                                          Staff.active))
        if deputy is None or deputy.id == leader_id:
            raise Refusal("review.delegate.unknown_deputy", staff_no=args[0])
        return await create(session, leader_id, deputy, starts, ends, now)


async def create(session: AsyncSession, leader_id: int, deputy: Staff, starts: date,
                 ends: date, now: datetime) -> Text:
    """The delegation, its audit event and the deputy's note (typed or confirmed)."""
    session.add(Delegation(leader_id=leader_id, deputy_id=deputy.id, starts_on=starts,
                           ends_on=ends, created_at=now))
    leader = await session.get_one(Staff, leader_id)
    params = {"leader": leader.name, "deputy": deputy.name, "starts": starts.isoformat(),
              "ends": ends.isoformat()}
    await audit.append(session, at=now, actor_id=leader_id, action="delegation.created",
                       subject_type="staff", subject_id=deputy.id, data=params)
    await outbox.enqueue_for_staff(session, deputy.id,
                                   Message(Text("review.delegate.deputy_told", params)),
                                   now=now)
    return Text("review.delegate.done", params)


async def current(session: AsyncSession, leader_id: int, on: date) -> Text:
    rows = (await session.execute(
        select(Delegation, Staff.name).join(Staff, Staff.id == Delegation.deputy_id)
        .where(Delegation.leader_id == leader_id, Delegation.ends_on >= on)
        .order_by(Delegation.starts_on))).all()
    if not rows:
        return Text("review.delegate.none")
    lines = "\n".join(f"{name}: {d.starts_on.isoformat()} – {d.ends_on.isoformat()}"
                      for d, name in rows)
    return Text("review.delegate.current", {"lines": lines})


async def end(session: AsyncSession, leader_id: int, now: datetime) -> Text:
    on = today(now)
    rows = list(await session.scalars(select(Delegation).where(
        Delegation.leader_id == leader_id, Delegation.ends_on >= on)))
    for row in rows:
        # End it yesterday (a future one ends before it starts): inactive from now on.
        row.ends_on = min(row.ends_on, on - timedelta(days=1))
    if rows:
        await audit.append(session, at=now, actor_id=leader_id, action="delegation.cancelled",
                           subject_type="staff", subject_id=leader_id,
                           data={"count": len(rows)})
    return Text("review.delegate.cancelled" if rows else "review.delegate.none")
