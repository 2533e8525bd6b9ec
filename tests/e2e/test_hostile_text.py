"""Text pasted from a Word table or a terminal cannot break a document or the database:
control characters and NUL are removed where text enters, the 申报表 still arrives, an
export with an old dirty reason still opens, and a statement of emoji alone is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from awardbot.db.models import Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say, start_sanniu


@pytest.fixture
async def at_statement(harness: Harness):  # type: ignore[no-untyped-def]
    await bureau(harness)
    await open_rounds(harness)
    liu = await harness.bound_person("2001", 8951)
    await start_sanniu(harness, liu, "孺子牛奖（为民服务）")
    await press(harness, liu, "⬜ 条件1")
    await press(harness, liu, "下一步 ➡️")
    return harness, liu


async def test_control_characters_never_reach_the_form(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await say(h, liu, "👍👍🎉", expect="不能只有表情或符号")
    await liu.wait_for_text("描述主要事迹")  # asked again
    await say(h, liu, "坚持延时服务\x07，表扬信\x00两封。\r\n锦旗一面\x1b。", expect="佐证材料")
    await liu.send_photo(PNG)
    await liu.wait_for_text("全部发完后", timeout=30)  # the receipt, then the Done button
    await press(h, liu, "完成上传 ✅")
    await liu.press("✅ 提交申报")
    for _ in range(10):  # the receipt, then the form as a document
        (entry,) = await liu.wait_for_bot(1, timeout=30)
        if entry.kind == "document":
            break
    else:
        raise AssertionError(liu.transcript())
    async with h.sessions() as session:
        row = await session.scalar(select(Nomination))
    assert row is not None and row.form_sha256 is not None
    assert row.statement == "坚持延时服务，表扬信两封。\n锦旗一面。"
