"""Finding a colleague by staff number or by name, whole or in part ("张" finds every 张),
with their unit: the apply walkthrough's colleague and a leader's deputy are found so."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Staff


async def match_staff(session: AsyncSession, query: str, *, besides: int,
                      limit: int) -> list[Staff]:
    """Active staff other than ``besides`` whose number or name is ``query`` or whose name
    holds it, by name; at most ``limit + 1`` so that a caller can tell there were more."""
    exact = or_(Staff.staff_no == query, Staff.name == query)
    part = Staff.name.contains(query, autoescape=True)
    return list((await session.scalars(
        select(Staff).where(Staff.active, Staff.id != besides, or_(exact, part))
        .options(selectinload(Staff.unit)).order_by(Staff.name, Staff.staff_no)
        .limit(limit + 1))).all())
