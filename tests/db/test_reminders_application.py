"""Round reminders: on opening to the eligible, before the deadline to those who have not
applied or left a draft; once each, never faster than the minimum interval, not to the muted."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import MonthlyAssessment, Nomination, Notification, Round, Staff, Unit
from awardbot.scoring import WorkingCalendar
from awardbot.workflow.reminders.scan import scan, set_muted
from awardbot.workflow.rounds.plan import Offsets, QuarterlyPlan, ReminderPolicy, SchedulePlan
from awardbot.workflow.rounds.schedule import ensure_rounds
from awardbot.workflow.services import Services
from tests.factories import add_staff, add_unit

SH = ZoneInfo("Asia/Shanghai")
PLAN = SchedulePlan(
    quarterly=QuarterlyPlan(open_working_day=3, offsets=Offsets(application=5)), annual=None,
    reminders=ReminderPolicy(before_deadline_working_days=(3, 1)))
CAL = WorkingCalendar()


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


async def bureau(sessions: SessionFactory) -> dict[str, int]:
    """Window staff need a 90 average in the quarter; bureau-level staff may not apply."""
    window = await add_unit(sessions, "W1", "综合窗口", kind="window")
    section = await add_unit(sessions, "S1", "审批科", kind="section")
    office = await add_unit(sessions, "B1", "局办公室", kind="bureau")
    ids = {
        "liu": await add_staff(sessions, "2001", "刘芳", window, telegram_user_id=9001,
                               is_window_staff=True),
        "low": await add_staff(sessions, "2002", "杨洋", window, telegram_user_id=9002,
                               is_window_staff=True),
        "sun": await add_staff(sessions, "3001", "孙丽", section, telegram_user_id=9003),
        "quiet": await add_staff(sessions, "3002", "周静", section, telegram_user_id=9004),
        "unbound": await add_staff(sessions, "3003", "吴军", section),
        "boss": await add_staff(sessions, "B001", "陈局", office, telegram_user_id=9005,
                                roles=("admin",)),
    }
    async with sessions.begin() as session:
        for key, score in (("liu", "95"), ("low", "80")):
            for month in ("2026-07", "2026-08", "2026-09"):
                session.add(MonthlyAssessment(staff_id=ids[key], month=month,
                                              score=Decimal(score)))
        (await session.get_one(Staff, ids["quiet"])).mute_optional = True
        (await session.get_one(Unit, window)).contact_staff_id = ids["liu"]
    return ids


def services(sessions: SessionFactory, plan: SchedulePlan = PLAN) -> Services:
    return Services(sessions, plan=plan)


async def sent(sessions: SessionFactory) -> list[tuple[int | None, str]]:
    async with sessions() as session:
        rows = await session.scalars(select(Notification).order_by(Notification.id))
        return [(n.staff_id, n.payload["text"]["$text"]) for n in rows]


async def open_q3(sessions: SessionFactory) -> int:
    report = await ensure_rounds(sessions, PLAN, CAL, sh(2026, 10, 3, 10))
    return report.created[0].id  # opens Sat 10 Oct 09:00, closes Fri 16 Oct 17:30


async def test_opening_goes_to_the_eligible_once(sessions: SessionFactory) -> None:
    ids = await bureau(sessions)
    await open_q3(sessions)
    svc = services(sessions)
    assert (await scan(svc, CAL, sh(2026, 10, 10, 8, 59))).total == 0  # not open yet
    report = await scan(svc, CAL, sh(2026, 10, 10, 9, 5))
    assert report.sent == {"round_open": 2}
    assert sorted(await sent(sessions)) == sorted(
        [(ids["liu"], "schedule.round_open"), (ids["sun"], "schedule.round_open")])
    # Below the window gate (low), muted (quiet), unbound, or not eligible (boss): nothing.
    assert (await scan(svc, CAL, sh(2026, 10, 10, 9, 5))).total == 0  # the same scan again
    assert (await scan(svc, CAL, sh(2026, 10, 12, 11))).total == 0  # later, before the 3-day
    async with sessions() as session:
        note = await session.scalar(select(Notification).where(
            Notification.staff_id == ids["liu"]))
    assert note is not None and note.priority == 7 and note.chat_id == 9001
    assert note.payload["text"]["params"]["deadline"] == "2026-10-16 17:30"
    assert note.payload["text"]["params"]["family"] == {"$names": {"zh": "三牛奖",
                                                                   "en": "Three Ox awards"}}


async def test_before_the_deadline_to_those_who_have_not_applied(
    sessions: SessionFactory,
) -> None:
    ids = await bureau(sessions)
    round_id = await open_q3(sessions)
    svc = services(sessions)
    await scan(svc, CAL, sh(2026, 10, 10, 9, 5))
    async with sessions.begin() as session:
        for subject, state in (("liu", "submitted"), ("sun", "draft")):
            session.add(Nomination(round_id=round_id, applicant_id=ids[subject],
                                   subject_staff_id=ids[subject], state=state,
                                   created_at=sh(2026, 10, 11, 9), updated_at=sh(2026, 10, 11, 9)))
    before = len(await sent(sessions))
    # Three working days before Fri 16 Oct is Tue 13 Oct (09:00).
    assert (await scan(svc, CAL, sh(2026, 10, 13, 8, 59))).total == 0
    report = await scan(svc, CAL, sh(2026, 10, 13, 9, 30))
    assert report.sent == {"deadline_draft": 1}
    assert (await sent(sessions))[before:] == [(ids["sun"], "schedule.deadline_draft")]
    assert (await scan(svc, CAL, sh(2026, 10, 13, 9, 30))).total == 0
    # One working day before: Thu 15 Oct. sun finished meanwhile; quiet unmuted.
    async with sessions.begin() as session:
        draft = await session.scalar(select(Nomination).where(
            Nomination.subject_staff_id == ids["sun"]))
        assert draft is not None
        draft.state = "submitted"
    await set_muted(sessions, ids["quiet"], False)
    report = await scan(svc, CAL, sh(2026, 10, 15, 10))
    assert report.sent == {"deadline_not_applied": 1}
    assert (await sent(sessions))[-1] == (ids["quiet"], "schedule.deadline_not_applied")
    assert (await scan(svc, CAL, sh(2026, 10, 15, 10))).total == 0
    assert (await scan(svc, CAL, sh(2026, 10, 16, 17, 30))).total == 0  # closed


async def test_repeats_keep_the_minimum_interval_and_skip_stale_ones(
    sessions: SessionFactory,
) -> None:
    ids = await bureau(sessions)
    await open_q3(sessions)
    svc = services(sessions, replace(PLAN, reminders=replace(
        PLAN.reminders, min_interval=timedelta(hours=6))))
    # Down since before the opening; back on Tue 13 Oct 08:30: the opening news is sent.
    assert (await scan(svc, CAL, sh(2026, 10, 13, 8, 30))).sent == {"round_open": 2}
    # 09:00 makes the 3-day reminder due, but not six hours after the last one.
    assert (await scan(svc, CAL, sh(2026, 10, 13, 9, 30))).total == 0
    assert (await scan(svc, CAL, sh(2026, 10, 13, 14, 31))).sent == {"deadline_not_applied": 2}
    # Down again until Thursday 15:00: only the 1-day reminder, never the 3-day one twice.
    assert (await scan(svc, CAL, sh(2026, 10, 15, 15))).sent == {"deadline_not_applied": 2}
    texts = await sent(sessions)
    assert len(texts) == 6 and texts.count((ids["liu"], "schedule.deadline_not_applied")) == 2
    async with sessions() as session:
        keys = set(await session.scalars(select(Notification.dedupe_key)))
    assert f"sched:1:due3:{ids['liu']}" in keys and f"sched:1:due1:{ids['liu']}" in keys


async def test_window_and_hall_rounds_go_to_contact_persons(sessions: SessionFactory) -> None:
    ids = await bureau(sessions)
    now = sh(2026, 12, 2, 10)
    async with sessions.begin() as session:
        session.add(Round(family="zuimei_window", period="2026", opens_at=now - timedelta(hours=1),
                          closes_at=now + timedelta(days=10), created_at=now))
        # 95 and 80 average 87.5, under 90; with two months of 100 the window makes 90.6.
        for month in ("2026-10", "2026-11"):
            session.add(MonthlyAssessment(staff_id=ids["low"], month=month, score=Decimal(100)))
    report = await scan(services(sessions), CAL, now)
    assert report.sent == {"round_open": 1}
    assert await sent(sessions) == [(ids["liu"], "schedule.round_open")]


async def test_disabled_schedule_sends_nothing(sessions: SessionFactory) -> None:
    await bureau(sessions)
    await open_q3(sessions)
    svc = services(sessions, replace(PLAN, enabled=False))
    assert (await scan(svc, CAL, sh(2026, 10, 10, 9, 5))).total == 0
