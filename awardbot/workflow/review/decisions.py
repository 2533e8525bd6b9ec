"""Department sign-off and the supervision check: what a reviewer's button does.

Every act locks the nomination, checks the actor against it (a signing leader or an
active deputy; the supervision section) and checks that the card's step and cycle are
still current. So a forged or replayed button, a double tap, or two leaders pressing at
once change the state at most once, and everyone else is told what actually happened.
Return and Reject need a reason: the press leaves a :class:`PendingReason` row and the
reviewer's next text completes the act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notification, PendingReason, Review, Staff
from awardbot.documents.text_input import clean
from awardbot.workflow import audit
from awardbot.workflow.intake.model import literal
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority, enqueue
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review.card import (
    APPROVE,
    CANCEL,
    CHECK,
    DEPT,
    RETURN,
    STEP_NAMES,
    card_prefix,
    closed_text,
    load,
    parse_stage,
    stage,
)
from awardbot.workflow.review.notes import notify_people
from awardbot.workflow.review.route import Signer, authorise, route
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act
from awardbot.workflow.services import Services

REASON_MAX_CHARS = 500
REASON_WAIT = timedelta(minutes=30)  # after this, a pending Return/Reject lapses
WAITING = {DEPT: State.SUBMITTED, CHECK: State.DEPT_APPROVED}
# (step, action) → (decision, state it leads to)
DECISIONS = {
    (DEPT, APPROVE): ("approve", State.DEPT_APPROVED),
    (DEPT, RETURN): ("return", State.RETURNED),
    (DEPT, "rej"): ("reject", State.REJECTED),
    (CHECK, APPROVE): ("pass", State.CHECKED),
    (CHECK, RETURN): ("return", State.RETURNED),
}
AUDIT_ACTIONS = {"approve": "review.approved", "return": "review.returned",
                 "reject": "review.rejected", "pass": "review.passed"}


@dataclass(frozen=True)
class CardRef:
    """A delivered card to close: where it is and the reader's chosen language."""

    chat_id: int
    message_id: int
    language: str | None


@dataclass(frozen=True)
class Outcome:
    notice: Text  # for the presser
    changed: bool = False  # this act changed the nomination
    closed: Text | None = None  # what decided cards now say (the pressed one included)
    cards: tuple[CardRef, ...] = ()  # the other delivered cards of the step to close
    ask_reason: bool = False
    nomination_id: int = 0
    stage: str = ""


async def press(svc: Services, actor_id: int, nomination_id: int, stage_: str,
                action: str, now: datetime) -> Outcome:
    parsed = parse_stage(stage_)
    if parsed is None or ((parsed[0], action) not in DECISIONS and action != CANCEL):
        raise Refusal("errors.stale_button")
    step, cycle = parsed
    async with svc.sessions.begin() as session:
        row = await load(session, nomination_id, lock=True)
        if row is None:
            raise Refusal("errors.stale_button")
        signer = await authorise(session, row, step, actor_id, now)
        stages.require(row.round, Act.REVIEW, now)
        await session.execute(delete(PendingReason).where(PendingReason.staff_id == actor_id))
        moved = await moved_on(session, row, step, cycle)
        if moved is not None:
            return moved
        ref = {"ref": row.ref or ""}
        if action == CANCEL:
            return Outcome(Text("review.reason.cancelled", ref))
        if DECISIONS[(step, action)][1] in (State.RETURNED, State.REJECTED):
            session.add(PendingReason(staff_id=actor_id, nomination_id=row.id, step=stage_,
                                      action=action, created_at=now))
            return Outcome(Text(f"review.reason.ask_{action}", ref), ask_reason=True,
                           nomination_id=row.id, stage=stage_)
        return await _decide(session, svc, row, (step, cycle, action), signer, None, now)


async def give_reason(svc: Services, actor_id: int, text: str,
                      now: datetime) -> Outcome | None:
    """The reviewer's typed reason for a pending Return or Reject; None when none is owed."""
    async with svc.sessions() as peek:
        pending = await peek.get(PendingReason, actor_id)
    if pending is None:
        return None
    if pending.created_at < now - REASON_WAIT:  # long forgotten: this text is for something else
        async with svc.sessions.begin() as session:
            await session.execute(delete(PendingReason).where(
                PendingReason.staff_id == actor_id, PendingReason.step == pending.step))
        return None
    reason = clean(text).strip()
    if not reason or len(reason) > REASON_MAX_CHARS:
        raise Refusal("review.reason.bad", max=REASON_MAX_CHARS)
    parsed = parse_stage(pending.step)
    assert parsed is not None
    step, cycle = parsed
    async with svc.sessions.begin() as session:
        row = await load(session, pending.nomination_id, lock=True)
        gone = await session.execute(delete(PendingReason).where(
            PendingReason.staff_id == actor_id, PendingReason.step == pending.step,
            PendingReason.nomination_id == pending.nomination_id))
        if row is None or not gone.rowcount:  # type: ignore[attr-defined]
            return None
        try:
            signer = await authorise(session, row, step, actor_id, now)
            stages.require(row.round, Act.REVIEW, now)
        except Refusal as refusal:
            return Outcome(refusal.text)  # e.g. the delegation ended meanwhile
        moved = await moved_on(session, row, step, cycle)
        if moved is not None:
            return moved
        return await _decide(session, svc, row, (step, cycle, pending.action), signer,
                             reason, now)


async def moved_on(session: AsyncSession, row: Nomination, step: str,
                   cycle: int) -> Outcome | None:
    """None while the card is current; else what happened to the nomination instead."""
    reviews = list(await session.scalars(select(Review).where(
        Review.nomination_id == row.id).order_by(Review.id)))
    if row.state == WAITING[step] and len(reviews) == cycle:
        return None
    ref = {"ref": row.ref or ""}
    if len(reviews) > cycle:
        act = reviews[cycle]
        actor = await session.get_one(Staff, act.actor_id)
        closed = closed_text(row, act.decision, literal(actor.name), act.created_at)
        return Outcome(closed, closed=closed)
    moved = Text("review.moved", {**ref, "state": Text(f"states.{row.state}")})
    return Outcome(moved, closed=moved)


def actor_label(names: dict[int, str], signer: Signer) -> Text:
    if signer.for_leader is None:
        return literal(names[signer.staff_id])
    return Text("review.by_deputy", {"deputy": names[signer.staff_id],
                                     "leader": names[signer.for_leader]})


async def _decide(session: AsyncSession, svc: Services, row: Nomination,
                  act: tuple[str, int, str], signer: Signer, reason: str | None,
                  now: datetime) -> Outcome:
    step, cycle, action = act
    decision, target = DECISIONS[(step, action)]
    previous = row.state
    row.state, row.updated_at = check(row.state, target), now
    if target == State.RETURNED:
        row.returned_from = previous
    session.add(Review(nomination_id=row.id, step=STEP_NAMES[step], actor_id=signer.staff_id,
                       decision=decision, comment=reason, created_at=now))
    ids = {signer.staff_id, *([signer.for_leader] if signer.for_leader else [])}
    found = await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))
    names = {int(staff): str(name) for staff, name in found.all()}
    data: dict[str, Any] = {"ref": row.ref, "step": STEP_NAMES[step], "state": row.state}
    if reason:
        data["reason"] = reason
    if signer.for_leader is not None:
        data |= {"deputy_id": signer.staff_id, "for_leader_id": signer.for_leader,
                 "note": f"signed by deputy {names[signer.staff_id]} "
                         f"for leader {names[signer.for_leader]}"}
    await audit.append(session, at=now, actor_id=signer.staff_id,
                       action=AUDIT_ACTIONS[decision], subject_type="nomination",
                       subject_id=row.id, data=data)
    this = stage(step, cycle)
    await notify_people(session, svc, row, this, decision, reason, now)
    closed = closed_text(row, decision, actor_label(names, signer), now)
    cards = await close_cards(session, row.id, this, closed, now, presser=signer.staff_id)
    if target == State.DEPT_APPROVED:
        await route(session, svc, row, now)
    return Outcome(Text(f"review.done.{decision}", {"ref": row.ref or ""}), changed=True,
                   closed=closed, cards=cards, nomination_id=row.id, stage=this)


async def close_cards(session: AsyncSession, nomination_id: int, stage_: str, closed: Text,
                      now: datetime, *, presser: int | None = None) -> tuple[CardRef, ...]:
    """The step's other cards: an undelivered one is not sent at all; a delivered one is
    edited to say who decided (through the outbox, like every other message), without its
    buttons. The pressed card the presser's answer closes."""
    rows = (await session.execute(
        select(Notification, Staff.language).outerjoin(Staff, Staff.id == Notification.staff_id)
        .where(Notification.dedupe_key.like(card_prefix(nomination_id, stage_) + "%"))
        .order_by(Notification.id))).all()
    out = []
    for note, language in rows:
        if note.state == "pending":
            note.state = "skipped"
        elif note.message_id is not None:
            out.append(CardRef(note.chat_id, note.message_id, language))
            if note.staff_id == presser:
                continue
            await enqueue(session, chat_id=note.chat_id, staff_id=note.staff_id, now=now,
                          message=Message(closed, replaces=note.message_id),
                          dedupe_key=f"rv:close:{note.id}", priority=Priority.INTERACTIVE)
    return tuple(out)


async def on_submitted(session: AsyncSession, svc: Services, row: Nomination,
                       now: datetime) -> None:
    """Called by intake in the submit transaction: cards to whoever acts next."""
    await route(session, svc, row, now)

