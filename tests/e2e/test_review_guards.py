"""Buttons are checked on the server: a forged press by a non-leader, a replayed button
after the nomination moved on, a double tap, two leaders at once; withdrawal before and
after the leader acts."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from awardbot.db.models import AuditEvent, Nomination, Review
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import say
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap,
    tap_data,
)


async def _acts(h: Harness, nomination_id: int) -> tuple[int, int]:
    async with h.sessions() as session:
        reviews = await session.scalar(select(func.count()).select_from(Review).where(
            Review.nomination_id == nomination_id))
        signed = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.subject_id == nomination_id, AuditEvent.action.like("review.%")))
    return int(reviews or 0), int(signed or 0)


async def test_forged_and_replayed_buttons_change_nothing(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9501)
    chen = await h.bound_person("L01", 9502)
    zhang = await h.bound_person("2002", 9503)
    zhao = await h.bound_person("S01", 9504)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    forged = await tap_data(h, zhang, f"rv:{row.id}:d0:ok")
    assert forged["text"] == "您无权处理这份申报。"
    assert forged["show_alert"] is True
    own = await tap_data(h, liu, f"rv:{row.id}:d0:ok")  # the applicant signing for herself
    assert own["text"] == "您无权处理这份申报。"
    early = await tap_data(h, zhao, f"rv:{row.id}:c0:ok")  # 督查科 before the leader
    assert "已不在待处理状态" in early["text"]
    garbage = await tap_data(h, chen, f"rv:{row.id}:zz:ok")
    assert "按钮已失效" in garbage["text"]
    assert await state_of(h, row.id) == "submitted"
    assert await _acts(h, row.id) == (0, 0)

    await tap(h, chen, "✅ 同意")
    replayed = await tap_data(h, chen, f"rv:{row.id}:d0:rej")
    assert replayed["text"].startswith(f"{row.ref}：已由 陈静 于 2026-11-25 10:00 同意")
    assert replayed["show_alert"] is True
    assert await state_of(h, row.id) == "dept_approved"
    assert await _acts(h, row.id) == (1, 1)


async def test_a_double_tap_signs_once(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9601)
    chen = await h.bound_person("L01", 9602)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    card = chen.last_bot_message
    assert card is not None
    data = card.callback_data("✅ 同意")
    assert data == f"rv:{row.id}:d0:ok"
    await chen.press_data(data)
    await chen.press_data(data)
    await chen.wait_until(lambda: len(chen.toasts) >= 2, what="both presses answered")
    texts = sorted(t["text"] for t in chen.toasts)
    assert any("已同意" in t for t in texts)
    assert any("已由 陈静" in t for t in texts)
    assert await _acts(h, row.id) == (1, 1)


async def test_two_leaders_pressing_at_once_sign_once(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9701)
    chen = await h.bound_person("L01", 9702)
    wang = await h.bound_person("L02", 9703)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await asyncio.gather(chen.press("✅ 同意"), wang.press("✅ 同意"))
    toasts = await asyncio.gather(chen.wait_for_toast(), wang.wait_for_toast())
    won = [t for t in toasts if "已同意" in t["text"]]
    lost = [t for t in toasts if "已由" in t["text"]]
    assert (len(won), len(lost)) == (1, 1)
    assert await _acts(h, row.id) == (1, 1)
    async with h.sessions() as session:
        signer = await session.scalar(select(Review.actor_id))
        assert (await session.get_one(Nomination, row.id)).state == "dept_approved"
    winner_name = "陈静" if won[0] is toasts[0] else "王强"
    assert winner_name in lost[0]["text"]
    assert signer is not None


async def test_withdraw_before_the_leader_acts_but_not_after(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9801)
    chen = await h.bound_person("L01", 9802)
    first = await submit_sanniu(h, liu)
    await deliver(h)
    await say(h, liu, "/mynominations")
    await tap(h, liu, "撤回申报")
    await tap(h, liu, "确定撤回")
    assert "已撤回" in (liu.last_bot_message.text or "")  # type: ignore[union-attr]
    assert await state_of(h, first.id) == "withdrawn"
    late = await tap_data(h, chen, f"rv:{first.id}:d0:ok")
    assert "已撤回" in late["text"]
    assert await _acts(h, first.id) == (0, 0)

    second = await submit_sanniu(h, liu, award="老黄牛奖（艰苦奋斗）")
    await deliver(h)
    await tap(h, chen, "✅ 同意")
    await deliver(h)  # 刘芳's note that her leader signed, before she asks
    await say(h, liu, "/mynominations", n=2)  # no withdraw button now; a replayed one:
    refused = await tap_data(h, liu, f"mn:{second.id}:withdraw")
    assert "不能再撤回" in refused["text"]
    assert await state_of(h, second.id) == "dept_approved"
