"""The audit chain detects tampering; update ids are processed once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent
from awardbot.workflow import audit
from awardbot.workflow.arrival import arrive
from awardbot.workflow.updates import forget_old
from tests.factories import NOW


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


async def test_update_ids_are_seen_once(sessions) -> None:
    async def first_sight(update_id: int, now=NOW) -> bool:  # type: ignore[no-untyped-def]
        return (await arrive(sessions, update_id, None, now=now)).first_sight

    assert await first_sight(42)
    assert not await first_sight(42)
    assert await first_sight(43)
    assert await forget_old(sessions, now=NOW + timedelta(days=10)) == 2
    assert await first_sight(42, NOW + timedelta(days=10))
