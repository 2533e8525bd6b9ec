"""Closing a notice at ``closes_at`` (the scheduler calls :func:`close_due_notices`).

A nomination with an upheld objection becomes ``objection_upheld``; one with an open
(undecided) objection waits — the notice is ``closing`` and the supervision section is
reminded — and every other becomes ``awarded``. Once nothing waits, the notice is
``closed`` and the final list is announced to everyone (and the channel). Every change
is audited, and running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notice, Objection, Round, Survey
from awardbot.workflow import audit
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.notice.base import award_text, outcome_code
from awardbot.workflow.notice.objection import DRAFT, LAPSED
from awardbot.workflow.notice.objection import OPEN as OBJECTION_OPEN
from awardbot.workflow.notice.objection_review import UPHELD, remind
from awardbot.workflow.notice.publish import CLOSED, CLOSING, LIVE_NOTICE, broadcast, winners
from awardbot.workflow.outbox import enqueue_for_staff
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services


@dataclass
class CloseReport:
    notice_id: int
    awarded: list[int] = field(default_factory=list)
    upheld: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)  # held by open objections
    closed: bool = False


async def upcoming(svc: Services, now: datetime) -> list[datetime]:
    """When a close is next due: open notices' closing times and open surveys' deadlines
    still ahead (the scheduler runs the close functions then, besides its periodic tick)."""
    async with svc.sessions() as session:
        notices = await session.scalars(select(Notice.closes_at).where(
            Notice.state == "open", Notice.closes_at > now))
        surveys = await session.scalars(select(Survey.deadline).where(
            Survey.state == "open", Survey.deadline > now))
        return sorted([*notices, *surveys])


async def close_due_notices(svc: Services, now: datetime) -> list[CloseReport]:
    """Close every notice whose period has ended (idempotent; safe to run often)."""
    async with svc.sessions.begin() as session:
        due = list(await session.scalars(
            select(Notice).where(Notice.state.in_(LIVE_NOTICE), Notice.closes_at <= now)
            .order_by(Notice.id).with_for_update()))
        return [await _close(session, svc, notice, now) for notice in due]


async def _close(session: AsyncSession, svc: Services, notice: Notice,
                 now: datetime) -> CloseReport:
    report = CloseReport(notice.id)
    objections = list(await session.scalars(
        select(Objection).where(Objection.notice_id == notice.id).order_by(Objection.id)))
    for draft in (o for o in objections if o.state == DRAFT):
        draft.state = LAPSED  # never submitted in time
    upheld = {o.nomination_id for o in objections if o.state == UPHELD}
    waiting = [o for o in objections if o.state == OBJECTION_OPEN and o.nomination_id not in upheld]
    rows = list(await session.scalars(
        select(Nomination).where(Nomination.id.in_(notice.nomination_ids))
        .order_by(Nomination.id).with_for_update()))
    for row in rows:
        if row.state != State.ON_NOTICE:
            continue
        if row.id in upheld:
            await _finish(session, row, State.OBJECTION_UPHELD, notice, now)
            await _tell_nominee(session, row, now)
            report.upheld.append(row.id)
        elif any(o.nomination_id == row.id for o in waiting):
            report.waiting.append(row.id)
        else:
            await _finish(session, row, State.AWARDED, notice, now)
            report.awarded.append(row.id)
    if report.waiting:
        await _hold(session, svc, notice, waiting, now)
        return report
    await _announce(session, svc, notice, rows, now)
    report.closed = True
    return report


async def _finish(session: AsyncSession, row: Nomination, state: State, notice: Notice,
                  now: datetime) -> None:
    row.state, row.updated_at = check(row.state, state), now
    await audit.append(session, at=now, actor_id=None, action=f"nomination.{state.value}",
                       subject_type="nomination", subject_id=row.id,
                       data={"notice": notice.id})


async def _tell_nominee(session: AsyncSession, row: Nomination, now: datetime) -> None:
    """The applicant (and the nominee) learn the result, not who objected or why."""
    message = Message(Text("notice.not_confirmed", {"award": award_text(outcome_code(row)),
                                                     "ref": row.ref or f"#{row.id}"}))
    for staff_id in {row.applicant_id, row.subject_staff_id} - {None}:
        assert staff_id is not None
        await enqueue_for_staff(session, staff_id, message, now=now,
                                dedupe_key=f"nomination:{row.id}:objection_upheld:{staff_id}")


async def _hold(session: AsyncSession, svc: Services, notice: Notice,
                waiting: list[Objection], now: datetime) -> None:
    if notice.state != CLOSING:
        notice.state = CLOSING
        await audit.append(session, at=now, actor_id=None, action="notice.held",
                           subject_type="notice", subject_id=notice.id,
                           data={"objections": [o.id for o in waiting]})
    await remind(session, svc, notice.id, waiting, now)


async def _announce(session: AsyncSession, svc: Services, notice: Notice,
                    rows: list[Nomination], now: datetime) -> None:
    notice.state, notice.closed_at = CLOSED, now
    final = [r for r in rows if r.state == State.AWARDED]
    await audit.append(session, at=now, actor_id=None, action="notice.closed",
                       subject_type="notice", subject_id=notice.id,
                       data={"awarded": [r.id for r in final],
                             "objection_upheld": [r.id for r in rows
                                                  if r.state == State.OBJECTION_UPHELD]})
    round_ = await session.get_one(Round, notice.round_id)
    if stages.stored(round_) is Stage.NOTICE:
        await stages.move(session, round_, Stage.FINAL, now, actor_id=None, by="notice_closed")
    message = Message(Text("notice.final", {
        "family": Text(f"notice.family.{round_.family}"), "period": round_.period,
        "winners": await winners(session, svc, round_.family, final), "count": len(final)}))
    await broadcast(session, svc, message, f"notice:{notice.id}:final", now)
