"""Acts that cannot be undone ask "确定…？" first, and their confirm acts once: pressed
twice, or pressed after going back, it is answered as spent and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from awardbot.db.models import AuditEvent, Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, press, say, start_sanniu
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap_data,
)

SPENT = "这个确认已经处理过或已失效，没有再次执行。"


async def test_withdrawing_asks_once_and_its_confirm_acts_once(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9901)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await say(h, liu, "/mynominations")
    asked = await press(h, liu, "撤回申报", expect="确定撤回申报")
    assert f"确定撤回申报 {row.ref}？" in (asked.text or "")
    assert await state_of(h, row.id) == "submitted"  # nothing happens before the confirm
    back = await press(h, liu, "返回", expect="已返回")
    assert back.labels == []
    stale = await tap_data(h, liu, f"mn:{row.id}:mnok")  # the old confirm, after going back
    assert stale["text"] == SPENT
    assert await state_of(h, row.id) == "submitted"
    await say(h, liu, "/mynominations")
    await press(h, liu, "撤回申报", expect="确定撤回申报")
    done = await press(h, liu, "确定撤回", expect="已撤回")
    assert "已撤回" in (done.text or "")
    again = await tap_data(h, liu, f"mn:{row.id}:mnok")  # pressed twice
    assert again["text"] == SPENT
    async with h.sessions() as session:
        events = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "nomination.withdrawn"))
    assert events == 1


async def test_deleting_a_draft_asks_once_and_its_confirm_acts_once(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9911)
    await start_sanniu(h, liu, "孺子牛奖（为民服务）")
    await say(h, liu, "/cancel", expect="已取消")
    await say(h, liu, "/mydrafts")
    asked = await press(h, liu, "删除草稿", expect="确定删除这份草稿")
    assert asked.labels == ["确定删除", "返回"]
    async with h.sessions() as session:
        draft = await session.scalar(select(Nomination).where(Nomination.state == "draft"))
    assert draft is not None
    await press(h, liu, "确定删除", expect="草稿已删除")
    assert await state_of(h, draft.id) == "discarded"
    again = await tap_data(h, liu, f"dr:{draft.id}:drok")
    assert again["text"] == SPENT


async def test_deleting_from_the_preview_asks_once_and_its_confirm_acts_once(
        reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9921)
    await start_sanniu(h, liu, "孺子牛奖（为民服务）")
    await press(h, liu, "⬜ 条件1")
    await press(h, liu, "下一步 ➡️")
    await say(h, liu, "坚持延时服务，收到锦旗。")
    await liu.send_photo(PNG, caption="锦旗")
    await liu.wait_for_bot(2)
    preview = await press(h, liu, "完成上传 ✅")
    assert "🗑 删除草稿" in preview.labels
    asked = await press(h, liu, "🗑 删除草稿", expect="确定删除这份草稿")
    assert asked.labels == ["确定删除", "返回"]
    confirm = asked.callback_data("确定删除")
    async with h.sessions() as session:
        draft = await session.scalar(select(Nomination).where(Nomination.state == "draft"))
    assert draft is not None  # nothing happens before the confirm
    again = await press(h, liu, "返回", expect="已返回，草稿保留")
    assert "✅ 提交申报" in again.labels  # the preview, to go on from
    assert (await tap_data(h, liu, confirm))["text"] == SPENT  # the old confirm, after back
    assert await state_of(h, draft.id) == "draft"
    await press(h, liu, "🗑 删除草稿", expect="确定删除这份草稿")
    await press(h, liu, "确定删除", expect="草稿已删除")
    assert await state_of(h, draft.id) == "discarded"
    assert (await tap_data(h, liu, confirm))["text"] == SPENT  # pressed twice
