"""The outbox: workflow writes the messages a change causes, in the change's transaction.

A message (``messages.py``) is stored as catalogue keys and parameters, not rendered text:
the sender renders it in the recipient's language when it delivers.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.conflicts import insert_ignoring
from awardbot.db.models import Notification, Staff
from awardbot.workflow.messages import Message


class Priority(IntEnum):
    """Lower goes first: people waiting on an answer before bulk announcements."""

    INTERACTIVE = 0
    NOTIFY = 5
    REMINDER = 7
    BULK = 9


DUE_NOW = "outbox.due_now"


def due_now(session: AsyncSession) -> None:
    """Messages became due in this transaction; once it commits, the sender may look at
    once instead of at its next poll (the bot listens for the mark, see bot/app.py)."""
    session.info[DUE_NOW] = True


async def enqueue(
    session: AsyncSession, *, chat_id: int, message: Message, now: datetime,
    staff_id: int | None = None, dedupe_key: str | None = None,
    priority: Priority = Priority.NOTIFY, broadcast_id: int | None = None,
) -> bool:
    """Add one message; with a ``dedupe_key`` already used, add nothing and say so."""
    values = {
        "chat_id": chat_id, "staff_id": staff_id, "payload": message.payload(),
        "dedupe_key": dedupe_key, "priority": int(priority), "state": "pending",
        "attempts": 0, "created_at": now, "broadcast_id": broadcast_id,
    }
    # Without a key nothing conflicts (NULLs are distinct in a unique index).
    result = await session.execute(insert_ignoring(session, Notification, values, ["dedupe_key"]))
    added = bool(result.rowcount)  # type: ignore[attr-defined]
    if added:
        due_now(session)
    return added


async def enqueue_for_staff(
    session: AsyncSession, staff_id: int, message: Message, *, now: datetime,
    dedupe_key: str | None = None, priority: Priority = Priority.NOTIFY,
) -> bool:
    """Message a staff member in their private chat; nobody bound means nothing to send."""
    chat_id = await session.scalar(select(Staff.telegram_user_id).where(Staff.id == staff_id))
    if chat_id is None:
        return False
    return await enqueue(
        session, chat_id=chat_id, message=message, now=now, staff_id=staff_id,
        dedupe_key=dedupe_key, priority=priority,
    )
