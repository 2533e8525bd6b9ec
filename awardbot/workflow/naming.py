"""How things are shown to people: a nomination's subject by name, a moment in the bureau's
time. Shared by every wing (the intake's preview, review cards, notices, history)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Staff, Unit
from awardbot.scoring import Rules
from awardbot.workflow.messages import Text

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the bureau's zone when no rule book is at hand


def local_time(moment: datetime, rules: Rules | None = None) -> str:
    """``YYYY-MM-DD HH:MM`` in the bureau's time zone (the rule book's, else Shanghai)."""
    zone = rules.tz if rules is not None else SHANGHAI
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


async def subject_label(session: AsyncSession, row: Nomination) -> str | Text:
    """The nominee by name (a person with their unit); a draft's not yet chosen one says so."""
    if row.subject_unit_id is not None:
        return (await session.get_one(Unit, row.subject_unit_id)).name
    if row.subject_staff_id is not None:
        staff = await session.get_one(Staff, row.subject_staff_id)
        unit = await session.get_one(Unit, staff.unit_id)
        return f"{staff.name}（{unit.name}）"
    return Text("common.unchosen")


async def subject_name(session: AsyncSession, row: Nomination) -> Text:
    """The nominee: a person with their unit, or the window or hall."""
    if row.subject_staff_id is not None:
        staff = await session.get_one(Staff, row.subject_staff_id)
        unit = await session.get_one(Unit, staff.unit_id)
        return Text("notice.person", {"name": staff.name, "unit": unit.name})
    if row.subject_unit_id is not None:
        unit = await session.get_one(Unit, row.subject_unit_id)
        return Text("notice.name", {"name": unit.name})
    return Text("notice.name", {"name": row.ref or f"#{row.id}"})
