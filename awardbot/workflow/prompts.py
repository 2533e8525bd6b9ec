"""Every prompt that waits for a person's next message, in one list.

Each flow keeps its own state (a pending reason row, an evaluation cursor, a draft's
step …); here each says whether it is waiting, what a photo or sticker sent meanwhile
should be told, and how /cancel ends it. /cancel ends all that wait and names each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Broadcast, Nomination, PendingAsk, PendingReason, Round, Staff
from awardbot.workflow import asks
from awardbot.workflow.broadcast.model import COMPOSE_TTL, COMPOSING, DISCARDED, DRAFT
from awardbot.workflow.evaluation.members import clear_cursor, cursor
from awardbot.workflow.messages import Text
from awardbot.workflow.notice import objection, objection_review
from awardbot.workflow.review import delegation_chat
from awardbot.workflow.review.decisions import REASON_WAIT
from awardbot.workflow.rounds import stages
from awardbot.workflow.services import Services

Find = Callable[[AsyncSession, int, datetime], Awaitable[Any]]
End = Callable[[AsyncSession, Any, datetime], Awaitable["Ended"]]


@dataclass(frozen=True)
class Prompt:
    """``find`` gives the waiting prompt's state or None; ``end`` ends it and says which
    it was. Its catalogue entry ``prompts.<name>.text_only`` answers a non-text message."""

    name: str
    find: Find
    end: End


@dataclass(frozen=True)
class Ended:
    said: tuple[Text, ...]
    tidy: tuple[tuple[int, int], ...] = ()  # (chat, message) of questions to strip of buttons


async def _walkthrough(session: AsyncSession, staff_id: int, _now: datetime) -> Staff | None:
    staff = await session.get_one(Staff, staff_id)
    return staff if staff.active_nomination_id is not None else None


async def _end_walkthrough(_session: AsyncSession, staff: Staff, _now: datetime) -> Ended:
    staff.active_nomination_id = None  # the draft keeps every answer
    return Ended((Text("cancel.done"),))


async def _review_reason(session: AsyncSession, staff_id: int,
                         now: datetime) -> PendingReason | None:
    row = await session.get(PendingReason, staff_id)
    return row if row is not None and row.created_at >= now - REASON_WAIT else None


async def _end_review_reason(session: AsyncSession, row: PendingReason, _now: datetime) -> Ended:
    ref = await session.scalar(select(Nomination.ref).where(Nomination.id == row.nomination_id))
    await session.execute(delete(PendingReason).where(PendingReason.staff_id == row.staff_id))
    return Ended((Text("prompts.review_reason.ended", {
        "ref": ref or "", "act": Text(f"prompts.review_reason.{row.action}")}),))


async def _cursor(kind: str, session: AsyncSession, staff_id: int) -> Any:
    here = await cursor(session, staff_id)
    if here is None or here.kind != kind:
        return None
    return here


async def _score(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await _cursor("score", session, staff_id)


async def _decision(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await _cursor("decide", session, staff_id)


async def _correction(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await _cursor("correct", session, staff_id)


async def _end_correction(session: AsyncSession, here: Any, _now: datetime) -> Ended:
    ref = await session.scalar(select(Nomination.ref).where(Nomination.id == here.nomination_id))
    await clear_cursor(session, here.staff_id)
    return Ended((Text("prompts.correct.ended", {"ref": ref or ""}),))


def _end_cursor(name: str) -> End:
    async def end(session: AsyncSession, here: Any, _now: datetime) -> Ended:
        await clear_cursor(session, here.staff_id)
        return Ended((Text(f"prompts.{name}.ended"),))
    return end


async def _objection(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await objection.current_draft(session, staff_id)


async def _end_objection(_session: AsyncSession, draft: Any, _now: datetime) -> Ended:
    draft.state = objection.CANCELLED
    return Ended((Text("prompts.objection.ended"),))


async def _objection_reason(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await objection_review.pending_for(session, staff_id)


async def _end_objection_reason(_session: AsyncSession, row: Any, _now: datetime) -> Ended:
    row.pending_decision = row.pending_by = None
    return Ended((Text("prompts.objection_reason.ended", {"id": row.id}),))


async def _broadcast(session: AsyncSession, staff_id: int, now: datetime) -> Broadcast | None:
    return await session.scalar(
        select(Broadcast).where(Broadcast.created_by == staff_id,
                                Broadcast.state.in_((COMPOSING, DRAFT)),
                                Broadcast.created_at >= now - COMPOSE_TTL)
        .order_by(Broadcast.id.desc()).limit(1))


async def _end_broadcast(session: AsyncSession, row: Broadcast, _now: datetime) -> Ended:
    await session.execute(
        update(Broadcast).where(Broadcast.created_by == row.created_by,
                                Broadcast.state.in_((COMPOSING, DRAFT)))
        .values(state=DISCARDED).execution_options(synchronize_session=False))
    return Ended((Text("prompts.broadcast.ended"),))


async def _deadline(session: AsyncSession, staff_id: int, _now: datetime) -> Any:
    return await asks.standing(session, staff_id, asks.DEADLINE) or None


async def _end_deadline(session: AsyncSession, rows: list[PendingAsk], _now: datetime) -> Ended:
    named = []
    for row in rows:
        round_ = await session.get(Round, row.subject_id)
        named.append(Text("notice.publish.round", stages.label(round_)) if round_ is not None
                     else Text("common.literal", {"value": f"#{row.subject_id}"}))
        await session.delete(row)
    return Ended((Text("prompts.deadline.ended", {"ids": named}),),
                 tuple((r.chat_id, r.message_id) for r in rows
                       if r.chat_id is not None and r.message_id is not None))


def _delegate(kind: str) -> tuple[Find, End]:
    """/delegate's typed steps: a deputy's name, a custom period."""
    async def find(session: AsyncSession, staff_id: int, now: datetime) -> Any:
        return await delegation_chat.waiting(session, staff_id, kind, now)

    async def end(session: AsyncSession, row: PendingAsk, _now: datetime) -> Ended:
        await session.delete(row)
        return Ended((Text("prompts.delegate.ended"),))
    return find, end


# In the order typed text reaches them: the first waiting one answers a photo or sticker.
PROMPTS = (
    Prompt("broadcast", _broadcast, _end_broadcast),
    Prompt("score", _score, _end_cursor("score")),
    Prompt("decision", _decision, _end_cursor("decision")),
    Prompt("correct", _correction, _end_correction),
    Prompt("objection_reason", _objection_reason, _end_objection_reason),
    Prompt("objection", _objection, _end_objection),
    Prompt("deadline", _deadline, _end_deadline),
    Prompt("review_reason", _review_reason, _end_review_reason),
    Prompt("delegate_name", *_delegate(delegation_chat.WHO)),
    Prompt("delegate_dates", *_delegate(delegation_chat.DATES)),
    Prompt("walkthrough", _walkthrough, _end_walkthrough),
)


async def cancel_all(svc: Services, staff_id: int, now: datetime) -> Ended:
    """/cancel: end every prompt waiting for this person; say which."""
    said: list[Text] = []
    tidy: list[tuple[int, int]] = []
    async with svc.sessions.begin() as session:
        for prompt in PROMPTS:
            state = await prompt.find(session, staff_id, now)
            if state is not None:
                ended = await prompt.end(session, state, now)
                said += ended.said
                tidy += ended.tidy
    return Ended(tuple(said), tuple(tidy))


async def waiting_for_text(svc: Services, staff_id: int, now: datetime) -> Text | None:
    """What to tell a person who sent a photo or sticker while a prompt waits for words
    (the application walkthrough answers its own); None when nothing waits."""
    async with svc.sessions() as session:
        for prompt in PROMPTS:
            if prompt.name != "walkthrough" and await prompt.find(session, staff_id, now):
                return Text(f"prompts.{prompt.name}.text_only")
    return None
