"""Bare /delegate as buttons (委办): the current delegation, a deputy chosen from the
leader's units or by part of a name, a period picked or typed, a single-use confirmation,
ending early, /cancel mid-way; and a non-leader refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from awardbot.db.models import AuditEvent, Delegation, Notification, Staff
from awardbot.emulator import Person
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import press, say
from tests.e2e.review_fixtures import (
    deliver,
    submit_sanniu,
    tap_data,
)

PICK = "请选择代签人"
PERIOD = "请选择委托期间"
CONFIRM = "✅ 确定委托"


async def _delegations(h: Harness) -> list[Delegation]:
    async with h.sessions() as session:
        return list(await session.scalars(select(Delegation).order_by(Delegation.id)))


async def _audits(h: Harness, action: str) -> int:
    async with h.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action)) or 0)


async def _to_deputy_list(h: Harness, sun: Person) -> None:
    shown = await say(h, sun, "/delegate", expect="您目前没有生效或待生效的委托")
    assert shown.labels == ["委托他人代签"]
    await press(h, sun, "委托他人代签", expect=PICK)


async def test_the_buttons_make_a_delegation_that_routes_cards(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9931)
    wu = await h.bound_person("2004", 9932)
    zheng = await h.bound_person("2005", 9933)
    await _to_deputy_list(h, sun)
    listed = sun.last_bot_message
    assert listed is not None
    assert "吴刚（不动产窗口）" in listed.labels and "郑洁（不动产窗口）" in listed.labels
    assert "孙丽（不动产窗口）" not in listed.labels  # not oneself
    periods = await press(h, sun, "吴刚（不动产窗口）", expect=PERIOD)
    assert periods.labels == ["今天", "今天起 3 天", "今天起一周", "自定义", "取消"]
    asked = await press(h, sun, "今天起一周", expect="确定委托 吴刚（不动产窗口）")
    assert "2026-11-25 至 2026-12-01" in (asked.text or "")
    await press(h, sun, CONFIRM, expect="已委托 吴刚 于 2026-11-25 至 2026-12-01 代您签批")
    await deliver(h)
    await wu.wait_for_text("孙丽 已委托您于 2026-11-25 至 2026-12-01 代其签批")
    assert await _audits(h, "delegation.created") == 1

    row = await submit_sanniu(h, zheng)
    async with h.sessions() as session:
        chats = sorted(await session.scalars(select(Notification.chat_id).where(
            Notification.dedupe_key.like(f"rv:card:{row.id}:%"))))
    assert chats == [9932]  # the deputy, not the leader

    again = await say(h, sun, "/delegate", expect="您的委托")
    assert "吴刚: 2026-11-25 – 2026-12-01" in (again.text or "")
    assert again.labels == ["委托他人代签", "结束委托"]


async def test_a_deputy_found_by_part_of_a_name(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9941)
    await _to_deputy_list(h, sun)
    missing = await say(h, sun, "无名氏", expect="没有找到“无名氏”")
    assert "请重新输入" in (missing.text or "")
    found = await say(h, sun, "刘", expect="找到以下人员")
    assert "刘芳（综合受理窗口）" in found.labels  # beyond her own units, found by name
    await press(h, sun, "刘芳（综合受理窗口）", expect="代签人：刘芳（综合受理窗口）")
    await press(h, sun, "今天", expect="2026-11-25 至 2026-11-25")
    await press(h, sun, CONFIRM, expect="已委托 刘芳")
    [made] = await _delegations(h)
    async with h.sessions() as session:
        liu = await session.scalar(select(Staff.id).where(Staff.staff_no == "2001"))
    assert made.deputy_id == liu
    assert made.starts_on == made.ends_on == date(2026, 11, 25)


async def test_custom_dates_with_a_bad_range_are_asked_again(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9951)
    await _to_deputy_list(h, sun)
    await press(h, sun, "郑洁（不动产窗口）", expect=PERIOD)
    await press(h, sun, "自定义", expect="请输入委托的开始和结束日期")
    await sun.send_photo(caption="日期")
    await sun.wait_for_text("正在设置委托期间")  # the prompt's own answer to a photo
    backwards = await say(h, sun, "2026-12-15 2026-12-10", expect="结束日期不能早于开始日期")
    assert "请输入委托的开始和结束日期" in (backwards.text or "")
    past = await say(h, sun, "11-20 11-30", expect="开始日期 2026-11-20 已经过去")
    assert "请输入委托的开始和结束日期" in (past.text or "")
    assert await _delegations(h) == []
    asked = await say(h, sun, "12-10 12-15", expect="确定委托 郑洁（不动产窗口）")
    assert "2026-12-10 至 2026-12-15" in (asked.text or "")
    await press(h, sun, CONFIRM, expect="已委托 郑洁 于 2026-12-10 至 2026-12-15")
    [made] = await _delegations(h)
    assert (made.starts_on, made.ends_on) == (date(2026, 12, 10), date(2026, 12, 15))


async def test_cancel_ends_the_typed_step(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9961)
    await _to_deputy_list(h, sun)
    await sun.send_sticker()
    await sun.wait_for_text("正在选择代签人")  # the prompt's own answer to a sticker
    await say(h, sun, "/cancel", expect="已退出委托设置，委托未作更改")
    after = await say(h, sun, "吴刚", expect="如需申报，请发送 /apply")  # no longer a search
    assert not after.labels
    assert await _delegations(h) == []


async def test_confirm_pressed_twice_makes_one_delegation(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9971)
    await _to_deputy_list(h, sun)
    await press(h, sun, "吴刚（不动产窗口）", expect=PERIOD)
    asked = await press(h, sun, "今天起 3 天", expect="确定委托 吴刚")
    data = asked.callback_data(CONFIRM)
    assert data is not None
    await press(h, sun, CONFIRM, expect="已委托 吴刚 于 2026-11-25 至 2026-11-27")
    second = await tap_data(h, sun, data)
    assert second["text"] == "这个确认已经处理过或已失效，没有再次执行。"
    assert len(await _delegations(h)) == 1
    assert await _audits(h, "delegation.created") == 1


async def test_ending_early_asks_once(reviewing: Harness) -> None:
    h = reviewing
    sun = await h.bound_person("L03", 9981)
    await say(h, sun, "/delegate 2004 2026-11-25 2026-12-31", expect="已委托 吴刚")
    await say(h, sun, "/delegate", expect="吴刚: 2026-11-25 – 2026-12-31")
    await press(h, sun, "结束委托", expect="确定现在结束委托")
    await press(h, sun, "取消", expect="已取消，委托未作更改")
    [kept] = await _delegations(h)
    assert kept.ends_on == date(2026, 12, 31)
    await say(h, sun, "/delegate", expect="吴刚: 2026-11-25 – 2026-12-31")
    asked = await press(h, sun, "结束委托", expect="确定现在结束委托")
    data = asked.callback_data("✅ 确定结束")
    assert data is not None
    await press(h, sun, "✅ 确定结束", expect="已取消您的委托")
    [ended] = await _delegations(h)
    assert ended.ends_on == date(2026, 11, 24)  # inactive from today
    again = await tap_data(h, sun, data)
    assert again["text"] == "这个确认已经处理过或已失效，没有再次执行。"
    assert await _audits(h, "delegation.cancelled") == 1
    shown = await say(h, sun, "/delegate", expect="您目前没有生效或待生效的委托")
    assert shown.labels == ["委托他人代签"]


async def test_a_non_leader_is_refused(reviewing: Harness) -> None:
    h = reviewing
    wu = await h.bound_person("2004", 9991)
    refused = await say(h, wu, "/delegate", expect="只有部门领导可以委托他人代签")
    assert not refused.labels
    forged = await tap_data(h, wu, "dg:new")
    assert forged["text"] == "只有部门领导可以委托他人代签。"
    assert await _delegations(h) == []
