"""最美政务窗口 and the hall competition: facts asked step by step, with a preliminary sheet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from awardbot.db.models import Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say, submit


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    await bureau(harness)
    await open_rounds(harness)
    return harness


async def test_window_facts_walkthrough_scores_before_submitting(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8101)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报最美政务窗口")
    await press(ready, liu, "综合受理窗口")
    await press(ready, liu, "是")  # an accident
    await press(ready, liu, "失火")
    await press(ready, liu, "否")
    await press(ready, liu, "完成")
    await say(ready, liu, "三次", n=2)  # what was wrong, then the question again
    assert "请输入一个数字" in (liu.bot_messages[-2].text or "")
    await say(ready, liu, "1")  # staffing violations
    for count in ("10", "5", "0", "0", "1"):  # ratings, very satisfied … dissatisfied
        await say(ready, liu, count)
    await say(ready, liu, "12,000")  # case volume
    await press(ready, liu, "是")  # honours
    await say(ready, liu, "省级青年文明号")
    await press(ready, liu, "省（部）级及以上")
    await press(ready, liu, "上级条线部门")
    await press(ready, liu, "完成")
    await press(ready, liu, "否")  # reports
    await press(ready, liu, "否")  # leader visits
    await press(ready, liu, "否")  # key work
    await liu.send_photo(PNG, caption="现场照片")
    await liu.wait_for_bot(2)
    preview = await press(ready, liu, "完成上传 ✅")
    text = preview.text or ""
    assert "申报预览" in text
    # safety 20-10 = 10, staffing 20-4 = 16, ratings (10×20+5×18+1×0)/16 = 18.125,
    # bonus: cases ≥10000 +1, provincial honour by a line department +3.
    assert "10" in text and "16" in text and "18.13" in text
    await submit(ready, liu)
    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None and row.state == "submitted"
        assert row.facts["case_volume"] == 12000
        assert row.facts["honours"] == [
            {"title": "省级青年文明号", "level": "provincial", "issuer": "line_department"}]


async def test_hall_walkthrough_with_multi_select_and_decimal(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8102)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报最美政务大厅、优秀政务大厅评选")
    await press(ready, liu, "周庄分中心大厅")
    await say(ready, liu, "95.555", n=2)
    assert "两位小数" in (liu.bot_messages[-2].text or "")
    await say(ready, liu, "101", n=2)
    assert "0 到 100" in (liu.bot_messages[-2].text or "")
    await say(ready, liu, "95.5")
    for value in ("1", "0", "0"):
        await say(ready, liu, value)
    await say(ready, liu, "98")
    await say(ready, liu, "0")
    await press(ready, liu, "⬜ 供水")
    toggled = await press(ready, liu, "⬜ 供电")
    assert "✅ 供水" in toggled.labels and "✅ 供电" in toggled.labels
    await press(ready, liu, "下一步 ➡️")
    await press(ready, liu, "否")
    asked = await press(ready, liu, "否")
    assert "佐证材料" in (asked.text or "")
    await liu.send_photo(PNG)
    await liu.wait_for_bot(2)
    preview = await press(ready, liu, "完成上传 ✅")
    # The preliminary sheet is there: utilities 2 of 5 windows, the hall is its own best.
    assert "合计" in (preview.text or "") and "重大改革推进" in (preview.text or "")
    await submit(ready, liu)
    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination))
        # The hall has no leader anywhere up its chain: it goes straight to 督查科.
        assert row is not None and row.state == "dept_approved"
        assert row.facts["utility_windows"] == ["power", "water"]
        assert row.facts["onboarding_rate"] == "95.5"
