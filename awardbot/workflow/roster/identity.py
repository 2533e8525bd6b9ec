"""Who is writing: the staff record behind a Telegram account, as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff
from awardbot.workflow.roles import Role


@dataclass(frozen=True)
class Person:
    staff_id: int
    staff_no: str
    name: str
    unit_id: int
    unit_name: str
    roles: frozenset[Role]
    language: str | None
    telegram_user_id: int

    def has(self, role: Role) -> bool:
        return role in self.roles


def person_of(staff: Staff) -> Person:
    roles = {Role(r.role) for r in staff.roles} | {Role.STAFF}
    assert staff.telegram_user_id is not None
    return Person(
        staff_id=staff.id, staff_no=staff.staff_no, name=staff.name,
        unit_id=staff.unit_id, unit_name=staff.unit.name, roles=frozenset(roles),
        language=staff.language, telegram_user_id=staff.telegram_user_id,
    )


async def staff_by_telegram(session: AsyncSession, telegram_user_id: int) -> Staff | None:
    query = select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.active)
    return await session.scalar(query)


async def lookup(sessions: SessionFactory, telegram_user_id: int) -> Person | None:
    async with sessions() as session:
        staff = await staff_by_telegram(session, telegram_user_id)
        if staff is None:
            return None
        await session.refresh(staff, ["unit"])
        return person_of(staff)


async def set_language(sessions: SessionFactory, telegram_user_id: int, language: str) -> bool:
    async with sessions.begin() as session:
        staff = await staff_by_telegram(session, telegram_user_id)
        if staff is None:
            return False
        staff.language = language
        return True
