"""/rounds for admins (extend by a typed date or a pick, close with confirmation), /mute,
and the scheduler's jobs on the running bot's JobQueue — the real bot over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.bot.scheduler import Scheduler
from awardbot.db.models import AuditEvent, Round, Staff
from awardbot.workflow.rounds.calendar import store_year
from awardbot.workflow.rounds.opening import open_round
from tests.e2e.conftest import Harness
from tests.e2e.intake_fixtures import press, say
from tests.factories import add_staff, add_unit

SH = ZoneInfo("Asia/Shanghai")
Y2027 = {"year": 2027, "holidays": ["2027-01-01"], "workdays": []}
SETTINGS = ScheduleSettings.model_validate({"enabled": True, "annual": {"enabled": False}})


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"schedule": SETTINGS}


@pytest.fixture
async def wired(harness: Harness) -> tuple[Harness, Scheduler]:
    """The bot as bot/app.py builds it, with scheduling switched on."""
    scheduler = harness.app.bot_data.scheduler
    assert isinstance(scheduler, Scheduler)
    office = await add_unit(harness.sessions, "B1", "局办公室", kind="bureau")
    await add_staff(harness.sessions, "A001", "管理员", office, roles=("admin",))
    await add_staff(harness.sessions, "3001", "孙丽", office)
    now = harness.clock()  # Wednesday 25 November 2026, 10:00 in Shanghai
    await open_round(harness.sessions, family="sanniu", period="2026Q4",
                     opens_at=now - timedelta(days=1), closes_at=sh(2026, 12, 15, 17, 30),
                     now=now)
    await scheduler.tick()  # as the periodic tick would: fills the deadlines, derives jobs
    return harness, scheduler


async def _round(h: Harness) -> Round:
    async with h.sessions() as session:
        row = await session.scalar(select(Round))
        assert row is not None
        return row


async def test_admin_extends_by_typed_date_and_jobs_move(wired) -> None:
    h, _scheduler = wired
    admin = await h.bound_person("A001", 7001)
    assert h.app.job_queue is not None
    names = {j.name for j in h.app.job_queue.jobs()}
    assert {"schedule:tick", "round:1:deadline1", "round:1:scoring0"} <= names
    listing = await admin.ask_text("/rounds")
    assert "#1【三牛奖】2026Q4 — 申报中" in (listing.text or "")
    assert "截止：2026-12-15 17:30" in (listing.text or "")
    assert listing.labels == ["延期 #1", "截止 #1"]

    ask = await press(h, admin, "延期 #1")
    assert "当前截止时间：2026-12-15 17:30" in (ask.text or "")
    assert ask.labels == ["2026-12-16", "2026-12-17", "2026-12-18", "取消"]
    await admin.send_text("2026-12-2x", reply_to=ask)
    bad = await admin.wait_for_bot()
    assert "无法识别“2026-12-2x”" in (bad[0].text or "")
    # Its later deadlines would reach into 2027, whose official calendar is not loaded yet.
    admin.mark()
    await admin.send_text("2026-12-24", reply_to=ask)
    refused = await admin.wait_for_bot()
    assert "2027 年的官方节假日安排尚未载入" in (refused[0].text or "")
    assert (await _round(h)).closes_at == sh(2026, 12, 15, 17, 30)
    await store_year(h.sessions, Y2027, now=h.clock())
    admin.mark()
    await admin.send_text("2026-12-24", reply_to=ask)
    answers = await admin.wait_for_bot(2)  # the answer, then the question loses its buttons
    assert "2026-12-24 17:30" in (answers[0].text or "")
    row = await _round(h)
    assert row.closes_at == sh(2026, 12, 24, 17, 30)
    assert row.leader_deadline == sh(2026, 12, 29, 17, 30)  # three working days on
    jobs = {j.name: j.data for j in h.app.job_queue.jobs()}
    assert jobs["round:1:deadline1"] == sh(2026, 12, 23, 9)  # replaced, not duplicated
    assert sum(1 for j in h.app.job_queue.jobs() if j.name == "round:1:deadline1") == 1
    # Answered: the question lost its buttons, so a second reply is not taken as a date.
    admin.mark()
    await admin.send_text("2026-12-30", reply_to=ask)
    await admin.wait_for_bot()
    assert (await _round(h)).closes_at == sh(2026, 12, 24, 17, 30)


async def test_admin_picks_a_day_then_closes_with_confirmation(wired) -> None:
    h, _scheduler = wired
    admin = await h.bound_person("A001", 7001)
    await admin.ask_text("/rounds")
    await press(h, admin, "延期 #1")
    done = await press(h, admin, "2026-12-17", expect="改为 2026-12-17 17:30")
    assert "改为 2026-12-17 17:30" in (done.text or "") and done.labels == []
    await admin.ask_text("/rounds")
    ask = await press(h, admin, "截止 #1")
    assert "确定立即截止【三牛奖】2026Q4" in (ask.text or "")
    closed = await press(h, admin, "确定截止")
    assert "已截止申报" in (closed.text or "")
    row = await _round(h)
    assert row.state == "closed" and row.closes_at == h.clock()
    assert h.app.job_queue is not None
    assert not any((j.name or "").startswith("round:1:deadline") for j in h.app.job_queue.jobs())
    async with h.sessions() as session:
        actor = await session.scalar(select(Staff.id).where(Staff.staff_no == "A001"))
        events = list(await session.scalars(select(AuditEvent).where(
            AuditEvent.action == "round.closing_set")))
    assert [e.actor_id for e in events] == [actor, actor]


async def test_only_admins_manage_rounds(wired) -> None:
    h, _scheduler = wired
    person = await h.bound_person("3001", 7002)
    answer = await person.ask_text("/rounds")
    assert answer.text == "只有管理员可以管理评选轮次。" and answer.labels == []
    await person.press_data("rd:1:closeok")
    assert "只有管理员" in ((await person.wait_for_toast()).get("text") or "")
    assert (await _round(h)).state == "accepting"


async def test_mute_and_unmute(wired) -> None:
    h, _scheduler = wired
    person = await h.bound_person("3001", 7002)
    assert "已关闭可选提醒" in ((await say(h, person, "/mute")).text or "")
    assert "已经是关闭状态" in ((await say(h, person, "/mute")).text or "")
    async with h.sessions() as session:
        assert await session.scalar(select(Staff.mute_optional).where(
            Staff.staff_no == "3001")) is True
    assert "已恢复可选提醒" in ((await say(h, person, "/unmute")).text or "")


async def test_cancel_ends_the_deadline_question(wired) -> None:
    h, _scheduler = wired
    admin = await h.bound_person("A001", 7001)
    await admin.ask_text("/rounds")
    ask = await press(h, admin, "延期 #1")
    await admin.send_text("/cancel")
    ended = await admin.wait_for_text("设置新的申报截止时间")
    assert "已取消为 三牛奖" in (ended.text or "") and "#1" not in (ended.text or "")
    assert "未作修改" in (ended.text or "")
    # The question lost its buttons: a reply to it now is not taken as a date.
    admin.mark()
    await admin.send_text("2026-12-17", reply_to=ask)
    await admin.wait_for_bot()
    assert (await _round(h)).closes_at == sh(2026, 12, 15, 17, 30)
