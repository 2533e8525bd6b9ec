"""Who reviews a nomination, and sending them its card.

Department sign-off goes to the leaders of the nominee's unit (for a window or hall, the
unit itself); any one of them may sign (或签). Nobody signs their own nomination (as
applicant or nominee): when no leader of the unit is free to sign, the card goes to the
leaders of the parent unit, and so on up; with nobody left, the nomination goes straight
to the supervision section (督查科). A leader's active deputy (委办) receives the card in
the leader's place and may sign for them.

A card written at submission waits (``not_before``) until the applicant has been sent the
申报表, so that it can carry the form by file_id; after ``FORM_WAIT`` it goes without.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notification, Staff, StaffRole, Unit
from awardbot.workflow import audit, outbox
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review.card import CHECK, DEPT, card, card_key, cycle_of, stage
from awardbot.workflow.review.delegation import active_deputies, today
from awardbot.workflow.roles import Role
from awardbot.workflow.services import Services

# How long a fresh card waits for the 申报表's file_id before going out without it.
FORM_WAIT = timedelta(seconds=30)


@dataclass(frozen=True)
class Signer:
    staff_id: int
    for_leader: int | None = None  # set when a deputy signs in a leader's place


def conflicted(row: Nomination) -> set[int]:
    """People who may not review this nomination: its applicant and its nominee."""
    return {row.applicant_id} | ({row.subject_staff_id} if row.subject_staff_id else set())


async def subject_unit(session: AsyncSession, row: Nomination) -> int:
    if row.subject_unit_id is not None:
        return row.subject_unit_id
    return (await session.get_one(Staff, row.subject_staff_id)).unit_id


async def unit_chain(session: AsyncSession, unit_id: int) -> list[int]:
    """The unit and its parents, nearest first (a cycle in the roster stops the walk)."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = await session.scalar(select(Unit.parent_id).where(Unit.id == current))
    return chain


async def _leaders(session: AsyncSession, unit_id: int) -> list[int]:
    rows = await session.scalars(
        select(StaffRole.staff_id).join(Staff, Staff.id == StaffRole.staff_id)
        .where(StaffRole.role == Role.LEADER, StaffRole.unit_id == unit_id, Staff.active))
    return sorted(set(rows))


async def signing_leaders(session: AsyncSession, row: Nomination) -> list[int]:
    """The leaders of the first unit up the chain with a leader free to sign."""
    excluded = conflicted(row)
    for unit_id in await unit_chain(session, await subject_unit(session, row)):
        leaders = [s for s in await _leaders(session, unit_id) if s not in excluded]
        if leaders:
            return leaders
    return []


async def dept_signers(session: AsyncSession, row: Nomination, now: datetime) -> list[Signer]:
    """Who may sign now: the signing leaders, and their active deputies."""
    leaders = await signing_leaders(session, row)
    deputies = await active_deputies(session, leaders, today(now))
    excluded = conflicted(row)
    return [Signer(s) for s in leaders] + [
        Signer(d, leader) for leader, d in sorted(deputies.items())
        if d not in excluded and d not in leaders]


async def checkers(session: AsyncSession, row: Nomination) -> list[int]:
    rows = await session.scalars(
        select(StaffRole.staff_id).join(Staff, Staff.id == StaffRole.staff_id)
        .where(StaffRole.role == Role.SUPERVISION, Staff.active))
    return sorted(set(rows) - conflicted(row))


async def authorise(session: AsyncSession, row: Nomination, step: str, actor_id: int,
                    now: datetime) -> Signer:
    """The actor's standing on this step of this nomination, or a refusal."""
    if step == DEPT:
        signers = await dept_signers(session, row, now)
        own = [s for s in signers if s.staff_id == actor_id]
        if own:
            return min(own, key=lambda s: s.for_leader is not None)  # as leader if both
    elif step == CHECK and actor_id in await checkers(session, row):
        return Signer(actor_id)
    raise Refusal("review.not_yours")


async def route(session: AsyncSession, svc: Services, row: Nomination,
                now: datetime) -> None:
    """Send the card for the step the nomination now waits on (after submit or sign-off)."""
    cycle = await cycle_of(session, row.id)
    if row.state == State.SUBMITTED:
        leaders = await signing_leaders(session, row)
        if leaders:
            deputies = await active_deputies(session, leaders, today(now))
            excluded = conflicted(row)
            recipients = {deputies.get(s, s) if deputies.get(s) not in excluded else s
                          for s in leaders}
            await _send(session, svc, row, stage(DEPT, cycle), sorted(recipients), now)
            return
        row.state = check(row.state, State.DEPT_APPROVED)
        await audit.append(session, at=now, actor_id=None, action="review.no_leader",
                           subject_type="nomination", subject_id=row.id,
                           data={"ref": row.ref, "state": row.state})
    if row.state == State.DEPT_APPROVED:
        await _send(session, svc, row, stage(CHECK, cycle), await checkers(session, row), now)


async def _send(session: AsyncSession, svc: Services, row: Nomination, stage_: str,
                recipients: list[int], now: datetime) -> None:
    message = await card(session, svc, row, stage_)
    # Just submitted: the 申报表 is being generated and sent to the applicant, and its
    # file_id comes back a moment later (review_queue.record_form). Hold the cards for it,
    # but not forever.
    hold = now + FORM_WAIT if not row.form_file_id else None
    for staff_id in recipients:
        key = card_key(row.id, stage_, staff_id)
        sent = await outbox.enqueue_for_staff(session, staff_id, message, now=now, dedupe_key=key)
        if sent and hold is not None:
            await session.execute(update(Notification).where(
                    Notification.dedupe_key == key).values(not_before=hold))
