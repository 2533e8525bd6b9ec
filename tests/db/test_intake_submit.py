"""Submissions at the same moment each get a reference number of their own."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Evidence, MonthlyAssessment, Nomination
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow.intake import service
from awardbot.workflow.rounds.opening import open_round
from awardbot.workflow.services import Limits, Services
from tests.factories import NOW, add_staff, add_unit

PEOPLE = 6


async def _ready_drafts(sessions: SessionFactory) -> list[tuple[int, int]]:
    unit = await add_unit(sessions, "W1", "综合受理窗口")
    round_ = await open_round(sessions, family="sanniu", period="2026Q4",
                              opens_at=NOW - timedelta(days=1),
                              closes_at=NOW + timedelta(days=9), now=NOW)
    drafts = []
    for i in range(PEOPLE):
        staff = await add_staff(sessions, f"S{i}", f"员工{i}", unit, is_window_staff=True)
        async with sessions.begin() as session:
            session.add(MonthlyAssessment(staff_id=staff, month="2026-11", score=Decimal(95)))
            row = Nomination(
                round_id=round_.id, applicant_id=staff, subject_staff_id=staff,
                award="ruzi_niu", criteria=[1], statement="事迹", state="draft",
                step="preview", answers={"for": "self", "evidence_done": True, "v": 7},
                facts={}, created_at=NOW, updated_at=NOW)
            row.evidence = [Evidence(kind="photo", telegram_file_id="f", file_unique_id="u",
                                     sha256="0" * 64, size=1, mime_type="image/png",
                                     created_at=NOW)]
            session.add(row)
            await session.flush()
            drafts.append((staff, row.id))
    return drafts


async def test_simultaneous_submissions_get_distinct_references(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    svc = Services(sessions, limits=Limits(), store=LocalEvidenceStore(tmp_path))
    drafts = await _ready_drafts(sessions)
    await asyncio.gather(*(service.press(svc, staff, row, 7, "submit", NOW)
                           for staff, row in drafts))
    async with sessions() as session:
        refs = list(await session.scalars(select(Nomination.ref)))
    assert sorted(refs) == [f"SN-2026Q4-{n:04d}" for n in range(1, PEOPLE + 1)]
