"""Every update's first step: find the person — as cheaply as correctness allows.

(Repeated updates never get this far: they are dropped when they arrive, see
:mod:`awardbot.workflow.updates`.) The person behind a Telegram account is looked up at
most every ``PEOPLE_TTL`` per process: roles and bindings change rarely, and every change
made through this process forgets its entry at once (:meth:`PeopleCache.forget`).
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff
from awardbot.workflow.roster.identity import Person, person_of

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


async def arrive(
    sessions: SessionFactory, telegram_user_id: int | None, *, people: PeopleCache | None = None,
) -> Person | None:
    """The person behind a Telegram account, if any (repeats were dropped on arrival)."""
    if telegram_user_id is None:
        return None
    fresh, known = people.get(telegram_user_id) if people else (False, None)
    if fresh:
        return known
    async with sessions() as session:
        staff = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.active)
            .options(joinedload(Staff.unit), joinedload(Staff.roles)))
        person = person_of(staff) if staff is not None else None
    if people is not None:
        people.put(telegram_user_id, person)
    return person
