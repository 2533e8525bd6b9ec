"""Rounds open on the calendar by themselves, with working-day deadlines, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Round
from awardbot.scoring import WorkingCalendar
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import calendar as calendar_store
from awardbot.workflow.rounds.opening import open_now, open_round
from awardbot.workflow.rounds.plan import (
    AnnualPlan,
    Offsets,
    QuarterlyPlan,
    SchedulePlan,
    working_hours_between,
)
from awardbot.workflow.rounds.schedule import close_round, ensure_rounds, extend_round

SH = ZoneInfo("Asia/Shanghai")
PLAN = SchedulePlan(
    quarterly=QuarterlyPlan(open_working_day=3,
                            offsets=Offsets(application=5, leader=2, check=3, scoring=5,
                                            survey=6)),
    annual=None)
Y2027 = {"year": 2027, "holidays": ["2027-01-01", "2027-02-08", "2027-02-09"],
         "workdays": ["2027-02-20"]}


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


async def _rounds(sessions: SessionFactory) -> list[Round]:
    async with sessions() as session:
        return list(await session.scalars(select(Round).order_by(Round.id)))


async def test_quarter_round_opens_across_national_day(sessions: SessionFactory) -> None:
    calendar = await calendar_store.load_calendar(sessions)
    early = await ensure_rounds(sessions, PLAN, calendar, sh(2026, 9, 30, 12))
    assert early.created == [] and await _rounds(sessions) == []

    report = await ensure_rounds(sessions, PLAN, calendar, sh(2026, 10, 3, 10))
    assert [(r.family, r.period) for r in report.created] == [("sanniu", "2026Q3")]
    (row,) = await _rounds(sessions)
    # Oct 1–7 off; Oct 8 and 9 are the 1st and 2nd working days, Saturday Oct 10 (调休) the 3rd.
    assert row.opens_at == sh(2026, 10, 10, 9)
    assert row.opens_at.tzinfo is not None and row.opens_at.utcoffset() == timedelta(0)
    assert row.closes_at == sh(2026, 10, 16, 17, 30)  # 12, 13, 14, 15, 16
    assert row.leader_deadline == sh(2026, 10, 20, 17, 30)
    assert row.check_deadline == sh(2026, 10, 21, 17, 30)
    assert row.scoring_deadline == sh(2026, 10, 23, 17, 30)
    assert row.survey_deadline == sh(2026, 10, 26, 17, 30)

    again = await ensure_rounds(sessions, PLAN, calendar, sh(2026, 10, 10, 9, 30))
    assert not again.changed and len(await _rounds(sessions)) == 1
    async with sessions() as session:
        assert [r.period for r in await open_now(session, sh(2026, 10, 10, 9, 30))] == ["2026Q3"]
        assert await open_now(session, sh(2026, 10, 10, 8, 59)) == []
        events = list(await session.scalars(select(AuditEvent.action)))
    assert events == ["round.opened"]


async def test_last_month_day_and_annual_rounds(sessions: SessionFactory) -> None:
    plan = SchedulePlan(
        quarterly=QuarterlyPlan(mode="last_month_day", open_day=3,
                                offsets=Offsets(application=2)),
        annual=AnnualPlan(families=("zuimei_staff",), open_month=10, open_day=1,
                          offsets=Offsets(application=1)))
    calendar = WorkingCalendar()
    report = await ensure_rounds(sessions, plan, calendar, sh(2026, 9, 2, 12))
    # 2026Q3's last month is September: the 3rd (a Thursday) it is; two working days on.
    (quarterly,) = report.created
    assert (quarterly.family, quarterly.period) == ("sanniu", "2026Q3")
    assert quarterly.opens_at == sh(2026, 9, 3, 9)
    assert quarterly.closes_at == sh(2026, 9, 7, 17, 30)
    # The annual round's date is a holiday: it opens on the first working day after.
    later = await ensure_rounds(sessions, plan, calendar, sh(2026, 10, 2, 12))
    annual = {(r.family, r.period): r for r in later.created}[("zuimei_staff", "2026")]
    assert annual.opens_at == sh(2026, 10, 8, 9) and annual.closes_at == sh(2026, 10, 9, 17, 30)


async def test_a_round_opened_by_hand_is_kept_and_its_deadlines_filled(
    sessions: SessionFactory,
) -> None:
    now = sh(2026, 10, 3, 10)
    await open_round(sessions, family="sanniu", period="2026Q3", opens_at=sh(2026, 10, 9, 9),
                     closes_at=sh(2026, 10, 15, 17, 30), now=now)
    report = await ensure_rounds(sessions, PLAN, WorkingCalendar(), now)
    assert report.created == [] and len(report.filled) == 1
    (row,) = await _rounds(sessions)
    assert row.opens_at == sh(2026, 10, 9, 9) and row.closes_at == sh(2026, 10, 15, 17, 30)
    assert row.leader_deadline == sh(2026, 10, 19, 17, 30)
    assert (await ensure_rounds(sessions, PLAN, WorkingCalendar(), now)).filled == []


async def test_a_year_without_calendar_is_reported_not_guessed(sessions: SessionFactory) -> None:
    now = sh(2026, 12, 30, 12)  # 2026Q4's round opens in January 2027
    calendar = await calendar_store.load_calendar(sessions)
    report = await ensure_rounds(sessions, PLAN, calendar, now)
    assert report.created == [] and report.missing_years == {2027}

    await calendar_store.store_year(sessions, Y2027, now=now)
    calendar = await calendar_store.load_calendar(sessions)
    report = await ensure_rounds(sessions, PLAN, calendar, now)
    assert [r.period for r in report.created] == ["2026Q4"]
    assert report.created[0].opens_at == sh(2027, 1, 6, 9)  # Jan 1 off: 4th, 5th, 6th


async def test_extend_moves_later_deadlines_and_close_is_idempotent(
    sessions: SessionFactory,
) -> None:
    calendar = WorkingCalendar()
    await ensure_rounds(sessions, PLAN, calendar, sh(2026, 10, 3, 10))
    (row,) = await _rounds(sessions)
    now = sh(2026, 10, 12, 10)
    with pytest.raises(Refusal):
        await extend_round(sessions, row.id, sh(2026, 10, 12, 9), plan=PLAN, now=now,
                           actor_id=None)
    item = await extend_round(sessions, row.id, sh(2026, 10, 19, 17, 30), plan=PLAN, now=now,
                              actor_id=None)
    assert item.closes_at == sh(2026, 10, 19, 17, 30)
    (row,) = await _rounds(sessions)
    assert row.leader_deadline == sh(2026, 10, 21, 17, 30)
    assert row.survey_deadline == sh(2026, 10, 27, 17, 30)
    first = await close_round(sessions, row.id, now=now, actor_id=None)
    second = await close_round(sessions, row.id, now=now + timedelta(minutes=1), actor_id=None)
    assert first.closes_at == second.closes_at == now and second.state == "closed"
    async with sessions() as session:
        actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["round.opened", "round.closing_set", "round.stage", "round.closing_set"]


def test_working_hours_skip_weekends_and_holidays() -> None:
    calendar = WorkingCalendar()
    # Friday 15:30 to Monday 15:00: 2 h on Friday, 6 h on Monday.
    assert working_hours_between(sh(2026, 10, 23, 15, 30), sh(2026, 10, 26, 15), calendar,
                                 PLAN) == pytest.approx(8)
    # National Day: 30 Sept 16:30 to 8 Oct 16:00 is 1 h + 7 h.
    assert working_hours_between(sh(2026, 9, 30, 16, 30), sh(2026, 10, 8, 16), calendar,
                                 PLAN) == pytest.approx(8)
    assert working_hours_between(sh(2026, 10, 1, 9), sh(2026, 10, 7, 23), calendar, PLAN) == 0
    assert working_hours_between(datetime(2026, 10, 10, 1, tzinfo=UTC),
                                 datetime(2026, 10, 10, 2, tzinfo=UTC), calendar, PLAN) == 1
