"""What the public notice, the objections and the satisfaction survey share.

Their services (one frozen value the chat layer hands in), the refusal they raise, the
screen they answer with, the callback data of their buttons, and small readers: who is
bound, what a nomination is called, how a time is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind
from awardbot.callbacks import data as callback_data
from awardbot.db.models import Nomination, Staff, StaffRole
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.roles import Role


@dataclass(frozen=True)
class Response:
    """What to show after an act: a message, shown in place of the pressed one if
    ``edit``, and a short answer to the button press."""

    message: Message | None = None
    edit: bool = False
    toast: Text | None = None


def say(key: str, buttons: Iterable[Iterable[Button]] = (), **params: Any) -> Message:
    return Message(Text(key, dict(params)), tuple(tuple(row) for row in buttons))


def data(kind: Kind, *fields: object) -> str:
    """A button's callback data (``awardbot/callbacks.py``)."""
    return callback_data(kind, *fields)


# Callback kinds, decoded by the handlers with ``callbacks.decode(data, KIND, arity)``.
SURVEY_SHOW = Kind.SURVEY_SHOW
SURVEY_VOTE = Kind.SURVEY_VOTE
PUBLISH_PICK = Kind.PUBLISH_PICK
PUBLISH_DO = Kind.PUBLISH_DO
OBJECT_START = Kind.OBJECT_START
OBJECT_PICK = Kind.OBJECT_PICK
OBJECT_DRAFT = Kind.OBJECT_DRAFT
OBJECT_RULE = Kind.OBJECT_RULE




async def bound_staff(session: AsyncSession) -> list[int]:
    """Everyone who can be messaged: active staff with a bound Telegram account."""
    rows = await session.scalars(
        select(Staff.id).where(Staff.active, Staff.telegram_user_id.is_not(None))
        .order_by(Staff.id))
    return list(rows)


async def holders(session: AsyncSession, role: Role) -> list[int]:
    """Bound active staff holding ``role``."""
    rows = await session.scalars(
        select(Staff.id).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role == role.value, Staff.active,
               Staff.telegram_user_id.is_not(None))
        .order_by(Staff.id).distinct())
    return list(rows)


async def has_role(session: AsyncSession, staff_id: int, role: Role) -> bool:
    found = await session.scalar(
        select(StaffRole.id).where(StaffRole.staff_id == staff_id, StaffRole.role == role.value)
        .limit(1))
    return found is not None


def outcome_code(row: Nomination) -> str:
    """The award a nomination wins: its tier for a tiered award (hall), else its award."""
    tier = (row.ranking or {}).get("tier") if isinstance(row.ranking, dict) else None
    return str(tier or row.award or "")


def award_text(code: str) -> Text:
    return Text(f"notice.award.{code}")


def is_own(row: Nomination, staff_id: int, unit_id: int | None) -> bool:
    """The person is the nominee or the applicant, or works in the nominated unit."""
    return (staff_id in (row.subject_staff_id, row.applicant_id)
            or (row.subject_unit_id is not None and row.subject_unit_id == unit_id))


def joined(items: list[Any]) -> Any:
    """Several texts as one, a line each: a balanced nest of ``notice.lines`` (both
    renderers, the chat layer's and the sender's, show nested texts)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    middle = len(items) // 2
    return Text("notice.lines", {"first": joined(items[:middle]), "rest": joined(items[middle:])})
