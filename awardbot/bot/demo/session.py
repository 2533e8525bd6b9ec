"""Set up the demo: emulator, a fresh SQLite database, the sample roster, invites, the bot."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awardbot.bot.app import build_application
from awardbot.bot.local import against_emulator, polling
from awardbot.bot.settings import AuditSettings, DatabaseSettings, Settings, StorageSettings
from awardbot.db import migrate
from awardbot.db.engine import SessionFactory, create_engine, session_factory
from awardbot.db.models import Staff
from awardbot.emulator import BotApiEmulator
from awardbot.workflow.assessment_import import import_assessments
from awardbot.workflow.binding import issue_invites
from awardbot.workflow.intake.service import SHANGHAI
from awardbot.workflow.roster_import import import_roster
from awardbot.workflow.rounds import open_round
from awardbot.workflow.tabular import read_table

DEMO_TOKEN = "100000:DEMO-token"
DEMO_DIR = Path("var/demo")
FIRST_USER_ID = 10_000


@dataclass
class SamplePerson:
    staff_no: str
    name: str
    roles: str
    unit: str
    user_id: int
    code: str


@dataclass
class Demo:
    emulator: BotApiEmulator
    sessions: SessionFactory
    people: dict[str, SamplePerson] = field(default_factory=dict)


async def seed(sessions: SessionFactory, now: datetime) -> dict[str, SamplePerson]:
    """The sample bureau, its assessment scores, and an invite for everyone in it."""
    data = files("awardbot.bot.demo")
    with (as_file(data / "sample_roster.csv") as roster,
          as_file(data / "sample_scores.csv") as scores):
        await import_roster(sessions, read_table(roster), now=now)
        await import_assessments(sessions, read_table(scores), now=now)
    async with sessions() as session:
        staff = (await session.scalars(
            select(Staff).options(selectinload(Staff.unit)).order_by(Staff.staff_no))).all()
    invites = await issue_invites(
        sessions, staff_nos=[s.staff_no for s in staff], unit_code=None, now=now,
        ttl=timedelta(days=30),
    )
    codes = {item.staff_no: item.code for item in invites}
    await open_current_rounds(sessions, now)
    return {
        s.staff_no: SamplePerson(
            s.staff_no, s.name, ",".join(sorted(r.role for r in s.roles)) or "staff",
            s.unit.name, FIRST_USER_ID + index, codes[s.staff_no],
        )
        for index, s in enumerate(staff)
    }


async def open_current_rounds(sessions: SessionFactory, now: datetime) -> None:
    """This quarter's 三牛奖 and this year's annual awards, open for 30 days."""
    local = now.astimezone(SHANGHAI)
    periods = {"sanniu": f"{local.year}Q{(local.month - 1) // 3 + 1}"}
    for family in ("zuimei_staff", "zuimei_window", "hall"):
        periods[family] = str(local.year)
    for family, period in periods.items():
        await open_round(sessions, family=family, period=period, opens_at=now,
                         closes_at=now + timedelta(days=30), now=now)


def _fresh_database(workdir: Path) -> Path:
    """Every demo starts from the sample data alone."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_file = workdir / "demo.db"
    db_file.unlink(missing_ok=True)
    (workdir / "audit-checkpoints.jsonl").unlink(missing_ok=True)
    return db_file


def _fresh_audit_key(workdir: Path) -> str:
    """The demo's own audit key, kept beside its database (``awardbot audit verify`` on the
    demo: ``AWARDBOT__AUDIT__KEY=$(cat var/demo/audit.key)``)."""
    key = secrets.token_hex(32)
    path = workdir / "audit.key"
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


@asynccontextmanager
async def running_demo(settings: Settings, workdir: Path = DEMO_DIR) -> AsyncIterator[Demo]:
    db_file = await asyncio.to_thread(_fresh_database, workdir)
    url = f"sqlite+aiosqlite:///{db_file}"
    await asyncio.to_thread(migrate.upgrade, url)
    key = await asyncio.to_thread(_fresh_audit_key, workdir)
    engine = create_engine(url)
    sessions = session_factory(engine, audit_key=key.encode())
    people = await seed(sessions, datetime.now(UTC))
    demo_settings = settings.model_copy(update={
        "database": DatabaseSettings(url=url),
        "storage": StorageSettings(evidence_dir=workdir / "evidence"),
        "audit": AuditSettings(key=SecretStr(key),
                               checkpoint_file=workdir / "audit-checkpoints.jsonl"),
    })
    async with BotApiEmulator(token=DEMO_TOKEN, bot_username="awardbot_demo_bot") as emulator:
        app = build_application(against_emulator(
            demo_settings, emulator.base_url, emulator.file_base_url, DEMO_TOKEN))
        async with polling(app):
            yield Demo(emulator, sessions, people)
    await engine.dispose()


def main(settings: Settings, *, scripted: bool) -> int:
    from awardbot.bot.demo import console, tour

    async def go() -> int:
        async with running_demo(settings) as demo:
            if scripted:
                print(await tour.run(demo))
                return 0
            return await console.run(demo)

    return asyncio.run(go())
