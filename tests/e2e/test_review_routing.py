"""Who gets the card: a leader's own nomination goes up to the leader above; a deputy
signs for an absent leader (委办), and the timeline says so; /queue for 督查科."""

from __future__ import annotations

from sqlalchemy import select

from awardbot.db.models import AuditEvent, Notification
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import press, say
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap,
    tap_data,
)


async def _card_chats(h: Harness, nomination_id: int) -> list[int]:
    async with h.sessions() as session:
        return sorted(await session.scalars(select(Notification.chat_id).where(
            Notification.dedupe_key.like(f"rv:card:{nomination_id}:%"))))


async def test_a_leaders_own_nomination_goes_to_the_leader_above(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9901)  # the only leader of 不动产窗口
    zhou = await h.bound_person("L09", 9902)  # leads the centre above it
    row = await submit_sanniu(h, sun)
    assert await _card_chats(h, row.id) == [9902]
    refused = await tap_data(h, sun, f"rv:{row.id}:d0:ok")
    assert refused["text"] == "您无权处理这份申报。"
    await deliver(h)
    await tap(h, zhou, "✅ 同意")
    assert await state_of(h, row.id) == "dept_approved"


async def test_a_deputy_signs_for_the_leader(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9911)
    wu = await h.bound_person("2004", 9912)
    zheng = await h.bound_person("2005", 9913)
    usage = await say(h, wu, "/delegate 2005 2026-11-20 2026-12-31")
    assert "只有部门领导" in (usage.text or "")
    bad = await say(h, sun, "/delegate 2004 2026-12-31 2026-11-20")
    assert "结束日期不能早于" in (bad.text or "")
    past = await say(h, sun, "/delegate 2004 2026-11-20 2026-12-31")  # today is 11-25
    assert "开始日期 2026-11-20 已经过去，委托只能从今天（2026-11-25）或以后开始" in (
        past.text or "")
    done = await say(h, sun, "/delegate 2004 2026-11-25 2026-12-31")
    assert "已委托 吴刚 于 2026-11-25 至 2026-12-31" in (done.text or "")
    await deliver(h)
    assert "孙丽 已委托您" in (wu.last_bot_message.text or "")  # type: ignore[union-attr]

    row = await submit_sanniu(h, zheng)
    assert await _card_chats(h, row.id) == [9912]  # the deputy, not the leader
    await deliver(h)
    await tap(h, wu, "✅ 同意")
    assert await state_of(h, row.id) == "dept_approved"
    async with h.sessions() as session:
        event = await session.scalar(select(AuditEvent).where(
            AuditEvent.action == "review.approved", AuditEvent.subject_id == row.id))
    assert event is not None
    assert event.data["note"] == "signed by deputy 吴刚 for leader 孙丽"
    await deliver(h)  # the applicant's note, before she asks
    timeline = await say(h, zheng, f"/history {row.ref}")
    assert "吴刚（代 孙丽） 部门领导签批同意" in (timeline.text or "")

    cancelled = await say(h, sun, "/delegate cancel")
    assert "已取消" in (cancelled.text or "")
    later = await submit_sanniu(h, zheng, award="老黄牛奖（艰苦奋斗）")
    assert await _card_chats(h, later.id) == [9911]
    refused = await tap_data(h, wu, f"rv:{later.id}:d1:ok")
    assert refused["text"] == "您无权处理这份申报。"


async def test_supervision_queue_lists_and_opens_cards(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9921)
    chen = await h.bound_person("L01", 9922)
    zhao = await h.bound_person("S01", 9923)
    empty = await say(h, zhao, "/queue")
    assert "没有等待您处理" in (empty.text or "")
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await tap(h, chen, "✅ 同意")
    await deliver(h)  # 督查科's card, before 赵敏 asks for her queue
    listing = await say(h, zhao, "/queue")
    assert "共 1 份" in (listing.text or "")
    assert "三牛奖 2026Q4 · 孺子牛奖：1 份" in (listing.text or "")
    opened = await press(h, zhao, f"打开 {row.ref} 刘芳（综合受理窗口）")
    assert "待督查科审核" in (opened.text or "")
    assert opened.labels[:2] == ["✅ 审核通过", "↩️ 退回修改"]
    assert any(m.kind == "photo" for m in zhao.bot_messages)  # the evidence went along
    await tap(h, zhao, "✅ 审核通过")
    assert await state_of(h, row.id) == "checked"
    await deliver(h)
    assert "没有等待您处理" in ((await say(h, zhao, "/queue")).text or "")
    chen_queue = await say(h, chen, "/queue")
    assert "没有等待您处理" in (chen_queue.text or "")
