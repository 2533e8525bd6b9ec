"""Confirming a broadcast, and everything after: pause, resume, cancel, progress, the end.

Confirming writes the broadcast's state, one outbox row per recipient (bulk priority,
dedupe key ``bc:<broadcast>:<staff>``) and the audit event in ONE transaction: a crash
in the middle writes nothing, and a second confirm — a double tap, a replayed button,
another instance — finds the state changed and writes nothing either. The sender
delivers the rows; the progress updater (``bot/broadcast_progress.py``) reads
:func:`snapshot` and closes the broadcast with :func:`finish`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.conflicts import insert_ignoring
from awardbot.db.engine import SessionFactory
from awardbot.db.models import Broadcast, Notification
from awardbot.workflow import audit, delivery, outbox
from awardbot.workflow.broadcast import audience as audiences
from awardbot.workflow.broadcast.model import (
    CANCELLED,
    CANCELLING,
    CONFIRMED,
    DONE,
    DRAFT,
    PAUSED,
    SENDING,
    UNFINISHED,
    body,
    fingerprint,
    owned,
    stale,
)
from awardbot.workflow.messages import Media, Message, Text
from awardbot.workflow.outbox import Priority
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

BATCH = 500  # rows per INSERT; all batches share the one transaction


def dedupe_key(broadcast_id: int, staff_id: int) -> str:
    return f"bc:{broadcast_id}:{staff_id}"


@dataclass(frozen=True)
class Progress:
    """A broadcast's delivery so far, from its outbox rows."""

    broadcast_id: int
    state: str
    total: int
    counts: dict[str, int]
    chat_id: int | None
    message_id: int | None
    language: str | None

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def handled(self) -> int:
        """Rows that are over: delivered, skipped (blocked), failed or cancelled."""
        return sum(self.count(s) for s in (delivery.SENT, delivery.BLOCKED, delivery.FAILED,
                                           delivery.CANCELLED))

    @property
    def left(self) -> int:
        return self.count(delivery.PENDING) + self.count(delivery.SENDING)

    @property
    def finished(self) -> bool:
        """Nothing is left to send (for a cancelled one: nothing is in flight)."""
        if self.state == CANCELLING:
            return self.count(delivery.SENDING) == 0
        return self.state in (SENDING, PAUSED) and self.left == 0


async def confirm(svc: Services, staff_id: int, broadcast_id: int, seen: str, *,
                  is_admin: bool, chat_id: int, message_id: int, language: str,
                  now: datetime) -> Progress:
    """Send the draft to its audience; the pressed card becomes the progress message."""
    if not is_admin:
        raise Refusal(Text("broadcast.admin_only"))
    async with svc.sessions.begin() as session:
        # Re-read now: the chat's view of the person may be seconds old, and a sending
        # reaches everyone (an admin removed meanwhile must not).
        await require_person(session, staff_id, Permission.BROADCAST,
                             refusal="broadcast.admin_only")
        row = await owned(session, broadcast_id, staff_id, lock=True)
        if row.state in CONFIRMED:
            raise Refusal(Text("broadcast.already_confirmed"))
        if row.state != DRAFT or not row.audience or seen != fingerprint(row):
            raise Refusal(Text("broadcast.changed"))
        people = await audiences.recipients(session, row.audience)
        if not people:
            raise Refusal(Text("broadcast.nobody"))
        taken = await session.execute(
            update(Broadcast).where(Broadcast.id == row.id, Broadcast.state == DRAFT)
            .values(state=SENDING, total=len(people), progress_chat_id=chat_id,
                    progress_message_id=message_id,
                    content={**row.content, "language": language})
            .execution_options(synchronize_session=False))
        if not taken.rowcount:  # type: ignore[attr-defined]
            raise Refusal(Text("broadcast.already_confirmed"))
        await fan_out(session, row.id, _message(row.content), people, now=now)
        await audit.append(session, at=now, actor_id=staff_id, action="broadcast.confirmed",
                           subject_type="broadcast", subject_id=row.id,
                           data={"audience": row.audience, "total": len(people)})
    return await snapshot(svc.sessions, broadcast_id)


def _message(content: dict[str, Any]) -> Message:
    photo = content.get("photo")
    return Message(body(content), media=(Media("photo", str(photo)),) if photo else ())


async def fan_out(session: AsyncSession, broadcast_id: int, message: Message,
                  people: Sequence[audiences.Recipient], *, now: datetime) -> int:
    """One bulk outbox row per recipient, in batches, in the caller's transaction; a row
    whose dedupe key exists already is skipped, so running it again adds nothing."""
    payload = message.payload()
    written = 0
    for start in range(0, len(people), BATCH):
        rows = [{"chat_id": p.chat_id, "staff_id": p.staff_id, "payload": payload,
                 "dedupe_key": dedupe_key(broadcast_id, p.staff_id),
                 "priority": int(Priority.BULK), "state": delivery.PENDING, "attempts": 0,
                 "created_at": now, "broadcast_id": broadcast_id}
                for p in people[start:start + BATCH]]
        result = await session.execute(
            insert_ignoring(session, Notification, rows, ["dedupe_key"]))
        written += int(result.rowcount or 0)  # type: ignore[attr-defined]
    outbox.due_now(session)
    return written


async def control(svc: Services, staff_id: int, broadcast_id: int, action: str, *,
                  is_admin: bool, now: datetime) -> Progress:
    """Pause, resume or cancel a broadcast being sent; the same press twice changes nothing
    the second time."""
    if not is_admin:
        raise Refusal(Text("broadcast.admin_only"))
    moves = {"pause": ((SENDING,), PAUSED), "resume": ((PAUSED,), SENDING),
             "stopok": ((SENDING, PAUSED), CANCELLING)}
    async with svc.sessions.begin() as session:
        row = await owned(session, broadcast_id, staff_id, lock=True)
        if row.state not in UNFINISHED:
            raise Refusal(Text("broadcast.over"))
        if action in moves:
            allowed, target = moves[action]
            if row.state not in allowed:
                raise Refusal(Text(f"broadcast.already.{row.state}"))
            row.state = target
            if target == SENDING:
                outbox.due_now(session)
            if target == CANCELLING:
                dropped = await delivery.cancel_undelivered(session, row.id)
                await audit.append(session, at=now, actor_id=staff_id,
                                   action="broadcast.cancelled", subject_type="broadcast",
                                   subject_id=row.id, data={"not_sent": dropped})
        elif action not in ("stop", "keep"):
            raise stale()
        elif row.state == CANCELLING:
            raise Refusal(Text("broadcast.already.cancelling"))
    return await snapshot(svc.sessions, broadcast_id)


async def snapshot(sessions: SessionFactory, broadcast_id: int) -> Progress:
    async with sessions() as session:
        row = await session.get(Broadcast, broadcast_id)
        if row is None:
            raise stale()
        counts = await _counts(session, broadcast_id)
        return Progress(row.id, row.state, row.total, counts, row.progress_chat_id,
                        row.progress_message_id, row.content.get("language"))


async def _counts(session: AsyncSession, broadcast_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Notification.state, func.count()).where(Notification.broadcast_id == broadcast_id)
        .group_by(Notification.state))
    return {state: int(number) for state, number in rows.all()}


async def unfinished(sessions: SessionFactory) -> list[int]:
    """Broadcasts still being sent, paused or being cancelled: the progress updater's work."""
    async with sessions() as session:
        ids = await session.scalars(
            select(Broadcast.id).where(Broadcast.state.in_(UNFINISHED)).order_by(Broadcast.id))
        return list(ids)


async def finish(sessions: SessionFactory, broadcast_id: int, state: str) -> bool:
    """Close a broadcast whose rows are all over: ``done``, or ``cancelled`` after its
    cancel. True if this call closed it (another instance may have been first)."""
    target = CANCELLED if state == CANCELLING else DONE
    allowed = (CANCELLING,) if state == CANCELLING else (SENDING, PAUSED)
    async with sessions.begin() as session:
        if target == CANCELLED:  # a row put back by a retry during the cancel
            await delivery.cancel_undelivered(session, broadcast_id)
        result = await session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id, Broadcast.state.in_(allowed))
            .values(state=target).execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]
