"""Telling the applicant (and the nominee, when someone else applied) what a reviewer did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind, data
from awardbot.db.models import Nomination
from awardbot.workflow import outbox
from awardbot.workflow.messages import Button, Message, Text, names
from awardbot.workflow.services import Services


async def notify_people(session: AsyncSession, svc: Services, row: Nomination,
                        stage_: str, decision: str, reason: str | None, now: datetime) -> None:
    award = svc.awards.awards[row.award or ""]
    params = {"ref": row.ref or "", "award": names(award.names.zh, award.names.en),
              "step": Text(f"review.step.{stage_[0]}"), "reason": reason or ""}
    buttons: tuple[tuple[Button, ...], ...] = ()
    if decision == "return":
        buttons = ((Button(Text("review.button.revise"), data(Kind.DRAFT, row.id, "resume")),),)
    await outbox.enqueue_for_staff(
        session, row.applicant_id, Message(Text(f"review.note.{decision}", params), buttons),
        now=now, dedupe_key=f"rv:note:{row.id}:{stage_}:{row.applicant_id}")
    nominee = row.subject_staff_id
    if nominee is not None and nominee != row.applicant_id:
        await outbox.enqueue_for_staff(
            session, nominee, Message(Text(f"review.note.{decision}_nominee", params)),
            now=now, dedupe_key=f"rv:note:{row.id}:{stage_}:{nominee}")
