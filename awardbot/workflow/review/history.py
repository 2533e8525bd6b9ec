"""A nomination's timeline from the audit log, for the people allowed to see it.

Allowed: the applicant, the nominee, the leaders of the nominee's unit and of the units
above it (and their active deputies), the supervision section, the evaluation group and
admins. Anyone else is told the same as for an unknown reference, so a reference's
existence does not leak.

Each shows only the events their role may see, in words (:data:`AUDIENCE`): the
application's path is everyone's; who scored and when is the evaluation group leader's and
the admins' (a member sees their own acts) — blind scoring stays blind; objections stay
with the supervision section. An action the table does not name is never shown as a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import AuditEvent, Nomination, Staff, StaffRole
from awardbot.workflow.intake.model import literal
from awardbot.workflow.messages import Text, names
from awardbot.workflow.naming import local_time, subject_label
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review.delegation import principals, today
from awardbot.workflow.review.route import subject_unit, unit_chain
from awardbot.workflow.roles import Role
from awardbot.workflow.services import Services

SEE_ALL = (Role.SUPERVISION, Role.EVALUATOR, Role.EVAL_LEADER, Role.ADMIN)
EVERYONE, EVALUATION, OWN = "everyone", "evaluation", "own"
# Who sees each kind of event: everyone who may see the nomination; the evaluation group's
# leader and admins (members: their own acts only); nobody else. Objections are recorded
# on the objection, never on the nomination, so they do not appear here at all.
AUDIENCE: dict[str, str] = {
    **dict.fromkeys((
        "nomination.submitted", "nomination.resubmitted", "nomination.withdrawn",
        "nomination.declined", "review.approved", "review.returned", "review.rejected",
        "review.passed", "review.no_leader", "nomination.scored", "decision.confirmed",
        "decision.removed", "decision.added", "nomination.on_notice", "nomination.awarded",
        "nomination.objection_upheld"), EVERYONE),
    **dict.fromkeys(("score.entered", "score.abstained", "facts.corrected"), EVALUATION),
}
SEE_EVALUATION = frozenset({Role.EVAL_LEADER, Role.ADMIN})


@dataclass(frozen=True)
class Timeline:
    header: Text
    entries: tuple[Text, ...]


async def timeline(svc: Services, viewer_id: int, *, ref: str | None = None,
                   nomination_id: int | None = None, now: datetime) -> Timeline:
    async with svc.sessions() as session:
        where = (Nomination.id == nomination_id if nomination_id is not None
                 else func.upper(Nomination.ref) == (ref or "").strip().upper())
        row = await session.scalar(select(Nomination).where(where))
        if row is None or row.ref is None or not await may_see(session, row, viewer_id, now):
            raise Refusal("review.history.not_found", ref=ref or "")
        roles = set(await session.scalars(select(StaffRole.role).where(
            StaffRole.staff_id == viewer_id)))
        events = [e for e in await session.scalars(select(AuditEvent).where(
            AuditEvent.subject_type == "nomination", AuditEvent.subject_id == row.id)
            .order_by(AuditEvent.id)) if shown(e, viewer_id, roles)]
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
    what = Text(f"review.history.action.{event.action.replace('.', '_')}")
    reason = data.get("reason")
    return Text("review.history.entry", {
        "at": local_time(event.at), "who": who, "what": what,
        "reason": Text("review.history.reason", {"reason": reason}) if reason else ""})


def shown(event: AuditEvent, viewer_id: int, roles: set[str]) -> bool:
    """Whether this viewer may see this event (see :data:`AUDIENCE`)."""
    audience = AUDIENCE.get(event.action)
    if audience == EVERYONE:
        return True
    if audience == EVALUATION:
        return bool(roles & SEE_EVALUATION) or event.actor_id == viewer_id
    return False


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
