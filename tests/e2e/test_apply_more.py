"""最美政务人 by a colleague, the nominee declining, drafts across a restart, deadlines,
withdrawal and duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awardbot.bot.app import build_application
from awardbot.bot.local import polling
from awardbot.db.models import Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import (
    PNG,
    bureau,
    open_rounds,
    press,
    say,
    start_sanniu,
    submit,
)


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    await bureau(harness)
    await open_rounds(harness)
    return harness


async def _staff_draft_to_evidence(h: Harness, person, nominee: str) -> None:  # type: ignore[no-untyped-def]
    await say(h, person, "/apply")
    await press(h, person, "申报最美政务人")
    await press(h, person, "推荐同事")
    await say(h, person, nominee, expect="分别填写")  # "已选择：…", then the next step
    await press(h, person, "分项填写")
    for text in ("政治坚定，服务意识强。", "业务熟练，审批规范高效。",
                 "文明服务，无有效投诉。", "窗口标兵，技能竞赛一等奖。"):
        await say(h, person, text)


async def test_zuimei_staff_for_a_colleague_who_then_declines(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8201)
    zhang = await ready.bound_person("2002", 8202)
    await _staff_draft_to_evidence(ready, liu, "张伟")
    await liu.send_photo(PNG)
    await liu.wait_for_bot(2)
    preview = await press(ready, liu, "完成上传 ✅")
    assert "张伟（综合受理窗口）" in (preview.text or "")
    assert "【业务精通】业务熟练" in (preview.text or "")
    await press(ready, liu, "✅ 提交申报")
    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None and row.state == "submitted"
    told = await zhang.wait_for_bot()  # the sender delivers the outbox notification
    assert "推荐您参评" in (told[0].text or "") and told[0].labels == ["谢绝推荐"]
    declined = await press(ready, zhang, "谢绝推荐")
    assert "您已谢绝" in (declined.text or "")
    async with ready.sessions() as session:
        assert (await session.get_one(Nomination, row.id)).state == "declined"


async def test_a_draft_survives_a_restart_mid_walkthrough(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8301)
    await start_sanniu(ready, liu, "拓荒牛奖（创新发展）")
    await press(ready, liu, "⬜ 条件2")
    await ready.app.updater.stop()  # type: ignore[union-attr]
    await ready.app.stop()
    fresh = build_application(ready.settings, clock=ready.clock)
    async with polling(fresh):
        await press(ready, liu, "下一步 ➡️")
        reply = await say(ready, liu, "提出的“预约延时办”金点子被中心采纳。")
        assert "佐证材料" in (reply.text or "")
    await ready.app.start()
    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None
        assert (row.award, row.criteria, row.step) == ("tuohuang_niu", [2], "evidence")


async def test_cancel_then_resume_keeps_every_answer(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8401)
    await start_sanniu(ready, liu, "老黄牛奖（艰苦奋斗）")
    cancelled = await say(ready, liu, "/cancel")
    assert "已取消" in (cancelled.text or "")
    stray = await say(ready, liu, "随便说点什么")
    assert "/apply" in (stray.text or "")
    listing = await say(ready, liu, "/mydrafts")
    assert "老黄牛奖" in (listing.text or "")
    resumed = await press(ready, liu, "继续填写")
    assert "勾选" in (resumed.text or "")


async def test_after_the_deadline_nothing_can_be_submitted(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8501)
    await start_sanniu(ready, liu)
    ready.clock.advance(timedelta(days=30))
    await liu.press("孺子牛奖（为民服务）")
    said = await liu.wait_for_text("截止")  # a message that stays, not a popup
    assert "已于" in (said.text or "") and "/mydrafts" in (said.text or "")
    assert not (await liu.wait_for_toast()).get("show_alert")
    listing = await say(ready, liu, "/mydrafts")
    assert "仅供查看" in (listing.text or "")
    assert listing.labels == []


async def test_withdraw_before_the_leader_acts(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8601)
    await _submit_sanniu(ready, liu)
    listing = await say(ready, liu, "/mynominations")
    assert "撤回申报" in listing.labels
    await press(ready, liu, "撤回申报", expect="确定撤回申报")
    withdrawn = await press(ready, liu, "确定撤回")
    assert "已撤回" in (withdrawn.text or "")
    again = await _submit_sanniu(ready, liu)
    assert "SN-2026Q4-0002" in again


async def test_a_second_nomination_for_the_same_award_is_not_offered(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8701)
    await _submit_sanniu(ready, liu)
    asked = await start_sanniu(ready, liu)  # the award question, once the subject is chosen
    assert "请选择申报的奖项" in (asked.text or "")
    assert "孺子牛奖（为民服务）" not in asked.labels  # only what may be applied for
    assert asked.labels == ["拓荒牛奖（创新发展）", "老黄牛奖（艰苦奋斗）"]
    assert "孺子牛奖：本轮已有同一奖项的申报（SN-2026Q4-0001）" in (asked.text or "")
    # An old button for it (from before) is refused at once, in a message that stays.
    old = asked.callback_data("拓荒牛奖（创新发展）")
    assert old is not None
    await liu.press_data(old.replace("tuohuang_niu", "ruzi_niu"))
    refused = await liu.wait_for_text("不能重复申报")
    assert "SN-2026Q4-0001" in (refused.text or "") and "请选择其他奖项" in (refused.text or "")
    def asked_again() -> bool:  # the question again, with the open ones only
        last = liu.last_bot_message
        return last is not None and "拓荒牛奖（创新发展）" in last.labels

    await liu.wait_until(asked_again, what="the award question again")
    assert liu.last_bot_message.labels == ["拓荒牛奖（创新发展）", "老黄牛奖（艰苦奋斗）"]  # type: ignore[union-attr]
    criteria = await press(ready, liu, "拓荒牛奖（创新发展）", expect="勾选")
    assert "拓荒牛奖" in (criteria.text or "")


async def test_ineligible_staff_see_why(ready: Harness) -> None:
    low = await ready.bound_person("2003", 8801)
    menu = await say(ready, low, "/apply")
    assert "⛔ 孺子牛奖" in (menu.text or "") and "85" in (menu.text or "")


async def _submit_sanniu(h: Harness, person) -> str:  # type: ignore[no-untyped-def]
    await start_sanniu(h, person, "孺子牛奖（为民服务）")
    await press(h, person, "⬜ 条件1")
    await press(h, person, "下一步 ➡️")
    await say(h, person, "事迹")
    await person.send_photo(PNG)
    await person.wait_for_bot(2)
    await press(h, person, "完成上传 ✅")
    await submit(h, person)
    return "\n".join(m.text or "" for m in person.bot_messages[-3:])
