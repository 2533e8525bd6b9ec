"""Scoring in chat: a member opens their next card, enters each judged item or abstains.

Each act is one transaction: it checks the member's role and recusal against the
nomination as it is now (a button from an old card is checked the same way), writes the
:class:`Score` with its audit event, and answers with the next item or, once the member
has scored the whole nomination, the group's scores so far (blind until then) and the
next card. Typed scores go to the card in the member's cursor.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Nomination, Score, Staff
from awardbot.workflow import asks, audit
from awardbot.workflow.evaluation import correct_flow
from awardbot.workflow.evaluation.cards import ask, next_screens, reveal
from awardbot.workflow.evaluation.decision_flow import typed_reason
from awardbot.workflow.evaluation.facts import row_items
from awardbot.workflow.evaluation.items import EntryError, Item, check_value, parse_value
from awardbot.workflow.evaluation.members import cursor, is_recused, subject_unit
from awardbot.workflow.evaluation.view import Act as Choice
from awardbot.workflow.evaluation.view import Reply, Screen
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act, Stage
from awardbot.workflow.services import Services

NOT_MEMBER = "evaluation.refuse.not_member"
ABSTAIN = "abstain"  # the question asked before abstaining


async def open_next(svc: Services, staff_id: int, now: datetime) -> Reply:
    """``/score``: the member's next nomination to score, as a card."""
    async with svc.sessions.begin() as session:
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        return Reply(await next_screens(session, svc, staff, now))


async def skip(svc: Services, staff_id: int, nomination_id: int,
               now: datetime) -> Reply:
    """Put a card aside for later: the next one comes first."""
    async with svc.sessions.begin() as session:
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        return Reply(await next_screens(session, svc, staff, now, skip=nomination_id))


async def press_value(svc: Services, staff_id: int, nomination_id: int, index: int,
                      token: str, now: datetime) -> Reply:
    async with svc.sessions.begin() as session:
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        row, items = await _scorable(session, svc, staff, nomination_id)
        if not 0 <= index < len(items):
            raise Refusal("errors.stale_button")
        try:
            value = check_value(items[index], Decimal(token), svc.rules)
        except (InvalidOperation, EntryError):
            raise Refusal("errors.stale_button") from None
        return await _enter(session, svc, staff, row, items, index, value, now)


async def shown(svc: Services, staff_id: int, message_id: int) -> None:
    """The chat message that is the member's current card (its prompt), once sent."""
    async with svc.sessions.begin() as session:
        here = await cursor(session, staff_id)
        if here is not None and here.kind == "score":
            here.data = {**here.data, "prompt": message_id}


async def typed(svc: Services, staff_id: int, text: str, now: datetime,
                message_id: int | None = None) -> Reply | None:
    """Typed text for the person's open card or decision; None when it is not ours.

    A value sent before the current card appeared (``message_id`` older than the card's)
    was meant for the card before: it is not taken for this one; the member is asked again.
    """
    async with svc.sessions.begin() as session:
        here = await cursor(session, staff_id)
        if here is None or await _draft_is_newer(session, staff_id, here.updated_at):
            return None
        if here.kind == correct_flow.KIND:
            return await correct_flow.typed(session, svc, staff_id, here, text, now)
        if here.kind != "score":
            return await typed_reason(session, svc, staff_id, here, text, now)
        if message_id is not None and message_id < int(here.data.get("prompt", 0)):
            return Reply((Screen(Text("evaluation.typed_too_early", {"value": text.strip()})),))
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        try:
            row, items = await _scorable(session, svc, staff, here.nomination_id or 0)
        except Refusal as refusal:  # the card closed meanwhile: go on to the next
            return Reply((Screen(refusal.text), *await next_screens(session, svc, staff, now)))
        done = await _given(session, staff.id, row.id)
        todo = [i for i, item in enumerate(items) if item.key not in done]
        if not todo:
            return Reply(await next_screens(session, svc, staff, now))
        try:
            value = parse_value(items[todo[0]], text, svc.rules)
        except EntryError as error:
            again = ask(row, items, todo[0])
            return Reply((Screen(error.text, again.rows, (again.text,)),))
        return await _enter(session, svc, staff, row, items, todo[0], value, now)


async def ask_abstain(svc: Services, staff_id: int, nomination_id: int,
                      now: datetime) -> Reply:
    """Abstaining covers every item and cannot be undone: ask first (confirm once)."""
    async with svc.sessions.begin() as session:
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        row, items = await _scorable(session, svc, staff, nomination_id)
        if await _all_abstained(session, staff.id, row.id, items):
            return Reply(toast=Text("evaluation.already_abstained", {"ref": row.ref or ""}))
        await asks.put(session, staff.id, ABSTAIN, row.id, now)
        nid = str(row.id)
        return Reply((Screen(Text("evaluation.abstain_ask", {"ref": row.ref or ""}), ((
            Choice(Text("evaluation.button.abstain_confirm"), ("abok", nid)),
            Choice(Text("evaluation.button.back"), ("abno", nid))),)),))


async def _all_abstained(session: AsyncSession, staff_id: int, nomination_id: int,
                         items: tuple[Item, ...]) -> bool:
    mine = {s.section: s for s in await session.scalars(select(Score).where(
        Score.nomination_id == nomination_id, Score.evaluator_id == staff_id))}
    return bool(items) and all(mine.get(i.key) is not None and mine[i.key].abstained
                               for i in items)


async def abstain(svc: Services, staff_id: int, nomination_id: int,
                  now: datetime) -> Reply:
    """Abstain from a whole nomination: every item is recorded as abstained."""
    async with svc.sessions.begin() as session:
        staff = await require_person(session, staff_id, Permission.SCORE, refusal=NOT_MEMBER)
        row, items = await _scorable(session, svc, staff, nomination_id)
        mine = {s.section: s for s in await session.scalars(select(Score).where(
            Score.nomination_id == row.id, Score.evaluator_id == staff.id))}
        if await _all_abstained(session, staff.id, row.id, items):
            return Reply(toast=Text("evaluation.already_abstained", {"ref": row.ref or ""}))
        for item in items:
            score = mine.get(item.key)
            if score is None:
                session.add(Score(nomination_id=row.id, evaluator_id=staff.id, section=item.key,
                                  value=None, abstained=True, created_at=now))
            else:
                score.value, score.abstained = None, True
        await audit.append(session, at=now, actor_id=staff.id, action="score.abstained",
                           subject_type="nomination", subject_id=row.id,
                           data={"ref": row.ref, "evaluator": staff.staff_no})
        screens = (await reveal(session, row, items, Text("evaluation.abstained", {
            "ref": row.ref or ""})), *await next_screens(session, svc, staff, now))
        return Reply(screens, toast=Text("evaluation.toast.abstained"))


async def _scorable(session: AsyncSession, svc: Services, staff: Staff,
                    nomination_id: int) -> tuple[Nomination, tuple[Item, ...]]:
    row = await session.scalar(select(Nomination).where(Nomination.id == nomination_id)
                               .options(selectinload(Nomination.round)).with_for_update())
    if row is None:
        raise Refusal("errors.stale_button")
    if row.state != State.CHECKED:
        raise Refusal("evaluation.refuse.closed", ref=row.ref or "")
    if stages.stored(row.round) is not Stage.EVALUATION:  # opened and closed by acts only
        raise stages.refusal(row.round, Act.SCORE, stages.stored(row.round))
    if is_recused(staff.id, staff.unit_id, row, await subject_unit(session, row)):
        raise Refusal("evaluation.refuse.recused", ref=row.ref or "")
    return row, row_items(row, svc.rules, svc.awards)


async def _given(session: AsyncSession, staff_id: int, nomination_id: int) -> set[str]:
    return set(await session.scalars(select(Score.section).where(
        Score.nomination_id == nomination_id, Score.evaluator_id == staff_id)))


async def _enter(session: AsyncSession, svc: Services, staff: Staff, row: Nomination,
                 items: tuple[Item, ...], index: int, value: Decimal, now: datetime) -> Reply:
    item = items[index]
    existing = await session.scalar(select(Score).where(
        Score.nomination_id == row.id, Score.evaluator_id == staff.id,
        Score.section == item.key))
    if existing is not None:
        return Reply(toast=Text("evaluation.already", {"ref": row.ref or ""}))
    session.add(Score(nomination_id=row.id, evaluator_id=staff.id, section=item.key,
                      value=value, abstained=False, created_at=now))
    await audit.append(session, at=now, actor_id=staff.id, action="score.entered",
                       subject_type="nomination", subject_id=row.id,
                       data={"ref": row.ref, "item": item.key, "value": str(value),
                             "evaluator": staff.staff_no})
    done = await _given(session, staff.id, row.id)
    todo = [i for i, it in enumerate(items) if it.key not in done]
    saved = Text("evaluation.toast.saved")
    if todo:
        return Reply((ask(row, items, todo[0]),), toast=saved)
    screens = (await reveal(session, row, items, Text("evaluation.submitted", {
        "ref": row.ref or ""})), *await next_screens(session, svc, staff, now))
    return Reply(screens, toast=saved)


async def _draft_is_newer(session: AsyncSession, staff_id: int, since: datetime) -> bool:
    """An application walkthrough touched after the card takes the person's typing."""
    draft_id = await session.scalar(select(Staff.active_nomination_id).where(Staff.id == staff_id))
    if draft_id is None:
        return False
    touched = await session.scalar(select(Nomination.updated_at).where(Nomination.id == draft_id))
    return touched is not None and touched > since
