"""What every reminder shares: the services, the scan's report, dedupe and pacing helpers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Notification
from awardbot.workflow import outbox
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority
from awardbot.workflow.rounds.plan import SchedulePlan


@dataclass
class ScanReport:
    sent: Counter[str] = field(default_factory=Counter)
    missing_years: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.sent.values())


async def sent_keys(session: AsyncSession, prefix: str) -> set[str]:
    rows = await session.scalars(
        select(Notification.dedupe_key).where(Notification.dedupe_key.like(f"{prefix}%")))
    return {k for k in rows if k is not None}


async def last_sent(session: AsyncSession, prefix: str, since: datetime) -> dict[int, datetime]:
    """Per staff member, the latest reminder under ``prefix`` created after ``since``."""
    rows = await session.execute(
        select(Notification.staff_id, func.max(Notification.created_at))
        .where(Notification.dedupe_key.like(f"{prefix}%"), Notification.created_at > since,
               Notification.staff_id.is_not(None))
        .group_by(Notification.staff_id))
    return {staff: at for staff, at in rows if staff is not None}


def local_text(moment: datetime, plan: SchedulePlan) -> str:
    return f"{moment.astimezone(plan.tz):%Y-%m-%d %H:%M}"


async def remind(session: AsyncSession, staff_id: int, text: Text, key: str, now: datetime) -> bool:
    return await outbox.enqueue_for_staff(session, staff_id, Message(text), now=now,
                                          dedupe_key=key, priority=Priority.REMINDER)
