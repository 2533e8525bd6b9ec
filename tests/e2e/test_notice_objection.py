"""Objections in chat: raised from the notice's button with evidence, decided by the
supervision section with a reason; the upheld nominee drops out of the final list, the
dismissed one is awarded, and only the supervision section ever sees who objected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from awardbot.db.models import AuditEvent, Notice, Objection
from awardbot.workflow.notice import close as notice_close
from awardbot.workflow.notice import publish as notice
from tests.e2e.intake_fixtures import PNG
from tests.e2e.notice_fixtures import (
    BEFORE_NATIONAL_DAY,
    Bureau,
    last_with,
    press,
    round_with,
    say,
    states,
)

CLOSES = datetime(2026, 10, 10, 9, 30, tzinfo=UTC)
LIU = "刘芳（综合受理窗口）｜最美政务人"
ZHANG = "张伟（综合受理窗口）｜最美政务人"


async def _on_notice(b: Bureau) -> list[int]:
    b.h.clock.now = BEFORE_NATIONAL_DAY
    ids = b.ids
    nominations = await round_with(b.h.sessions, "zuimei_staff", "2026", "decided", [
        ("zuimei_staff", ids["2001"], None, ids["2001"]),
        ("zuimei_staff", ids["2002"], None, ids["3001"]),
    ], now=BEFORE_NATIONAL_DAY)
    async with b.h.sessions() as session:
        from awardbot.db.models import Nomination
        round_id = (await session.get_one(Nomination, nominations[0])).round_id
    await notice.publish(b.svc, ids["A01"], round_id, BEFORE_NATIONAL_DAY)
    await b.deliver()
    return nominations


async def _object(b: Bureau, who: str, target: str, text: str, *, photo: bool) -> None:
    person = b.people[who]
    await press(b, person, "提出异议")
    await press(b, person, target)
    asked = person.chat[-1]
    assert "请用文字写明异议内容" in (asked.text or "") and "仅督查科可见" in (asked.text or "")
    reply = await say(b, person, text)
    assert "已记录异议内容" in (reply.text or "")
    if photo:
        await person.send_photo(PNG, caption="现场照片")
        got = await person.wait_for_bot()
        assert "已收到第 1 份材料" in (got[0].text or "")
    await press(b, person, "下一步 ➡️")
    preview = person.chat[-1]
    assert text in (preview.text or "") and f"材料：{1 if photo else 0} 份" in (preview.text or "")
    await press(b, person, "✅ 提交异议")
    assert "异议已提交" in (person.chat[-1].text or "")


async def _rule(b: Bureau, card_needle: str, button: str, reason: str) -> None:
    supervisor = b.people["D01"]
    card = last_with(supervisor, card_needle)
    await press(b, supervisor, button, card)
    assert "请发送理由" in (supervisor.chat[-1].text or "")
    done = await say(b, supervisor, reason)
    assert "已记录" in (done.text or "")


async def test_upheld_drops_out_dismissed_is_awarded_objector_stays_anonymous(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    liu, zhang = await _on_notice(b)
    b.h.clock.now = BEFORE_NATIONAL_DAY + timedelta(days=8)  # Thursday 8 Oct, on notice
    await _object(b, "2003", LIU, "该同志今年有群众有效投诉，不符合条件。", photo=True)
    await _object(b, "3002", ZHANG, "对材料真实性有疑问。", photo=False)
    await b.deliver()

    supervisor = b.people["D01"]
    card = last_with(supervisor, "该同志今年有群众有效投诉")
    assert "异议人：杨洋（综合受理窗口）— 仅督查科可见" in (card.text or "")
    assert card.labels == ["异议成立", "异议不成立"]
    assert any(e.kind == "photo" for e in supervisor.chat)  # the evidence came along
    for staff_no in ("A01", "2001", "2002", "3001"):  # nobody else sees the objectors
        seen = b.people[staff_no].transcript()
        assert "杨洋（综合受理窗口）" not in seen and "赵敏" not in seen

    # A reason is required: the buttons alone change nothing.
    await press(b, supervisor, "异议成立", card)
    async with b.h.sessions() as session:
        assert {o.state for o in await session.scalars(select(Objection))} == {"open"}
    assert "已记录" in (await say(b, supervisor, "经核实，投诉属实。")).text  # type: ignore[operator]
    await _rule(b, "对材料真实性有疑问", "异议不成立", "材料经核对无误。")
    toast = await press(b, supervisor, "异议不成立", card)  # already decided
    assert toast["show_alert"] and "已经处理：异议成立" in toast["text"]
    await b.deliver()
    told = last_with(b.people["2003"], "结论")
    assert "结论：异议成立" in (told.text or "") and "投诉属实" in (told.text or "")  # and why
    assert "结论：异议不成立" in (last_with(b.people["3002"], "结论").text or "")

    b.h.clock.now = CLOSES
    [report] = await notice_close.close_due_notices(b.svc, CLOSES)
    assert (report.upheld, report.awarded, report.closed) == ([liu], [zhang], True)
    assert await states(b.h.sessions, [liu, zhang]) == ["objection_upheld", "awarded"]
    await b.deliver()
    for staff_no in ("2003", "3002", "A01"):
        final = last_with(b.people[staff_no], "公示结束").text or ""
        assert "张伟" in final and "刘芳" not in final
        assert "杨洋" not in final and "赵敏" not in final
    assert "不予表彰" in (last_with(b.people["2001"], "不予表彰").text or "")
    channel = last_with(b.channel, "公示结束").text or ""  # type: ignore[arg-type]
    assert "张伟" in channel and "刘芳" not in channel
    async with b.h.sessions() as session:
        actions = list(await session.scalars(select(AuditEvent.action)))
        objections = list(await session.scalars(select(Objection).order_by(Objection.id)))
    assert actions.count("objection.raised") == 2
    assert {"objection.upheld", "objection.dismissed", "nomination.objection_upheld",
            "notice.closed"} <= set(actions)
    assert objections[0].resolution == "经核实，投诉属实。"
    assert objections[0].attachments[0]["mime_type"] == "image/png"


async def test_objections_after_the_close_are_refused_politely(bureau_bot: Bureau) -> None:
    b = bureau_bot
    await _on_notice(b)
    person = b.people["3001"]
    b.h.clock.now = BEFORE_NATIONAL_DAY + timedelta(days=9)
    await press(b, person, "提出异议")
    await press(b, person, LIU)
    b.h.clock.now = CLOSES  # the period ends while they write
    refused = await say(b, person, "迟到的异议")
    assert "不再受理异议" in (refused.text or "")
    toast = await press(b, person, "提出异议")
    assert toast["show_alert"] and "公示已于 2026-10-10 17:30 截止，不再受理异议" in toast["text"]
    answer = await person.ask_text("/objection")
    assert "没有正在公示的名单" in (answer.text or "")
    async with b.h.sessions() as session:
        assert await session.scalar(select(Objection.state)) == "draft"
        await notice_close.close_due_notices(b.svc, CLOSES)
    async with b.h.sessions() as session:
        assert await session.scalar(select(Objection.state)) == "lapsed"
        assert await session.scalar(select(Notice.state)) == "closed"


async def test_text_goes_to_the_walkthrough_when_no_objection_is_written(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    await _on_notice(b)
    answer = await say(b, b.people["2002"], "你好")
    assert "/apply" in (answer.text or "")  # the application walkthrough's hint


async def test_a_supervisor_who_is_the_nominee_never_learns_who_objected(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    b.h.clock.now = BEFORE_NATIONAL_DAY
    ids = b.ids
    nominations = await round_with(b.h.sessions, "zuimei_staff", "2026", "decided", [
        ("zuimei_staff", ids["D01"], None, ids["D01"])], now=BEFORE_NATIONAL_DAY)
    async with b.h.sessions() as session:
        from awardbot.db.models import Nomination
        round_id = (await session.get_one(Nomination, nominations[0])).round_id
    await notice.publish(b.svc, ids["A01"], round_id, BEFORE_NATIONAL_DAY)
    await b.deliver()
    b.h.clock.now = BEFORE_NATIONAL_DAY + timedelta(days=8)
    await _object(b, "2003", "督查员（办公室）｜最美政务人", "该同志有违纪情况。", photo=False)
    await b.deliver()
    # The only supervisor is the nominee: the admin, who is not concerned, gets the card.
    card = last_with(b.people["A01"], "该同志有违纪情况")
    assert "异议人：杨洋（综合受理窗口）" in (card.text or "")
    assert "杨洋" not in b.people["D01"].transcript()
    assert "该同志有违纪情况" not in b.people["D01"].transcript()
    async with b.h.sessions() as session:  # a forged ruling from the nominee is refused
        objection = await session.scalar(select(Objection))
    assert objection is not None
    await b.people["D01"].press_data(f"obr:{objection.id}:uphold")
    answer = await b.people["D01"].wait_for_toast()
    assert answer["show_alert"] and "您与该申报或异议有关" in answer["text"]


async def test_cancel_ends_an_objection_being_written(bureau_bot: Bureau) -> None:
    b = bureau_bot
    await _on_notice(b)
    b.h.clock.now = BEFORE_NATIONAL_DAY + timedelta(days=8)  # on notice
    person = b.people["2003"]
    await press(b, person, "提出异议")
    await press(b, person, LIU)
    assert "请用文字写明异议内容" in (person.chat[-1].text or "")
    ended = await say(b, person, "/cancel", expect="已取消正在填写的异议")
    assert ended.text == "已取消正在填写的异议，异议未提交。"
    later = await say(b, person, "该同志今年有群众有效投诉。", expect="如需申报，请发送 /apply")
    assert "已记录异议内容" not in (later.text or "")  # not taken as the objection's text
    async with b.h.sessions() as session:
        found = list(await session.scalars(select(Objection)))
    assert [o.state for o in found] == ["cancelled"]
    assert all("群众有效投诉" not in (o.text or "") for o in found)
    assert "群众有效投诉" not in b.people["D01"].transcript()  # nothing reached the section
