"""A nomination's timeline from the audit log, for the people allowed to see it.

Allowed: the applicant, the nominee, the leaders of the nominee's unit and of the units
above it (and their active deputies), the supervision section, the evaluation group and
admins. Anyone else is told the same as for an unknown reference, so a reference's
existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import AuditEvent, Nomination, Staff, StaffRole
from awardbot.workflow.delegation import principals, today
from awardbot.workflow.intake.model import literal
from awardbot.workflow.intake.service import IntakeServices, local_time, subject_label
from awardbot.workflow.outbox import Text, names
from awardbot.workflow.review_card import ReviewRefusal
from awardbot.workflow.review_route import subject_unit, unit_chain
from awardbot.workflow.roles import Role

SEE_ALL = (Role.SUPERVISION, Role.EVALUATOR, Role.EVAL_LEADER, Role.ADMIN)
KNOWN = frozenset({
    "nomination.submitted", "nomination.resubmitted", "nomination.withdrawn",
    "nomination.declined", "review.approved", "review.returned", "review.rejected",
    "review.passed", "review.no_leader",
})


@dataclass(frozen=True)
class Timeline:
    header: Text
    entries: tuple[Text, ...]


async def timeline(svc: IntakeServices, viewer_id: int, *, ref: str | None = None,
                   nomination_id: int | None = None, now: datetime) -> Timeline:
    async with svc.sessions() as session:
        where = (Nomination.id == nomination_id if nomination_id is not None
                 else func.upper(Nomination.ref) == (ref or "").strip().upper())
        row = await session.scalar(select(Nomination).where(where))
        if row is None or row.ref is None or not await may_see(session, row, viewer_id, now):
            raise ReviewRefusal("review.history.not_found", ref=ref or "")
        events = list(await session.scalars(select(AuditEvent).where(
            AuditEvent.subject_type == "nomination", AuditEvent.subject_id == row.id)
            .order_by(AuditEvent.id)))
        people = {e.actor_id for e in events} | {
            int(e.data[k]) for e in events for k in ("deputy_id", "for_leader_id") if k in e.data}
        found = await session.execute(select(Staff.id, Staff.name).where(
            Staff.id.in_(people - {None})))
        named = {int(staff): str(name) for staff, name in found.all()}
        award = svc.awards.awards.get(row.award or "")
        header = Text("review.history.header", {
            "ref": row.ref, "subject": await subject_label(session, row),
            "award": names(award.names.zh, award.names.en) if award else "—",
            "state": Text(f"states.{row.state}")})
        return Timeline(header, tuple(_entry(e, named) for e in events))


def _entry(event: AuditEvent, named: dict[int, str]) -> Text:
    data = event.data or {}
    if "for_leader_id" in data:
        who: Text = Text("review.by_deputy", {
            "deputy": named.get(int(data["deputy_id"]), "?"),
            "leader": named.get(int(data["for_leader_id"]), "?")})
    elif event.actor_id is not None:
        who = literal(named.get(event.actor_id, "?"))
    else:
        who = Text("review.history.system")
    what = (Text(f"review.history.action.{event.action.replace('.', '_')}")
            if event.action in KNOWN else Text("review.history.action_other",
                                                {"action": event.action}))
    reason = data.get("reason")
    return Text("review.history.entry", {
        "at": local_time(event.at), "who": who, "what": what,
        "reason": Text("review.history.reason", {"reason": reason}) if reason else ""})


async def may_see(session: AsyncSession, row: Nomination, viewer_id: int,
                  now: datetime) -> bool:
    if viewer_id in (row.applicant_id, row.subject_staff_id):
        return True
    roles = (await session.execute(select(StaffRole.role, StaffRole.unit_id).where(
        StaffRole.staff_id == viewer_id))).all()
    if any(role in SEE_ALL for role, _ in roles):
        return True
    chain = set(await unit_chain(session, await subject_unit(session, row)))
    if any(role == Role.LEADER and unit in chain for role, unit in roles):
        return True
    for leader in await principals(session, viewer_id, today(now)):
        led = await session.scalars(select(StaffRole.unit_id).where(
            StaffRole.staff_id == leader, StaffRole.role == Role.LEADER))
        if chain & set(led):
            return True
    return False
