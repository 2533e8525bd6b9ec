"""Monthly assessment import: month formats, exact scores, all-or-nothing, idempotent upsert."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, MonthlyAssessment, Staff
from awardbot.documents.tabular import read_table
from awardbot.workflow.roster.assessments import (
    AssessmentImportError,
    AssessmentImportResult,
    format_problems,
    import_assessments,
)
from awardbot.workflow.roster.importing import import_roster
from tests.factories import NOW

FIXTURES = Path(__file__).parents[2] / "awardbot" / "bot" / "demo"


@pytest.fixture
async def roster(sessions: SessionFactory) -> SessionFactory:
    await import_roster(sessions, read_table(FIXTURES / "sample_roster.csv"), now=NOW)
    return sessions


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = (
    "staff_id", "month", "score"), encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


async def scores(sessions: SessionFactory) -> dict[tuple[str, str], Decimal]:
    query = select(Staff.staff_no, MonthlyAssessment.month, MonthlyAssessment.score).join(
        Staff, Staff.id == MonthlyAssessment.staff_id)
    async with sessions() as session:
        return {(no, month): score for no, month, score in await session.execute(query)}


async def audit_actions(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


async def test_sample_scores_import_and_reimport(roster: SessionFactory) -> None:
    table = read_table(FIXTURES / "sample_scores.csv")

    first = await import_assessments(roster, table, now=NOW)
    again = await import_assessments(roster, table, now=NOW)

    assert first == AssessmentImportResult(created=72, updated=0, unchanged=0)
    assert again == AssessmentImportResult(created=0, updated=0, unchanged=72)
    stored = await scores(roster)
    assert len(stored) == 72
    averages = {no: sum(v for (n, _), v in stored.items() if n == no) / 12
                for no in {n for n, _ in stored}}
    assert sorted(no for no, mean in averages.items() if mean < 90) == ["2003"]
    assert sum(1 for mean in averages.values() if mean >= 90) == 5
    assert await audit_actions(roster) == [
        "roster.imported", "assessments.imported", "assessments.imported"]


async def test_reimport_updates_changed_scores(roster: SessionFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["2001", "2026-01", "95.5"], ["2002", "2026-01", "91"]])
    await import_assessments(roster, read_table(path), now=NOW)
    rows = [["2001", "2026-01", "96.25"], ["2002", "2026-01", "91.00"], ["2002", "2026-02", "90"]]
    path = write_csv(tmp_path / "s.csv", rows)

    result = await import_assessments(roster, read_table(path), now=NOW)

    assert result == AssessmentImportResult(created=1, updated=1, unchanged=1)
    stored = await scores(roster)
    assert stored[("2001", "2026-01")] == Decimal("96.25")
    assert stored[("2002", "2026-02")] == Decimal(90)


async def test_month_formats_and_chinese_gb18030_headers(
    roster: SessionFactory, tmp_path: Path
) -> None:
    rows = [["2001", "刘芳", "2026年3月", "93.5"], ["2001", "刘芳", "2026/4", "94"],
            ["2001", "", "202605", "92.75"], ["2001", "刘芳", "2026-06-30", "100"],
            ["2001", "刘芳", "2026.7", "0"]]
    path = write_csv(tmp_path / "考核.csv", rows, header=("工号", "姓名", "月份", "考核分"),
                     encoding="gb18030")

    result = await import_assessments(roster, read_table(path), now=NOW)

    assert result.created == 5
    assert sorted(await scores(roster)) == [("2001", f"2026-0{m}") for m in range(3, 8)]


async def test_xlsx_with_date_cells_and_numbers(roster: SessionFactory, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "月份", "考核分"])
    sheet.append([2003, date(2026, 3, 1), 88.5])
    sheet.append([2003, "2026-04", 91])
    book.save(tmp_path / "scores.xlsx")

    result = await import_assessments(roster, read_table(tmp_path / "scores.xlsx"), now=NOW)

    assert result.created == 2
    assert await scores(roster) == {("2003", "2026-03"): Decimal("88.5"),
                                    ("2003", "2026-04"): Decimal(91)}


BAD_ROWS = [
    (["2001", "刘芳", "2026-01", "95"], None),
    (["9999", "", "2026-01", "95"], "staff_id"),
    (["2001", "", "2026-13", "95"], "month"),
    (["2001", "", "March", "95"], "month"),
    (["2001", "", "2026-02", "100.5"], "score"),
    (["2001", "", "2026-03", "-1"], "score"),
    (["2001", "", "2026-04", "90.125"], "score"),
    (["2001", "", "2026-05", "九十"], "score"),
    (["2001", "", "2026年1月", "90"], "month"),
    (["2002", "刘芳", "2026-01", "90"], "name"),
    (["", "", "2026-01", "90"], "staff_id"),
    (["2002", "", "", "90"], "month"),
    (["2002", "", "2026-06", ""], "score"),
    (["2002", "", "2026-07", "NaN"], "score"),
]


async def test_bad_rows_are_all_listed_and_nothing_is_written(
    roster: SessionFactory, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "scores.csv", [row for row, _ in BAD_ROWS],
                     header=("staff_id", "name", "month", "score"))

    with pytest.raises(AssessmentImportError) as caught:
        await import_assessments(roster, read_table(path), now=NOW)

    problems = caught.value.problems
    expected = {(n, column) for n, (_, column) in enumerate(BAD_ROWS, start=2) if column}
    assert {(p.row, p.column) for p in problems} == expected
    assert len(problems) == len(expected)
    lines = format_problems("scores.csv", problems)
    assert 'scores.csv: row 3, column staff_id: unknown staff id "9999" (import the roster ' \
           "first)" in lines
    assert "scores.csv: row 10, column month: staff 2001 already has a score for 2026-01 in " \
           "row 2" in lines
    assert "scores.csv: row 8, column score: 90.125 has more than two decimals" in lines
    assert await scores(roster) == {}
    assert await audit_actions(roster) == ["roster.imported"]


async def test_roster_columns_are_refused(roster: SessionFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [["2001", "2026-01", "95", "leader"]],
                     header=("staff_id", "month", "score", "roles"))
    with pytest.raises(AssessmentImportError) as caught:
        await import_assessments(roster, read_table(path), now=NOW)
    assert format_problems("s.csv", caught.value.problems) == [
        "s.csv: row 1, column roles: this column does not belong in this file "
        "(expected month, name, score, staff_id)"]
    async with roster() as session:
        assert await session.scalar(select(func.count()).select_from(MonthlyAssessment)) == 0
