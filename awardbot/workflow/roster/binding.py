"""One-time invite codes and binding a Telegram account to a staff record."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Invite, Staff, Unit
from awardbot.workflow import audit
from awardbot.workflow.roster.identity import Person, person_of, staff_by_telegram


class BindOutcome(StrEnum):
    BOUND = "bound"
    ALREADY_YOURS = "already_yours"  # the same person pressed the link again
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    OTHER_ACCOUNT = "other_account"  # this Telegram account is bound to someone else
    INACTIVE = "inactive"


@dataclass(frozen=True)
class BindResult:
    outcome: BindOutcome
    person: Person | None = None


@dataclass(frozen=True)
class IssuedInvite:
    staff_no: str
    name: str
    code: str


class InviteTargetError(ValueError):
    """The staff id or unit code given to ``invite`` does not exist."""


async def _targets(
    session: AsyncSession, staff_nos: list[str], unit_code: str | None
) -> list[Staff]:
    found: list[Staff] = []
    if staff_nos:
        rows = (await session.scalars(select(Staff).where(Staff.staff_no.in_(staff_nos)))).all()
        missing = sorted(set(staff_nos) - {s.staff_no for s in rows})
        if missing:
            raise InviteTargetError(f"unknown staff id: {', '.join(missing)}")
        found.extend(rows)
    if unit_code is not None:
        unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise InviteTargetError(f"unknown unit code: {unit_code}")
        members = await session.scalars(
            select(Staff).where(Staff.unit_id == unit.id, Staff.active))
        found.extend(members)
    return sorted({s.id: s for s in found}.values(), key=lambda s: s.staff_no)


async def issue_invites(
    sessions: SessionFactory, *, staff_nos: list[str], unit_code: str | None,
    now: datetime, ttl: timedelta, include_bound: bool = False,
) -> list[IssuedInvite]:
    """A fresh code per person; people already bound are skipped unless asked."""
    async with sessions.begin() as session:
        issued = []
        for staff in await _targets(session, staff_nos, unit_code):
            if staff.telegram_user_id is not None and not include_bound:
                continue
            code = secrets.token_urlsafe(12)
            session.add(Invite(code=code, staff_id=staff.id, created_at=now, expires_at=now + ttl))
            issued.append(IssuedInvite(staff.staff_no, staff.name, code))
        await audit.append(
            session, at=now, actor_id=None, action="invites.issued", subject_type="invite",
            subject_id=None, data={"staff": [i.staff_no for i in issued]},
        )
        return issued


async def redeem(
    sessions: SessionFactory, code: str, telegram_user_id: int, *, now: datetime
) -> BindResult:
    try:
        async with sessions.begin() as session:
            return await _redeem(session, code, telegram_user_id, now)
    except IntegrityError:
        # Two presses raced: the other one bound the account; report what stands now.
        async with sessions() as session:
            staff = await staff_by_telegram(session, telegram_user_id)
            if staff is None:
                return BindResult(BindOutcome.USED)
            await session.refresh(staff, ["unit"])
            return BindResult(BindOutcome.ALREADY_YOURS, person_of(staff))


async def _redeem(
    session: AsyncSession, code: str, telegram_user_id: int, now: datetime
) -> BindResult:
    invite = await session.scalar(select(Invite).where(Invite.code == code).with_for_update())
    if invite is None:
        return BindResult(BindOutcome.UNKNOWN)
    staff = await session.get_one(Staff, invite.staff_id)
    current = await staff_by_telegram(session, telegram_user_id)
    if current is not None and current.id == staff.id:
        await session.refresh(staff, ["unit"])
        return BindResult(BindOutcome.ALREADY_YOURS, person_of(staff))
    if invite.used_at is not None:
        return BindResult(BindOutcome.USED)
    if invite.expires_at is not None and invite.expires_at < now:
        return BindResult(BindOutcome.EXPIRED)
    if current is not None:
        return BindResult(BindOutcome.OTHER_ACCOUNT)
    if not staff.active:
        return BindResult(BindOutcome.INACTIVE)
    invite.used_at, invite.used_by = now, telegram_user_id
    staff.telegram_user_id, staff.bound_at = telegram_user_id, now
    await session.flush()
    await audit.append(
        session, at=now, actor_id=staff.id, action="staff.bound", subject_type="staff",
        subject_id=staff.id, data={"telegram_user_id": telegram_user_id},
    )
    await session.refresh(staff, ["unit"])
    return BindResult(BindOutcome.BOUND, person_of(staff))
