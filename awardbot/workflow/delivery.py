"""The outbox's delivery side: claim due messages, record how each delivery ended.

The sender claims rows (``pending`` → ``sending``, one attempt more) and records the
result in its own short transaction. A crash between Telegram's answer and that record
leaves the row ``sending``; :func:`recover_in_flight` puts such rows back, and they are
the only messages that may reach a person twice.

Each function here is a use case and owns its transaction; the ``_``-prefixed queries
below them take a session and never commit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Broadcast, Notification, Staff
from awardbot.workflow.delivery_state import (
    BLOCKED,
    BLOCKED_REASON,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    set_values,
)
from awardbot.workflow.recipients import clear_blocked, mark_blocked, move_chat

__all__ = ["clear_blocked", "mark_blocked", "move_chat"]  # the sender's, kept here too

CANCELLED = "cancelled"  # a broadcast's message that its admin cancelled before it went out
# Broadcast states whose messages are not claimed: paused, or being cancelled.
HELD_BROADCASTS = ("paused", "cancelling", "cancelled")
CANCELLED_REASON = "the broadcast was cancelled"
PARTS_DONE = "$parts_done"  # payload key: parts (album, document, text) already delivered
_ROUNDS = 3  # candidate fetches per claim when blocked recipients' rows are skipped


@dataclass(frozen=True)
class Claimed:
    """A message taken for delivery: everything the sender needs, detached from the session."""

    id: int
    chat_id: int
    staff_id: int | None
    payload: dict[str, Any]
    priority: int
    attempts: int  # including this one
    language: str | None  # the recipient's own choice, if any
    broadcast_id: int | None
    created_at: datetime

    @property
    def parts_done(self) -> int:
        return int(self.payload.get(PARTS_DONE, 0))


async def claim_due(
    sessions: SessionFactory, *, now: datetime, limit: int,
    exclude_chats: Collection[int] = (),
) -> list[Claimed]:  # fmt: skip
    """Take up to ``limit`` due messages, at most one per chat, lowest priority number first.

    Chats in ``exclude_chats`` (already busy or cooling down in the sender) are passed
    over, and so are the messages of a broadcast that is paused or being cancelled.
    Messages to someone who has blocked the bot are marked ``blocked`` on the way,
    without a call to Telegram.
    """
    if limit <= 0:
        return []
    async with sessions.begin() as session:
        return await _claim(session, now=now, limit=limit, exclude=set(exclude_chats))


async def _claim(
    session: AsyncSession, *, now: datetime, limit: int, exclude: set[int]
) -> list[Claimed]:
    claimed: list[Claimed] = []
    for _ in range(_ROUNDS):
        fetch = (limit - len(claimed)) * 3
        rows = (await session.execute(_candidates(session, now, fetch, exclude))).all()
        blocked = [row.id for row in rows if row.blocked_bot_at is not None]
        chosen: dict[int, Row[Any]] = {}
        for row in rows:
            if row.blocked_bot_at is None and len(chosen) < limit - len(claimed):
                chosen.setdefault(row.chat_id, row)
        await _set_blocked(session, blocked)
        claimed += await _take(session, list(chosen.values()))
        exclude |= {row.chat_id for row in rows}
        if len(claimed) >= limit or not blocked or len(rows) < fetch:
            break
    return claimed


def _candidates(session: AsyncSession, now: datetime, fetch: int, exclude: set[int]) -> Any:
    statement = (
        select(
            Notification.id, Notification.chat_id, Notification.staff_id, Notification.payload,
            Notification.priority, Notification.broadcast_id, Notification.created_at,
            Staff.language, Staff.blocked_bot_at,
        )
        .outerjoin(Staff, Staff.id == Notification.staff_id)
        .outerjoin(Broadcast, Broadcast.id == Notification.broadcast_id)
        .where(
            Notification.state == PENDING,
            or_(Notification.not_before.is_(None), Notification.not_before <= now),
            or_(Notification.broadcast_id.is_(None), Broadcast.state.not_in(HELD_BROADCASTS)),
        )
        .order_by(Notification.priority, Notification.created_at, Notification.id)
        .limit(fetch)
    )  # fmt: skip
    if exclude:
        statement = statement.where(Notification.chat_id.not_in(exclude))
    if _dialect(session) == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=Notification)
    return statement


async def _take(session: AsyncSession, rows: Sequence[Row[Any]]) -> list[Claimed]:
    if not rows:
        return []
    # The state guard makes the take safe where SELECT … FOR UPDATE does not exist (SQLite).
    result = await session.execute(
        update(Notification)
        .where(Notification.id.in_([row.id for row in rows]), Notification.state == PENDING)
        .values(state=SENDING, attempts=Notification.attempts + 1)
        .returning(Notification.id, Notification.attempts)
        .execution_options(synchronize_session=False)
    )
    attempts: dict[int, int] = {row[0]: row[1] for row in result.all()}
    return [_claimed(row, attempts[row.id]) for row in rows if row.id in attempts]


def _claimed(row: Row[Any], attempts: int) -> Claimed:
    return Claimed(
        id=row.id, chat_id=row.chat_id, staff_id=row.staff_id, payload=dict(row.payload),
        priority=row.priority, attempts=attempts, language=row.language,
        broadcast_id=row.broadcast_id, created_at=row.created_at,
    )  # fmt: skip


async def _set_blocked(session: AsyncSession, ids: Sequence[int]) -> None:
    if ids:
        await session.execute(
            update(Notification)
            .where(Notification.id.in_(ids), Notification.state == PENDING)
            .values(state=BLOCKED, last_error=BLOCKED_REASON)
            .execution_options(synchronize_session=False)
        )


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


_set = set_values


async def mark_sent(
    sessions: SessionFactory, notification_id: int, *, message_id: int | None, now: datetime
) -> None:
    async with sessions.begin() as session:
        await _set(
            session, notification_id, state=SENT, message_id=message_id, sent_at=now,
            last_error=None,
        )  # fmt: skip


async def mark_sent_many(
    sessions: SessionFactory, sent: Sequence[tuple[int, int | None, datetime]]
) -> None:
    """Record many deliveries at once: ``(notification id, message id, sent at)`` each."""
    if not sent:
        return
    rows = [
        {"id": row_id, "state": SENT, "message_id": message_id, "sent_at": at, "last_error": None}
        for row_id, message_id, at in sent
    ]
    async with sessions.begin() as session:
        await session.execute(update(Notification), rows)  # by primary key, executemany


async def mark_retry(
    sessions: SessionFactory, notification_id: int, *, not_before: datetime | None,
    error: str | None, count_attempt: bool = True, parts_done: int | None = None,
) -> None:  # fmt: skip
    """Back to ``pending`` until ``not_before``.

    ``count_attempt=False`` gives the attempt back (a 429 or a migrated group is not the
    message's fault); ``parts_done`` records the parts already delivered, so that a retry
    does not repeat an album that did arrive.
    """
    values: dict[str, Any] = {"state": PENDING, "not_before": not_before, "last_error": error}
    if not count_attempt:
        values["attempts"] = Notification.attempts - 1
    async with sessions.begin() as session:
        if parts_done:
            payload = await session.scalar(
                select(Notification.payload).where(Notification.id == notification_id)
            )
            values["payload"] = {**(payload or {}), PARTS_DONE: parts_done}
        await _set(session, notification_id, **values)


async def release(sessions: SessionFactory, ids: Sequence[int]) -> int:
    """Give claimed but unsent messages back (the sender is stopping), attempt refunded."""
    if not ids:
        return 0
    async with sessions.begin() as session:
        result = await session.execute(
            update(Notification)
            .where(Notification.id.in_(ids), Notification.state == SENDING)
            .values(state=PENDING, attempts=Notification.attempts - 1)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_failed(sessions: SessionFactory, notification_id: int, *, reason: str) -> None:
    async with sessions.begin() as session:
        await _set(session, notification_id, state=FAILED, last_error=reason[:2000])


async def recover_in_flight(sessions: SessionFactory, *, now: datetime) -> int:
    """Rows left ``sending`` by a sender that died go back to ``pending``.

    Only the leader calls this, on taking over; a row may have reached Telegram before the
    crash, so the note in ``last_error`` marks it as possibly delivered twice.
    """
    note = f"interrupted while sending; resumed at {now.isoformat(timespec='seconds')}"
    async with sessions.begin() as session:
        result = await session.execute(
            update(Notification)
            .where(Notification.state == SENDING)
            .values(state=PENDING, last_error=note)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def counts(sessions: SessionFactory, broadcast_id: int | None = None) -> dict[str, int]:
    """Messages by state, for one broadcast's progress or the whole outbox."""
    statement = select(Notification.state, func.count()).group_by(Notification.state)
    if broadcast_id is not None:
        statement = statement.where(Notification.broadcast_id == broadcast_id)
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    return {state: int(number) for state, number in rows}


async def cancel_undelivered(session: AsyncSession, broadcast_id: int) -> int:
    """A broadcast's messages not yet taken by the sender become ``cancelled``.

    Takes the caller's session (the cancel use case changes the broadcast's state in the
    same transaction). Messages being sent at this moment finish as they would.
    """
    result = await session.execute(
        update(Notification)
        .where(Notification.broadcast_id == broadcast_id, Notification.state == PENDING)
        .values(state=CANCELLED, last_error=CANCELLED_REASON)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
