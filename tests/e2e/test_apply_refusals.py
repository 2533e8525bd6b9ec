"""A path that cannot end in a submission is refused where it is chosen — in /apply, when
the subject is chosen, when the award is — in a message that stays, saying what to do."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from awardbot.db.models import MonthlyAssessment
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import bureau, open_rounds, press, say


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    await bureau(harness)
    await open_rounds(harness)
    return harness


async def test_apply_offers_someone_not_eligible_only_a_colleague(ready: Harness) -> None:
    low = await ready.bound_person("2003", 8901)  # 85 points: under the window gate
    menu = await say(ready, low, "/apply")
    assert "⛔ 孺子牛奖" in (menu.text or "") and "可以推荐符合条件的同事" in (menu.text or "")
    assert "申报三牛奖" not in menu.labels and "推荐同事申报三牛奖" in menu.labels
    asked = await press(ready, low, "推荐同事申报三牛奖", expect="被推荐同事的姓名")
    assert asked.labels == []  # straight to "who?", never "for myself"


async def test_an_ineligible_colleague_is_refused_when_chosen(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8902)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报三牛奖")
    await press(ready, liu, "推荐同事", expect="被推荐同事的姓名")
    refused = await say(ready, liu, "杨洋", expect="无法申报")
    assert "杨洋（综合受理窗口）" in (refused.text or "")
    assert "孺子牛奖" in (refused.text or "") and "90" in (refused.text or "")
    assert "请发送另一位同事" in (refused.text or "")
    await say(ready, liu, "张伟", expect="请选择申报的奖项")


async def test_choosing_oneself_when_no_longer_eligible_is_refused_at_once(
        ready: Harness) -> None:
    liu = await ready.bound_person("2001", 8903)
    await say(ready, liu, "/apply")
    await press(ready, liu, "申报三牛奖", expect="为谁申报")
    async with ready.sessions.begin() as session:  # the month's scores arrive meanwhile
        await session.execute(update(MonthlyAssessment).values(score=80))
    await liu.press("为本人申报")
    refused = await liu.wait_for_text("无法申报")
    assert "刘芳" in (refused.text or "") and "推荐同事" in (refused.text or "")
    assert not (await liu.wait_for_toast()).get("show_alert")
    again = liu.last_bot_message  # the same question again, to choose otherwise
    assert again is not None and "为谁申报" in (again.text or "")
    assert again.labels == ["为本人申报", "推荐同事"]
