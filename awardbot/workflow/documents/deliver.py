"""The round's papers go out by themselves.

- A notice published: its 公示 as PDF and Word goes to the admins, and the PDF to the
  notice channel after the notice's text.
- A round made final (its notice closed): the winners' picture goes to the channel and the
  admins (who may attach it to a broadcast), with the round's certificates as one printable
  PDF for the admins; each winner — the person, or for a window or hall its applicant —
  receives their own 荣誉证书 as a PDF.

Rendering is slow and CPU-bound, so it runs through ``svc.offload`` (the bot's worker
process) outside any transaction; the files are kept in the file store (content-addressed:
rendering again stores nothing new) and the messages are queued in one transaction,
deduplicated per recipient, with an audit event (``papers.notice`` / ``papers.final``)
that marks the work done. :func:`deliver_due` finds what is not marked yet: the
scheduler's tick runs it, so a restart between a publication and its papers loses nothing,
and the publishing admin's answer does not wait for the rendering.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import AuditEvent, Nomination, Notice, Round, Staff, StaffRole
from awardbot.documents.certificates import certificate_file_name, certificates_pdf
from awardbot.documents.model import CertificateBatch
from awardbot.documents.notice import notice_file_name, notice_pdf
from awardbot.documents.notice_docx import notice_docx
from awardbot.documents.winners_image import winners_png
from awardbot.workflow import audit
from awardbot.workflow.documents.queries import (
    Papers,
    certificate_batch,
    notice_data,
    winners_data,
)
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Media, Message, Text
from awardbot.workflow.outbox import Priority, enqueue, enqueue_for_staff
from awardbot.workflow.roles import Role
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

log = logging.getLogger(__name__)
NOTICE_DONE, FINAL_DONE = "papers.notice", "papers.final"
RECENT = timedelta(days=14)


@dataclass(frozen=True)
class Due:
    notices: tuple[int, ...]  # notice ids whose 公示 was not sent yet
    finals: tuple[int, ...]  # round ids made final whose winners' papers were not sent


def papers_of(svc: Services) -> Papers:
    return Papers(svc.awards, svc.rules, svc.style)


def _not_marked(action: str, subject_type: str, subject_id: Any) -> ColumnElement[bool]:
    return ~exists().where(and_(AuditEvent.action == action,
                                AuditEvent.subject_type == subject_type,
                                AuditEvent.subject_id == subject_id))


async def due(svc: Services, now: datetime) -> Due:
    """What is not sent yet, of the last :data:`RECENT` (papers are news: a database that
    had notices before this feature does not send its history)."""
    since = now - RECENT
    async with svc.sessions() as session:
        notices = await session.scalars(select(Notice.id).where(
            Notice.published_at >= since,
            _not_marked(NOTICE_DONE, "notice", Notice.id)).order_by(Notice.id))
        finals = await session.scalars(select(Round.id).where(
            Round.state == Stage.FINAL.value,
            exists().where(Notice.round_id == Round.id, Notice.closed_at >= since),
            _not_marked(FINAL_DONE, "round", Round.id)).order_by(Round.id))
        return Due(tuple(notices), tuple(finals))


async def deliver_due(svc: Services, now: datetime) -> Due:
    """Send every paper not sent yet; what failed is logged and tried at the next call."""
    found = await due(svc, now)
    for notice_id in found.notices:
        await _guarded(deliver_notice(svc, notice_id, now), f"notice {notice_id}")
    for round_id in found.finals:
        await _guarded(deliver_final(svc, round_id, now), f"round {round_id}")
    return found


async def _guarded(work: Awaitable[None], what: str) -> None:
    try:
        await work
    except Exception:  # one round's papers must not hold up another's
        log.exception("papers: %s could not be sent; tried again at the next tick", what)


async def _admins(session: AsyncSession) -> list[int]:
    return list(await session.scalars(
        select(Staff.id).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role == Role.ADMIN, Staff.active).distinct().order_by(Staff.id)))


def _stored(svc: Services, kind: str, content: bytes, name: str) -> Media:
    return Media(kind, sha256=svc.evidence.put(content).sha256, name=name)


async def deliver_notice(svc: Services, notice_id: int, now: datetime) -> None:
    async with svc.sessions() as session:
        notice = await session.get_one(Notice, notice_id)
        data = await notice_data(session, papers_of(svc), notice.round_id)
    pdf = _stored(svc, "document", await svc.offload(notice_pdf, data),
                  notice_file_name(data, "pdf"))
    docx = _stored(svc, "document", await svc.offload(notice_docx, data),
                   notice_file_name(data, "docx"))
    label = stages.label(await _round(svc, notice.round_id))
    key = f"papers:notice:{notice_id}"
    async with svc.sessions.begin() as session:
        for staff_id in await _admins(session):
            await enqueue_for_staff(session, staff_id, Message(
                Text("papers.sent.notice_admin", label), media=(pdf, docx)), now=now,
                priority=Priority.BULK, dedupe_key=f"{key}:{staff_id}")
        if svc.channel_chat_id is not None:
            await enqueue(session, chat_id=svc.channel_chat_id, now=now, priority=Priority.BULK,
                          message=Message(Text("papers.sent.notice_channel", label),
                                          media=(pdf,)), dedupe_key=f"{key}:channel")
        await audit.append(session, at=now, actor_id=None, action=NOTICE_DONE,
                           subject_type="notice", subject_id=notice_id,
                           data={"pdf": pdf.sha256, "docx": docx.sha256})


async def deliver_final(svc: Services, round_id: int, now: datetime) -> None:
    papers = papers_of(svc)
    async with svc.sessions() as session:
        round_ = await session.get_one(Round, round_id)
        if stages.stored(round_) is not Stage.FINAL:
            return
        winners = await winners_data(session, papers, round_id)
        batch = await certificate_batch(session, papers, round_id)
        rows = list(await session.scalars(select(Nomination).where(
            Nomination.round_id == round_id, Nomination.state == State.AWARDED)
            .order_by(Nomination.id)))
    label = stages.label(round_)
    pictures = tuple(_stored(svc, "photo", png, f"获奖名单-{n}.png")
                     for n, png in enumerate(await svc.offload(winners_png, winners), start=1))
    everyone = _stored(svc, "document", await svc.offload(certificates_pdf, batch),
                       f"荣誉证书-{winners.round.family}-{round_.period}.pdf")
    # The batch holds the winners in the list's order; match each to its nomination.
    by_ref = {c.number: c for c in batch.certificates}
    own = {}
    for row in rows:
        certificate = by_ref.get(row.ref or "")
        if certificate is not None:
            own[row.id] = _stored(svc, "document", await svc.offload(
                certificates_pdf, CertificateBatch((certificate,), batch.style, batch.lang)),
                certificate_file_name(certificate))
    key = f"papers:final:{round_id}"
    async with svc.sessions.begin() as session:
        for staff_id in await _admins(session):
            await enqueue_for_staff(session, staff_id, Message(
                Text("papers.sent.final_admin", label), media=(*pictures, everyone)),
                now=now, priority=Priority.BULK, dedupe_key=f"{key}:{staff_id}")
        if svc.channel_chat_id is not None:
            await enqueue(session, chat_id=svc.channel_chat_id, now=now, priority=Priority.BULK,
                          message=Message(Text("papers.sent.final_channel", label),
                                          media=pictures), dedupe_key=f"{key}:channel")
        for row in rows:
            if row.id not in own:
                continue
            message = Message(Text("papers.sent.certificate", {
                **label, "ref": row.ref or ""}), media=(own[row.id],))
            for staff_id in sorted({s for s in (row.subject_staff_id, row.applicant_id)
                                    if s is not None}):
                await enqueue_for_staff(session, staff_id, message, now=now,
                                        dedupe_key=f"{key}:certificate:{row.id}:{staff_id}")
        await audit.append(session, at=now, actor_id=None, action=FINAL_DONE,
                           subject_type="round", subject_id=round_id,
                           data={"winners": len(rows), "certificates": len(own)})


async def _round(svc: Services, round_id: int) -> Round:
    async with svc.sessions() as session:
        return await session.get_one(Round, round_id)


