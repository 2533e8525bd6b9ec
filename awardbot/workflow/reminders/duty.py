"""Duty reminders (mandatory: muting does not stop them).

- A department leader holding a submitted nomination for ``leader_after_working_hours``
  office hours is reminded, then again every ``leader_repeat_working_hours``:
  ``sched:lead:{nomination}:{submitted}:{step}:{leader}``.
- After ``escalate_after_working_hours`` the supervision section is told (催办), once per
  submission: ``sched:esc:{nomination}:{submitted}:{staff}``.
- Evaluation-group members with ``checked`` nominations they have not scored (no Score
  row of theirs; their own and their unit's excepted) are reminded ``n`` working days
  before the scoring deadline: ``sched:score:{round}:{n}:{staff}``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Round, Score, Staff, StaffRole, Unit
from awardbot.scoring import CalendarUnavailable, WorkingCalendar
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text, names
from awardbot.workflow.reminders.base import ScanReport, last_sent, local_text, remind, sent_keys
from awardbot.workflow.review.route import dept_signers
from awardbot.workflow.roles import Role
from awardbot.workflow.rounds.plan import latest_due, working_hours_between
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services


async def _with_role(session: AsyncSession, *roles: Role) -> list[Staff]:
    rows = await session.scalars(
        select(Staff).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role.in_(roles), Staff.active, Staff.telegram_user_id.is_not(None))
        .order_by(Staff.id).distinct())
    return list(rows)


async def _subject_unit(session: AsyncSession, row: Nomination) -> int:
    if row.subject_unit_id is not None:
        return row.subject_unit_id
    return (await session.get_one(Staff, row.subject_staff_id)).unit_id


async def _nominee(session: AsyncSession, row: Nomination) -> str:
    if row.subject_staff_id is not None:
        return (await session.get_one(Staff, row.subject_staff_id)).name
    return (await session.get_one(Unit, row.subject_unit_id)).name


async def _one_pending(session: AsyncSession, svc: Services, row: Nomination,
                       hours: float, supervisors: list[Staff], now: datetime,
                       report: ScanReport) -> None:
    policy = svc.plan.reminders
    stamp = int((row.submitted_at or now).timestamp())
    params = {"ref": row.ref or "", "nominee": await _nominee(session, row),
              "hours": int(hours)}
    step = int((hours - policy.leader_after_working_hours) // policy.leader_repeat_working_hours)
    prefix = f"sched:lead:{row.id}:{stamp}:"
    recent = await last_sent(session, prefix, now - policy.min_interval)
    # Exactly those who got the card and may sign it (leaders up the chain, deputies).
    signers = sorted({s.staff_id for s in await dept_signers(session, row, now)})
    for leader in signers:
        if leader in recent:
            continue
        key = f"{prefix}{step}:{leader}"
        if await remind(session, leader, Text("schedule.leader_pending", params), key, now):
            report.sent["leader_pending"] += 1
    if hours < policy.escalate_after_working_hours:
        return
    for staff in supervisors:
        key = f"sched:esc:{row.id}:{stamp}:{staff.id}"
        if await remind(session, staff.id, Text("schedule.escalation", params), key, now):
            report.sent["escalation"] += 1


async def leader_reminders(svc: Services, calendar: WorkingCalendar, now: datetime,
                           report: ScanReport) -> None:
    policy = svc.plan.reminders
    async with svc.sessions.begin() as session:
        rows = await session.scalars(select(Nomination).where(
            Nomination.state == State.SUBMITTED, Nomination.submitted_at.is_not(None))
            .order_by(Nomination.id))
        supervisors = await _with_role(session, Role.SUPERVISION)
        for row in rows.all():
            assert row.submitted_at is not None
            try:
                hours = working_hours_between(row.submitted_at, now, calendar, svc.plan)
            except CalendarUnavailable as exc:
                report.missing_years.add(exc.year)
                continue
            if hours >= policy.leader_after_working_hours:
                await _one_pending(session, svc, row, hours, supervisors, now, report)


def _recused(evaluator: Staff, row: Nomination, unit_id: int) -> bool:
    return evaluator.id in (row.applicant_id, row.subject_staff_id) or evaluator.unit_id == unit_id


async def _round_scoring(session: AsyncSession, svc: Services, round_: Round,
                         before: int, evaluators: list[Staff], now: datetime,
                         report: ScanReport) -> None:
    rows = list(await session.scalars(select(Nomination).where(
        Nomination.round_id == round_.id, Nomination.state == State.CHECKED)))
    if not rows:
        return
    result = await session.execute(select(Score.nomination_id, Score.evaluator_id).where(
        Score.nomination_id.in_([r.id for r in rows])))
    scored = {(nomination, evaluator) for nomination, evaluator in result}
    units = {r.id: await _subject_unit(session, r) for r in rows}
    family = svc.awards.families[round_.family]
    prefix = f"sched:score:{round_.id}:"
    done = await sent_keys(session, prefix)
    recent = await last_sent(session, prefix, now - svc.plan.reminders.min_interval)
    assert round_.scoring_deadline is not None
    for evaluator in evaluators:
        key = f"{prefix}{before}:{evaluator.id}"
        if key in done or evaluator.id in recent:
            continue
        pending = [r for r in rows if not _recused(evaluator, r, units[r.id])
                   and (r.id, evaluator.id) not in scored]
        if not pending:
            continue
        text = Text("schedule.scoring_due", {
            "count": len(pending), "family": names(family.names.zh, family.names.en),
            "period": round_.period,
            "deadline": local_text(round_.scoring_deadline, svc.plan)})
        if await remind(session, evaluator.id, text, key, now):
            report.sent["scoring_due"] += 1


async def scoring_reminders(svc: Services, calendar: WorkingCalendar, now: datetime,
                            report: ScanReport) -> None:
    befores = svc.plan.reminders.scoring_before_working_days
    async with svc.sessions.begin() as session:
        rounds = await session.scalars(select(Round).where(
            Round.scoring_deadline.is_not(None), Round.scoring_deadline > now,
            Round.state == Stage.EVALUATION).order_by(Round.id))
        evaluators = await _with_role(session, Role.EVALUATOR, Role.EVAL_LEADER)
        for round_ in rounds.all():
            if round_.family not in svc.awards.families:
                continue
            assert round_.scoring_deadline is not None
            try:
                before = latest_due(round_.scoring_deadline, befores, svc.plan, calendar, now)
            except CalendarUnavailable as exc:
                report.missing_years.add(exc.year)
                continue
            if before is not None:
                await _round_scoring(session, svc, round_, before, evaluators, now, report)
