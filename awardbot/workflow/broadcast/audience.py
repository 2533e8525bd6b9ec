"""Who a broadcast reaches: everyone bound, a unit and the units below it, a role, or the
applicants of one round. Queries only: they take a session and never commit.

An audience is stored as JSON on the broadcast (``{"kind": "unit", "unit_id": 3}``), so
the recipients are worked out again at the moment of confirming: someone bound between
the preview and the confirmation is included, someone who left is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Round, Staff, StaffRole, Unit
from awardbot.scoring.catalogue import Catalogue as Awards
from awardbot.workflow.messages import Text, names
from awardbot.workflow.roles import Role

ALL, UNIT, ROLE, ROUND = "all", "unit", "role", "round"
# Roles worth a broadcast of their own; "staff" is everyone, which ALL already covers.
ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.STAFF)
NOT_APPLIED = ("draft",)  # a draft's author has not applied yet


class AudienceError(ValueError):
    """The audience names something that does not exist (a forged or stale button)."""


@dataclass(frozen=True)
class Recipient:
    staff_id: int
    chat_id: int


def everyone() -> dict[str, Any]:
    return {"kind": ALL}


def of_unit(unit_id: int) -> dict[str, Any]:
    return {"kind": UNIT, "unit_id": unit_id}


def of_role(role: str) -> dict[str, Any]:
    if role not in {r.value for r in ROLES}:
        raise AudienceError(f"unknown role {role!r}")
    return {"kind": ROLE, "role": role}


def of_round(round_id: int) -> dict[str, Any]:
    return {"kind": ROUND, "round_id": round_id}


def _bound() -> Select[int, int | None]:
    """Active staff with a Telegram account; someone who blocked the bot stays in, so that
    the sender can count them as blocked."""
    return (
        select(Staff.id, Staff.telegram_user_id)
        .where(Staff.active, Staff.telegram_user_id.is_not(None))
        .order_by(Staff.id)
    )


def _unit_tree(unit_id: int) -> Any:
    """The unit and every unit below it (UNION, not UNION ALL: a loop in bad data ends)."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("unit_tree", recursive=True)
    return tree.union(select(Unit.id).join(tree, Unit.parent_id == tree.c.id))


def _query(audience: dict[str, Any]) -> Select[int, int | None]:
    kind = audience.get("kind")
    query = _bound()
    if kind == ALL:
        return query
    if kind == UNIT:
        tree = _unit_tree(int(audience["unit_id"]))
        return query.where(Staff.unit_id.in_(select(tree.c.id)))
    if kind == ROLE:
        holders = select(StaffRole.staff_id).where(StaffRole.role == str(audience["role"]))
        return query.where(Staff.id.in_(holders))
    if kind == ROUND:
        applicants = select(Nomination.applicant_id).where(
            Nomination.round_id == int(audience["round_id"]),
            Nomination.state.not_in(NOT_APPLIED),
        )
        return query.where(Staff.id.in_(applicants))
    raise AudienceError(f"unknown audience {audience!r}")


async def recipients(session: AsyncSession, audience: dict[str, Any]) -> list[Recipient]:
    rows = (await session.execute(_query(audience))).all()
    return [Recipient(staff_id, chat_id) for staff_id, chat_id in rows if chat_id is not None]


async def count(session: AsyncSession, audience: dict[str, Any]) -> int:
    return len(await recipients(session, audience))


async def check(session: AsyncSession, audience: dict[str, Any]) -> None:
    """Refuse an audience that names a unit or round that does not exist."""
    kind = audience.get("kind")
    if kind == UNIT and await session.get(Unit, int(audience["unit_id"])) is None:
        raise AudienceError("no such unit")
    if kind == ROUND and await session.get(Round, int(audience["round_id"])) is None:
        raise AudienceError("no such round")
    _query(audience)  # raises for an unknown kind or role


async def describe(session: AsyncSession, audience: dict[str, Any], awards: Awards) -> Text:
    """The audience in words, for the preview and the progress message."""
    kind = audience.get("kind")
    if kind == UNIT:
        unit = await session.get(Unit, int(audience["unit_id"]))
        return Text("broadcast.audience.unit", {"unit": unit.name if unit else "?"})
    if kind == ROLE:
        return Text("broadcast.audience.role", {"role": Text(f"roles.{audience['role']}")})
    if kind == ROUND:
        round_ = await session.get(Round, int(audience["round_id"]))
        return Text("broadcast.audience.round", round_params(round_, awards))
    return Text("broadcast.audience.all")


def round_params(round_: Round | None, awards: Awards) -> dict[str, Any]:
    if round_ is None:
        return {"family": "?", "period": "?"}
    family = awards.families.get(round_.family)
    label = names(family.names.zh, family.names.en) if family else round_.family
    return {"family": label, "period": round_.period}
