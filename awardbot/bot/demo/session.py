"""Set up the demo: emulator, a fresh SQLite database, the sample roster, invites, the bot.

The demo lives on a clock of its own: it starts on Monday 2 November 2026, 09:00 in
Shanghai — a stretch of working days the official calendar covers — and runs on from there
at the real pace; ``:advance`` in the console moves it on (to a deadline, past a notice)
and lets the scheduler do what falls due, as the running bot does every few minutes.
"""

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
from awardbot.bot.local import AnyApplication, against_emulator, polling
from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.bot.settings import AuditSettings, DatabaseSettings, Settings, StorageSettings
from awardbot.db import migrate
from awardbot.db.engine import SessionFactory, create_engine, session_factory
from awardbot.db.models import Round, Staff, Unit
from awardbot.documents.tabular import read_table
from awardbot.emulator import BotApiEmulator
from awardbot.scoring import WorkingCalendar
from awardbot.workflow.roster.assessments import import_assessments
from awardbot.workflow.roster.binding import issue_invites
from awardbot.workflow.roster.importing import import_roster
from awardbot.workflow.rounds.plan import Offsets, SchedulePlan, deadlines_after

DEMO_TOKEN = "100000:DEMO-token"
DEMO_DIR = Path("var/demo")
FIRST_USER_ID = 10_000
DEMO_START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
APPLICATION_DAYS = 4  # working days after the opening day: applications close on Friday
# The demo's rounds: this quarter's 三牛奖 is for 2026Q3, the annual awards for 2026.
DEMO_ROUNDS = (("sanniu", "2026Q3"), ("zuimei_staff", "2026"), ("zuimei_window", "2026"),
               ("hall", "2026"))
# Scheduled work runs (the evaluation opens at its check deadline); the demo's rounds are
# opened here, so the schedule opens none of its own. A survey counts from 3 ballots here
# (the rule book's default is 10) so that a handful of sample people can fill one.
DEMO_SCHEDULE = {"enabled": True, "quarterly": {"enabled": False}, "annual": {"enabled": False}}
DEMO_RULES = {"survey_min_votes": 3}


class DemoClock:
    """Now, on the demo's calendar: it runs at the real pace and can be moved on."""

    def __init__(self, start: datetime) -> None:
        self._offset = start - datetime.now(UTC)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def move_to(self, moment: datetime) -> None:
        self._offset = moment - datetime.now(UTC)


@dataclass
class SamplePerson:
    staff_no: str
    name: str
    roles: str
    unit: str
    user_id: int
    code: str
    leads: str = ""  # the units they lead, for leaders


@dataclass
class Demo:
    emulator: BotApiEmulator
    sessions: SessionFactory
    people: dict[str, SamplePerson] = field(default_factory=dict)
    app: AnyApplication | None = None
    clock: DemoClock = field(default_factory=lambda: DemoClock(DEMO_START))


async def seed(sessions: SessionFactory, now: datetime) -> dict[str, SamplePerson]:
    """The sample bureau, its assessment scores, and an invite for everyone in it."""
    data = files("awardbot.bot.demo")
    with (as_file(data / "sample_roster.csv") as roster,
          as_file(data / "sample_scores.csv") as scores):
        await import_roster(sessions, read_table(roster), now=now)
        await import_assessments(sessions, read_table(scores), now=now)
    async with sessions() as session:
        staff = (await session.scalars(
            select(Staff).options(selectinload(Staff.unit), selectinload(Staff.roles))
            .order_by(Staff.staff_no))).all()
        units = {u.id: u.name for u in await session.scalars(select(Unit))}
    invites = await issue_invites(
        sessions, staff_nos=[s.staff_no for s in staff], unit_code=None, now=now,
        ttl=timedelta(days=30),
    )
    codes = {item.staff_no: item.code for item in invites}
    await open_demo_rounds(sessions, now)
    return {
        s.staff_no: SamplePerson(
            s.staff_no, s.name, ",".join(sorted(r.role for r in s.roles)) or "staff",
            s.unit.name, FIRST_USER_ID + index, codes[s.staff_no],
            "、".join(sorted({units[r.unit_id] for r in s.roles
                              if r.role == "leader" and r.unit_id in units})),
        )
        for index, s in enumerate(staff)
    }


async def open_demo_rounds(sessions: SessionFactory, now: datetime) -> None:
    """The demo's rounds, open from ``now`` with every deadline on working days."""
    plan, calendar = SchedulePlan(), WorkingCalendar()
    closing = plan.local(calendar.add_working_days(plan.day_of(now), APPLICATION_DAYS),
                         plan.office_end)
    later = deadlines_after(closing, Offsets(), plan, calendar)
    async with sessions.begin() as session:
        for family, period in DEMO_ROUNDS:
            session.add(Round(family=family, period=period, opens_at=now, closes_at=closing,
                              leader_deadline=later.leader, check_deadline=later.check,
                              scoring_deadline=later.scoring, survey_deadline=later.survey,
                              created_at=now))


def _fresh_database(workdir: Path) -> Path:
    """Every demo starts from the sample data alone."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_file = workdir / "demo.db"
    db_file.unlink(missing_ok=True)
    (workdir / "audit-checkpoints.jsonl").unlink(missing_ok=True)
    return db_file


def demo_settings(settings: Settings, url: str, workdir: Path, key: str) -> Settings:
    return settings.model_copy(update={
        "database": DatabaseSettings(url=url),
        "storage": StorageSettings(evidence_dir=workdir / "evidence"),
        "schedule": ScheduleSettings.model_validate(DEMO_SCHEDULE),
        "rules": {**settings.rules, **DEMO_RULES},
        "audit": AuditSettings(key=SecretStr(key),
                               checkpoint_file=workdir / "audit-checkpoints.jsonl"),
    })


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
    clock = DemoClock(DEMO_START)
    people = await seed(sessions, clock())
    async with BotApiEmulator(token=DEMO_TOKEN, bot_username="awardbot_demo_bot") as emulator:
        app = build_application(against_emulator(
            demo_settings(settings, url, workdir, key), emulator.base_url, emulator.file_base_url,
            DEMO_TOKEN), clock=clock)
        async with polling(app):
            yield Demo(emulator, sessions, people, app, clock)
    await engine.dispose()

