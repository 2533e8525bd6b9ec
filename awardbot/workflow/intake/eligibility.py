"""Eligibility from the database: the roster and assessment rows handed to ``scoring``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import MonthlyAssessment, Staff, Unit
from awardbot.scoring import Catalogue, Eligibility, Period, PersonRecord, Rules
from awardbot.scoring import check_person as _check_person
from awardbot.scoring import check_unit as _check_unit
from awardbot.scoring.period import Month


def _month(text: str) -> Month:
    year, month = text.split("-")
    return Month(int(year), int(month))


async def _assessments(session: AsyncSession, staff_ids: list[int]) -> dict[int, list]:  # type: ignore[type-arg]
    rows = await session.execute(
        select(MonthlyAssessment.staff_id, MonthlyAssessment.month, MonthlyAssessment.score)
        .where(MonthlyAssessment.staff_id.in_(staff_ids)))
    found: dict[int, list] = {i: [] for i in staff_ids}  # type: ignore[type-arg]
    for staff_id, month, score in rows:
        found[staff_id].append((_month(month), score))
    return found


@dataclass(frozen=True)
class PersonFacts:
    """What eligibility needs of one person, read once for every award it is asked about."""

    record: PersonRecord
    scores: list  # type: ignore[type-arg]

    def check(self, award: str, period: str, closing: date, rules: Rules,
              awards: Catalogue) -> Eligibility:
        return _check_person(award, self.record, self.scores, Period.parse(period), rules,
                             closing, awards)


async def person_facts(session: AsyncSession, staff_id: int) -> PersonFacts:
    row = (await session.execute(
        select(Staff.is_window_staff, Unit.kind, Staff.service_start)
        .join(Unit, Unit.id == Staff.unit_id).where(Staff.id == staff_id))).one()
    scores = (await _assessments(session, [staff_id]))[staff_id]
    return PersonFacts(PersonRecord(*row), scores)


async def person_eligibility(
    session: AsyncSession, staff_id: int, award: str, period: str, closing: date,
    rules: Rules, awards: Catalogue,
) -> Eligibility:
    facts = await person_facts(session, staff_id)
    return facts.check(award, period, closing, rules, awards)


async def unit_eligibility(
    session: AsyncSession, unit_id: int, award: str, period: str, rules: Rules,
    awards: Catalogue,
) -> Eligibility:
    unit = await session.get_one(Unit, unit_id)
    staff_ids = list(await session.scalars(
        select(Staff.id).where(Staff.unit_id == unit_id, Staff.active, Staff.is_window_staff)))
    scores = await _assessments(session, staff_ids)
    by_person = {str(k): v for k, v in scores.items()}
    return _check_unit(award, unit.kind, Period.parse(period), rules, by_person, awards)
