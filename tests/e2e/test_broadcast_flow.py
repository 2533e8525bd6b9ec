"""/broadcast end to end: compose, audience, preview and count, confirm, delivery, the
progress message's totals; photos; blocked people; who may broadcast; double taps."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from awardbot.db.models import Broadcast, Staff, StaffRole
from tests.e2e.broadcast_fixtures import (
    Bureau,
    card_with,
    compose,
    press,
    progress_ends,
    received,
    rows,
    say,
)

pytestmark = pytest.mark.e2e
STORY = "【先进事迹】综合窗口刘芳同志全年受理业务 3,200 件，零差错、零投诉。"


async def _to_hall(b: Bureau) -> int:
    """Audience: the hall and the window under it; returns the preview card's id."""
    await press(b, b.admin, "按单位")
    await press(b, b.admin, "政务大厅（H01）")
    return card_with(b.admin, "✅ 确认发送（4 人）").message_id


async def test_by_unit_with_its_child_every_recipient_once(bc_bureau: Bureau) -> None:
    b = bc_bureau
    async with b.bot():
        await compose(b, STORY)
        assert "请选择接收范围" in (b.admin.last_bot_message.text or "")  # type: ignore[union-attr]
        card_id = await _to_hall(b)
        shown = [e for e in b.admin.chat if e.from_bot]
        preview, card = shown[-2], shown[-1]
        assert preview.text == STORY and preview.buttons == []  # exactly what recipients get
        assert "接收范围：政务大厅 及其下级单位" in (card.text or "")
        assert "收件人数：4 人" in (card.text or "")
        toast = await press(b, b.admin, "✅ 确认发送（4 人）")
        assert toast.get("text") in (None, "")
        final = await progress_ends(b, card_id, "✅ 广播")
        assert "共 4 人：4 人已收到 · 0 人已屏蔽 · 0 条失败" in (final.text or "")
        assert final.buttons == []
    for key in ("hall-0", "hall-1", "window-0", "window-1"):
        assert len(received(b.people[key], STORY)) == 1, b.people[key].transcript()
    for key in ("office-0", "clerk"):
        assert received(b.people[key], STORY) == []
    assert b.emulator.stats.duplicates() == {}
    assert sorted(r.state for r in await rows(b)) == ["sent"] * 4


async def test_a_photo_goes_first_by_its_file_id(bc_bureau: Bureau) -> None:
    b = bc_bureau
    async with b.bot():
        await compose(b, STORY, photo=True)
        await press(b, b.admin, "全体已绑定人员")
        photos = [e for e in b.admin.chat if e.from_bot and e.kind == "photo"]
        assert len(photos) == 1  # the preview's
        card_id = card_with(b.admin, "✅ 确认发送（7 人）").message_id
        await press(b, b.admin, "✅ 确认发送（7 人）")
        final = await progress_ends(b, card_id, "✅ 广播")
        assert "共 7 人：7 人已收到" in (final.text or "")
    for key in ("clerk", "hall-0", "window-1", "office-0"):
        chat = [e for e in b.people[key].chat if e.from_bot]
        assert [e.kind for e in chat] == ["photo", "text"], b.people[key].transcript()
        assert chat[0].file_id == photos[0].file_id
        assert chat[1].text == STORY


async def test_blocked_recipients_are_skipped_and_counted(bc_bureau: Bureau) -> None:
    b = bc_bureau
    b.people["hall-0"].block()
    async with b.bot():
        await compose(b, STORY)
        card_id = await _to_hall(b)
        await press(b, b.admin, "✅ 确认发送（4 人）")
        final = await progress_ends(b, card_id, "✅ 广播")
    assert "共 4 人：3 人已收到 · 1 人已屏蔽 · 0 条失败" in (final.text or "")
    assert received(b.people["hall-0"], STORY) == []
    async with b.sessions() as session:
        blocked = await session.get(Staff, b.ids["hall-0"])
        assert blocked is not None and blocked.blocked_bot_at is not None


async def test_a_non_admin_is_refused_and_forged_buttons_change_nothing(
    bc_bureau: Bureau,
) -> None:
    b = bc_bureau
    async with b.bot():
        refused = await say(b, b.people["clerk"], "/broadcast")
        assert refused.text == "只有管理员可以发送广播。"
        await compose(b, STORY)
        await press(b, b.admin, "全体已绑定人员")
        confirm = card_with(b.admin, "✅ 确认发送（7 人）").callback_data("✅ 确认发送（7 人）")
        assert confirm is not None
        clerk = b.people["clerk"]
        await clerk.press_data(confirm)  # the admin's button, forged by someone else
        assert "只有管理员" in (await clerk.wait_for_toast()).get("text", "")
        await clerk.press_data("bc:1:go:ZZZ:extra")  # malformed
        assert (await clerk.wait_for_toast()).get("text")
        bid = int(confirm.split(":")[1])
        await b.admin.press_data(f"bc:{bid}:go:000000000000")  # not the preview's fingerprint
        assert "已经改变" in (await b.admin.wait_for_toast()).get("text", "")
    assert await rows(b) == []  # every press answered, each after its (refused) handling
    assert received(clerk, STORY) == []


async def test_a_double_tap_on_confirm_sends_one_broadcast(bc_bureau: Bureau) -> None:
    b = bc_bureau
    async with b.bot():
        await compose(b, STORY)
        await press(b, b.admin, "全体已绑定人员")
        card = card_with(b.admin, "✅ 确认发送（7 人）")
        data = card.callback_data("✅ 确认发送（7 人）")
        assert data is not None
        first = await b.admin.press_data(data)
        second = await b.admin.press_data(data)
        # Each press is answered after it is handled: once both are, the second has done
        # all it will (the answers say which one found the broadcast already confirmed).
        await b.admin.wait_until(
            lambda: {first, second} <= {t["query_id"] for t in b.admin.toasts},
            what="both presses answered")
        texts = [t.get("text") for t in b.admin.toasts]
        assert any("已经确认发送" in (t or "") for t in texts), texts
        await progress_ends(b, card.message_id, "✅ 广播")
        other = await say(b, b.admin, "你好")  # no draft waiting: text goes on to /apply's
        assert other.text != "已收到广播内容。请选择接收范围：" and not other.labels
    async with b.sessions() as session:
        sent = list(await session.scalars(select(Broadcast).where(Broadcast.state == "done")))
    assert len(sent) == 1 and sent[0].total == 7
    assert len(await rows(b)) == 7
    for key, person in b.people.items():
        expected = 2 if key == "admin" else 1  # the admin saw the preview too
        assert len(received(person, STORY)) == expected, person.transcript()


async def test_an_admin_removed_meanwhile_cannot_send(bc_bureau: Bureau) -> None:
    """The chat's view of the admin may be seconds old (a role swapped for another keeps
    the roster's shape, so the bot's cache of people keeps it up to its TTL); the sending
    re-reads the person and refuses once they are no longer an admin."""
    b = bc_bureau
    async with b.bot():
        await compose(b, STORY)
        await press(b, b.admin, "全体已绑定人员")
        card_with(b.admin, "✅ 确认发送（7 人）")
        async with b.sessions.begin() as session:  # e.g. a roster import elsewhere
            admin = await session.scalar(select(Staff.id).where(
                Staff.telegram_user_id == b.admin.user.id))
            await session.execute(update(StaffRole).where(
                StaffRole.staff_id == admin, StaffRole.role == "admin").values(role="staff"))
        toast = await press(b, b.admin, "✅ 确认发送（7 人）")
        assert toast["show_alert"] and "只有管理员" in toast["text"]
    async with b.sessions() as session:
        assert list(await session.scalars(select(Broadcast.state))) == ["draft"]


async def test_cancel_ends_a_waiting_draft_and_the_next_text_is_not_its_content(
        bc_bureau: Bureau) -> None:
    b = bc_bureau
    async with b.bot():
        await say(b, b.admin, "/broadcast")
        assert "请直接发送广播正文" in (b.admin.last_bot_message.text or "")  # type: ignore[union-attr]
        await b.admin.send_text("/cancel")
        ended = await b.admin.wait_for_text("已放弃正在编写的广播")
        assert ended.text == "已放弃正在编写的广播，没有发送给任何人。"
        await b.admin.send_text(STORY)
        later = await b.admin.wait_for_text("如需申报，请发送 /apply")  # text goes on to /apply's
        assert "请选择接收范围" not in (later.text or "") and not later.labels
    async with b.sessions() as session:
        drafts = list(await session.scalars(select(Broadcast)))
    assert [d.state for d in drafts] == ["discarded"]
    assert await rows(b) == []
