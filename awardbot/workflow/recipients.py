"""A recipient's chat as the sender finds it: blocked (403), writing again, or migrated to a
supergroup; what waits for them follows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Notification, Staff
from awardbot.workflow import outbox
from awardbot.workflow.delivery_state import (
    BLOCKED,
    BLOCKED_REASON,
    PENDING,
    SENDING,
    set_values,
)


async def mark_blocked(
    sessions: SessionFactory, notification_id: int, *, staff_id: int | None, now: datetime,
    reason: str = BLOCKED_REASON,
) -> None:  # fmt: skip
    """Telegram answered 403: this row is ``blocked``, and so are the staff member's next ones
    (skipped at claim time) until :func:`clear_blocked`."""
    async with sessions.begin() as session:
        await set_values(session, notification_id, state=BLOCKED, last_error=reason[:2000])
        if staff_id is not None:
            await session.execute(
                update(Staff)
                .where(Staff.id == staff_id, Staff.blocked_bot_at.is_(None))
                .values(blocked_bot_at=now)
                .execution_options(synchronize_session=False)
            )


async def clear_blocked(sessions: SessionFactory, staff_id: int) -> bool:
    """The person wrote to the bot again: deliver to them again. True if they were blocked."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(Staff)
            .where(Staff.id == staff_id, Staff.blocked_bot_at.is_not(None))
            .values(blocked_bot_at=None)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            outbox.due_now(session)  # what waited for them may go now
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def move_chat(sessions: SessionFactory, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup: undelivered messages follow it to its new id."""
    async with sessions.begin() as session:
        result = await session.execute(
            update(Notification)
            .where(Notification.chat_id == old_chat_id, Notification.state.in_((PENDING, SENDING)))
            .values(chat_id=new_chat_id)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
