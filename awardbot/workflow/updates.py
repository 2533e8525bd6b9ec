"""Each Telegram update is handled once, even if the Bot API delivers it twice.

``update_id`` restarts at random after a week of silence, so dedupe keeps a table of
ids seen (insert; a conflict means "seen") rather than "the highest id so far".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from awardbot.db.engine import SessionFactory
from awardbot.db.models import ProcessedUpdate

KEEP_FOR = timedelta(days=3)


async def first_sight(sessions: SessionFactory, update_id: int, *, now: datetime) -> bool:
    """True the first time an update id is seen, False on any repeat."""
    try:
        async with sessions.begin() as session:
            session.add(ProcessedUpdate(update_id=update_id, seen_at=now))
    except IntegrityError:
        return False
    return True


async def forget_old(sessions: SessionFactory, *, now: datetime) -> int:
    async with sessions.begin() as session:
        result = await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < now - KEEP_FOR)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]
