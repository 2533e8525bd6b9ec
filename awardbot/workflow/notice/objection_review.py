"""The supervision section (督查科) decides objections: Uphold or Dismiss, with a reason.

Each submitted objection reaches every bound supervision member as a card that names
the objector — the only place the objector is named. Pressing a decision leaves it
pending on the objection; the same person's next text is the required reason and
completes it. The objector is told the outcome and nothing more. Open objections that
hold a notice back are recalled to the section at most once a day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notice, Objection, Round, Staff, Unit
from awardbot.documents.text_input import clean
from awardbot.workflow import audit
from awardbot.workflow.messages import Button, Media, Message, Text
from awardbot.workflow.naming import local_time, subject_name
from awardbot.workflow.notice.base import (
    OBJECT_RULE,
    Response,
    award_text,
    data,
    has_role,
    holders,
    is_own,
    outcome_code,
)
from awardbot.workflow.outbox import Priority, enqueue_for_staff
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role
from awardbot.workflow.services import Services

UPHELD, DISMISSED = "upheld", "dismissed"
DECISIONS = {"uphold": UPHELD, "dismiss": DISMISSED}
REASON_MAX_CHARS = 1000


async def _about(session: AsyncSession, objection: Objection) -> dict[str, object]:
    row = await session.get_one(Nomination, objection.nomination_id)
    return {"id": objection.id, "subject": await subject_name(session, row),
            "award": award_text(outcome_code(row))}


async def card(session: AsyncSession, svc: Services, objection: Objection,
               round_: Round) -> Message:
    objector = await session.get_one(Staff, objection.objector_id)
    unit = await session.get_one(Unit, objector.unit_id)
    notice = await session.get_one(Notice, objection.notice_id)
    text = Text("objection.card", {
        **await _about(session, objection), "objector": objector.name, "unit": unit.name,
        "family": Text(f"notice.family.{round_.family}"), "period": round_.period,
        "text": objection.text, "files": len(objection.attachments),
        "closes": local_time(notice.closes_at, svc.rules)})
    media = tuple(Media(a["kind"], a["file_id"]) for a in objection.attachments)
    buttons = ((Button(Text("objection.button.uphold"), data(OBJECT_RULE, objection.id, "uphold")),
                Button(Text("objection.button.dismiss"),
                       data(OBJECT_RULE, objection.id, "dismiss"))),)
    return Message(text, buttons, media)


async def reviewers(session: AsyncSession, row: Nomination) -> list[int]:
    """Who may see the objector and rule on the objection: the supervision section, less
    anyone the nomination concerns (its nominee, applicant, or staff of the nominated unit);
    with none left, the admins it does not concern."""
    for role in (Role.SUPERVISION, Role.ADMIN):
        found = [staff for staff in await holders(session, role)
                 if not is_own(row, staff, (await session.get_one(Staff, staff)).unit_id)]
        if found:
            return found
    return []


async def notify_supervision(session: AsyncSession, svc: Services, objection: Objection,
                             round_: Round, now: datetime) -> int:
    message = await card(session, svc, objection, round_)
    row = await session.get_one(Nomination, objection.nomination_id)
    sent = 0
    for staff_id in await reviewers(session, row):
        sent += await enqueue_for_staff(session, staff_id, message, now=now,
                                        dedupe_key=f"objection:{objection.id}:card:{staff_id}")
    return sent


async def _open_objection(session: AsyncSession, objection_id: int) -> Objection:
    objection = await session.get(Objection, objection_id, with_for_update=True)
    if objection is None or objection.state not in ("open", UPHELD, DISMISSED):
        raise Refusal("errors.stale_button")
    if objection.state != "open":
        raise Refusal(f"objection.already_{objection.state}", id=objection.id)
    return objection


async def press(svc: Services, staff_id: int, objection_id: int, action: str,
                now: datetime) -> Response:
    """Uphold / Dismiss pressed: ask for the reason (nothing changes until it comes)."""
    if action not in DECISIONS:
        raise Refusal("errors.stale_button")
    async with svc.sessions.begin() as session:
        objection = await _open_objection(session, objection_id)
        row = await session.get_one(Nomination, objection.nomination_id)
        if staff_id not in await reviewers(session, row) or objection.objector_id == staff_id:
            related = await has_role(session, staff_id, Role.SUPERVISION)
            raise Refusal("objection.recused" if related else "objection.supervision_only")
        staff = await session.get_one(Staff, staff_id)
        objection.pending_decision, objection.pending_by = DECISIONS[action], staff_id
        staff.active_nomination_id = None  # the reason must not land in an application
        return Response(Message(Text(f"objection.ask_reason_{DECISIONS[action]}",
                                   await _about(session, objection))))


async def pending_for(session: AsyncSession, staff_id: int) -> Objection | None:
    return await session.scalar(
        select(Objection).where(Objection.pending_by == staff_id, Objection.state == "open")
        .order_by(Objection.id.desc()).limit(1).with_for_update())


async def give_reason(session: AsyncSession, objection: Objection, staff_id: int, text: str,
                      now: datetime) -> Response:
    """The reason completes the pending decision; the objector hears the outcome."""
    reason = clean(text).strip()
    if not reason or len(reason) > REASON_MAX_CHARS:
        raise Refusal("objection.bad_reason", max=REASON_MAX_CHARS)
    decision = objection.pending_decision or ""
    objection.state, objection.resolution = decision, reason
    objection.resolved_by, objection.resolved_at = staff_id, now
    objection.pending_decision = objection.pending_by = None
    await audit.append(session, at=now, actor_id=staff_id, action=f"objection.{decision}",
                       subject_type="objection", subject_id=objection.id,
                       data={"nomination": objection.nomination_id, "reason": reason})
    about = await _about(session, objection)
    await enqueue_for_staff(session, objection.objector_id,
                            Message(Text(f"objection.outcome_{decision}",
                                         {**about, "reason": reason})), now=now,
                            dedupe_key=f"objection:{objection.id}:outcome")
    return Response(Message(Text(f"objection.ruled_{decision}", about)))


async def remind(session: AsyncSession, svc: Services, notice_id: int,
                 objections: list[Objection], now: datetime) -> int:
    """Recall the open objections holding a notice back (once a day per person)."""
    if not objections:
        return 0
    day = now.astimezone(svc.rules.tz).date().isoformat()
    message = Message(Text("objection.reminder", {
        "count": len(objections), "ids": ", ".join(f"#{o.id}" for o in objections)}))
    sent = 0
    for staff_id in await holders(session, Role.SUPERVISION):
        sent += await enqueue_for_staff(
            session, staff_id, message, now=now, priority=Priority.REMINDER,
            dedupe_key=f"notice:{notice_id}:remind:{day}:{staff_id}")
    return sent
