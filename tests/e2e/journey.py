"""Whole award seasons through the chat: the sample bureau of the demo, everyone bound, and
steps that wait for the specific answer they expect — never for silence or for time.

``expect(person, needle)`` waits (generously) for the first message or edit the person
received since their last act whose text contains ``needle``; ``act``/``tap`` do something
and then expect. The clock is the harness's; ``tick`` runs the scheduler's periodic work
at it, as the running bot does every few minutes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot.app import build_application
from awardbot.bot.local import against_emulator, polling
from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.bot.settings import DatabaseSettings, Settings, StorageSettings
from awardbot.db.engine import session_factory
from awardbot.db.models import Nomination, Round
from awardbot.documents.tabular import read_table
from awardbot.emulator import BotApiEmulator, ChatEntry, Person
from awardbot.emulator.errors import BotDidNotAnswerError
from awardbot.workflow import delivery
from awardbot.workflow.roster.assessments import import_assessments
from awardbot.workflow.roster.importing import import_roster
from tests.e2e.conftest import TOKEN, Clock, Harness

WAIT = 30.0  # generous: the machine may be busy with other work
SHANGHAI_OFFSET = timedelta(hours=8)


def sh(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """A moment given in Shanghai time."""
    from datetime import UTC

    return datetime(y, m, d, hh, mm, tzinfo=UTC) - SHANGHAI_OFFSET


async def expect(person: Person, *needles: str, timeout: float = WAIT,  # noqa: ASYNC109
                 new: bool = False) -> ChatEntry:
    """The first message or edit (``new``: message) since the person's last act whose text
    (or one of whose buttons) has one of ``needles``."""
    deadline, seen = time.monotonic() + timeout, []
    while True:
        try:
            (entry,) = await person.wait_for_bot(1, max(deadline - time.monotonic(), 0.01))
        except BotDidNotAnswerError:
            raise AssertionError(
                f"{person.first_name} never received {needles!r} (saw {seen})\n"
                f"{person.transcript()}") from None
        if new and entry.action != "message":
            continue
        for needle in needles:
            if needle in (entry.text or "") or any(needle in label for label in entry.labels):
                return entry
        seen.append((entry.text or entry.action)[:60])


@dataclass
class Season:
    h: Harness
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, staff_no: str) -> Person:
        return self.people[staff_no]

    async def say(self, staff_no: str, text: str, *needles: str) -> ChatEntry:
        """Send text; the answer is a new message (not a late edit of an older one)."""
        await self[staff_no].send_text(text)
        return await expect(self[staff_no], *needles, new=True)

    async def tap(self, staff_no: str, label: str, *needles: str,
                  on: ChatEntry | None = None) -> ChatEntry:
        """Press ``label`` (on ``on``, else on the latest message that has it)."""
        person = self[staff_no]
        await person.press(label, on)
        return await expect(person, *needles)

    async def tick(self, at: datetime) -> None:
        """The clock moves on to ``at``; the scheduler does what is due then."""
        self.h.clock.now = at
        await self.h.app.bot_data.scheduler.tick(at)

    async def delivered(self) -> None:
        """Until the outbox has nothing left that is due (its messages then arrive)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            counts = await delivery.counts(self.h.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                return
            await asyncio.sleep(0.05)  # polling the outbox's state, not waiting for time
        raise AssertionError(f"the outbox did not drain: {counts}")

    async def round_id(self, family: str) -> int:
        async with self.h.sessions() as session:
            found = await session.scalar(select(Round.id).where(Round.family == family))
        assert found is not None
        return found

    async def stage(self, family: str) -> str:
        async with self.h.sessions() as session:
            return (await session.get_one(Round, await self.round_id(family))).state

    async def states(self, family: str) -> list[str]:
        async with self.h.sessions() as session:
            rows = await session.scalars(select(Nomination.state).join(Round).where(
                Round.family == family, Nomination.state != "draft").order_by(Nomination.id))
            return list(rows)


async def sample_bureau(h: Harness) -> None:
    """The demo's roster and a year of window assessment scores."""
    data = files("awardbot.bot.demo")
    with (as_file(data / "sample_roster.csv") as roster,
          as_file(data / "sample_scores.csv") as scores):
        await import_roster(h.sessions, read_table(roster), now=h.clock())
        await import_assessments(h.sessions, read_table(scores), now=h.clock())


PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
             b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


async def start_round(s: Season, family: str, period: str) -> int:
    """A round open since Monday 2 November 2026, closing on Friday the 6th; the leaders'
    deadline Wed 11th, the check Fri 13th, the survey Tue 17th, scoring Wed 18th."""
    async with s.h.sessions.begin() as session:
        row = Round(family=family, period=period, opens_at=sh(2026, 11, 2, 9),
                    closes_at=sh(2026, 11, 6, 17, 30), leader_deadline=sh(2026, 11, 11, 17, 30),
                    check_deadline=sh(2026, 11, 13, 17, 30),
                    survey_deadline=sh(2026, 11, 17, 17, 30),
                    scoring_deadline=sh(2026, 11, 18, 17, 30), created_at=sh(2026, 11, 2, 9))
        session.add(row)
        await session.flush()
        return row.id


SEASON_RULES: dict[str, Any] = {"survey_min_votes": 3}
# Scheduled work on (the evaluation opens at its check deadline), no rounds of its own.
SEASON_SCHEDULE = ScheduleSettings.model_validate({
    "enabled": True, "quarterly": {"enabled": False}, "annual": {"enabled": False}})


@pytest.fixture
async def season(db_url: str, engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Season]:
    clock = Clock(sh(2026, 11, 2, 9, 0))
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emulator:
        settings = against_emulator(
            Settings(database=DatabaseSettings(url=db_url),
                     storage=StorageSettings(evidence_dir=tmp_path / "evidence"),
                     rules=SEASON_RULES, schedule=SEASON_SCHEDULE),
            emulator.base_url, emulator.file_base_url, TOKEN)
        app = build_application(settings, clock=clock)
        async with polling(app):
            sessions = session_factory(engine, audit_key=settings.audit.key_bytes())
            h = Harness(emulator, sessions, clock, app, settings)
            await sample_bureau(h)
            yield Season(h)


async def bind(s: Season, staff_nos: list[str]) -> None:
    for index, staff_no in enumerate(staff_nos):
        person = s.h.emulator.person(60_000 + index, staff_no)
        await person.send_command("start", await s.h.invite(staff_no))
        await expect(person, "")  # the welcome
        s.people[staff_no] = person
