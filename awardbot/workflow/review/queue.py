"""What waits on a reviewer (/queue), opening one card from it, and the 申报表's file_id."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Notification
from awardbot.workflow import outbox
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Message, Text, names
from awardbot.workflow.naming import subject_label
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review.card import CHECK, DEPT, card, card_prefix, cycle_of, load, stage
from awardbot.workflow.review.route import authorise
from awardbot.workflow.services import Services

STEPS = {State.SUBMITTED: DEPT, State.DEPT_APPROVED: CHECK}


@dataclass(frozen=True)
class QueueItem:
    nomination_id: int
    ref: str
    subject: str | Text


@dataclass(frozen=True)
class QueueCount:
    family: dict[str, Any]
    period: str
    award: dict[str, Any]
    count: int


@dataclass(frozen=True)
class Queue:
    items: tuple[QueueItem, ...]
    counts: tuple[QueueCount, ...]


async def queue(svc: Services, actor_id: int, now: datetime) -> Queue:
    """Nominations waiting on this person's sign-off or check, with counts per round and award."""
    items, tally = [], Counter[tuple[str, str, str]]()
    async with svc.sessions() as session:
        rows = await session.scalars(
            select(Nomination).where(Nomination.state.in_(list(STEPS)))
            .options(selectinload(Nomination.round)).order_by(Nomination.submitted_at))
        for row in rows.all():
            try:
                await authorise(session, row, STEPS[State(row.state)], actor_id, now)
            except Refusal:
                continue
            items.append(QueueItem(row.id, row.ref or "", await subject_label(session, row)))
            tally[(row.round.family, row.round.period, row.award or "")] += 1
    counts = []
    for (family, period, code), count in sorted(tally.items()):
        fam, award = svc.awards.families[family], svc.awards.awards[code]
        counts.append(QueueCount(names(fam.names.zh, fam.names.en), period,
                                 names(award.names.zh, award.names.en), count))
    return Queue(tuple(items), tuple(counts))


async def open_card(svc: Services, actor_id: int, nomination_id: int,
                    now: datetime) -> Message:
    """The current card of a nomination waiting on this person."""
    async with svc.sessions() as session:
        row = await load(session, nomination_id, lock=False)
        if row is None or row.state not in STEPS:
            raise Refusal("review.queue.gone")
        step = STEPS[State(row.state)]
        await authorise(session, row, step, actor_id, now)
        return await card(session, svc, row, stage(step, await cycle_of(session, row.id)))


async def record_form(sessions: SessionFactory, applicant_id: int, form: bytes,
                      file_id: str) -> bool:
    """The 申报表 was sent to the applicant: keep its file_id so cards can carry it."""
    sha = hashlib.sha256(form).hexdigest()
    async with sessions.begin() as session:
        row = await session.scalar(select(Nomination).where(
            Nomination.applicant_id == applicant_id, Nomination.form_sha256 == sha))
        if row is None:
            return False
        row.form_file_id = file_id
        cards = await session.scalars(select(Notification).where(
            Notification.dedupe_key.like(card_prefix(row.id) + "%"),
            Notification.state == "pending"))
        for note in cards:  # held for the form: it goes along, and the card goes now
            media = [*note.payload.get("media", []), {"kind": "document", "file_id": file_id}]
            note.payload, note.not_before = {**note.payload, "media": media}, None
            outbox.due_now(session)
        return True
