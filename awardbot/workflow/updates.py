"""The updates received: recorded on arrival, marked when handled, recovered after a crash.

The Bot API forgets an update once the bot has acknowledged it (the next ``getUpdates``
offset, or a webhook's 200), which happens long before a slow handler — a photo being
downloaded — has finished. So each update is written here, with its JSON, before it is
acknowledged; it is marked handled when its handler has completed. At start-up what was
received but not finished is handled again, at most :data:`MAX_REPLAYS` times (an update
that keeps killing the process must not do so for ever); after that the person is asked
to send it again.

``update_id`` is also the dedupe key: ids restart at random after a week of silence, so
repeats are found in this table of ids seen (insert, ignore on conflict), not by "the
highest id so far".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from awardbot.db.conflicts import insert_ignoring
from awardbot.db.engine import SessionFactory
from awardbot.db.models import ReceivedUpdate, Staff
from awardbot.workflow import outbox
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.naming import local_time
from awardbot.workflow.outbox import Priority

KEEP_FOR = timedelta(days=3)
MAX_REPLAYS = 2


async def receive_many(
    sessions: SessionFactory, received: Sequence[tuple[int, dict[str, Any]]], *, now: datetime
) -> set[int]:
    """Record updates (id, JSON) in one transaction; the ids not received before (the
    others are repeats: drop them)."""
    if not received:
        return set()
    async with sessions.begin() as session:
        result = await session.execute(insert_ignoring(
            session, ReceivedUpdate,
            [{"update_id": update_id, "seen_at": now, "payload": payload, "replays": 0}
             for update_id, payload in received], ["update_id"])
            .returning(ReceivedUpdate.update_id))
        return set(result.scalars())


async def receive(
    sessions: SessionFactory, update_id: int, payload: dict[str, Any], *, now: datetime
) -> bool:
    """Record an update; False if it was received before (a repeat: drop it)."""
    return update_id in await receive_many(sessions, [(update_id, payload)], now=now)


async def finish(sessions: SessionFactory, update_ids: Collection[int], *, now: datetime) -> None:
    if not update_ids:
        return
    async with sessions.begin() as session:
        await session.execute(
            update(ReceivedUpdate)
            .where(ReceivedUpdate.update_id.in_(list(update_ids)),
                   ReceivedUpdate.handled_at.is_(None))
            .values(handled_at=now))


@dataclass(frozen=True)
class Unfinished:
    update_id: int
    payload: dict[str, Any]
    seen_at: datetime
    replays: int

    @property
    def exhausted(self) -> bool:
        return self.replays >= MAX_REPLAYS


async def unfinished(sessions: SessionFactory) -> list[Unfinished]:
    """What was received and never finished, in the order it arrived."""
    async with sessions() as session:
        rows = await session.scalars(
            select(ReceivedUpdate).where(ReceivedUpdate.handled_at.is_(None))
            .order_by(ReceivedUpdate.seen_at, ReceivedUpdate.update_id))
        return [Unfinished(r.update_id, r.payload, r.seen_at, r.replays) for r in rows]


async def replaying(sessions: SessionFactory, update_ids: Collection[int]) -> None:
    """Count one more attempt before handling these again."""
    if not update_ids:
        return
    async with sessions.begin() as session:
        await session.execute(
            update(ReceivedUpdate).where(ReceivedUpdate.update_id.in_(list(update_ids)))
            .values(replays=ReceivedUpdate.replays + 1))


async def give_up(
    sessions: SessionFactory, item: Unfinished, *, chat_id: int | None,
    telegram_user_id: int | None, now: datetime,
) -> bool:
    """Stop retrying an update; ask its sender (in their language) to send it again."""
    async with sessions.begin() as session:
        await session.execute(
            update(ReceivedUpdate).where(ReceivedUpdate.update_id == item.update_id)
            .values(handled_at=now))
        if chat_id is None:
            return False
        staff_id = await session.scalar(select(Staff.id).where(
            Staff.telegram_user_id == telegram_user_id)) if telegram_user_id else None
        message = Message(Text("errors.resend", {"sent_at": local_time(item.seen_at)}))
        return await outbox.enqueue(
            session, chat_id=chat_id, staff_id=staff_id, message=message, now=now,
            priority=Priority.INTERACTIVE, dedupe_key=f"update:resend:{item.update_id}")


async def forget_old(sessions: SessionFactory, *, now: datetime) -> int:
    async with sessions.begin() as session:
        result = await session.execute(
            delete(ReceivedUpdate).where(ReceivedUpdate.seen_at < now - KEEP_FOR)
        )
        return result.rowcount or 0  # type: ignore[attr-defined]
