"""Duty reminders: the leader holding a submission, 催办 to the supervision section after
more working hours, evaluators with unscored nominations. Muting does not stop them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Notification, Round, Score, Staff
from awardbot.scoring import WorkingCalendar
from awardbot.workflow.reminders.scan import scan
from awardbot.workflow.rounds.plan import ReminderPolicy, SchedulePlan
from awardbot.workflow.services import Services
from tests.factories import add_staff, add_unit

SH = ZoneInfo("Asia/Shanghai")
PLAN = SchedulePlan(quarterly=None, annual=None, reminders=ReminderPolicy(
    leader_after_working_hours=8, leader_repeat_working_hours=8,
    escalate_after_working_hours=16, scoring_before_working_days=(2, 0)))
CAL = WorkingCalendar()


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


async def bureau(sessions: SessionFactory) -> dict[str, int]:
    window = await add_unit(sessions, "W1", "综合窗口", kind="window")
    section = await add_unit(sessions, "S1", "审批科", kind="section")
    office = await add_unit(sessions, "B1", "督查科", kind="bureau")
    ids = {
        "window": window, "section": section,
        "liu": await add_staff(sessions, "2001", "刘芳", window, telegram_user_id=9001),
        "sun": await add_staff(sessions, "3001", "孙丽", section, telegram_user_id=9003),
        "leader": await add_staff(sessions, "L001", "陈静", window, telegram_user_id=9010,
                                  roles=("leader",)),
        "sup": await add_staff(sessions, "D001", "王督", office, telegram_user_id=9020,
                               roles=("supervision",)),
        "ev1": await add_staff(sessions, "E001", "赵评", office, telegram_user_id=9030,
                               roles=("evaluator",)),
        "ev2": await add_staff(sessions, "E002", "钱评", window, telegram_user_id=9031,
                               roles=("eval_leader",)),
    }
    async with sessions.begin() as session:
        for key in ("leader", "ev1"):  # muting is for optional reminders only
            (await session.get_one(Staff, ids[key])).mute_optional = True
    return ids


async def nomination(sessions: SessionFactory, round_id: int, subject: int, state: str,
                     submitted: datetime, ref: str) -> int:
    async with sessions.begin() as session:
        row = Nomination(round_id=round_id, applicant_id=subject, subject_staff_id=subject,
                         state=state, ref=ref, award="ruzi_niu", created_at=submitted,
                         updated_at=submitted, submitted_at=submitted)
        session.add(row)
        await session.flush()
        return row.id


async def a_round(sessions: SessionFactory, scoring_deadline: datetime | None = None) -> int:
    async with sessions.begin() as session:
        row = Round(family="sanniu", period="2026Q3", opens_at=sh(2026, 9, 1, 9),
                    closes_at=sh(2026, 9, 29, 17, 30), scoring_deadline=scoring_deadline,
                    state="evaluation" if scoring_deadline else "accepting",
                    created_at=sh(2026, 9, 1, 9))
        session.add(row)
        await session.flush()
        return row.id


async def sent(sessions: SessionFactory) -> list[tuple[int | None, str]]:
    async with sessions() as session:
        rows = await session.scalars(select(Notification).order_by(Notification.id))
        return [(n.staff_id, n.payload["text"]["$text"]) for n in rows]





async def test_leader_then_escalation_counting_working_hours_only(
    sessions: SessionFactory,
) -> None:
    ids = await bureau(sessions)
    round_id = await a_round(sessions)
    # Friday 23 Oct 15:30: 2 working hours on Friday, the weekend counts nothing.
    await nomination(sessions, round_id, ids["liu"], "submitted", sh(2026, 10, 23, 15, 30),
                     "SN-2026Q3-0001")
    svc = Services(sessions, plan=PLAN)
    assert (await scan(svc, CAL, sh(2026, 10, 25, 23))).total == 0  # 55 hours, 2 working
    assert (await scan(svc, CAL, sh(2026, 10, 26, 14, 59))).total == 0  # 7.98 working hours
    assert (await scan(svc, CAL, sh(2026, 10, 26, 15))).sent == {"leader_pending": 1}
    assert await sent(sessions) == [(ids["leader"], "schedule.leader_pending")]
    assert (await scan(svc, CAL, sh(2026, 10, 26, 15))).total == 0  # restart, same moment
    assert (await scan(svc, CAL, sh(2026, 10, 27, 14))).total == 0  # 15.5 h: same step
    # Tuesday 14:30 makes 16 working hours: 催办, and the leader's second reminder.
    report = await scan(svc, CAL, sh(2026, 10, 27, 14, 30))
    assert report.sent == {"leader_pending": 1, "escalation": 1}
    assert (await sent(sessions))[1:] == [(ids["leader"], "schedule.leader_pending"),
                                          (ids["sup"], "schedule.escalation")]
    assert (await scan(svc, CAL, sh(2026, 10, 27, 17))).total == 0
    async with sessions() as session:
        note = await session.scalar(select(Notification).where(
            Notification.staff_id == ids["sup"]))
    assert note is not None
    assert note.payload["text"]["params"] == {"ref": "SN-2026Q3-0001", "nominee": "刘芳",
                                              "hours": 16}


async def test_holidays_do_not_count_and_signed_ones_are_left_alone(
    sessions: SessionFactory,
) -> None:
    ids = await bureau(sessions)
    round_id = await a_round(sessions)
    waiting = await nomination(sessions, round_id, ids["liu"], "submitted",
                               sh(2026, 9, 30, 16, 30), "SN-2026Q3-0001")
    await nomination(sessions, round_id, ids["liu"], "dept_approved", sh(2026, 9, 30, 9),
                     "SN-2026Q3-0002")
    svc = Services(sessions, plan=PLAN)
    assert (await scan(svc, CAL, sh(2026, 10, 7, 23))).total == 0  # National Day: 1 h
    assert (await scan(svc, CAL, sh(2026, 10, 8, 16))).sent == {"leader_pending": 1}
    async with sessions.begin() as session:
        (await session.get_one(Nomination, waiting)).state = "dept_approved"
    assert (await scan(svc, CAL, sh(2026, 10, 12, 17))).total == 0


async def test_evaluators_with_unscored_checked_nominations(sessions: SessionFactory) -> None:
    ids = await bureau(sessions)
    # Scoring closes Friday 23 Oct: reminders on Wednesday 21 and on the day.
    round_id = await a_round(sessions, scoring_deadline=sh(2026, 10, 23, 17, 30))
    own_unit = await nomination(sessions, round_id, ids["liu"], "checked", sh(2026, 10, 9, 9),
                                "SN-2026Q3-0001")
    other = await nomination(sessions, round_id, ids["sun"], "checked", sh(2026, 10, 9, 9),
                             "SN-2026Q3-0002")
    await nomination(sessions, round_id, ids["sun"], "dept_approved", sh(2026, 10, 9, 9),
                     "SN-2026Q3-0003")
    async with sessions.begin() as session:
        session.add(Score(nomination_id=other, evaluator_id=ids["ev1"], section="grade",
                          value=Decimal(8), created_at=sh(2026, 10, 20, 9)))
    svc = Services(sessions, plan=PLAN)
    assert (await scan(svc, CAL, sh(2026, 10, 21, 8, 59))).total == 0
    assert (await scan(svc, CAL, sh(2026, 10, 21, 9))).sent == {"scoring_due": 2}
    async with sessions() as session:
        notes = {n.staff_id: n.payload["text"]["params"] for n in await session.scalars(
            select(Notification))}
    # ev1 (muted, but this is a duty) scored one of two; ev2 is recused from own_unit.
    assert notes[ids["ev1"]]["count"] == 1 and notes[ids["ev2"]]["count"] == 1
    assert notes[ids["ev1"]]["deadline"] == "2026-10-23 17:30"
    assert (await scan(svc, CAL, sh(2026, 10, 22, 9))).total == 0
    async with sessions.begin() as session:
        session.add(Score(nomination_id=own_unit, evaluator_id=ids["ev1"], section="grade",
                          value=Decimal(9), created_at=sh(2026, 10, 22, 9)))
    # On the day: ev1 has scored everything; ev2 still has one.
    assert (await scan(svc, CAL, sh(2026, 10, 23, 9, 30))).sent == {"scoring_due": 1}
    assert (await sent(sessions))[-1] == (ids["ev2"], "schedule.scoring_due")
    assert (await scan(svc, CAL, sh(2026, 10, 23, 17, 30))).total == 0  # closed
