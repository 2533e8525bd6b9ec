"""A delivery's states and the one write every delivery record makes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Notification

PENDING, SENDING, SENT = "pending", "sending", "sent"
FAILED, BLOCKED = "failed", "blocked"
BLOCKED_REASON = "the recipient has blocked the bot"


async def set_values(session: AsyncSession, notification_id: int, **values: Any) -> None:
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
