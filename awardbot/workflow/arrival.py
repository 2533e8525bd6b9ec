"""Every update's first step, in one short transaction: drop a repeat, find the person.

``update_id`` restarts at random after a week of silence, so repeats are found with a table
of ids seen (insert, ignore on conflict) rather than "the highest id so far".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from awardbot.db.engine import SessionFactory
from awardbot.db.models import ProcessedUpdate, Staff
from awardbot.workflow.identity import Person, person_of


@dataclass(frozen=True)
class Arrival:
    first_sight: bool
    person: Person | None


async def arrive(
    sessions: SessionFactory, update_id: int, telegram_user_id: int | None, *, now: datetime
) -> Arrival:
    async with sessions.begin() as session:
        dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        result = await session.execute(
            insert(ProcessedUpdate).values(update_id=update_id, seen_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"]))
        if not result.rowcount:  # type: ignore[attr-defined]
            return Arrival(False, None)
        if telegram_user_id is None:
            return Arrival(True, None)
        staff = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.active)
            .options(joinedload(Staff.unit), joinedload(Staff.roles)))
        return Arrival(True, person_of(staff) if staff is not None else None)
