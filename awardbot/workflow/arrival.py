"""Every update's first step: find the person — as cheaply as correctness allows.

(Repeated updates never get this far: they are dropped when they arrive, see
:mod:`awardbot.workflow.updates`.) The person behind a Telegram account is looked up at
most every ``PEOPLE_TTL`` per process: roles and bindings change rarely, and every change
made through this process forgets its entry at once (:meth:`PeopleCache.forget`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff, StaffRole
from awardbot.workflow.roster.identity import Person, person_of

PEOPLE_TTL = 30.0  # seconds
ROSTER_CHECK_S = 1.0  # how often the roster's shape is compared for changes from elsewhere


class PeopleCache:
    """Recent lookups of this process, by Telegram user id.

    Changes made elsewhere — a roster import at the command line deactivating someone or
    changing roles — empty it within :data:`ROSTER_CHECK_S`: at most that often, one
    small query reads the roster's shape (people, active people, roles) and a difference
    forgets every entry. (A change that keeps all three counts, such as one role swapped
    for another, waits out the TTL; every privileged act re-reads the person anyway.)"""

    def __init__(self, ttl: float = PEOPLE_TTL, *, check_s: float = ROSTER_CHECK_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self._check_s, self._monotonic = ttl, check_s, monotonic
        self._entries: dict[int, tuple[float, Person | None]] = {}
        self._shape: tuple[int, ...] | None = None
        self._checked = -float("inf")

    def get(self, telegram_user_id: int) -> tuple[bool, Person | None]:
        entry = self._entries.get(telegram_user_id)
        if entry is None or self._monotonic() - entry[0] >= self.ttl:
            return False, None
        return True, entry[1]

    def put(self, telegram_user_id: int, person: Person | None) -> None:
        self._entries[telegram_user_id] = (self._monotonic(), person)

    async def follow_roster(self, sessions: SessionFactory) -> None:
        """Forget everything when the roster changed elsewhere (checked every few moments)."""
        if self._monotonic() - self._checked < self._check_s:
            return
        self._checked = self._monotonic()
        async with sessions() as session:
            people, active = (await session.execute(select(
                func.count(Staff.id), func.count(Staff.id).filter(Staff.active)))).one()
            roles = await session.scalar(select(func.count(StaffRole.id)))
        shape = (int(people), int(active), int(roles or 0))
        if self._shape is not None and shape != self._shape:
            self._entries.clear()
        self._shape = shape

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
    if people is not None:
        await people.follow_roster(sessions)
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
