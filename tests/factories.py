"""Small builders for test data, written straight to the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round, Staff, StaffRole, Survey, Unit

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def running_clock(start: datetime = NOW) -> Callable[[], datetime]:
    """``start``, then moving on as time passes: for what needs time to pass (a sender's
    retries and pacing) without depending on today's date."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


async def add_unit(sessions: SessionFactory, code: str, name: str, kind: str = "window") -> int:
    async with sessions.begin() as session:
        unit = Unit(code=code, name=name, kind=kind)
        session.add(unit)
        await session.flush()
        return unit.id


async def add_staff(
    sessions: SessionFactory, staff_no: str, name: str, unit_id: int, *,
    roles: tuple[str, ...] = (), telegram_user_id: int | None = None,
    is_window_staff: bool = False, service_start: date | None = date(2020, 1, 1),
) -> int:
    async with sessions.begin() as session:
        staff = Staff(
            staff_no=staff_no, name=name, unit_id=unit_id, is_window_staff=is_window_staff,
            service_start=service_start, telegram_user_id=telegram_user_id,
            bound_at=NOW if telegram_user_id else None,
        )
        staff.roles = [
            StaffRole(role=r, unit_id=unit_id if r == "leader" else None) for r in roles
        ]
        session.add(staff)
        await session.flush()
        return staff.id


async def set_stage(sessions: SessionFactory, round_id: int, stage: str, *,
                    survey: str | None = None) -> None:
    """Put a round at a lifecycle stage (and give it a survey in ``survey`` state)."""
    async with sessions.begin() as session:
        round_ = await session.get_one(Round, round_id)
        round_.state = stage
        if survey is not None:
            session.add(Survey(round_id=round_id, state=survey, candidate_ids=[],
                               opened_at=NOW, deadline=NOW,
                               closed_at=NOW if survey == "closed" else None))
