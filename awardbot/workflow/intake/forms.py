"""Who may download a nomination's 申报表, and the file itself."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from awardbot.db.models import Nomination, Staff, StaffRole
from awardbot.documents.application_pdf import form_pdf
from awardbot.workflow.intake.model import Draft
from awardbot.workflow.lifecycle import State
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role
from awardbot.workflow.services import Services

REVIEWERS = (Role.SUPERVISION, Role.EVALUATOR, Role.EVAL_LEADER, Role.ADMIN)


async def may_see(session, staff_id: int, row: Nomination) -> bool:  # type: ignore[no-untyped-def]
    if staff_id in (row.applicant_id, row.subject_staff_id):
        return True
    roles = (await session.execute(
        select(StaffRole.role, StaffRole.unit_id).where(StaffRole.staff_id == staff_id))).all()
    if any(role in REVIEWERS for role, _ in roles):
        return True
    unit_id = row.subject_unit_id
    if unit_id is None and row.subject_staff_id is not None:
        unit_id = (await session.get_one(Staff, row.subject_staff_id)).unit_id
    return any(role == Role.LEADER and unit == unit_id for role, unit in roles)


async def form_bytes(svc: Services, staff_id: int, nomination_id: int) -> tuple[str, bytes]:
    async with svc.sessions() as session:
        row = await session.get(Nomination, nomination_id)
        if row is None or not await may_see(session, staff_id, row):
            raise Refusal("errors.stale_button")
        if row.form_sha256 is None:
            raise Refusal("mine.no_form")
        content = await asyncio.to_thread(svc.evidence.open, row.form_sha256)
        return f"{row.ref}.docx", content


async def form_pdf_bytes(svc: Services, staff_id: int, nomination_id: int) -> tuple[str, bytes]:
    """The 申报表 as PDF, made now from what was submitted (the same rows as the Word file),
    in the worker process; for whoever may see the Word one."""
    async with svc.sessions() as session:
        row = await session.scalar(
            select(Nomination).where(Nomination.id == nomination_id)
            .options(selectinload(Nomination.evidence), joinedload(Nomination.round)))
        if row is None or not await may_see(session, staff_id, row):
            raise Refusal("errors.stale_button")
        if row.state in (State.DRAFT, State.DISCARDED) or row.submitted_at is None:
            raise Refusal("mine.no_form")
        from awardbot.workflow.intake.submit import form_data  # submit imports this module

        draft = Draft(row, row.round.family, svc.awards, svc.limits)
        data = await form_data(session, draft, row.submitted_at, svc.rules)
    return f"{row.ref}.pdf", await svc.offload(form_pdf, data)
