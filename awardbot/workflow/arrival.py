"""Every update's first step: drop a repeat, find the person — as cheaply as correctness allows.

``update_id`` restarts at random after a week of silence, so repeats are found with a table
of ids seen (insert, ignore on conflict) rather than "the highest id so far". The person
behind a Telegram account is looked up at most every ``PEOPLE_TTL`` per process: roles and
bindings change rarely, and every change made through this process forgets its entry at
once (:meth:`PeopleCache.forget`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from awardbot.db.engine import SessionFactory
from awardbot.db.models import ProcessedUpdate, Staff
from awardbot.workflow.identity import Person, person_of

PEOPLE_TTL = 30.0  # seconds


class PeopleCache:
    """Recent lookups of this process, by Telegram user id."""

    def __init__(self, ttl: float = PEOPLE_TTL) -> None:
        self.ttl = ttl
        self._entries: dict[int, tuple[float, Person | None]] = {}

    def get(self, telegram_user_id: int) -> tuple[bool, Person | None]:
        entry = self._entries.get(telegram_user_id)
        if entry is None or time.monotonic() - entry[0] >= self.ttl:
            return False, None
        return True, entry[1]

    def put(self, telegram_user_id: int, person: Person | None) -> None:
        self._entries[telegram_user_id] = (time.monotonic(), person)

    def forget(self, telegram_user_id: int | None = None) -> None:
        """After a change to a binding, roles or language made through this process."""
        if telegram_user_id is None:
            self._entries.clear()
        else:
            self._entries.pop(telegram_user_id, None)


@dataclass(frozen=True)
class Arrival:
    first_sight: bool
    person: Person | None


async def arrive(
    sessions: SessionFactory, update_id: int, telegram_user_id: int | None, *, now: datetime,
    people: PeopleCache | None = None,
) -> Arrival:
    fresh, known = people.get(telegram_user_id) if people and telegram_user_id else (False, None)
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
        if fresh:
            return Arrival(True, known)
        staff = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.active)
            .options(joinedload(Staff.unit), joinedload(Staff.roles)))
        person = person_of(staff) if staff is not None else None
    if people is not None:
        people.put(telegram_user_id, person)
    return Arrival(True, person)
