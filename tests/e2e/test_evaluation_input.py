"""Typed scores are validated, members may abstain, and forged, replayed or unauthorised
buttons change nothing — and the presser is told why."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from awardbot.db.models import AuditEvent, Nomination, Score
from awardbot.emulator import Person
from tests.e2e.conftest import Harness
from tests.e2e.evaluation_fixtures import group_bureau, sanniu_round
from tests.e2e.intake_fixtures import press, say


async def scores(h: Harness) -> list[tuple[int, int, Decimal | None, bool]]:
    async with h.sessions() as session:
        return [(s.nomination_id, s.evaluator_id, s.value, s.abstained)
                for s in await session.scalars(select(Score).order_by(Score.id))]


async def toast_for(person: Person, data: str) -> str:
    await person.press_data(data)
    return str((await person.wait_for_toast()).get("text") or "")


async def test_typed_scores_are_validated(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    await say(ev, e01, "/score")
    assert "分数超出范围，应在 0–10 之间" in ((await say(ev, e01, "11")).text or "")
    assert "分数最多精确到 0.1" in ((await say(ev, e01, "8.55")).text or "")
    refused = await say(ev, e01, "很好")
    assert "请输入数字" in (refused.text or "") and "第 1/1 项" in (refused.text or "")
    assert await scores(ev) == []
    await say(ev, e01, "８.５", n=2)  # full-width digits, as a Chinese keyboard types them
    assert await scores(ev) == [(found["P1"], ids["E01"], Decimal("8.5"), False)]


async def test_abstaining_leaves_the_member_out_of_the_mean(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    e02 = await ev.bound_person("E02", 9002)
    lead = await ev.bound_person("EL", 9003)
    await say(ev, e01, "/score")
    await press(ev, e01, "弃权", expect="确定对 SN-2026Q4-0001 弃权")
    before = len(e01.bot_messages)
    await press(ev, e01, "确定弃权")
    shown = "\n".join(m.text or "" for m in e01.bot_messages[before:])
    assert "您已对 SN-2026Q4-0001 弃权" in shown and "王评｜考评小组评分：弃权" in shown
    assert "SN-2026Q4-0002" in shown  # the next card follows
    assert await toast_for(e01, f"sc:ab:{found['P1']}") == "您已对 SN-2026Q4-0001 弃权，未作改动。"
    for grade in ("7", "6", "8"):
        await say(ev, e01, grade, n=2)  # the card is in; the next card, or none left
    for person, grades in ((e02, ("8", "6.5", "8")), (lead, ("9.5", "7.5", "7", "8"))):
        await say(ev, person, "/score")
        for grade in grades:
            await say(ev, person, grade, n=2)
    await say(ev, lead, "/progress")
    await press(ev, lead, "结束评分", expect="确定结束评分吗")
    await press(ev, lead, "确定结束评分")
    async with ev.sessions() as session:
        p1 = await session.get_one(Nomination, found["P1"])
        assert p1.state == "shortlisted" and p1.ranking is not None
        assert p1.ranking["total"] == "9.5"  # only the leader: E01 abstained, E02 recused
        actions = list(await session.scalars(select(AuditEvent.action)))
        assert actions.count("score.abstained") == 1
    assert (found["P1"], ids["E01"], None, True) in await scores(ev)


async def test_forged_replayed_and_unauthorised_buttons_change_nothing(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    e02 = await ev.bound_person("E02", 9002)
    nominee = await ev.bound_person("P2", 9005)
    card = await say(ev, e01, "/score")
    nine = card.callback_data("9")
    assert nine == f"sc:v:{found['P1']}:0:9"
    await press(ev, e01, "9")
    assert await toast_for(e01, nine) == "SN-2026Q4-0001 这一项您已经评过分了，未作改动。"
    assert await toast_for(e01, f"sc:v:{found['P1']}:0:3") == \
        "SN-2026Q4-0001 这一项您已经评过分了，未作改动。"
    stale = "这个按钮已失效，请使用最新消息中的按钮。"
    assert await toast_for(e01, "sc:v:999999:0:5") == stale
    assert await toast_for(e01, f"sc:v:{found['P2']}:0:50") == stale
    assert await toast_for(e01, f"sc:v:{found['P2']}:7:5") == stale
    assert await toast_for(e01, "sc:v:x:0:5") == stale
    assert await toast_for(e01, "sc:zz") == stale
    await say(ev, e02, "/score")
    assert "您需回避 SN-2026Q4-0001" in await toast_for(e02, f"sc:v:{found['P1']}:0:10")
    await say(ev, nominee, "/help")
    assert await toast_for(nominee, f"sc:v:{found['P2']}:0:10") == "只有考评小组成员可以评分。"
    assert "只有考评小组成员" in ((await say(ev, nominee, "/score")).text or "")
    leader_only = "只有考评小组组长可以进行此操作。"
    assert await toast_for(e01, f"sl:cl:{found['round']}") == leader_only
    assert await toast_for(e01, f"sl:rm:{found['round']}") == leader_only
    assert await toast_for(e01, f"dc:ok:{found['round']}") == "只有管理员可以进行此操作。"
    assert leader_only in ((await say(ev, e01, "/progress")).text or "")
    assert "只有管理员" in ((await say(ev, e01, "/decide")).text or "")
    assert await scores(ev) == [(found["P1"], ids["E01"], Decimal(9), False)]
    async with ev.sessions() as session:
        states = set(await session.scalars(select(Nomination.state)))
        assert states == {"checked"}


async def test_a_value_typed_twice_quickly_lands_only_on_the_card_it_answers(
        ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    await say(ev, e01, "/score")
    await e01.send_text("8")
    await e01.send_text("8")  # sent before the next card could appear
    told = ""
    for _ in range(6):  # the first 8's reveal and next card, then the answer to the second
        (entry,) = await e01.wait_for_bot(1, timeout=30)
        told += entry.text or ""
        if "没有计入" in told:
            break
    assert "您发送的“8”早于当前这张评分卡，没有计入" in told
    assert await scores(ev) == [(found["P1"], ids["E01"], Decimal(8), False)]


async def test_an_absurd_exponent_is_refused_and_values_keep_the_section_scale(
        ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    await say(ev, e01, "/score")
    assert "分数最多精确到 0.1" in ((await say(ev, e01, "1e-999999999")).text or "")
    await say(ev, e01, "8.50")
    assert await scores(ev) == [(found["P1"], ids["E01"], Decimal("8.5"), False)]


async def test_abstaining_asks_once_and_its_confirm_acts_once(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9011)
    await say(ev, e01, "/score")
    asked = await press(ev, e01, "弃权", expect="确定对 SN-2026Q4-0001 弃权")
    assert asked.labels == ["确定弃权", "返回"]
    assert await scores(ev) == []  # nothing happens before the confirm
    await press(ev, e01, "返回", expect="已返回，未弃权")
    spent = "这个确认已经处理过或已失效，没有再次执行。"
    assert await toast_for(e01, f"sc:abok:{found['P1']}") == spent  # old confirm after back
    assert await scores(ev) == []
    await press(ev, e01, "弃权", expect="确定对 SN-2026Q4-0001 弃权")
    await press(ev, e01, "确定弃权", expect="您已对 SN-2026Q4-0001 弃权")
    assert await toast_for(e01, f"sc:abok:{found['P1']}") == spent  # pressed twice
    async with ev.sessions() as session:
        actions = list(await session.scalars(select(AuditEvent.action)))
    assert actions.count("score.abstained") == 1


async def test_cancel_ends_typed_scoring_and_the_next_number_is_not_a_score(
        ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9021)
    card = await say(ev, e01, "/score")
    assert "SN-2026Q4-0001" in (card.text or "")
    ended = await say(ev, e01, "/cancel", expect="已退出评分")
    assert ended.text == "已退出评分，已录入的分数保留。发送 /score 可继续评分。"
    later = await say(ev, e01, "8", expect="如需申报，请发送 /apply")  # no card waits for it
    assert "考评小组各成员评分" not in (later.text or "")
    assert await scores(ev) == []
    nothing = await say(ev, e01, "/cancel", expect="当前没有进行中的操作")
    assert nothing.text == "当前没有进行中的操作。"
