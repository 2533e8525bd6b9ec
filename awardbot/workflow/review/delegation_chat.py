"""Bare /delegate as buttons: the current delegation, choosing a deputy (the leader's
units listed, or a name typed in part), the period, and a confirmation.

The typed steps (a name, a custom period) and the two confirmations are questions put to
the leader (:mod:`awardbot.workflow.asks`): a confirm acts only while its question stands,
so pressing it twice creates one delegation; /cancel ends a typed step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from awardbot.db.engine import AsyncSession, SessionFactory
from awardbot.db.models import PendingAsk, Staff, StaffRole
from awardbot.workflow import asks
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import delegation
from awardbot.workflow.review.delegation import today
from awardbot.workflow.roles import Role
from awardbot.workflow.roster.search import match_staff

WHO, DATES = "dlg_who", "dlg_dates"  # typed: a name (subject 0), a period (subject: deputy)
CONFIRM, END = "dlg_ok", "dlg_end"  # "确定…？" of a new delegation (deputy), of ending (0)
TYPED = (WHO, DATES)
WAIT = timedelta(hours=1)  # a typed step left longer than this no longer takes text
LIST_LIMIT = 20  # people of the leader's units listed as buttons at most
PICK_LIMIT = 10  # matches of a typed name listed at most
PERIODS = {"1": 1, "3": 3, "7": 7}  # 今天 / 今天起 3 天 / 今天起一周: days, today included
_SHORT = re.compile(r"^(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    unit: str


@dataclass(frozen=True)
class Overview:
    current: Text
    active: bool  # a current or upcoming delegation that can be ended


@dataclass(frozen=True)
class Period:
    deputy: Person
    starts: date
    ends: date


def _person(row: Staff) -> Person:
    return Person(row.id, row.name, row.unit.name)


async def _clear(session: AsyncSession, leader_id: int, *kinds: str) -> None:
    await session.execute(delete(PendingAsk).where(PendingAsk.staff_id == leader_id,
                                                   PendingAsk.kind.in_(kinds)))


async def overview(sessions: SessionFactory, leader_id: int, now: datetime) -> Overview:
    """Bare /delegate: what is delegated now; a typed step left waiting is ended."""
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        await _clear(session, leader_id, *TYPED)
        current = await delegation.current(session, leader_id, today(now))
        return Overview(current, current.key != "review.delegate.none")


async def candidates(sessions: SessionFactory, leader_id: int,
                     now: datetime) -> list[Person]:
    """The people of the leader's own unit and of the units they lead; a typed name is
    waited for from here on."""
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        leader = await session.get_one(Staff, leader_id)
        led = select(StaffRole.unit_id).where(StaffRole.staff_id == leader_id,
                                              StaffRole.role == Role.LEADER)
        rows = await session.scalars(
            select(Staff).where(Staff.active, Staff.id != leader_id,
                                or_(Staff.unit_id == leader.unit_id, Staff.unit_id.in_(led)))
            .options(selectinload(Staff.unit)).order_by(Staff.unit_id, Staff.name)
            .limit(LIST_LIMIT))
        await _clear(session, leader_id, *TYPED)
        await asks.put(session, leader_id, WHO, 0, now)
        return [_person(r) for r in rows]


async def waiting(session: AsyncSession, leader_id: int, kind: str,
                  now: datetime) -> PendingAsk | None:
    """The typed step of ``kind`` still waiting for this leader, if any."""
    rows = await asks.standing(session, leader_id, kind)
    return next((r for r in rows if r.created_at >= now - WAIT), None)


async def search(session: AsyncSession, leader_id: int, text: str) -> list[Person]:
    """A typed name or staff number: the matches to choose from (the step goes on)."""
    query = text.strip()
    if not query:
        raise Refusal("review.delegate.ask_name")
    rows = await match_staff(session, query, besides=leader_id, limit=PICK_LIMIT)
    if not rows:
        raise Refusal("review.delegate.not_found", query=query)
    if len(rows) > PICK_LIMIT:
        raise Refusal("review.delegate.too_many", query=query, limit=PICK_LIMIT)
    return [_person(r) for r in rows]


async def _deputy(session: AsyncSession, leader_id: int, deputy_id: int) -> Staff:
    row = await session.scalar(select(Staff).where(Staff.id == deputy_id, Staff.active)
                               .options(selectinload(Staff.unit)))
    if row is None or row.id == leader_id:
        raise Refusal("errors.stale_button")
    return row


async def chosen(sessions: SessionFactory, leader_id: int, deputy_id: int) -> Person:
    """A deputy pressed: the period is asked next; the typed name is no longer waited for."""
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        deputy = await _deputy(session, leader_id, deputy_id)
        await _clear(session, leader_id, WHO)
        return _person(deputy)


async def wait_for_dates(sessions: SessionFactory, leader_id: int, deputy_id: int,
                         now: datetime) -> Person:
    """自定义: the period is typed next."""
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        deputy = await _deputy(session, leader_id, deputy_id)
        await _clear(session, leader_id, *TYPED)
        await asks.put(session, leader_id, DATES, deputy.id, now)
        return _person(deputy)


def _date(value: str, on: date) -> date:
    short = _SHORT.match(value)
    try:
        if short:  # "12-10": this year's
            return date(on.year, int(short[1]), int(short[2]))
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal("review.delegate.bad_date", value=value) from None


def parse_period(text: str, now: datetime) -> tuple[date, date]:
    """"2026-12-10 2026-12-15" or "12-10 12-15" (also with 至 or ~ between), checked."""
    parts = re.split(r"\s*(?:\s|至|到|~|～)\s*", text.strip())
    parts = [p for p in parts if p]
    if len(parts) != 2:
        raise Refusal("review.delegate.period_format")
    starts, ends = _date(parts[0], today(now)), _date(parts[1], today(now))
    delegation.check_range(starts, ends, now)
    return starts, ends


def quick_period(code: str, now: datetime) -> tuple[date, date]:
    days = PERIODS.get(code)
    if days is None:
        raise Refusal("errors.stale_button")
    return today(now), today(now) + timedelta(days=days - 1)


async def ask_confirm(sessions: SessionFactory, leader_id: int, deputy_id: int,
                      starts: date, ends: date, now: datetime) -> Period:
    """The question before the delegation is made; a typed period is no longer waited for."""
    delegation.check_range(starts, ends, now)
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        deputy = await _deputy(session, leader_id, deputy_id)
        await _clear(session, leader_id, *TYPED)
        await asks.put(session, leader_id, CONFIRM, deputy.id, now)
        return Period(_person(deputy), starts, ends)


async def confirm(sessions: SessionFactory, leader_id: int, deputy_id: int, starts: date,
                  ends: date, now: datetime) -> Text:
    """Confirm pressed: the delegation is made once, while its question stands."""
    async with sessions.begin() as session:
        if not await asks.take(session, leader_id, CONFIRM, deputy_id):
            raise Refusal("errors.confirm_spent")
        await delegation.require_leader(session, leader_id)
        delegation.check_range(starts, ends, now)
        deputy = await _deputy(session, leader_id, deputy_id)
        return await delegation.create(session, leader_id, deputy, starts, ends, now)


async def ask_end(sessions: SessionFactory, leader_id: int, now: datetime) -> None:
    async with sessions.begin() as session:
        await delegation.require_leader(session, leader_id)
        await asks.put(session, leader_id, END, 0, now)


async def confirm_end(sessions: SessionFactory, leader_id: int, now: datetime) -> Text:
    async with sessions.begin() as session:
        if not await asks.take(session, leader_id, END, 0):
            raise Refusal("errors.confirm_spent")
        return await delegation.end(session, leader_id, now)


async def back(sessions: SessionFactory, leader_id: int) -> None:
    """取消 pressed anywhere in the flow: nothing it asked stands any more."""
    async with sessions.begin() as session:
        await _clear(session, leader_id, WHO, DATES, CONFIRM, END)


async def typed(sessions: SessionFactory, leader_id: int, text: str,
                now: datetime) -> list[Person] | Period | None:
    """Text while a typed step waits: a name gives matches to press, a period the
    confirmation. None when no step waits; a refusal leaves the step waiting."""
    async with sessions.begin() as session:
        if await waiting(session, leader_id, WHO, now) is not None:
            return await search(session, leader_id, text)
        dates = await waiting(session, leader_id, DATES, now)
        if dates is None:
            return None
        starts, ends = parse_period(text, now)
        deputy = await _deputy(session, leader_id, dates.subject_id)
        await _clear(session, leader_id, *TYPED)
        await asks.put(session, leader_id, CONFIRM, deputy.id, now)
        return Period(_person(deputy), starts, ends)
