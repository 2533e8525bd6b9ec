"""/cancel ends whatever prompt waits for the person's next message and says which; a
photo or sticker sent while a prompt waits for words gets that prompt's own answer; an
unknown command is pointed to /help."""

from __future__ import annotations

from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import PNG, say
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap,
)


async def test_cancel_ends_a_pending_reject_reason(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9501)
    chen = await h.bound_person("L01", 9502)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await tap(h, chen, "❌ 不予通过")
    ended = await say(h, chen, "/cancel", expect="已取消对")
    assert f"已取消对 {row.ref} 的“不予通过”" in (ended.text or "")
    later = await say(h, chen, "这句话不是理由")  # no reason is owed any more
    assert "已将" not in (later.text or "")
    assert await state_of(h, row.id) == "submitted"
    nothing = await say(h, chen, "/cancel")
    assert nothing.text == "当前没有进行中的操作。"


async def test_a_photo_while_a_reason_waits_asks_for_words(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9601)
    chen = await h.bound_person("L01", 9602)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await tap(h, chen, "↩️ 退回修改")
    await chen.send_photo(PNG)
    await chen.wait_for_text("请用文字写明理由。")
    await chen.send_sticker()
    answers = await chen.wait_for_bot()
    assert answers[-1].text == "请用文字写明理由。"
    assert await state_of(h, row.id) == "submitted"


async def test_an_unknown_command_points_to_help(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9701)
    answer = await say(h, liu, "/foo")
    assert "没有 /foo 这个命令" in (answer.text or "")
    assert "/help" in (answer.text or "")
