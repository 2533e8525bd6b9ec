"""Who a round's reminders are for: eligible bound people, or the contact persons of
eligible windows and halls, with what they have already done in the round."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import MonthlyAssessment, Nomination, Round, Staff, Unit
from awardbot.scoring import Catalogue, Month, Period, PersonRecord, Rules, check_person
from awardbot.workflow.intake.eligibility import unit_eligibility
from awardbot.workflow.lifecycle import EDITABLE, LIVE


@dataclass(frozen=True)
class Recipient:
    staff_id: int
    muted: bool


@dataclass(frozen=True)
class Audience:
    """The eligible (by staff id) and, for each, whether they have applied or hold a draft."""

    eligible: dict[int, Recipient]
    applied: set[int]
    drafting: dict[int, Recipient]


async def _bound_staff(session: AsyncSession) -> list[tuple[Staff, str]]:
    rows = await session.execute(
        select(Staff, Unit.kind).join(Unit, Unit.id == Staff.unit_id)
        .where(Staff.active, Staff.telegram_user_id.is_not(None), Staff.blocked_bot_at.is_(None)))
    return [(staff, kind) for staff, kind in rows]


async def _scores(session: AsyncSession, staff_ids: list[int], period: Period) -> dict[int, list]:  # type: ignore[type-arg]
    months = [str(m) for m in period.months]
    found: dict[int, list] = defaultdict(list)  # type: ignore[type-arg]
    rows = await session.execute(
        select(MonthlyAssessment.staff_id, MonthlyAssessment.month, MonthlyAssessment.score)
        .where(MonthlyAssessment.staff_id.in_(staff_ids), MonthlyAssessment.month.in_(months)))
    for staff_id, month, score in rows:
        year, number = month.split("-")
        found[staff_id].append((Month(int(year), int(number)), score))
    return found


async def eligible_people(session: AsyncSession, round_: Round, closing: date, rules: Rules,
                          awards: Catalogue) -> dict[int, Recipient]:
    """Bound staff who may be nominated for at least one of the family's person awards."""
    codes = [c for c in awards.families[round_.family].awards
             if awards.awards[c].subject == "person"]
    if not codes:
        return {}
    period = Period.parse(round_.period)
    people = await _bound_staff(session)
    scores = await _scores(session, [s.id for s, _ in people], period)
    out = {}
    for staff, kind in people:
        record = PersonRecord(staff.is_window_staff, kind, staff.service_start)
        if any(check_person(code, record, scores[staff.id], period, rules, closing, awards).ok
               for code in codes):
            out[staff.id] = Recipient(staff.id, staff.mute_optional)
    return out


async def eligible_contacts(session: AsyncSession, round_: Round, rules: Rules,
                            awards: Catalogue) -> tuple[dict[int, Recipient], dict[int, int]]:
    """Contact persons of eligible units, and each eligible unit's contact."""
    codes = [c for c in awards.families[round_.family].awards
             if awards.awards[c].subject != "person"]
    kinds = {k for c in codes for k in awards.awards[c].unit_kinds}
    rows = await session.execute(
        select(Unit.id, Staff).join(Staff, Staff.id == Unit.contact_staff_id)
        .where(Unit.kind.in_(kinds), Staff.active, Staff.telegram_user_id.is_not(None)))
    people: dict[int, Recipient] = {}
    units: dict[int, int] = {}
    for unit_id, staff in rows:
        for code in codes:
            verdict = await unit_eligibility(session, unit_id, code, round_.period, rules, awards)
            if verdict.ok:
                units[unit_id] = staff.id
                people[staff.id] = Recipient(staff.id, staff.mute_optional)
                break
    return people, units


async def audience(session: AsyncSession, round_: Round, closing: date, rules: Rules,
                   awards: Catalogue) -> Audience:
    people = await eligible_people(session, round_, closing, rules, awards)
    contacts, units = await eligible_contacts(session, round_, rules, awards)
    rows = (await session.execute(
        select(Nomination.applicant_id, Nomination.subject_staff_id, Nomination.subject_unit_id,
               Nomination.state).where(Nomination.round_id == round_.id))).all()
    applied: set[int] = set()
    drafters: set[int] = set()
    for applicant, subject, unit, state in rows:
        if state in EDITABLE:
            drafters.add(applicant)
        elif state in LIVE:
            applied.update(x for x in (subject, units.get(unit or 0)) if x is not None)
            if subject is None and unit is None:
                applied.add(applicant)
    result = await session.execute(select(Staff.id, Staff.mute_optional).where(
        Staff.id.in_(drafters), Staff.active, Staff.telegram_user_id.is_not(None)))
    drafting = {i: Recipient(i, m) for i, m in result}
    return Audience({**contacts, **people}, applied, drafting)
