"""The outbox's delivery side: claiming order, retries, blocked people, crash recovery."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import func, select

from awardbot.bot.app import wake_if_due
from awardbot.db.engine import SessionFactory, after_commit
from awardbot.db.models import Broadcast, Notification, Staff
from awardbot.workflow import delivery
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import DUE_NOW, Priority, enqueue
from awardbot.workflow.roster.identity import set_language
from tests.factories import NOW, add_staff, add_unit


async def _put(
    sessions: SessionFactory, chat_id: int, key: str = "start.stranger", *,
    priority: Priority = Priority.NOTIFY, at: datetime = NOW, staff_id: int | None = None,
    dedupe_key: str | None = None, broadcast_id: int | None = None,
) -> bool:  # fmt: skip
    async with sessions.begin() as session:
        return await enqueue(
            session, chat_id=chat_id, message=Message(Text(key)), now=at, staff_id=staff_id,
            dedupe_key=dedupe_key, priority=priority, broadcast_id=broadcast_id,
        )  # fmt: skip


async def _state(sessions: SessionFactory, notification_id: int) -> Notification:
    async with sessions() as session:
        row = await session.get(Notification, notification_id)
        assert row is not None
        return row


async def test_lowest_priority_number_first_then_oldest(sessions: SessionFactory) -> None:
    await _put(sessions, 1, "a", priority=Priority.BULK, at=NOW)
    await _put(sessions, 2, "b", priority=Priority.NOTIFY, at=NOW + timedelta(seconds=2))
    await _put(sessions, 3, "c", priority=Priority.NOTIFY, at=NOW + timedelta(seconds=1))
    await _put(sessions, 4, "d", priority=Priority.INTERACTIVE, at=NOW + timedelta(seconds=3))
    claimed = await delivery.claim_due(sessions, now=NOW + timedelta(minutes=1), limit=3)
    assert [c.chat_id for c in claimed] == [4, 3, 2]
    assert all(c.attempts == 1 for c in claimed)
    assert (await _state(sessions, claimed[0].id)).state == "sending"
    rest = await delivery.claim_due(sessions, now=NOW + timedelta(minutes=1), limit=3)
    assert [c.chat_id for c in rest] == [1]
    assert await delivery.claim_due(sessions, now=NOW + timedelta(minutes=1), limit=3) == []


async def test_not_before_holds_a_message_back(sessions: SessionFactory) -> None:
    await _put(sessions, 1)
    [claimed] = await delivery.claim_due(sessions, now=NOW, limit=5)
    later = NOW + timedelta(seconds=30)
    await delivery.mark_retry(sessions, claimed.id, not_before=later, error="NetworkError: x")
    assert await delivery.claim_due(sessions, now=later - timedelta(seconds=1), limit=5) == []
    [again] = await delivery.claim_due(sessions, now=later, limit=5)
    assert again.id == claimed.id
    assert again.attempts == 2


async def test_one_message_per_chat_and_busy_chats_passed_over(sessions: SessionFactory) -> None:
    for chat in (1, 1, 2, 3):
        await _put(sessions, chat)
    claimed = await delivery.claim_due(sessions, now=NOW, limit=10, exclude_chats={3})
    assert sorted(c.chat_id for c in claimed) == [1, 2]
    assert [c.chat_id for c in await delivery.claim_due(sessions, now=NOW, limit=10)] == [1, 3]


async def test_a_429_gives_the_attempt_back_and_keeps_progress(sessions: SessionFactory) -> None:
    await _put(sessions, 1)
    [claimed] = await delivery.claim_due(sessions, now=NOW, limit=1)
    await delivery.mark_retry(
        sessions, claimed.id, not_before=None, error="RetryAfter", count_attempt=False,
        parts_done=1,
    )  # fmt: skip
    [again] = await delivery.claim_due(sessions, now=NOW, limit=1)
    assert again.attempts == 1
    assert again.parts_done == 1
    assert again.payload["text"] == {"$text": "start.stranger", "params": {}}


async def test_recover_in_flight_returns_sending_rows_only(sessions: SessionFactory) -> None:
    for chat in (1, 2, 3):
        await _put(sessions, chat)
    first, second = await delivery.claim_due(sessions, now=NOW, limit=2)
    await delivery.mark_sent(sessions, first.id, message_id=7, now=NOW)
    assert await delivery.recover_in_flight(sessions, now=NOW) == 1
    assert (await _state(sessions, second.id)).state == "pending"
    assert (await _state(sessions, first.id)).state == "sent"
    assert await delivery.counts(sessions) == {"sent": 1, "pending": 2}


async def test_release_gives_back_unsent_claims(sessions: SessionFactory) -> None:
    await _put(sessions, 1)
    [claimed] = await delivery.claim_due(sessions, now=NOW, limit=1)
    assert await delivery.release(sessions, [claimed.id]) == 1
    row = await _state(sessions, claimed.id)
    assert (row.state, row.attempts) == ("pending", 0)


async def test_blocked_person_is_skipped_until_they_write_again(sessions: SessionFactory) -> None:
    unit = await add_unit(sessions, "W01", "窗口")
    staff = await add_staff(sessions, "S1", "张三", unit, telegram_user_id=501)
    await set_language(sessions, 501, "en")
    await _put(sessions, 501, staff_id=staff)
    [claimed] = await delivery.claim_due(sessions, now=NOW, limit=5)
    assert claimed.language == "en"
    assert claimed.staff_id == staff
    await delivery.mark_blocked(sessions, claimed.id, staff_id=staff, now=NOW)
    await _put(sessions, 501, staff_id=staff)
    await _put(sessions, 502)
    assert [c.chat_id for c in await delivery.claim_due(sessions, now=NOW, limit=5)] == [502]
    assert await delivery.counts(sessions) == {"blocked": 2, "sending": 1}
    async with sessions() as session:
        assert await session.scalar(select(Staff.blocked_bot_at)) is not None
    assert await delivery.clear_blocked(sessions, staff)
    await _put(sessions, 501, staff_id=staff)
    assert [c.chat_id for c in await delivery.claim_due(sessions, now=NOW, limit=5)] == [501]


async def test_same_dedupe_key_twice_is_one_row(sessions: SessionFactory) -> None:
    assert await _put(sessions, 1, dedupe_key="remind:round-7:S1")
    assert not await _put(sessions, 1, dedupe_key="remind:round-7:S1")
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 1


async def test_migrated_group_messages_follow_it(sessions: SessionFactory) -> None:
    await _put(sessions, -100)
    await _put(sessions, -100)
    await _put(sessions, -200)
    assert await delivery.move_chat(sessions, -100, -1000100) == 2
    claimed = await delivery.claim_due(sessions, now=NOW, limit=5)
    assert sorted(c.chat_id for c in claimed) == [-1000100, -200]


async def test_failed_keeps_the_reason_and_counts_by_broadcast(sessions: SessionFactory) -> None:
    unit = await add_unit(sessions, "W01", "窗口")
    admin = await add_staff(sessions, "A1", "管理员", unit)
    async with sessions.begin() as session:
        broadcast = Broadcast(created_by=admin, audience={}, content={}, created_at=NOW)
        session.add(broadcast)
        await session.flush()
        broadcast_id = broadcast.id
    for chat in (1, 2, 3):
        await _put(sessions, chat, priority=Priority.BULK, broadcast_id=broadcast_id)
    await _put(sessions, 4)
    _, first, second = await delivery.claim_due(sessions, now=NOW, limit=3)
    await delivery.mark_failed(sessions, first.id, reason="BadRequest: chat not found")
    await delivery.mark_sent(sessions, second.id, message_id=1, now=NOW)
    assert (await _state(sessions, first.id)).last_error == "BadRequest: chat not found"
    assert await delivery.counts(sessions, broadcast_id) == {
        "failed": 1, "sent": 1, "pending": 1,
    }  # fmt: skip


@pytest.mark.parametrize("limit", [0, -1])
async def test_nothing_asked_nothing_claimed(sessions: SessionFactory, limit: int) -> None:
    await _put(sessions, 1)
    assert await delivery.claim_due(sessions, now=NOW, limit=limit) == []


async def test_deliveries_recorded_in_a_batch(sessions: SessionFactory) -> None:
    for chat in (1, 2, 3):
        await _put(sessions, chat)
    claimed = await delivery.claim_due(sessions, now=NOW, limit=3)
    later = NOW + timedelta(seconds=1)
    await delivery.mark_sent_many(sessions, [(c.id, 100 + c.chat_id, later) for c in claimed[:2]])
    assert await delivery.counts(sessions) == {"sent": 2, "sending": 1}
    row = await _state(sessions, claimed[1].id)
    assert (row.message_id, row.sent_at) == (100 + claimed[1].chat_id, later)


async def test_a_commit_that_made_messages_due_says_so_once(sessions: SessionFactory) -> None:
    # The bot wakes its sender on this signal instead of waiting for the next poll.
    seen: list[bool] = []
    after_commit(sessions, lambda session: seen.append(session.info.pop(DUE_NOW, False)))
    assert await _put(sessions, 1, dedupe_key="once") is True
    assert await _put(sessions, 1, dedupe_key="once") is False  # nothing new: no signal
    async with sessions.begin() as session:
        await session.scalar(select(func.count()).select_from(Notification))
    assert seen == [True, False, False]


async def test_the_bot_wakes_its_sender_after_such_a_commit_only(sessions: SessionFactory) -> None:
    class Sender:
        woken = 0

        def wake(self) -> None:
            self.woken += 1

    sender = Sender()
    after_commit(sessions, partial(wake_if_due, sender))  # type: ignore[arg-type]
    await _put(sessions, 1)
    async with sessions.begin() as session:
        await session.scalar(select(func.count()).select_from(Notification))
    assert sender.woken == 1
