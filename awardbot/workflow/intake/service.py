"""Intake use cases: start a nomination, answer its steps, attach evidence, pause, resume.

Every act runs in one transaction that loads the draft (locked on PostgreSQL), applies
the answer, moves the step on and saves both — so a restart finds the person exactly
where they were. A button carries the draft's step version; a button from an older
step (or another person's) is answered as stale and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from awardbot.db.models import Nomination, Round, Staff
from awardbot.documents.text_input import clean
from awardbot.workflow import asks
from awardbot.workflow.intake import steps, submit
from awardbot.workflow.intake.drafts import load_draft
from awardbot.workflow.intake.flow import PREVIEW, flow, missing_steps
from awardbot.workflow.intake.model import Choice, Draft, Prompt, StepAnswer, StepError
from awardbot.workflow.intake.preview import summary
from awardbot.workflow.intake.steps_facts import UNIT_KINDS, contact_units
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.naming import local_time, subject_label
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.services import Services

DROP, KEEP = "drop", "keep"  # the preview's "delete this draft?" answered: delete, or back


async def current_prompt(session: AsyncSession, svc: Services, draft: Draft) -> Prompt:
    step = draft.row.step or flow(draft)[0]
    card = summary(draft, await subject_label(session, draft.row), svc.rules)
    prompt = await steps.prompt(session, draft, step, card)
    return replace(prompt, version=int(draft.answer("v", 0)))


async def move(session: AsyncSession, draft: Draft, step: str, now: datetime) -> None:
    if step != draft.row.step:
        draft.put(v=int(draft.answer("v", 0)) + 1)
    if step == PREVIEW:
        draft.put(editing=False)
    draft.row.step = step
    draft.row.updated_at = now
    await session.flush()


async def start(
    svc: Services, staff_id: int, round_id: int, now: datetime, *, colleague: bool = False
) -> StepAnswer:
    """A new draft in the round; ``colleague``: nominating a colleague, not oneself (the
    way /apply offers a round to someone who may not apply for themselves)."""
    async with svc.sessions.begin() as session:
        round_ = await session.get(Round, round_id)
        if round_ is None or not stages.accepting(round_, now):
            raise Refusal("intake.round_not_open")
        if round_.family in UNIT_KINDS and not await contact_units(session, staff_id,
                                                                   round_.family):
            raise Refusal("apply.not_contact")
        row = Nomination(round_id=round_id, applicant_id=staff_id, state=State.DRAFT,
                         criteria=[], answers={"v": 1}, facts={}, created_at=now, updated_at=now)
        session.add(row)
        await session.flush()
        staff = await session.get_one(Staff, staff_id)
        staff.active_nomination_id = row.id
        loaded = await session.scalar(select(Nomination).where(Nomination.id == row.id).options(
            selectinload(Nomination.evidence), joinedload(Nomination.round, innerjoin=True)))
        assert loaded is not None
        draft = Draft(loaded, round_.family, svc.awards, svc.limits, applicant=staff,
                      rules=svc.rules)
        if colleague and round_.family not in UNIT_KINDS:
            draft.put(**{"for": "colleague"})
        await move(session, draft, missing_steps(draft)[0], now)
        return StepAnswer(Text("intake.started", {"deadline": local_time(round_.closes_at)}),
                     await current_prompt(session, svc, draft))


async def answer_text(svc: Services, staff_id: int, text: str, now: datetime) -> StepAnswer:
    text = clean(text)
    async with svc.sessions.begin() as session:
        draft = await load_draft(session, svc, staff_id, None, now)
        step = draft.row.step or flow(draft)[0]
        try:
            outcome = await steps.apply_text(session, draft, step, text)
        except StepError as error:
            return StepAnswer(error.text, await current_prompt(session, svc, draft))
        await move(session, draft, steps.resolve(draft, step, outcome), now)
        return StepAnswer(draft.notice, await current_prompt(session, svc, draft))


async def press(
    svc: Services, staff_id: int, nomination_id: int, version: int, action: str,
    now: datetime,
) -> StepAnswer:
    """A button on a walkthrough prompt; ``version`` must match the draft's step version.

    After a submission the reply carries the 申报表 still to build (``StepAnswer.form``): the
    receipt goes out first, the form follows (``submit.store_form``)."""
    async with svc.sessions.begin() as session:
        # Deleting confirmed: the question must stand (it is taken; a refusal below puts
        # it back), so a second press or an old confirm after going back acts no more.
        if action == DROP and not await asks.take(session, staff_id, submit.DISCARD,
                                                  nomination_id):
            raise Refusal("errors.confirm_spent")
        draft = await load_draft(session, svc, staff_id, nomination_id, now)
        if version != int(draft.answer("v", 0)):
            raise Refusal("errors.stale_button")
        (await session.get_one(Staff, staff_id)).active_nomination_id = draft.row.id
        step = draft.row.step or flow(draft)[0]
        if action.startswith("goto."):
            return await _goto(session, svc, draft, action.removeprefix("goto."), now)
        if step == PREVIEW:
            return await _preview_action(session, svc, draft, action, now)
        try:
            outcome = await steps.apply_action(session, draft, step, action)
        except StepError as error:
            return StepAnswer(error.text, await current_prompt(session, svc, draft))
        following = steps.resolve(draft, step, outcome)
        await move(session, draft, following, now)
        prompt = await current_prompt(session, svc, draft)
        # Only a toggle on the same step edits the message in place; a new step is a new
        # message, so the conversation reads as it happened.
        return StepAnswer(draft.notice,
                          prompt if following == step else replace(prompt, edit=False))


async def _goto(session: AsyncSession, svc: Services, draft: Draft, index: str,
                now: datetime) -> StepAnswer:
    editable = [s for s in flow(draft) if s != PREVIEW]
    if not index.isdigit() or int(index) >= len(editable):
        raise Refusal("errors.stale_button")
    step = editable[int(index)]
    draft.put(editing=True)
    await move(session, draft, step, now)
    return StepAnswer(None, await current_prompt(session, svc, draft))


async def _preview_action(session: AsyncSession, svc: Services, draft: Draft,
                          action: str, now: datetime) -> StepAnswer:

    if action == "submit":
        return await submit.submit(session, svc, draft, now)
    if action == "discard":  # deleting cannot be undone: ask first
        if draft.row.state != State.DRAFT:
            raise Refusal("intake.not_editable", ref=draft.row.ref or "")
        await asks.put(session, draft.row.applicant_id, submit.DISCARD, draft.row.id, now)
        return StepAnswer(None, Prompt(draft.row.id, PREVIEW, Text("intake.discard_ask"), ((
            Choice(Text("mine.discard_confirm"), DROP), Choice(Text("mine.back"), KEEP)),),
            version=int(draft.answer("v", 0))))
    if action == DROP:
        return await submit.discard(session, draft, now)
    if action == KEEP:
        await asks.take(session, draft.row.applicant_id, submit.DISCARD, draft.row.id)
        return StepAnswer(Text("mine.discard_kept"), await current_prompt(session, svc, draft))
    if action == "edit":
        editable = [s for s in flow(draft) if s != PREVIEW]
        choices = tuple((Choice(steps.title(s), f"goto.{i}"),) for i, s in enumerate(editable))
        return StepAnswer(None, Prompt(draft.row.id, PREVIEW, Text("intake.edit.ask"), choices,
                                  version=int(draft.answer("v", 0))))
    raise Refusal("errors.stale_button")
