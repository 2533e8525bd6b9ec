"""Who may do what, declared once and asked everywhere (as pretalx's ``rules.py`` does).

A :class:`Permission` names an act; :data:`HOLDERS` says which roles may perform it. Use
cases call :func:`require` inside their own transaction, so a person removed or stripped
of a role a moment ago is refused at once. ``actor_id=None`` is the operator at the
command line, who owns the installation and may do everything.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Staff
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role


class Permission(StrEnum):
    MANAGE_ROUNDS = "manage_rounds"  # extend, close, open the evaluation
    RUN_SURVEY = "run_survey"  # open and close the satisfaction survey
    LEAD_EVALUATION = "lead_evaluation"  # progress, reminders, corrections, closing
    SCORE = "score"
    DECIDE = "decide"  # record the party group's decision
    EXPORT = "export"  # a round's ranking, scores and decision as a spreadsheet
    PUBLISH = "publish"  # the public notice
    BROADCAST = "broadcast"


HOLDERS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_ROUNDS: frozenset({Role.ADMIN}),
    Permission.RUN_SURVEY: frozenset({Role.ADMIN, Role.EVAL_LEADER}),
    Permission.LEAD_EVALUATION: frozenset({Role.EVAL_LEADER}),
    Permission.SCORE: frozenset({Role.EVALUATOR, Role.EVAL_LEADER}),
    Permission.DECIDE: frozenset({Role.ADMIN}),
    Permission.EXPORT: frozenset({Role.ADMIN}),
    Permission.PUBLISH: frozenset({Role.ADMIN}),
    Permission.BROADCAST: frozenset({Role.ADMIN}),
}


def allows(roles: set[str] | frozenset[str], permission: Permission) -> bool:
    return any(role in roles for role in HOLDERS[permission])


async def require(session: AsyncSession, actor_id: int | None, permission: Permission, *,
                  refusal: str | None = None) -> Staff | None:
    """The acting person, read now, if they may; else a refusal (``refusal``: the wing's own
    words for it). None: the operator at the command line."""
    if actor_id is None:
        return None
    return await require_person(session, actor_id, permission, refusal=refusal)


async def require_person(session: AsyncSession, actor_id: int, permission: Permission, *,
                         refusal: str | None = None) -> Staff:
    """The acting staff member, read now, if they are active and may; else a refusal."""
    staff = await session.scalar(select(Staff).where(Staff.id == actor_id)
                                 .options(selectinload(Staff.roles)))
    if staff is None or not staff.active or not allows({r.role for r in staff.roles},
                                                       permission):
        raise Refusal(refusal or f"policy.refused.{permission.value}")
    return staff
