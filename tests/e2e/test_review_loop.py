"""Return for revision (with the reason typed next) and back to the step that returned it,
for a leader's return and for 督查科's; a rejection with its reason."""

from __future__ import annotations

from sqlalchemy import select

from awardbot.db.models import Nomination, Notification, Review
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import press, say, submit
from tests.e2e.review_fixtures import (
    deliver,
    state_of,
    submit_sanniu,
    tap,
)


async def _resubmit(h: Harness, liu) -> None:  # type: ignore[no-untyped-def]
    preview = await press(h, liu, "✏️ 修改申报")
    assert "申报预览" in (preview.text or "")
    await submit(h, liu)


async def test_returns_go_back_to_the_step_that_returned_them(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9301)
    chen = await h.bound_person("L01", 9302)
    wang = await h.bound_person("L02", 9303)
    zhao = await h.bound_person("S01", 9304)
    row = await submit_sanniu(h, liu)
    await deliver(h)

    asked = await tap(h, chen, "↩️ 退回修改")
    assert asked["show_alert"] is False
    assert "退回" in (chen.last_bot_message.text or "")  # type: ignore[union-attr]
    assert await state_of(h, row.id) == "submitted"  # nothing happens before the reason
    done = await say(h, chen, "请补充锦旗照片的说明。", n=2)  # the answer; the card closes
    assert "已将" in (done.text or "")
    assert "退回申报人修改" in (done.text or "")
    assert await state_of(h, row.id) == "returned"
    await wang.wait_for_text("已由 陈静")  # the other leader's card closes too
    await deliver(h)
    note = liu.last_bot_message
    assert note is not None
    assert "被部门领导退回修改" in (note.text or "")
    assert "请补充锦旗照片的说明。" in (note.text or "")
    await _resubmit(h, liu)
    async with h.sessions() as session:
        fresh = await session.get_one(Nomination, row.id)
        assert (fresh.state, fresh.returned_from) == ("submitted", "submitted")
    await deliver(h)
    card = wang.last_bot_message
    assert card is not None
    assert "已按意见修改后重新提交" in (card.text or "")
    await tap(h, wang, "✅ 同意")
    await deliver(h)

    await tap(h, zhao, "↩️ 退回修改")
    await say(h, zhao, "表扬信缺少落款日期。", n=2)  # the answer; the card closes
    async with h.sessions() as session:
        fresh = await session.get_one(Nomination, row.id)
        assert (fresh.state, fresh.returned_from) == ("returned", "dept_approved")
    await deliver(h)
    assert "被督查科退回修改" in (liu.last_bot_message.text or "")  # type: ignore[union-attr]
    await _resubmit(h, liu)
    assert await state_of(h, row.id) == "dept_approved"  # straight back to 督查科
    await deliver(h)
    assert "待督查科审核" in (zhao.last_bot_message.text or "")  # type: ignore[union-attr]
    assert "待您签批" not in (wang.last_bot_message.text or "")  # type: ignore[union-attr]
    await tap(h, zhao, "✅ 审核通过")
    assert await state_of(h, row.id) == "checked"
    async with h.sessions() as session:
        reviews = [(r.step, r.decision, r.comment) for r in await session.scalars(
            select(Review).order_by(Review.id))]
    assert reviews == [("dept", "return", "请补充锦旗照片的说明。"), ("dept", "approve", None),
                       ("check", "return", "表扬信缺少落款日期。"), ("check", "pass", None)]
    await deliver(h)  # 刘芳's note that the check passed, before she asks
    history = await say(h, liu, f"/history {row.ref}")
    assert "修改后重新提交" in (history.text or "")
    assert "（理由：表扬信缺少落款日期。）" in (history.text or "")


async def test_reject_with_a_reason_and_a_cancelled_return(reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9401)
    chen = await h.bound_person("L01", 9402)
    row = await submit_sanniu(h, liu)
    await deliver(h)
    await tap(h, chen, "↩️ 退回修改")
    cancelled = await tap(h, chen, "取消")
    assert "仍待处理" in cancelled["text"]
    walk = await say(h, chen, "随便说一句")  # no reason is owed now: it is ordinary text
    assert "理由" not in (walk.text or "")
    await tap(h, chen, "❌ 不予通过")
    bad = await say(h, chen, "   ")
    assert "理由不能为空" in (bad.text or "")
    assert await state_of(h, row.id) == "submitted"
    await say(h, chen, "材料与奖项条件不符。", n=2)
    assert await state_of(h, row.id) == "rejected"
    await deliver(h)
    note = liu.last_bot_message
    assert note is not None
    assert "未获部门领导通过" in (note.text or "")
    assert "材料与奖项条件不符。" in (note.text or "")
    assert note.labels == []
    async with h.sessions() as session:
        keys = list(await session.scalars(select(Notification.dedupe_key).where(
            Notification.staff_id == row.applicant_id)))
    assert f"rv:note:{row.id}:d0:{row.applicant_id}" in keys


async def test_the_resubmission_after_a_supervision_return_says_it_goes_back_to_it(
        reviewing: Harness) -> None:
    h = reviewing
    liu = await h.bound_person("2001", 9501)
    chen = await h.bound_person("L01", 9502)
    zhao = await h.bound_person("S01", 9504)
    first = await submit_sanniu(h, liu)
    assert "申报将送部门领导审批" in liu.transcript()  # the first time: to the leader
    await deliver(h)
    await tap(h, chen, "✅ 同意")
    await deliver(h)
    await tap(h, zhao, "↩️ 退回修改")
    await say(h, zhao, "表扬信缺少落款日期。", n=2)
    await deliver(h)
    await press(h, liu, "✏️ 修改申报", expect="申报预览")
    receipt = await submit(h, liu)
    assert "直接送回督查科审核" in (receipt.text or "")
    assert "部门领导" not in (receipt.text or "")
    assert await state_of(h, first.id) == "dept_approved"
