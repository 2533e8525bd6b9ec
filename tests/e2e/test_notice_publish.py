"""/publish in chat: the admin previews and confirms; everyone and the channel receive the
notice; it closes on the right day at 17:30 and announces the final list once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from awardbot.db.models import AuditEvent, Notice
from awardbot.workflow.notice import close as notice_close
from tests.e2e.notice_fixtures import (
    BEFORE_NATIONAL_DAY,
    Bureau,
    last_with,
    press,
    round_with,
    states,
    texts_for,
)

CLOSES = datetime(2026, 10, 10, 9, 30, tzinfo=UTC)  # Saturday 10 Oct 2026, 17:30 Shanghai


async def _decided(b: Bureau) -> list[int]:
    ids = b.ids
    sanniu = await round_with(b.h.sessions, "sanniu", "2026Q3", "decided", [
        ("laohuang_niu", ids["2001"], None, ids["2001"]),
        ("ruzi_niu", ids["2002"], None, ids["3001"]),
        ("ruzi_niu", ids["3002"], None, ids["3002"]),
    ], now=BEFORE_NATIONAL_DAY)
    hall = await round_with(b.h.sessions, "hall", "2025", "decided", [
        ("hall", None, ids["unit:hall"], ids["2003"]),
    ], now=BEFORE_NATIONAL_DAY, ranking={1: {"rank": 1, "tier": "zuimei_hall"}})
    return sanniu + hall


async def test_publish_before_national_day_and_close_on_the_working_saturday(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    b.h.clock.now = BEFORE_NATIONAL_DAY
    nominations = await _decided(b)
    admin = b.people["A01"]
    listing = await admin.ask_text("/publish")
    assert listing.labels == ["三牛奖 2026Q3", "最美政务大厅、优秀政务大厅评选 2025"]
    await press(b, admin, "三牛奖 2026Q3")
    preview = admin.chat[-1]
    assert preview.message_id == listing.message_id  # the list became the preview
    text = preview.text or ""
    assert "公示期：2026-10-08 至 2026-10-10，2026-10-10 17:30 截止" in text
    assert text.index("【孺子牛奖】2 名") < text.index("【老黄牛奖】1 名")
    assert "张伟（综合受理窗口）" in text and "赵敏（审批一科）" in text
    assert preview.labels == ["✅ 确认发布", "取消"]
    await press(b, admin, "✅ 确认发布")
    assert "公示已发布：3 个对象，已通知 7 人" in (last_with(admin, "公示已发布").text or "")
    assert await states(b.h.sessions, nominations[:3]) == ["on_notice"] * 3
    assert await states(b.h.sessions, nominations[3:]) == ["decided"]  # the hall round waits

    await b.deliver()
    seen = last_with(b.people["3001"], "评优公示")
    assert "三牛奖 2026Q3" in (seen.text or "") and seen.labels == ["提出异议"]
    posted = last_with(b.channel, "评优公示")  # type: ignore[arg-type]  # (its PDF follows)
    assert posted.labels == []

    # The same confirmation pressed again is refused and changes nothing.
    replayed = preview.callback_data("✅ 确认发布")
    assert replayed is not None
    await admin.press_data(replayed)
    toast = await admin.wait_for_toast()
    assert toast["show_alert"] and "已经发布" in toast["text"]
    assert len(await texts_for(b.h.sessions, "notice.published")) == 8

    # The hall tier is what the notice names.
    await admin.ask_text("/publish")
    await press(b, admin, "最美政务大厅、优秀政务大厅评选 2025")
    hall_preview = last_with(admin, "确认发布吗").text or ""
    assert "【最美政务大厅】1 名\n  1. 周庄分中心大厅" in hall_preview
    await press(b, admin, "取消")
    assert last_with(admin, "公示未发布")

    # 17:29 on the Saturday nothing closes; at 17:30 everything does, once.
    assert await notice_close.close_due_notices(b.svc, CLOSES - timedelta(minutes=1)) == []
    [report] = await notice_close.close_due_notices(b.svc, CLOSES)
    assert report.closed and sorted(report.awarded) == sorted(nominations[:3])
    assert await notice_close.close_due_notices(b.svc, CLOSES) == []
    await b.deliver()
    final = last_with(b.people["2003"], "公示结束")
    assert "以下 3 个对象正式获得表彰" in (final.text or "")
    assert last_with(b.channel, "公示结束")  # type: ignore[arg-type]
    assert len(await texts_for(b.h.sessions, "notice.final")) == 8
    async with b.h.sessions() as session:
        closed = await session.scalar(select(Notice).where(Notice.state == "closed"))
        assert closed is not None and closed.closes_at == CLOSES
        actions = list(await session.scalars(select(AuditEvent.action)))
    assert actions.count("nomination.awarded") == 3 and actions.count("notice.closed") == 1


async def test_a_year_without_official_calendar_is_refused_to_the_admin(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    b.h.clock.now = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
    nominations = await _decided(b)
    admin = b.people["A01"]
    await admin.ask_text("/publish")
    toast = await press(b, admin, "三牛奖 2026Q3")
    assert toast["show_alert"]
    assert "2027 年的官方工作日安排" in toast["text"] and "导入" in toast["text"]
    assert await states(b.h.sessions, nominations) == ["decided"] * 4


async def test_publish_is_for_admins_only(bureau_bot: Bureau) -> None:
    b = bureau_bot
    await _decided(b)
    answer = await b.people["2001"].ask_text("/publish")
    assert "只有管理员" in (answer.text or "")
