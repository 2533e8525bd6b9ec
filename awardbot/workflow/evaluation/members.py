"""Who takes part in evaluation: the group's members, their recusals, role checks, cursors.

Members are the active staff holding ``evaluator`` or ``eval_leader``. A member is recused
automatically from a nomination they applied for or are the subject of, and from any
nomination of their own unit. Their key in the judged facts is their staff number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import EvaluationCursor, Nomination, Staff, StaffRole
from awardbot.workflow.roles import Role

MEMBER_ROLES = (Role.EVALUATOR.value, Role.EVAL_LEADER.value)





@dataclass(frozen=True)
class Member:
    staff_id: int
    staff_no: str
    name: str
    unit_id: int
    telegram_user_id: int | None


async def members(session: AsyncSession) -> list[Member]:
    rows = await session.execute(
        select(Staff.id, Staff.staff_no, Staff.name, Staff.unit_id, Staff.telegram_user_id)
        .join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role.in_(MEMBER_ROLES), Staff.active)
        .distinct().order_by(Staff.staff_no))
    return [Member(*row) for row in rows]


async def subject_unit(session: AsyncSession, row: Nomination) -> int | None:
    if row.subject_unit_id is not None:
        return row.subject_unit_id
    if row.subject_staff_id is None:
        return None
    return await session.scalar(select(Staff.unit_id).where(Staff.id == row.subject_staff_id))


def is_recused(staff_id: int, unit_id: int, row: Nomination, unit_of_subject: int | None) -> bool:
    return staff_id in (row.applicant_id, row.subject_staff_id) or unit_id == unit_of_subject


async def cursor(session: AsyncSession, staff_id: int) -> EvaluationCursor | None:
    return await session.get(EvaluationCursor, staff_id, with_for_update=True)


async def set_cursor(session: AsyncSession, staff_id: int, kind: str, now: datetime, *,
                     nomination_id: int | None = None, round_id: int | None = None,
                     data: dict[str, Any] | None = None) -> EvaluationCursor:
    row = await session.get(EvaluationCursor, staff_id)
    if row is None:
        row = EvaluationCursor(staff_id=staff_id, kind=kind, updated_at=now)
        session.add(row)
    row.kind, row.nomination_id, row.round_id = kind, nomination_id, round_id
    row.data, row.updated_at = dict(data or {}), now
    await session.flush()
    return row


async def clear_cursor(session: AsyncSession, staff_id: int) -> None:
    row = await session.get(EvaluationCursor, staff_id)
    if row is not None:
        await session.delete(row)
        await session.flush()
