"""A colleague who was nominated may decline; the applicant is told."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from awardbot.db.models import Nomination
from awardbot.workflow import audit, outbox
from awardbot.workflow.lifecycle import State, TransitionError, check
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services


async def decline(svc: Services, staff_id: int, nomination_id: int, now: datetime) -> Text:
    async with svc.sessions.begin() as session:
        row = await session.scalar(
            select(Nomination).where(Nomination.id == nomination_id).with_for_update())
        if row is None or row.subject_staff_id != staff_id or row.applicant_id == staff_id:
            raise Refusal("errors.stale_button")
        if row.state == State.DECLINED:
            return Text("intake.nominee.already_declined", {"ref": row.ref or ""})
        try:
            row.state = check(row.state, State.DECLINED)
        except TransitionError:
            raise Refusal("intake.nominee.too_late", ref=row.ref or "") from None
        row.updated_at = now
        await audit.append(session, at=now, actor_id=staff_id, action="nomination.declined",
                           subject_type="nomination", subject_id=row.id, data={"ref": row.ref})
        await outbox.enqueue_for_staff(
            session, row.applicant_id,
            Message(Text("intake.nominee.declined_notice", {"ref": row.ref or ""})),
            now=now, dedupe_key=f"declined:{row.id}")
        return Text("intake.nominee.declined", {"ref": row.ref or ""})
