"""A bureau with an evaluation group and nominations that passed the check, and the bot
wired with the evaluation handlers as the application registers them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot.app import build_application
from awardbot.bot.local import against_emulator, polling
from awardbot.bot.settings import DatabaseSettings, Settings, StorageSettings
from awardbot.db.engine import SessionFactory, session_factory
from awardbot.db.models import Nomination
from awardbot.emulator import BotApiEmulator
from awardbot.workflow.rounds.opening import open_round
from tests.e2e.conftest import TOKEN, Clock, Harness
from tests.factories import add_staff, add_unit, set_stage

# Small quotas so that a handful of nominations reach every outcome; no survey minimum.
RULES: dict[str, Any] = {
    "sanniu_total": 4, "sanniu_split": {"ruzi_niu": 2, "tuohuang_niu": 1, "laohuang_niu": 1},
    "zuimei_window_quota": 1, "survey_min_votes": 0,
}
SUBMITTED = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
async def ev(db_url: str, engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Harness]:
    clock = Clock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emulator:
        settings = against_emulator(
            Settings(database=DatabaseSettings(url=db_url),
                     storage=StorageSettings(evidence_dir=tmp_path / "evidence"), rules=RULES),
            emulator.base_url, emulator.file_base_url, TOKEN)
        app = build_application(settings, clock=clock)
        async with polling(app):
            sessions = session_factory(engine, audit_key=settings.audit.key_bytes())
            yield Harness(emulator, sessions, clock, app, settings)


async def group_bureau(sessions: SessionFactory) -> dict[str, int]:
    """Units, the evaluation group (E02 sits in the window W1), an admin and nominees."""
    ids = {
        "W1": await add_unit(sessions, "W1", "综合受理窗口", kind="window"),
        "S1": await add_unit(sessions, "S1", "督查科", kind="section"),
        "S2": await add_unit(sessions, "S2", "办公室", kind="section"),
        "S3": await add_unit(sessions, "S3", "审批一科", kind="section"),
        "H1": await add_unit(sessions, "H1", "周庄分中心大厅", kind="hall"),
    }
    people = (("E01", "王评", "S1", ("evaluator",)), ("E02", "李评", "W1", ("evaluator",)),
              ("EL", "赵组长", "S2", ("eval_leader",)), ("AD", "钱管理", "S2", ("admin",)),
              ("P1", "刘芳", "W1", ()), ("P2", "张伟", "S3", ()), ("P3", "孙丽", "S3", ()),
              ("P4", "周杰", "S3", ()))
    for staff_no, name, unit, roles in people:
        ids[staff_no] = await add_staff(sessions, staff_no, name, ids[unit], roles=roles)
    return ids


async def add_round(sessions: SessionFactory, family: str, period: str) -> int:
    """A round in evaluation; an annual one's satisfaction survey has already closed."""
    now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    view = await open_round(sessions, family=family, period=period,
                            opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=5),
                            now=now - timedelta(days=30))
    await set_stage(sessions, view.id, "evaluation",
                    survey=None if family == "sanniu" else "closed")
    return view.id


async def add_checked(sessions: SessionFactory, round_id: int, ref: str, award: str, *,
                      applicant: int, staff: int | None = None, unit: int | None = None,
                      criteria: list[int] | None = None, facts: dict[str, Any] | None = None,
                      submitted: datetime = SUBMITTED) -> int:
    """A nomination as the intake leaves it, already through sign-off and the check."""
    async with sessions.begin() as session:
        row = Nomination(
            ref=ref, round_id=round_id, award=award, subject_staff_id=staff,
            subject_unit_id=unit, applicant_id=applicant, state="checked",
            criteria=criteria if criteria is not None else ([1] if staff else []),
            statement="长期坚持延时服务，群众满意。", answers={}, facts=facts or {},
            created_at=submitted, updated_at=submitted, submitted_at=submitted)
        session.add(row)
        await session.flush()
        return row.id


async def sanniu_round(sessions: SessionFactory, ids: dict[str, int]) -> dict[str, int]:
    """Three 孺子牛奖 nominations (two places) and one 拓荒牛奖."""
    round_id = await add_round(sessions, "sanniu", "2026Q4")
    found = {"round": round_id}
    for number, (person, award) in enumerate(
            (("P1", "ruzi_niu"), ("P2", "ruzi_niu"), ("P3", "ruzi_niu"),
             ("P4", "tuohuang_niu")), start=1):
        found[person] = await add_checked(
            sessions, round_id, f"SN-2026Q4-{number:04d}", award,
            applicant=ids[person], staff=ids[person])
    return found
