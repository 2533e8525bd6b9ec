"""The real bot, over loopback HTTP, against the Bot API emulator, on a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot import app as bot_app
from awardbot.bot.app import build_application
from awardbot.bot.local import AnyApplication, against_emulator, polling
from awardbot.bot.settings import DatabaseSettings, Settings, StorageSettings
from awardbot.db.engine import SessionFactory, session_factory
from awardbot.emulator import BotApiEmulator, Person
from awardbot.workflow.roster.binding import issue_invites
from tests.e2e.codes import findings

TOKEN = "123456:TEST-token"


class Clock:
    """A controllable "now" for the bot under test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Harness:
    emulator: BotApiEmulator
    sessions: SessionFactory
    clock: Clock
    app: AnyApplication
    settings: Settings

    async def invite(self, staff_no: str) -> str:
        issued = await issue_invites(
            self.sessions, staff_nos=[staff_no], unit_code=None, now=self.clock(),
            ttl=timedelta(days=30), include_bound=True,
        )
        return issued[0].code

    async def bound_person(self, staff_no: str, user_id: int, **kw: object) -> Person:
        person = self.emulator.person(user_id, staff_no, **kw)  # type: ignore[arg-type]
        await person.send_command("start", await self.invite(staff_no))
        await person.wait_for_bot()  # the welcome: bound
        person.mark()
        return person


@pytest.fixture(autouse=True)
def forms_at_normal_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot builds the 申报表 in a worker at the lowest CPU priority, so that a burst of
    submissions never slows anyone's answers. On a machine busy with other work that
    worker waits for the CPU, a minute and more; these tests are about the conversation,
    so their worker runs at normal priority (the benchmarks measure the other)."""
    monkeypatch.setattr(bot_app, "FORM_WORKER_NICENESS", 0)


@pytest.fixture(autouse=True)
def no_codes_in_chinese_text(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """After each test, every message the bot showed in Chinese is free of program codes
    (``zuimei_staff``, ``hall``, ``national`` …): see tests/e2e/codes.py."""
    emulators: list[BotApiEmulator] = []
    enter = BotApiEmulator.__aenter__

    async def recording_enter(self: BotApiEmulator) -> BotApiEmulator:
        emulators.append(self)
        return await enter(self)

    monkeypatch.setattr(BotApiEmulator, "__aenter__", recording_enter)
    yield
    found = [str(f) for emulator in emulators for f in findings(emulator.state.chats.values())]
    assert not found, "codes shown in Chinese text:\n" + "\n".join(found)


@pytest.fixture
def bot_settings() -> dict[str, Any]:
    """Settings sections a test module wants changed (override this fixture there)."""
    return {}


@pytest.fixture
async def harness(
    db_url: str, engine: AsyncEngine, tmp_path: Path, bot_settings: dict[str, Any]
) -> AsyncIterator[Harness]:
    clock = Clock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emulator:
        settings = against_emulator(
            Settings(
                database=DatabaseSettings(url=db_url),
                storage=StorageSettings(evidence_dir=tmp_path / "evidence"),
                **bot_settings,
            ),
            emulator.base_url, emulator.file_base_url, TOKEN,
        )
        app = build_application(settings, clock=clock)
        async with polling(app):
            sessions = session_factory(engine, audit_key=settings.audit.key_bytes())
            yield Harness(emulator, sessions, clock, app, settings)
