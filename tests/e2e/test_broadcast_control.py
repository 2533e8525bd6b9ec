"""The live progress message's buttons and a restart: pause then resume, cancel, and a bot
stopped mid-broadcast whose successor finishes it without sending anything twice.

The audience is larger than the sender's local queue (it claims up to 32 ahead), so that
a pause or a cancel has messages left to hold back."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from awardbot.bot.settings import SenderSettings
from tests.e2e.broadcast_fixtures import (
    Bureau,
    card_with,
    compose,
    message,
    press,
    progress_ends,
    received,
    rows,
    until,
)

pytestmark = pytest.mark.e2e
NEWS = "表彰大会将于 12 月 1 日上午 9 点在一楼会议室召开。"
CROWD = 50  # on top of the window's two
STEADY = SenderSettings(messages_per_second=25, private_chat_interval_s=0.01,
                        group_messages_per_minute=600, max_attempts=3, broadcast_progress_s=0.1)
CALM = SenderSettings(messages_per_second=10, private_chat_interval_s=0.01,
                      group_messages_per_minute=600, max_attempts=3, broadcast_progress_s=0.1)
SLOW = SenderSettings(messages_per_second=5, private_chat_interval_s=0.01,
                      group_messages_per_minute=600, max_attempts=3, broadcast_progress_s=0.1)


async def _send_to_window(b: Bureau) -> int:
    """Compose, choose the window, confirm; the progress message's id."""
    await compose(b, NEWS)
    await press(b, b.admin, "按单位")
    await press(b, b.admin, "综合窗口（W01）")
    label = f"✅ 确认发送（{CROWD + 2} 人）"
    card_id = card_with(b.admin, label).message_id
    await b.admin.press(label)
    await b.admin.wait_for_toast()
    return card_id


async def _counts(b: Bureau) -> Counter[str]:
    """The broadcast's rows by state (the outbox holds other messages too)."""
    return Counter(row.state for row in await rows(b))


async def _sent(b: Bureau) -> int:
    return (await _counts(b))["sent"]


async def _held(b: Bureau, card_id: int) -> int:
    """The sent count once a pause has taken hold: the sender claims nothing of a paused
    broadcast, so once none of its messages is being sent and the progress message shows
    the count, no more will go."""
    deadline = time.monotonic() + 30
    while True:
        counts = await _counts(b)
        shown = f"{counts['sent']} / {CROWD + 2} 已发送" in (message(b.admin, card_id).text or "")
        if not counts["sending"] and shown:
            return counts["sent"]
        assert time.monotonic() < deadline, f"the pause never took hold: {counts}"
        await asyncio.sleep(0.05)


async def until_counted(b: Bureau) -> None:
    """Until every message of the broadcast is sent or cancelled in the database (a sent
    message is recorded a moment after it went)."""
    deadline = time.monotonic() + 30
    while True:
        counts = await _counts(b)
        if counts["sent"] + counts["cancelled"] == CROWD + 2:
            return
        assert time.monotonic() < deadline, f"not all counted: {counts}"
        await asyncio.sleep(0.05)


def _window(b: Bureau) -> list[str]:
    return [key for key in b.people if key.startswith("window-")]


async def test_pause_holds_the_rest_and_resume_sends_it_once(bc_bureau: Bureau) -> None:
    b = bc_bureau
    await b.add_people("window", CROWD, 9400)
    async with b.bot(STEADY):
        card_id = await _send_to_window(b)
        toast = await press(b, b.admin, "⏸ 暂停", card_id)
        assert toast.get("text") == "已暂停发送。"
        held = await _held(b, card_id)
        assert held < CROWD + 2, "the pause held nothing back"
        paused = message(b.admin, card_id)
        assert (paused.text or "").startswith("⏸ 广播")
        assert f"{held} / {CROWD + 2} 已发送" in (paused.text or "")
        assert paused.labels == ["▶️ 继续", "⏹ 取消发送"]
        again = await press(b, b.admin, "▶️ 继续", card_id)
        assert again.get("text") == "已继续发送。"
        final = await progress_ends(b, card_id, "✅ 广播")
    assert f"共 {CROWD + 2} 人：{CROWD + 2} 人已收到" in (final.text or "")
    for key in _window(b):
        assert len(received(b.people[key], NEWS)) == 1, key
    assert received(b.people["hall-0"], NEWS) == []
    assert b.emulator.stats.duplicates() == {}


async def test_cancel_leaves_the_rest_undelivered(bc_bureau: Bureau) -> None:
    b = bc_bureau
    await b.add_people("window", CROWD, 9400)
    async with b.bot(CALM):
        card_id = await _send_to_window(b)
        await press(b, b.admin, "⏹ 取消发送", card_id)
        question = b.admin.last_bot_message
        assert question is not None and "确定取消广播" in (question.text or "")
        toast = await press(b, b.admin, "确认取消发送", question)
        assert toast.get("text") == "已取消发送，未发出的消息不再发送。"
        final = await progress_ends(b, card_id, "已取消\n")
        assert (final.text or "").startswith("⏹ 广播") and final.buttons == []
        answered = message(b.admin, question.message_id)
        assert answered.labels == [] and answered.text == "已取消发送，未发出的消息不再发送。"
        await until_counted(b)
    counts = await _counts(b)
    got = [key for key in _window(b) if received(b.people[key], NEWS)]
    assert counts["cancelled"] > 0
    assert len(got) == counts["sent"] < CROWD + 2
    assert f"{counts['sent']} / {CROWD + 2} 已发送" in (final.text or "")
    assert f"{counts['cancelled']} 条未发送" in (final.text or "")
    assert all(len(received(b.people[key], NEWS)) == 1 for key in got)


async def test_a_restart_mid_broadcast_finishes_without_duplicates(bc_bureau: Bureau) -> None:
    b = bc_bureau
    await b.add_people("window", CROWD, 9400)
    async with b.bot(SLOW):
        card_id = await _send_to_window(b)
        await until(lambda: "预计" in (message(b.admin, card_id).text or ""),
                    "an estimate of the time left")
        await until(lambda: sum(bool(received(b.people[k], NEWS)) for k in _window(b)) >= 5,
                    "a few deliveries")
    stopped_at = await _sent(b)
    assert 0 < stopped_at < CROWD + 2
    assert (await _counts(b))["sending"] == 0  # handed back
    async with b.bot(quiet=False):  # a new process: the sender and the progress job resume
        final = await progress_ends(b, card_id, "✅ 广播")
    assert f"共 {CROWD + 2} 人：{CROWD + 2} 人已收到" in (final.text or "")
    for key in _window(b):
        assert len(received(b.people[key], NEWS)) == 1, key
    assert b.emulator.stats.duplicates() == {}
