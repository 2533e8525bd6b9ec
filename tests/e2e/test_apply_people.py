"""Choosing the colleague to nominate: part of a name lists the matches with their units,
the one chosen is said back, and changing the subject from the preview asks who again."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from awardbot.db.models import Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say
from tests.factories import add_staff


@pytest.fixture
async def ready(harness: Harness) -> Harness:
    ids = await bureau(harness)
    await add_staff(harness.sessions, "2006", "张敏", ids["hall"], is_window_staff=True)
    await open_rounds(harness)
    return harness


async def _to_who(h: Harness, person) -> None:  # type: ignore[no-untyped-def]
    await say(h, person, "/apply")
    await press(h, person, "申报三牛奖")
    await press(h, person, "推荐同事", expect="被推荐同事的姓名")


async def test_part_of_a_name_lists_the_matches_with_their_units(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 9601)
    await _to_who(ready, liu)
    listed = await say(ready, liu, "张", expect="请选择")
    assert listed.labels == ["张伟（综合受理窗口，2002）", "张敏（周庄分中心大厅，2006）"]
    await liu.press("张伟（综合受理窗口，2002）")
    echoed = await liu.wait_for_text("已选择")
    assert "张伟（综合受理窗口）" in (echoed.text or "")
    await liu.wait_for_text("请选择申报的奖项")  # and then the walkthrough goes on


async def test_a_whole_name_is_said_back_with_the_unit(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 9602)
    await _to_who(ready, liu)
    await liu.send_text("张伟")
    echoed = await liu.wait_for_text("已选择")
    assert "张伟（综合受理窗口）" in (echoed.text or "")
    await liu.wait_for_text("请选择申报的奖项")


async def test_changing_the_subject_from_the_preview_asks_who_again(ready: Harness) -> None:
    liu = await ready.bound_person("2001", 9603)
    await _to_who(ready, liu)
    await say(ready, liu, "张伟", expect="请选择申报的奖项")
    await press(ready, liu, "孺子牛奖（为民服务）")
    await press(ready, liu, "⬜ 条件1")
    await press(ready, liu, "下一步 ➡️")
    await say(ready, liu, "长期坚持延时服务。")
    await liu.send_photo(PNG)
    await liu.wait_for_bot(2)
    await press(ready, liu, "完成上传 ✅", expect="申报预览")
    await press(ready, liu, "✏️ 修改", expect="要修改哪一部分")
    await press(ready, liu, "申报对象", expect="为谁申报")
    await press(ready, liu, "推荐同事", expect="被推荐同事的姓名")  # who, again
    await say(ready, liu, "2003", expect="无法申报")  # 杨洋: under the window gate
    await say(ready, liu, "2002", expect="已选择：张伟（综合受理窗口）")
    await liu.wait_for_text("申报预览")  # the rest is kept: back to the preview
    async with ready.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None and row.step == "preview"
