"""Bad input during the walkthrough: each gets a clear answer and nothing entered is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from awardbot.db.models import Nomination
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say, start_sanniu

EXE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
async def at_statement(harness: Harness):  # type: ignore[no-untyped-def]
    await bureau(harness)
    await open_rounds(harness)
    liu = await harness.bound_person("2001", 8901)
    await start_sanniu(harness, liu, "孺子牛奖（为民服务）")
    await press(harness, liu, "⬜ 条件2")
    await press(harness, liu, "下一步 ➡️")
    return harness, liu


async def _criteria(h: Harness) -> list[int]:
    async with h.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None
        return list(row.criteria)


async def test_a_photo_when_text_is_expected(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await liu.send_photo(PNG)
    reply = await liu.wait_for_bot()
    assert "还不需要佐证材料" in (reply[0].text or "")
    assert await _criteria(h) == [2]


async def test_text_when_a_file_is_expected(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await say(h, liu, "事迹")
    await say(h, liu, "这是一段文字", n=2)  # what was wrong, then the question again
    assert "需要上传佐证材料" in (liu.bot_messages[-2].text or "")


@pytest.mark.parametrize("kind", ["sticker", "voice"])
async def test_stickers_and_voice_are_explained(at_statement, kind: str) -> None:  # type: ignore[no-untyped-def]
    _h, liu = at_statement
    await (liu.send_sticker() if kind == "sticker" else liu.send_voice())
    reply = await liu.wait_for_bot()
    assert "无法作为申报内容" in (reply[0].text or "")


async def test_an_overlong_statement_is_refused_with_its_length(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await say(h, liu, "长" * 1001, n=2)
    assert "1001 字" in (liu.bot_messages[-2].text or "")
    assert "1000 字" in (liu.bot_messages[-2].text or "")
    assert await _criteria(h) == [2]


async def test_an_unsupported_file_names_what_is_accepted(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await say(h, liu, "事迹")
    await liu.send_document(EXE, "照片.jpg", "image/jpeg")
    reply = await liu.wait_for_bot()
    assert "不支持这种文件（识别为 EXE 格式）" in (reply[0].text or "")


async def test_a_button_from_an_older_message_is_stale(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    async with h.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None
    # The award question was two steps ago: its buttons carried an older step version.
    await liu.press_data(f"ap:{row.id}:{row.answers['v'] - 2}:award.laohuang_niu")
    toast = await liu.wait_for_toast()
    assert "已失效" in (toast["text"] or "")
    async with h.sessions() as session:
        assert (await session.get_one(Nomination, row.id)).award == "ruzi_niu"


async def test_a_forged_button_for_someone_elses_draft_changes_nothing(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, _liu = at_statement
    zhang = await h.bound_person("2002", 8902)
    async with h.sessions() as session:
        row = await session.scalar(select(Nomination))
        assert row is not None
        version = row.answers["v"]
    await zhang.press_data(f"ap:{row.id}:{version}:award.laohuang_niu")
    toast = await zhang.wait_for_toast()
    assert "已失效" in (toast["text"] or "")
    async with h.sessions() as session:
        assert (await session.get_one(Nomination, row.id)).award == "ruzi_niu"


async def test_a_double_tap_on_submit_submits_once(at_statement) -> None:  # type: ignore[no-untyped-def]
    h, liu = at_statement
    await say(h, liu, "事迹")
    await liu.send_photo(PNG)
    await liu.wait_for_bot(2)
    await press(h, liu, "完成上传 ✅")
    data = liu.last_bot_message.callback_data("✅ 提交申报")
    first = await liu.press_data(data)
    second = await liu.press_data(data)
    await liu.wait_until(lambda: {first, second} <= {t["query_id"] for t in liu.toasts},
                         what="both presses answered")  # each after its receipt, if any
    await liu.wait_for_text("根据您的填报自动生成")  # the one 申报表, after the receipt
    receipts = [m for m in liu.bot_messages if "申报已提交" in (m.text or "")]
    assert len(receipts) == 1
    assert any("不能再修改" in (t["text"] or "") for t in liu.toasts)
