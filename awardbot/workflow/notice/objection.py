"""异议: anyone bound may object to a nomination on notice until the notice closes.

The walkthrough keeps its step in the :class:`Objection` row (state ``draft``), written
with each answer: choose the nomination → write the text → optionally attach evidence
(photos or documents, checked by content and stored by hash) → confirm. Submitting
sends the objection to the supervision section (``objection_review``); the objector's
identity is shown to nobody else.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notice, Objection, Round, Staff
from awardbot.documents.text_input import clean
from awardbot.storage.file_check import FileRefusal, check_declared_size, check_file
from awardbot.workflow import audit
from awardbot.workflow.intake.evidence import IncomingFile, refusal_params
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import local_time, subject_name
from awardbot.workflow.notice.base import (
    OBJECT_DRAFT,
    OBJECT_PICK,
    Response,
    award_text,
    data,
    outcome_code,
    say,
)
from awardbot.workflow.notice.objection_review import notify_supervision
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

DRAFT, OPEN, LAPSED, CANCELLED = "draft", "open", "lapsed", "cancelled"
WRITING, ATTACHING, CONFIRMING = "text", "evidence", "confirm"


async def _open_notices(session: AsyncSession, now: datetime) -> list[Notice]:
    return list(await session.scalars(
        select(Notice).where(Notice.state == "open", Notice.published_at <= now,
                             Notice.closes_at > now).order_by(Notice.id)))


async def choices(svc: Services, notice_id: int | None, now: datetime) -> Message:
    """/objection or the notice's button: the nominations one may object to now."""
    async with svc.sessions() as session:
        if notice_id is not None:
            notice = await session.get(Notice, notice_id)
            if notice is None:
                raise Refusal("errors.stale_button")
            if not (notice.state == "open" and now < notice.closes_at):
                raise Refusal("objection.closed",
                                    closed=local_time(notice.closes_at, svc.rules))
        notices = [n for n in await _open_notices(session, now)
                   if notice_id is None or n.id == notice_id]
        rows = []
        for notice in notices:
            for row in await session.scalars(
                    select(Nomination).where(Nomination.id.in_(notice.nomination_ids),
                                             Nomination.state == State.ON_NOTICE)
                    .order_by(Nomination.award, Nomination.id)):
                label = Text("objection.pick_line", {
                    "subject": await subject_name(session, row),
                    "award": award_text(outcome_code(row))})
                rows.append([Button(label, data(OBJECT_PICK, row.id))])
        if not rows:
            raise Refusal("objection.none_open")
        return say("objection.pick", rows)


async def _notice_of(session: AsyncSession, nomination_id: int, now: datetime) -> Notice:
    for notice in await _open_notices(session, now):
        if nomination_id in notice.nomination_ids:
            return notice
    raise Refusal("objection.closed_any")


def _draft_buttons(objection_id: int, *actions: str) -> tuple[tuple[Button, ...], ...]:
    return (tuple(Button(Text(f"objection.button.{a}"), data(OBJECT_DRAFT, objection_id, a))
                  for a in actions),)


async def choose(svc: Services, staff_id: int, nomination_id: int,
                 now: datetime) -> Response:
    """Start a draft about ``nomination_id``; any other unfinished draft is dropped."""
    async with svc.sessions.begin() as session:
        notice = await _notice_of(session, nomination_id, now)
        row = await session.get_one(Nomination, nomination_id)
        if row.state != State.ON_NOTICE:
            raise Refusal("objection.closed_any")
        await session.execute(update(Objection).where(
            Objection.objector_id == staff_id, Objection.state == DRAFT).values(state=CANCELLED))
        # The objection's text must not land in an application walkthrough.
        (await session.get_one(Staff, staff_id)).active_nomination_id = None
        draft = Objection(notice_id=notice.id, nomination_id=row.id, objector_id=staff_id,
                          text="", state=DRAFT, step=WRITING, attachments=[], created_at=now)
        session.add(draft)
        await session.flush()
        return Response(Message(Text("objection.ask_text", {
            "subject": await subject_name(session, row), "award": award_text(outcome_code(row)),
            "max": svc.limits.objection_max_chars,
            "closes": local_time(notice.closes_at, svc.rules)}),
            _draft_buttons(draft.id, "cancel")), edit=True)


async def current_draft(session: AsyncSession, staff_id: int) -> Objection | None:
    return await session.scalar(
        select(Objection).where(Objection.objector_id == staff_id, Objection.state == DRAFT)
        .order_by(Objection.id.desc()).limit(1).with_for_update())


async def _still_open(session: AsyncSession, svc: Services, draft: Objection,
                      now: datetime) -> Notice:
    notice = await session.get_one(Notice, draft.notice_id)
    if notice.state != "open" or now >= notice.closes_at:
        raise Refusal("objection.closed", closed=local_time(notice.closes_at, svc.rules))
    return notice


async def write_text(session: AsyncSession, svc: Services, draft: Objection, text: str,
                     now: datetime) -> Response:
    await _still_open(session, svc, draft, now)
    text = clean(text).strip()
    if not text or len(text) > svc.limits.objection_max_chars:
        raise Refusal("objection.bad_text", max=svc.limits.objection_max_chars,
                            length=len(text))
    draft.text, draft.step = text, ATTACHING
    return Response(Message(Text("objection.ask_evidence",
                               {"max": svc.limits.objection_max_files}),
                          _draft_buttons(draft.id, "review", "cancel")))


def nudge(draft: Objection) -> Response:
    """Text while the draft waits for files or a button: say what it wants."""
    actions = ("submit", "cancel") if draft.step == CONFIRMING else ("review", "cancel")
    return Response(Message(Text(f"objection.use_buttons_{draft.step}"),
                          _draft_buttons(draft.id, *actions)))


async def in_walkthrough(session: AsyncSession, staff_id: int) -> bool:
    """In the middle of an application, what the person sends is the walkthrough's."""
    active = await session.scalar(select(Staff.active_nomination_id).where(Staff.id == staff_id))
    return active is not None


async def file_wanted(svc: Services, staff_id: int, incoming: IncomingFile) -> bool:
    """Is this file evidence for an objection being written? Raises if it is too big."""
    async with svc.sessions() as session:
        if await in_walkthrough(session, staff_id):
            return False
        draft = await current_draft(session, staff_id)
        if draft is None:
            return False
        if draft.step != ATTACHING:
            raise Refusal("objection.file_not_now")
    refusal = check_declared_size(incoming.size, svc.limits.max_file_bytes)
    if refusal is not None:
        raise _file_refusal(refusal)
    return True


def _file_refusal(refusal: FileRefusal) -> Refusal:
    return Refusal(f"intake.evidence.refused.{refusal.code}", **refusal_params(refusal))


async def attach(svc: Services, staff_id: int, incoming: IncomingFile, content: bytes,
                 now: datetime) -> Response:
    checked = check_file(content, declared_name=incoming.file_name,
                         declared_mime=incoming.mime_type, max_bytes=svc.limits.max_file_bytes)
    if isinstance(checked, FileRefusal):
        raise _file_refusal(checked)
    await asyncio.to_thread(svc.evidence.put, content)
    async with svc.sessions.begin() as session:
        draft = await current_draft(session, staff_id)
        if draft is None or draft.step != ATTACHING:
            raise Refusal("objection.file_not_now")
        await _still_open(session, svc, draft, now)
        if len(draft.attachments) >= svc.limits.objection_max_files:
            raise Refusal("objection.too_many_files", max=svc.limits.objection_max_files)
        draft.attachments = [*draft.attachments, {
            "kind": incoming.kind, "file_id": incoming.file_id,
            "file_unique_id": incoming.file_unique_id, "sha256": checked.sha256,
            "size": checked.size, "mime_type": checked.mime_type,
            "name": checked.display_name}]
        return Response(Message(Text("objection.file_received", {"count": len(draft.attachments)}),
                              _draft_buttons(draft.id, "review", "cancel")))


async def act(svc: Services, staff_id: int, objection_id: int, action: str,
              now: datetime) -> Response:
    """A draft's buttons: ``review`` (show it), ``submit``, ``cancel``."""
    async with svc.sessions.begin() as session:
        draft = await current_draft(session, staff_id)
        if draft is None or draft.id != objection_id:
            raise Refusal("errors.stale_button")
        if action == "cancel":
            draft.state = CANCELLED
            return Response(say("objection.cancelled"), edit=True)
        notice = await _still_open(session, svc, draft, now)
        if action == "review" and draft.step in (ATTACHING, CONFIRMING):
            draft.step = CONFIRMING
            return Response(await _preview(session, draft), edit=True)
        if action == "submit" and draft.step == CONFIRMING:
            return await _submit(session, svc, draft, notice, now)
        raise Refusal("errors.stale_button")


async def _preview(session: AsyncSession, draft: Objection) -> Message:
    row = await session.get_one(Nomination, draft.nomination_id)
    return Message(Text("objection.preview", {
        "subject": await subject_name(session, row), "award": award_text(outcome_code(row)),
        "text": draft.text, "files": len(draft.attachments)}),
        _draft_buttons(draft.id, "submit", "cancel"))


async def _submit(session: AsyncSession, svc: Services, draft: Objection, notice: Notice,
                  now: datetime) -> Response:
    draft.state, draft.step, draft.submitted_at = OPEN, None, now
    await audit.append(session, at=now, actor_id=draft.objector_id, action="objection.raised",
                       subject_type="objection", subject_id=draft.id,
                       data={"notice": notice.id, "nomination": draft.nomination_id,
                             "files": [a["sha256"] for a in draft.attachments]})
    round_ = await session.get_one(Round, notice.round_id)
    await notify_supervision(session, svc, draft, round_, now)
    return Response(say("objection.submitted", id=draft.id,
                      closes=local_time(notice.closes_at, svc.rules)), edit=True)
