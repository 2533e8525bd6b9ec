"""Questions put to one person that their next step answers (:class:`PendingAsk`).

A "确定…？" before an act that cannot be undone is put here when asked; its confirm
button acts only while the question stands, and takes it. So pressing the confirm twice,
or an old confirm after going back, finds nothing and acts no more. The rounds admin's
"new deadline?" question is kept here too, so that /cancel can end it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import PendingAsk
from awardbot.workflow.refusal import Refusal

DEADLINE = "deadline"  # a round's new deadline, typed as a reply to the question


async def put(session: AsyncSession, staff_id: int, kind: str, subject_id: int, now: datetime,
              *, chat_id: int | None = None, message_id: int | None = None) -> None:
    """Ask (again): one question per person, kind and subject."""
    await session.execute(delete(PendingAsk).where(
        PendingAsk.staff_id == staff_id, PendingAsk.kind == kind,
        PendingAsk.subject_id == subject_id))
    session.add(PendingAsk(staff_id=staff_id, kind=kind, subject_id=subject_id,
                           chat_id=chat_id, message_id=message_id, created_at=now))
    await session.flush()


async def take(session: AsyncSession, staff_id: int, kind: str, subject_id: int) -> bool:
    """Answer the question: True when it was still standing (and now is not)."""
    gone = await session.execute(delete(PendingAsk).where(
        PendingAsk.staff_id == staff_id, PendingAsk.kind == kind,
        PendingAsk.subject_id == subject_id))
    return bool(gone.rowcount)  # type: ignore[attr-defined]


async def ask(sessions: SessionFactory, staff_id: int, kind: str, subject_id: int,
              now: datetime, *, chat_id: int | None = None,
              message_id: int | None = None) -> None:
    async with sessions.begin() as session:
        await put(session, staff_id, kind, subject_id, now, chat_id=chat_id,
                  message_id=message_id)


async def withdraw(sessions: SessionFactory, staff_id: int, kind: str, subject_id: int) -> bool:
    """Going back: the question no longer stands."""
    async with sessions.begin() as session:
        return await take(session, staff_id, kind, subject_id)


async def confirmed(sessions: SessionFactory, staff_id: int, kind: str, subject_id: int,
                    *, done: str = "errors.confirm_spent") -> None:
    """The confirm button pressed: take the question or refuse as already answered."""
    async with sessions.begin() as session:
        if not await take(session, staff_id, kind, subject_id):
            raise Refusal(done)


async def standing(session: AsyncSession, staff_id: int, kind: str) -> list[PendingAsk]:
    return list(await session.scalars(select(PendingAsk).where(
        PendingAsk.staff_id == staff_id, PendingAsk.kind == kind)))
