"""Loading the draft a person is working on, locked for the answer being written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from awardbot.db.models import Nomination, Staff
from awardbot.workflow.intake.model import Draft
from awardbot.workflow.lifecycle import EDITABLE
from awardbot.workflow.naming import local_time
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.services import Services


async def load_draft(
    session: AsyncSession, svc: Services, staff_id: int, nomination_id: int | None,
    now: datetime,
) -> Draft:
    staff = await session.get_one(Staff, staff_id)
    wanted = nomination_id or staff.active_nomination_id
    if wanted is None:
        raise Refusal("intake.no_draft")
    row = await session.scalar(
        select(Nomination).where(Nomination.id == wanted)
        .options(selectinload(Nomination.evidence),
                 joinedload(Nomination.round, innerjoin=True))
        .with_for_update(of=Nomination))  # the draft's row, never the round's
    if row is None or row.applicant_id != staff_id:
        raise Refusal("errors.stale_button")
    if row.state not in EDITABLE:
        raise Refusal("intake.not_editable", ref=row.ref or "")
    if not stages.accepting(row.round, now):
        raise Refusal("intake.closed", deadline=local_time(row.round.closes_at))
    return Draft(row, row.round.family, svc.awards, svc.limits, applicant=staff,
                 rules=svc.rules)
