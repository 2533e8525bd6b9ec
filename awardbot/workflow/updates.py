"""Pruning the table of update ids seen (see :mod:`awardbot.workflow.arrival`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from awardbot.db.engine import SessionFactory
from awardbot.db.models import ProcessedUpdate

KEEP_FOR = timedelta(days=3)


async def forget_old(sessions: SessionFactory, *, now: datetime) -> int:
    async with sessions.begin() as session:
        result = await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < now - KEEP_FOR)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]
