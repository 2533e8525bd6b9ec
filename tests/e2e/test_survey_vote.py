"""The satisfaction survey in chat: an admin opens it, everyone is invited, votes through
the ballot's buttons change the tally and the score sheet, a vote can be changed, one's
own nomination cannot be rated, and a vote after closing is refused politely."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from awardbot.db.models import AuditEvent, Survey
from awardbot.scoring import Rules, parse_facts, score_sheet
from awardbot.workflow.notice import survey
from awardbot.workflow.notice.survey import survey_tally
from tests.e2e.notice_fixtures import Bureau, last_with, press, round_with

DEADLINE = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)  # 17:30 in Shanghai
JUDGED = {"m1": Decimal(18), "m2": Decimal(19)}


async def _candidates(b: Bureau) -> list[int]:
    """Three nominations that passed the check, in a round in evaluation."""
    ids = b.ids
    return await round_with(b.h.sessions, "zuimei_staff", "2026", "checked", [
        ("zuimei_staff", ids["2001"], None, ids["2001"]),  # 刘芳, by herself
        ("zuimei_staff", ids["2002"], None, ids["3001"]),  # 张伟, by 王磊
        ("zuimei_staff", ids["3002"], None, ids["3002"]),  # 赵敏, by herself
    ], now=b.h.clock())


async def _open(b: Bureau) -> None:
    admin = b.people["A01"]
    answer = await admin.ask_text("/survey open 最美政务人 2026 2026-12-10 17:30")
    assert "满意度测评已开始：最美政务人 2026，3 个候选对象，已邀请 7 人" in (answer.text or "")
    await b.deliver()


def _sheet(tally: dict[str, int], rules: Rules) -> object:
    facts = parse_facts("zuimei_staff", {
        "sections": dict.fromkeys(("political", "expertise", "image", "achievement"), JUDGED),
        "satisfaction": tally})
    return score_sheet("zuimei_staff", facts, rules)


async def test_votes_through_buttons_feed_the_tally_and_the_score(bureau_bot: Bureau) -> None:
    b = bureau_bot
    liu, zhang, _ = await _candidates(b)
    await _open(b)
    voter = b.people["2003"]  # 杨洋: may rate all three
    invite = last_with(voter, "满意度测评｜最美政务人 2026")
    assert invite.labels == ["开始测评"]
    await press(b, voter, "开始测评")
    card = voter.chat[-1]
    assert card.message_id == invite.message_id  # the invitation became the ballot
    assert "候选 1 / 3：刘芳（综合受理窗口）" in (card.text or "")
    assert "已评 0 / 3" in (card.text or "")
    assert card.labels[:5] == ["很满意", "满意", "比较满意", "一般", "不满意"]
    toast = await press(b, voter, "很满意")
    assert toast["text"] == "已记录：很满意"
    card = voter.chat[-1]
    assert "候选 2 / 3：张伟" in (card.text or "") and "已评 1 / 3" in (card.text or "")
    await press(b, voter, "满意")
    await press(b, voter, "一般")
    card = voter.chat[-1]
    assert card.message_id == invite.message_id and card.edit_count >= 4  # edited in place
    assert "已全部评完（3 / 3）" in (card.text or "")

    # Going back shows the vote given; pressing another level changes it.
    await press(b, voter, "◀ 上一个")
    assert "候选 2 / 3：张伟" in (voter.chat[-1].text or "")
    assert "✅ 满意" in voter.chat[-1].labels
    toast = await press(b, voter, "不满意")
    assert toast["text"] == "已改为：不满意"
    async with b.h.sessions() as session:
        assert await survey_tally(session, zhang) == {
            "very_satisfied": 0, "satisfied": 0, "fairly_satisfied": 0, "average": 0,
            "dissatisfied": 1}

    for staff_no, level in (("A01", "满意"), ("D01", "满意"), ("3001", "比较满意")):
        person = b.people[staff_no]
        await press(b, person, "开始测评")
        assert "刘芳" in (person.chat[-1].text or "")
        await press(b, person, level)
    async with b.h.sessions() as session:
        tally = await survey_tally(session, liu)
    assert tally == {"very_satisfied": 1, "satisfied": 2, "fairly_satisfied": 1, "average": 0,
                     "dissatisfied": 0}
    few = _sheet(tally, Rules(survey_min_votes=4))
    assert few.section("satisfaction").points == Fraction(20 + 18 + 18 + 15, 4)  # type: ignore[attr-defined]
    assert few.total == 4 * Fraction(37, 2) + Fraction(71, 4)  # type: ignore[attr-defined]
    short = _sheet(tally, Rules())  # fewer than 10 votes: the section is incomplete
    assert short.section("satisfaction").incomplete  # type: ignore[attr-defined]
    assert not short.rankable  # type: ignore[attr-defined]


async def test_own_nomination_is_never_on_the_ballot_nor_accepted(bureau_bot: Bureau) -> None:
    b = bureau_bot
    liu, zhang, _ = await _candidates(b)
    await _open(b)
    liu_person = b.people["2001"]
    await press(b, liu_person, "开始测评")
    assert "候选 1 / 2：张伟" in (liu_person.chat[-1].text or "")  # herself left out
    async with b.h.sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    await liu_person.press_data(f"svv:{survey_id}:{liu}:very_satisfied")  # a forged button
    toast = await liu_person.wait_for_toast()
    assert toast["show_alert"] and "不能评价自己的申报" in toast["text"]
    wang = b.people["3001"]  # applied for 张伟: rates 刘芳 and 赵敏 only
    await press(b, wang, "开始测评")
    assert "候选 1 / 2：刘芳" in (wang.chat[-1].text or "")
    await wang.press_data(f"svv:{survey_id}:{zhang}:satisfied")
    assert "不能评价自己的申报" in (await wang.wait_for_toast())["text"]
    async with b.h.sessions() as session:
        assert sum((await survey_tally(session, liu)).values()) == 0
        assert sum((await survey_tally(session, zhang)).values()) == 0


async def test_a_vote_after_closing_is_refused_and_the_deadline_closes_it(
        bureau_bot: Bureau) -> None:
    b = bureau_bot
    liu, *_ = await _candidates(b)
    await _open(b)
    voter = b.people["2002"]
    await press(b, voter, "开始测评")
    await press(b, voter, "很满意")
    b.h.clock.now = DEADLINE  # the scheduler has not run yet: the deadline still holds
    toast = await press(b, voter, "满意")
    assert toast["show_alert"]
    assert toast["text"] == "满意度测评已于 2026-12-10 17:30 结束，这次评价未被记录。感谢您的参与！"
    assert await survey.close_due_surveys(b.svc, DEADLINE - timedelta(minutes=1)) == []
    assert len(await survey.close_due_surveys(b.svc, DEADLINE)) == 1
    assert await survey.close_due_surveys(b.svc, DEADLINE + timedelta(hours=1)) == []
    async with b.h.sessions() as session:
        assert (await survey_tally(session, liu))["very_satisfied"] == 1
        assert (await survey_tally(session, liu))["satisfied"] == 0
        closed = list(await session.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "survey.closed")))
    assert closed == ["survey.closed"]
    answer = await voter.ask_text("/survey")
    assert "目前没有进行中的满意度测评" in (answer.text or "")


async def test_the_admin_closes_it_and_non_admins_cannot(bureau_bot: Bureau) -> None:
    b = bureau_bot
    await _candidates(b)
    refused = await b.people["2001"].ask_text("/survey open 最美政务人 2026 2026-12-10")
    assert "只有管理员" in (refused.text or "")
    await _open(b)
    again = await b.people["A01"].ask_text("/survey open zuimei_staff 2026 2026-12-11")
    assert "已经开始过" in (again.text or "")
    ballot = await b.people["2002"].ask_text("/survey")
    assert "候选 1 / 2：刘芳" in (ballot.text or "")  # /survey re-sends the ballot
    closed = await b.people["A01"].ask_text("/survey close 最美政务人 2026")
    assert "满意度测评已结束：最美政务人 2026，共 0 票" in (closed.text or "")
    toast = await press(b, b.people["2002"], "很满意")
    assert toast["show_alert"] and "这次评价未被记录" in toast["text"]
    usage = await b.people["A01"].ask_text("/survey open sanniu 2026Q4 2026-12-10")
    assert "没有满意度测评项" in (usage.text or "")
