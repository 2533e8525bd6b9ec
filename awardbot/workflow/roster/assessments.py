"""Import monthly window-assessment scores (政务服务窗口标准化考核) from a table.

All-or-nothing: every row is checked against the roster first; only a clean file is
written, in one transaction, as an upsert keyed by (person, month).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import SessionFactory
from awardbot.db.models import MonthlyAssessment, Staff
from awardbot.documents.tabular import (
    Cell,
    Problem,
    Row,
    Table,
    TableProblemsError,
    format_problems,
    parse_date,
)
from awardbot.workflow import audit

__all__ = [
    "AssessmentImportError",
    "AssessmentImportResult",
    "format_problems",
    "import_assessments",
]

REQUIRED = ("staff_id", "month", "score")
OPTIONAL = ("name",)
MAX_SCORE = Decimal(100)
CENT = Decimal("0.01")
YEARS = range(2000, 2101)
Report = Callable[[str, str], None]
_MONTH = re.compile(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))")


class AssessmentImportError(TableProblemsError):
    """The score file has problems (``.problems``); nothing was written."""


@dataclass(frozen=True)
class AssessmentImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def changes(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Score:
    row: int
    staff_no: str
    month: str
    score: Decimal


async def import_assessments(
    sessions: SessionFactory, table: Table, *, now: datetime
) -> AssessmentImportResult:
    """Validate every row, then upsert all scores in one transaction."""
    if problems := table.column_problems(REQUIRED, OPTIONAL):
        raise AssessmentImportError(problems)
    async with sessions() as session, session.begin():
        staff = {s.staff_no: s for s in await session.scalars(select(Staff))}
        scores, problems = _parse(table, staff)
        if problems:
            raise AssessmentImportError(problems)
        result = await _upsert(session, scores, staff)
        months = sorted({score.month for score in scores})
        await audit.append(
            session, at=now, actor_id=None, action="assessments.imported",
            subject_type="monthly_assessments", subject_id=None,
            data={"file": table.source, "months": months, **asdict(result)},
        )
    return result


def _parse(table: Table, staff: dict[str, Staff]) -> tuple[list[_Score], list[Problem]]:
    scores: list[_Score] = []
    problems: list[Problem] = []
    if not table.rows:
        problems.append(Problem(None, None, "the file has no data rows"))
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        def report(column: str, message: str, row: Row = row) -> None:
            problems.append(Problem(row.number, column, message))

        before = len(problems)
        staff_no = _staff_no(row, staff, report)
        month, score = _month(row.get("month"), report), _score(row.text("score"), report)
        if len(problems) > before or staff_no is None or month is None or score is None:
            continue
        if (staff_no, month) in seen:
            report("month", f"staff {staff_no} already has a score for {month} in row "
                            f"{seen[staff_no, month]}")
            continue
        seen[staff_no, month] = row.number
        scores.append(_Score(row.number, staff_no, month, score))
    return scores, problems


def _staff_no(row: Row, staff: dict[str, Staff], report: Report) -> str | None:
    staff_no = row.text("staff_id")
    person = staff.get(staff_no)
    name = row.text("name")
    if not staff_no:
        report("staff_id", "missing staff id")
    elif person is None:
        report("staff_id", f'unknown staff id "{staff_no}" (import the roster first)')
    elif name and name != person.name:
        report("name", f'"{name}" is not the name of staff {staff_no} ({person.name})')
    else:
        return staff_no
    return None


def _month(cell: Cell, report: Report) -> str | None:
    """YYYY-MM, YYYY/MM, YYYY年M月, YYYYMM, a full date, or a date cell → 'YYYY-MM'."""
    if cell == "":
        report("month", "missing month")
        return None
    day = parse_date(cell)
    match = _MONTH.fullmatch(str(cell)) if day is None else None
    if day is not None:
        year, month = day.year, day.month
    elif match is not None:
        year, month = int(match[1]), int(match[2] or match[3])
    else:
        year, month = 0, 0
    if year not in YEARS or not 1 <= month <= 12:
        report("month", f'"{cell}" is not a month (use YYYY-MM or 2026年3月)')
        return None
    return f"{year:04d}-{month:02d}"


def _score(text: str, report: Report) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        report("score", f'"{text}" is not a number' if text else "missing score")
    elif not 0 <= value <= MAX_SCORE:
        report("score", f"{text} is outside 0–100")
    elif value != value.quantize(CENT):
        report("score", f"{text} has more than two decimals")
    else:
        return value.quantize(CENT)
    return None


async def _upsert(
    session: AsyncSession, scores: list[_Score], staff: dict[str, Staff]
) -> AssessmentImportResult:
    months = {score.month for score in scores}
    query = select(MonthlyAssessment).where(MonthlyAssessment.month.in_(months))
    existing = {(a.staff_id, a.month): a for a in await session.scalars(query)}
    created = updated = 0
    for score in scores:
        staff_id = staff[score.staff_no].id
        row = existing.get((staff_id, score.month))
        if row is None:
            session.add(MonthlyAssessment(staff_id=staff_id, month=score.month, score=score.score))
            created += 1
        elif row.score != score.score:
            row.score = score.score
            updated += 1
    await session.flush()
    return AssessmentImportResult(created, updated, len(scores) - created - updated)
