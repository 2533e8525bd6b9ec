"""The audit chain detects tampering; updates are received once and finished or recovered."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Notification
from awardbot.workflow import audit
from awardbot.workflow.updates import (
    finish,
    forget_old,
    give_up,
    receive,
    replaying,
    unfinished,
)
from tests.factories import NOW, add_staff, add_unit


async def _chain(sessions: SessionFactory, n: int) -> None:
    for i in range(n):
        async with sessions.begin() as session:
            await audit.append(
                session, at=NOW + timedelta(minutes=i), actor_id=None, action="test.step",
                subject_type="test", subject_id=i, data={"i": i, "名称": "测试"},
            )


async def test_intact_chain_verifies(sessions) -> None:
    await _chain(sessions, 5)
    async with sessions() as session:
        report = await audit.verify(session)
    assert report.ok and report.checked == 5


async def test_edited_row_is_named(sessions) -> None:
    await _chain(sessions, 5)
    async with sessions.begin() as session:
        await session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(data={"i": 99}))
    async with sessions() as session:
        report = await audit.verify(session)
    assert not report.ok
    assert report.first_bad_id == 3
    assert report.checked == 2


async def test_rehashed_row_breaks_the_next_link(sessions) -> None:
    await _chain(sessions, 4)
    async with sessions.begin() as session:
        await session.execute(
            update(AuditEvent).where(AuditEvent.id == 2).values(data={"i": 7}, hash="f" * 64)
        )
    async with sessions() as session:
        report = await audit.verify(session)
    assert report.first_bad_id == 2  # its own hash no longer matches its content


async def test_update_ids_are_received_once(sessions) -> None:
    async def fresh(update_id: int, now=NOW) -> bool:  # type: ignore[no-untyped-def]
        return await receive(sessions, update_id, {"update_id": update_id}, now=now)

    assert await fresh(42)
    assert not await fresh(42)
    assert await fresh(43)
    assert await forget_old(sessions, now=NOW + timedelta(days=10)) == 2
    assert await fresh(42, NOW + timedelta(days=10))


async def test_unfinished_updates_are_replayed_then_given_up(sessions) -> None:
    unit = await add_unit(sessions, "CK1", "综合受理窗口")
    await add_staff(sessions, "S1", "刘芳", unit, telegram_user_id=7001)
    for update_id in (5, 6, 7):
        await receive(sessions, update_id, {"update_id": update_id}, now=NOW)
    await finish(sessions, [6], now=NOW)
    assert [u.update_id for u in await unfinished(sessions)] == [5, 7]
    await replaying(sessions, [5, 7])
    await replaying(sessions, [5])
    left = {u.update_id: u for u in await unfinished(sessions)}
    assert left[5].exhausted and not left[7].exhausted
    assert await give_up(sessions, left[5], chat_id=7001, telegram_user_id=7001, now=NOW)
    assert not await give_up(sessions, left[5], chat_id=7001, telegram_user_id=7001, now=NOW)
    assert [u.update_id for u in await unfinished(sessions)] == [7]
    async with sessions() as session:
        note = await session.scalar(select(Notification))
    assert note is not None and note.chat_id == 7001 and note.staff_id is not None
    assert note.payload["text"] == {"$text": "errors.resend",
                                    "params": {"sent_at": "2026-11-25 10:00"}}
