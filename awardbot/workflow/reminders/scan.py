"""Reminders, all through the outbox: idempotent by dedupe key, never more often than the
configured minimum interval, and optional ones skipped for people who muted them.

:func:`scan` is what the scheduler runs: it looks at the database as it is at ``now`` and
sends whatever is due and not yet sent — so running it twice, or after a crash, sends
nothing twice. Dedupe keys all start ``sched:`` (see docs/schedule.md):

- ``sched:{round}:open:{staff}`` — the round is open, to everyone eligible (optional);
- ``sched:{round}:due{n}:{staff}`` — ``n`` working days before the application deadline,
  to the eligible who have not applied and to applicants with unfinished drafts (optional);
- leader, 催办 and evaluator reminders (mandatory): see :mod:`reminders_duty`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round, Staff
from awardbot.scoring import CalendarUnavailable, WorkingCalendar
from awardbot.workflow.messages import Text, names
from awardbot.workflow.reminders import duty as reminders_duty
from awardbot.workflow.reminders.audience import Recipient, audience
from awardbot.workflow.reminders.base import ScanReport, last_sent, local_text, remind, sent_keys
from awardbot.workflow.rounds.opening import OPEN
from awardbot.workflow.rounds.plan import latest_due
from awardbot.workflow.services import Services

__all__ = ["ScanReport", "Services", "scan", "set_muted"]


async def _round_reminders(session: AsyncSession, svc: Services, round_: Round,
                           calendar: WorkingCalendar, now: datetime, report: ScanReport) -> None:
    plan = svc.plan
    family = svc.awards.families[round_.family]
    params = {"family": names(family.names.zh, family.names.en), "period": round_.period,
              "deadline": local_text(round_.closes_at, plan)}
    prefix = f"sched:{round_.id}:"
    done = await sent_keys(session, prefix)
    recent = await last_sent(session, prefix, now - plan.reminders.min_interval)
    people = await audience(session, round_, plan.day_of(round_.closes_at), svc.rules, svc.awards)
    before = latest_due(round_.closes_at, plan.reminders.before_deadline_working_days, plan,
                        calendar, now)
    plans: list[tuple[Recipient, str, str]] = []
    if before is not None:
        for person in people.drafting.values():
            plans.append((person, f"due{before}", "schedule.deadline_draft"))
        for person in people.eligible.values():
            if person.staff_id not in people.applied and person.staff_id not in people.drafting:
                plans.append((person, f"due{before}", "schedule.deadline_not_applied"))
    else:
        for person in people.eligible.values():
            if person.staff_id not in people.applied:
                plans.append((person, "open", "schedule.round_open"))
    for person, kind, text in plans:
        key = f"{prefix}{kind}:{person.staff_id}"
        if person.muted or key in done or person.staff_id in recent:
            continue
        if await remind(session, person.staff_id, Text(text, params), key, now):
            recent[person.staff_id] = now
            report.sent[text.removeprefix("schedule.")] += 1


async def application_reminders(svc: Services, calendar: WorkingCalendar,
                                now: datetime, report: ScanReport) -> None:
    async with svc.sessions() as session:
        ids = list(await session.scalars(select(Round.id).where(
            Round.state == OPEN, Round.opens_at <= now, Round.closes_at > now)
            .order_by(Round.id)))
    for round_id in ids:  # one transaction per round: a failure loses only that round
        try:
            async with svc.sessions.begin() as session:
                round_ = await session.get_one(Round, round_id)
                if round_.family in svc.awards.families:
                    await _round_reminders(session, svc, round_, calendar, now, report)
        except CalendarUnavailable as exc:
            report.missing_years.add(exc.year)


async def scan(svc: Services, calendar: WorkingCalendar, now: datetime) -> ScanReport:
    """Send every reminder due at ``now`` that was not sent before."""
    report = ScanReport()
    if not svc.plan.enabled:
        return report
    await application_reminders(svc, calendar, now, report)
    await reminders_duty.leader_reminders(svc, calendar, now, report)
    await reminders_duty.scoring_reminders(svc, calendar, now, report)
    return report


async def set_muted(sessions: SessionFactory, staff_id: int, muted: bool) -> bool:
    """Mute or unmute optional reminders; True if this changed anything."""
    async with sessions.begin() as session:
        staff = await session.get_one(Staff, staff_id)
        if staff.mute_optional == muted:
            return False
        staff.mute_optional = muted
        return True
