"""The evaluation group scores a round in chat, the leader closes it, the admin records the
party group's decision — through the real bot and the Bot API emulator."""

from __future__ import annotations

from sqlalchemy import func, select

from awardbot.db.models import AuditEvent, Nomination, Review, Score
from awardbot.emulator import Person
from tests.e2e.conftest import Harness
from tests.e2e.evaluation_fixtures import group_bureau, sanniu_round
from tests.e2e.intake_fixtures import press, say


def said(person: Person, since: int = 0) -> str:
    return "\n".join(m.text or "" for m in person.bot_messages[since:])


async def score_all(h: Harness, person: Person, grades: list[str]) -> str:
    """Open the first card and type each grade; everything the bot said."""
    start = len(person.bot_messages)
    await say(h, person, "/score")
    for grade in grades:
        await say(h, person, grade, n=2)  # the card is in; the next card, or none left
    return said(person, start)


async def states(h: Harness) -> dict[str, str]:
    async with h.sessions() as session:
        rows = await session.execute(select(Nomination.ref, Nomination.state))
        return {str(ref)[-1]: state for ref, state in rows}


async def test_score_close_and_decide(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    e02 = await ev.bound_person("E02", 9002)
    lead = await ev.bound_person("EL", 9003)
    admin = await ev.bound_person("AD", 9004)

    first = await say(ev, e01, "/score")
    assert "SN-2026Q4-0001" in (first.text or "") and "刘芳" in (first.text or "")
    assert "孺子牛奖" in (first.text or "") and "第 1/1 项" in (first.text or "")
    assert [*map(str, range(6))] == first.buttons[0] and "弃权" in first.labels
    e01_said = "\n".join([first.text or ""] + [
        (await say(ev, e01, grade, n=2)).text or "" for grade in ("9", "7", "6", "8")])
    assert "您已完成目前所有待评的申报" in e01_said

    # E02 works in the window W1, like 刘芳: recused from SN-…-0001 without asking.
    e02_said = await score_all(ev, e02, ["8", "6.5", "8"])
    assert "SN-2026Q4-0001" not in e02_said and "SN-2026Q4-0002" in e02_said
    await say(ev, lead, "/score")
    await press(ev, lead, "8")  # a button works as well as typing
    for grade in ("7.5", "7", "8"):
        await say(ev, lead, grade, n=2)
    assert "您已完成目前所有待评的申报" in (lead.last_bot_message.text or "")  # type: ignore[union-attr]

    progress = await say(ev, lead, "/progress")
    assert "4 件中已有 4 件全部成员评分完毕" in (progress.text or "")
    assert "李评：已评 3/3（回避 1）" in (progress.text or "")
    # The ranking as a chart per award, its words beside it (provisional while scoring).
    await lead.press("📊 排名图")
    words = await lead.wait_for_text("孺子牛奖：候选 3 个，名额 2", timeout=60)
    assert "第 1 名　刘芳（综合受理窗口）　8.5 分　进入名单" in (words.text or "")
    await lead.wait_for_text("拓荒牛奖：候选 1 个", timeout=60)
    assert sum(1 for e in lead.chat if e.from_bot and e.kind == "photo") == 2
    before = len(lead.bot_messages)
    await press(ev, lead, "结束评分", expect="确定结束评分吗")
    await press(ev, lead, "确定结束评分")
    result = said(lead, before)
    assert "评分已结束，共 4 件申报" in result
    assert "1. SN-2026Q4-0001 刘芳｜8.5 分｜入围" in result
    assert "3. SN-2026Q4-0003 孙丽｜6.5 分｜未入围" in result
    assert await states(ev) == {"1": "shortlisted", "2": "shortlisted",
                                "3": "not_shortlisted", "4": "shortlisted"}

    await say(ev, admin, "/decide")
    overview = await press(ev, admin, "三牛奖 2026Q4")
    assert "SN-2026Q4-0002 张伟｜7.5 分｜保留" in (overview.text or "")
    await press(ev, admin, "移除…")
    asked = await press(ev, admin, "SN-2026Q4-0002 张伟")
    assert "请输入移除 SN-2026Q4-0002 的理由" in (asked.text or "")
    await say(ev, admin, "党组会议认为事迹材料不够充分")
    await press(ev, admin, "增补…")
    assert "SN-2026Q4-0001 刘芳" not in admin.last_bot_message.labels  # type: ignore[union-attr]
    await press(ev, admin, "SN-2026Q4-0003 孙丽")
    staged = await say(ev, admin, "群众评价突出，党组会议决定增补")
    assert "增补（理由：群众评价突出" in (staged.text or "")
    done = await press(ev, admin, "✅ 确认名单（2 处调整）")
    assert "确定 3 件（移除 1 件，增补 1 件）" in (done.text or "")

    assert await states(ev) == {"1": "decided", "2": "not_shortlisted", "3": "decided",
                                "4": "decided"}
    async with ev.sessions() as session:
        reviews = {(r.nomination_id, r.decision, r.comment) for r in await session.scalars(
            select(Review).where(Review.step == "party_group"))}
        assert reviews == {
            (found["P1"], "confirmed", None), (found["P4"], "confirmed", None),
            (found["P2"], "removed", "党组会议认为事迹材料不够充分"),
            (found["P3"], "added", "群众评价突出，党组会议决定增补")}
        actions = list(await session.scalars(select(AuditEvent.action)))
        assert actions.count("score.entered") == 11
        assert actions.count("nomination.scored") == 4 and "round.decided" in actions
        assert await session.scalar(select(func.count()).select_from(Score)) == 11
        p1 = await session.get_one(Nomination, found["P1"])
        assert p1.ranking is not None and p1.ranking["total"] == "8.5"


async def test_scores_stay_hidden_until_the_member_has_submitted(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    await sanniu_round(ev.sessions, ids)
    e01 = await ev.bound_person("E01", 9001)
    e02 = await ev.bound_person("E02", 9002)
    await say(ev, e01, "/score")
    await say(ev, e01, "9", n=2)  # SN-…-0001
    await say(ev, e01, "7", n=2)  # SN-…-0002: E01's score is in

    card = await say(ev, e02, "/score")  # E02's first card is SN-…-0002
    assert "SN-2026Q4-0002" in (card.text or "")
    assert "王评" not in said(e02) and "各成员评分" not in said(e02)
    before = len(e02.bot_messages)
    await say(ev, e02, "8", n=2)
    shown = said(e02, before)
    assert "您对 SN-2026Q4-0002 的评分已提交" in shown
    assert "王评｜考评小组评分：7" in shown and "李评｜考评小组评分：8" in shown
    assert "赵组长｜考评小组评分：未评" in shown
