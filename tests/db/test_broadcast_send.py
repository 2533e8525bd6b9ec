"""Confirming a broadcast writes its outbox rows once; pause holds them, cancel drops them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Broadcast, Notification
from awardbot.workflow import delivery
from awardbot.workflow.broadcast import audience as audiences
from awardbot.workflow.broadcast import compose as broadcast
from awardbot.workflow.broadcast import send as broadcast_send
from awardbot.workflow.broadcast.model import Card
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority, enqueue
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services
from tests.factories import NOW, add_staff, add_unit

pytestmark = pytest.mark.db


async def _bureau(sessions: SessionFactory, people: int = 4) -> tuple[int, list[int]]:
    unit = await add_unit(sessions, "W", "窗口")
    admin = await add_staff(sessions, "A", "管理员", unit, roles=("admin",), telegram_user_id=900)
    staff = [await add_staff(sessions, f"S{i}", f"员工{i}", unit, telegram_user_id=1000 + i)
             for i in range(people)]
    return admin, [admin, *staff]


async def _draft(svc: Services, admin: int, photo: str | None = None) -> tuple[int, str]:
    """A draft to everyone, previewed: its id and the confirm button's fingerprint."""
    card = await broadcast.start(svc, admin, is_admin=True, now=NOW)
    if photo:
        await broadcast.take_photo(svc, admin, photo, None, now=NOW)
    await broadcast.take_text(svc, admin, "表彰大会通知", now=NOW)
    preview = await broadcast.press(svc, admin, card.broadcast_id, "all", "0", is_admin=True,
                                    now=NOW)
    return card.broadcast_id, _confirm_arg(preview)


def _confirm_arg(card: Card) -> str:
    return next(c.arg for row in card.choices for c in row if c.action == "go")


async def _confirm(svc: Services, admin: int, bc: int, seen: str,
                   ) -> broadcast_send.Progress:
    return await broadcast_send.confirm(svc, admin, bc, seen, is_admin=True, chat_id=900,
                                        message_id=77, language="zh", now=NOW)


async def _rows(sessions: SessionFactory, bc: int) -> list[Notification]:
    async with sessions() as session:
        query = select(Notification).where(Notification.broadcast_id == bc)
        return list(await session.scalars(query.order_by(Notification.id)))


@pytest.fixture
def svc(sessions: SessionFactory) -> Services:
    return Services(sessions)


async def test_confirm_writes_one_bulk_row_per_recipient(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, everyone = await _bureau(sessions)
    bc, seen = await _draft(svc, admin, photo="PHOTO-1")
    progress = await _confirm(svc, admin, bc, seen)
    assert (progress.state, progress.total, progress.counts) == ("sending", 5, {"pending": 5})
    rows = await _rows(sessions, bc)
    assert sorted(r.staff_id for r in rows) == sorted(everyone)
    assert {r.dedupe_key for r in rows} == {f"bc:{bc}:{s}" for s in everyone}
    assert {r.priority for r in rows} == {int(Priority.BULK)}
    assert rows[0].payload["media"] == [{"kind": "photo", "file_id": "PHOTO-1"}]
    assert rows[0].payload["text"] == {"$text": "broadcast.body",
                                       "params": {"body": "表彰大会通知"}}
    async with sessions() as session:
        row = await session.get(Broadcast, bc)
        assert row is not None
        assert (row.progress_chat_id, row.progress_message_id) == (900, 77)


async def test_a_second_confirm_writes_nothing(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions)
    bc, seen = await _draft(svc, admin)
    await _confirm(svc, admin, bc, seen)
    with pytest.raises(Refusal) as refused:
        await _confirm(svc, admin, bc, seen)
    assert refused.value.text.key == "broadcast.already_confirmed"
    assert len(await _rows(sessions, bc)) == 5


async def test_a_crash_mid_write_leaves_nothing_and_a_retry_writes_once(
    sessions: SessionFactory, svc: Services, monkeypatch: pytest.MonkeyPatch,
) -> None:
    admin, _ = await _bureau(sessions, people=7)
    bc, seen = await _draft(svc, admin)
    monkeypatch.setattr(broadcast_send, "BATCH", 3)  # several batches: crash after some
    real_fan_out = broadcast_send.fan_out

    async def fan_out_then_die(*args: object, **kw: object) -> int:
        await real_fan_out(*args, **kw)  # type: ignore[arg-type]
        raise ConnectionError("the process died")

    monkeypatch.setattr(broadcast_send, "fan_out", fan_out_then_die)
    with pytest.raises(ConnectionError):
        await _confirm(svc, admin, bc, seen)
    assert await _rows(sessions, bc) == []
    monkeypatch.setattr(broadcast_send, "fan_out", real_fan_out)
    progress = await _confirm(svc, admin, bc, seen)
    assert progress.total == 8
    assert len(await _rows(sessions, bc)) == 8


async def test_fan_out_again_adds_nothing(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions)
    bc, seen = await _draft(svc, admin)
    await _confirm(svc, admin, bc, seen)
    async with sessions.begin() as session:
        people = await audiences.recipients(session, audiences.everyone())
        message = broadcast_send._message({"text": "again"})
        assert await broadcast_send.fan_out(session, bc, message, people, now=NOW) == 0
    assert len(await _rows(sessions, bc)) == 5


async def test_an_old_preview_cannot_confirm_a_changed_draft(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions)
    bc, seen = await _draft(svc, admin)
    unit_card = await broadcast.press(svc, admin, bc, "units", "0", is_admin=True, now=NOW)
    unit = next(c.arg for row in unit_card.choices for c in row if c.action == "unit")
    await broadcast.press(svc, admin, bc, "unit", unit, is_admin=True, now=NOW)
    with pytest.raises(Refusal) as refused:
        await _confirm(svc, admin, bc, seen)
    assert refused.value.text.key == "broadcast.changed"
    assert await _rows(sessions, bc) == []


async def test_only_admins_and_only_their_own(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, everyone = await _bureau(sessions)
    other = await add_staff(sessions, "A2", "管理员二", await add_unit(sessions, "X", "X"),
                            roles=("admin",), telegram_user_id=901)
    with pytest.raises(Refusal):
        await broadcast.start(svc, everyone[1], is_admin=False, now=NOW)
    bc, seen = await _draft(svc, admin)
    with pytest.raises(Refusal):
        await broadcast_send.confirm(svc, everyone[1], bc, seen, is_admin=False, chat_id=1,
                                     message_id=1, language="zh", now=NOW)
    with pytest.raises(Refusal) as refused:
        await _confirm(svc, other, bc, seen)
    assert refused.value.text.key == "broadcast.stale"
    assert await _rows(sessions, bc) == []


async def test_paused_rows_are_not_claimed_until_resumed(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions, people=2)
    bc, seen = await _draft(svc, admin)
    await _confirm(svc, admin, bc, seen)
    await broadcast_send.control(svc, admin, bc, "pause", is_admin=True, now=NOW)
    with pytest.raises(Refusal):  # pressed twice
        await broadcast_send.control(svc, admin, bc, "pause", is_admin=True, now=NOW)
    async with sessions.begin() as session:  # other messages still flow
        await enqueue(session, chat_id=555, message=Message(Text("x")), now=NOW)
    assert [c.chat_id for c in await delivery.claim_due(sessions, now=NOW, limit=10)] == [555]
    await broadcast_send.control(svc, admin, bc, "resume", is_admin=True, now=NOW)
    claimed = await delivery.claim_due(sessions, now=NOW, limit=10)
    assert {c.broadcast_id for c in claimed} == {bc} and len(claimed) == 3


async def test_cancel_drops_what_is_not_in_flight_and_finishes_after_it(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions, people=3)
    bc, seen = await _draft(svc, admin)
    await _confirm(svc, admin, bc, seen)
    in_flight = await delivery.claim_due(sessions, now=NOW, limit=1)
    progress = await broadcast_send.control(svc, admin, bc, "stopok", is_admin=True, now=NOW)
    assert progress.counts == {"sending": 1, "cancelled": 3}
    assert not progress.finished
    await delivery.mark_sent(sessions, in_flight[0].id, message_id=5, now=NOW)
    progress = await broadcast_send.snapshot(sessions, bc)
    assert progress.finished
    assert await broadcast_send.finish(sessions, bc, progress.state)
    assert not await broadcast_send.finish(sessions, bc, progress.state)  # once
    assert (await broadcast_send.snapshot(sessions, bc)).state == "cancelled"
    assert await delivery.claim_due(sessions, now=NOW, limit=10) == []


async def test_done_once_everything_is_over(
    sessions: SessionFactory, svc: Services,
) -> None:
    admin, _ = await _bureau(sessions, people=1)
    bc, seen = await _draft(svc, admin)
    await _confirm(svc, admin, bc, seen)
    claimed = await delivery.claim_due(sessions, now=NOW, limit=10)
    await delivery.mark_sent(sessions, claimed[0].id, message_id=1, now=NOW)
    assert not (await broadcast_send.snapshot(sessions, bc)).finished
    await delivery.mark_blocked(sessions, claimed[1].id, staff_id=claimed[1].staff_id, now=NOW)
    progress = await broadcast_send.snapshot(sessions, bc)
    assert progress.finished and progress.counts == {"sent": 1, "blocked": 1}
    assert await broadcast_send.finish(sessions, bc, progress.state)
    assert await broadcast_send.unfinished(sessions) == []


async def test_a_forgotten_compose_stops_catching_text(
    sessions: SessionFactory, svc: Services,
) -> None:
    from awardbot.workflow.broadcast.model import COMPOSE_TTL

    admin, _ = await _bureau(sessions, people=1)
    await broadcast.start(svc, admin, is_admin=True, now=NOW)
    assert await broadcast.take_text(svc, admin, "late", now=NOW + COMPOSE_TTL * 2) is None
    async with sessions() as session:
        drafts = await session.scalar(select(func.count()).select_from(Broadcast)
                                      .where(Broadcast.state == "composing"))
    assert drafts == 1
