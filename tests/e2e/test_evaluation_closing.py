"""The group leader's side: progress and reminders, closing refused while scores are
missing, ties at the cut and held-back windows reported, facts corrected, the export."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Nomination, Notification, Score
from awardbot.emulator import Person
from tests.e2e.conftest import Harness
from tests.e2e.evaluation_fixtures import add_checked, add_round, group_bureau, sanniu_round
from tests.e2e.intake_fixtures import press, say
from tests.factories import add_unit

AT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


async def put_scores(sessions: SessionFactory, given: dict[int, dict[int, str]],
                     item: str = "grade") -> None:
    async with sessions.begin() as session:
        for nomination, by_member in given.items():
            for member, value in by_member.items():
                session.add(Score(nomination_id=nomination, evaluator_id=member, section=item,
                                  value=Decimal(value), abstained=False, created_at=AT))


def said(person: Person, since: int) -> str:
    return "\n".join(m.text or "" for m in person.bot_messages[since:])


async def state_of(h: Harness, nomination: int) -> tuple[str, str | None]:
    async with h.sessions() as session:
        row = await session.get_one(Nomination, nomination)
        return row.state, row.flagged_reason


async def test_closing_is_refused_while_scores_are_missing(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    await put_scores(ev.sessions, {found[p]: {ids["E01"]: "8"} for p in ("P1", "P2", "P3", "P4")})
    await put_scores(ev.sessions, {found["P1"]: {ids["EL"]: "9"}})
    lead = await ev.bound_person("EL", 9003)
    progress = await say(ev, lead, "/progress")
    assert "4 件中已有 1 件全部成员评分完毕" in (progress.text or "")
    refused = await press(ev, lead, "结束评分")  # refused before it asks: nothing to confirm
    assert "还有 6 项评分未完成，暂不能结束评分" in (refused.text or "")
    assert "SN-2026Q4-0002：李评 未评“考评小组评分”" in (refused.text or "")
    assert "SN-2026Q4-0001：李评" not in (refused.text or "")  # recused, not missing
    assert {await state_of(ev, found[p]) for p in ("P1", "P2")} == {("checked", None)}

    before = len(lead.bot_messages)
    await press(ev, lead, "仍然结束评分")
    result = said(lead, before)
    assert "以下 6 项评分缺失，未计入平均分" in result
    assert "1. SN-2026Q4-0001 刘芳｜8.5 分｜入围" in result  # 8 and 9: none counted as 0
    assert (await state_of(ev, found["P1"]))[0] == "shortlisted"
    async with ev.sessions() as session:
        closed = await session.scalar(select(AuditEvent).where(
            AuditEvent.action == "scoring.closed"))
        assert closed is not None and len(closed.data["missing"]) == 6 and closed.data["anyway"]
    await lead.press_data(f"sl:cf:{found['round']}")
    assert "评分已经结束，未作改动" in str((await lead.wait_for_toast())["text"])


async def test_a_tie_at_the_cut_is_reported_not_cut(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    grades = {"P1": "9", "P2": "7", "P3": "7", "P4": "8"}  # 孺子牛奖 has two places
    await put_scores(ev.sessions, {found[p]: {ids["E01"]: g, ids["EL"]: g}
                                   for p, g in grades.items()})
    await put_scores(ev.sessions, {found[p]: {ids["E02"]: grades[p]} for p in ("P2", "P3", "P4")})
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/progress")
    before = len(lead.bot_messages)
    await press(ev, lead, "结束评分", expect="确定结束评分吗")
    await press(ev, lead, "确定结束评分")
    result = said(lead, before)
    assert "孺子牛奖（名额 2，名额线并列 2 件，另行处理 0 件）" in result
    assert "2. SN-2026Q4-0002 张伟｜7 分｜名额线并列，待裁定" in result
    assert "2. SN-2026Q4-0003 孙丽｜7 分｜名额线并列，待裁定" in result
    assert await state_of(ev, found["P1"]) == ("shortlisted", None)
    for person in ("P2", "P3"):
        state, reason = await state_of(ev, found[person])
        assert state == "scored" and reason is not None and "名额线" in reason


async def window_round(h: Harness, ids: dict[str, int]) -> dict[str, int]:
    w2 = await add_unit(h.sessions, "W2", "不动产登记窗口", kind="window")
    round_id = await add_round(h.sessions, "zuimei_window", "2026")
    key_work = [{"kind": "yijianshi", "title": "开办餐饮店一件事"}]
    serious = await add_checked(h.sessions, round_id, "ZC-2026-0001", "zuimei_window",
                                applicant=ids["P1"], unit=ids["W1"], facts={
                                    "accidents": [{"kind": "fire", "serious": True}],
                                    "case_volume": 5230, "key_work": key_work})
    clean = await add_checked(h.sessions, round_id, "ZC-2026-0002", "zuimei_window",
                              applicant=ids["P2"], unit=w2,
                              facts={"case_volume": 800, "key_work": key_work})
    return {"round": round_id, "serious": serious, "clean": clean}


async def test_a_window_with_a_serious_accident_is_held_back(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await window_round(ev, ids)
    e01 = await ev.bound_person("E01", 9001)
    card = await say(ev, e01, "/score")
    text = card.text or ""
    assert "ZC-2026-0001" in text and "环境安全" in text and "严重后果" in text
    assert "重点工作：“一件事”改革“开办餐饮店一件事”" in text
    assert card.buttons[0] == ["1", "1.5", "2"]
    await press(ev, e01, "2")
    await say(ev, e01, "1.5", n=2)  # the card is in; the next one (here: none left)
    await put_scores(ev.sessions, {found["serious"]: {ids["EL"]: "2"},
                                   found["clean"]: {ids["EL"]: "1", ids["E02"]: "1"}},
                     item="key_work.0")
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/progress")
    before = len(lead.bot_messages)
    await press(ev, lead, "结束评分", expect="确定结束评分吗")
    await press(ev, lead, "确定结束评分")
    result = said(lead, before)
    assert "另行处理 1 件" in result and "ZC-2026-0001 综合受理窗口" in result
    assert "发生造成严重后果的安全责任事故" in result
    state, reason = await state_of(ev, found["serious"])
    assert state == "scored" and reason is not None and "严重后果" in reason
    assert (await state_of(ev, found["clean"]))[0] == "shortlisted"


async def test_the_leader_corrects_a_halls_findings(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    round_id = await add_round(ev.sessions, "hall", "2026")
    hall = await add_checked(ev.sessions, round_id, "DT-2026-0001", "hall",
                             applicant=ids["P1"], unit=ids["H1"],
                             facts={"onboarding_rate": "96.5", "guide_accuracy": "98"})
    lead = await ev.bound_person("EL", 9003)
    e01 = await ev.bound_person("E01", 9001)
    usage = await say(ev, lead, "/correct DT-2026-0001 service_findings.attitude 2")
    assert "用法：发送 /correct" in (usage.text or "")
    assert "只有考评小组组长" in ((await say(
        ev, e01, "/correct DT-2026-0001 service_findings.attitude 2 现场检查")).text or "")
    bad = await say(ev, lead, "/correct DT-2026-0001 service_findings.attitude -1 现场检查")
    assert bad.text == "更正后的事实不符合要求：service_findings.attitude 应为不小于 0 的整数"
    assert "不能更正" in ((await say(
        ev, lead, "/correct DT-2026-0001 pilot_reform.E01 5 现场")).text or "")
    done = await say(ev, lead,
                     "/correct DT-2026-0001 service_findings.attitude 2 现场检查发现两处问题")
    assert "已更正 DT-2026-0001 的 service_findings.attitude：（空） → 2" in (done.text or "")
    assert "服务态度" in (done.text or "") and "理由：现场检查发现两处问题" in (done.text or "")
    async with ev.sessions() as session:
        row = await session.get_one(Nomination, hall)
        assert row.facts["service_findings"] == {"attitude": 2}
        event = await session.scalar(select(AuditEvent).where(
            AuditEvent.action == "facts.corrected"))
        assert event is not None and event.data == {
            "ref": "DT-2026-0001", "path": "service_findings.attitude", "before": None,
            "after": 2, "reason": "现场检查发现两处问题"}
    card = await say(ev, e01, "/score")  # the sheet follows the corrected facts
    assert "服务态度" in (card.text or "") and card.buttons[0] == ["0", "5"]


async def test_reminders_go_to_laggards_once_a_day(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    await put_scores(ev.sessions, {found[p]: {ids["E01"]: "8"} for p in ("P1", "P2", "P3", "P4")})
    lead = await ev.bound_person("EL", 9003)
    await ev.bound_person("E01", 9001)  # done; E02 never bound their account
    await say(ev, lead, "/progress")
    await press(ev, lead, "提醒未评成员")
    assert "已提醒 1 位成员；0 位今天已提醒过；1 位尚未绑定账号" in str(lead.toasts[-1]["text"])
    await press(ev, lead, "提醒未评成员")
    assert "已提醒 0 位成员；1 位今天已提醒过" in str(lead.toasts[-1]["text"])
    async with ev.sessions() as session:
        rows = list(await session.scalars(select(Notification)))
        assert [(r.staff_id, r.payload["text"]["$text"]) for r in rows] == [
            (ids["EL"], "evaluation.remind.notice")]
        assert rows[0].payload["text"]["params"]["count"] == 4
        assert await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "scoring.reminded")) == 1


async def test_the_admin_gets_the_round_as_a_workbook(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    admin = await ev.bound_person("AD", 9004)
    await say(ev, admin, "/export")
    await admin.press("三牛奖 2026Q4")
    document = (await admin.wait_for_bot())[0]
    assert document.kind == "document" and document.file_name == "三牛奖-2026Q4.xlsx"
    assert "只有管理员" in ((await say(ev, await ev.bound_person("E01", 9001),
                                       f"/export {found['round']}")).text or "")


async def test_closing_asks_once_and_its_confirm_acts_once(ev: Harness) -> None:
    ids = await group_bureau(ev.sessions)
    found = await sanniu_round(ev.sessions, ids)
    grades = {"P1": "9", "P2": "7", "P3": "6", "P4": "8"}
    await put_scores(ev.sessions, {found[p]: {ids["E01"]: g, ids["EL"]: g}
                                   for p, g in grades.items()})
    await put_scores(ev.sessions, {found[p]: {ids["E02"]: grades[p]} for p in ("P2", "P3", "P4")})
    lead = await ev.bound_person("EL", 9003)
    await say(ev, lead, "/progress")
    asked = await press(ev, lead, "结束评分", expect="确定结束评分吗")
    assert "【三牛奖】2026Q4 结束后将按评分细则排名" in (asked.text or "")
    assert asked.labels == ["确定结束评分", "返回"]
    assert await state_of(ev, found["P1"]) == ("checked", None)  # nothing before the confirm
    await press(ev, lead, "返回", expect="已返回，评分未结束")
    spent = "这个确认已经处理过或已失效，没有再次执行。"
    await lead.press_data(f"sl:clok:{found['round']}")  # the old confirm, after going back
    assert (await lead.wait_for_toast())["text"] == spent
    assert await state_of(ev, found["P1"]) == ("checked", None)
    await press(ev, lead, "结束评分", expect="确定结束评分吗")
    await press(ev, lead, "确定结束评分", expect="评分已结束，共 4 件申报")
    assert await state_of(ev, found["P1"]) == ("shortlisted", None)
    await lead.press_data(f"sl:clok:{found['round']}")  # pressed twice
    assert (await lead.wait_for_toast())["text"] == spent
    async with ev.sessions() as session:
        closed = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "scoring.closed"))
    assert closed == 1
