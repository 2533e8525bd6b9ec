"""Support for the broadcast end-to-end tests (no tests here): the real bot with the
broadcast feature wired as ``bot/app.py`` will wire it, a small bureau bound to emulator
people, and helpers to compose a broadcast and wait for its progress message."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot.app import build_application
from awardbot.bot.local import AnyApplication, against_emulator, polling
from awardbot.bot.settings import DatabaseSettings, SenderSettings, Settings, StorageSettings
from awardbot.db.engine import SessionFactory, session_factory
from awardbot.db.models import Notification, Unit
from awardbot.emulator import BotApiEmulator, ChatEntry, Person
from awardbot.workflow import delivery
from tests.e2e.conftest import TOKEN, Clock
from tests.factories import add_staff, add_unit

# The progress message is redrawn every 0.1 s in tests (3 s by default).
FAST = SenderSettings(messages_per_second=500, private_chat_interval_s=0.01,
                      group_messages_per_minute=600, max_attempts=3, broadcast_progress_s=0.1)
ADMIN_ID, CLERK_ID = 9001, 9002


@dataclass
class Bureau:
    emulator: BotApiEmulator
    sessions: SessionFactory
    db_url: str
    tmp_path: Path
    clock: Clock
    ids: dict[str, int] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    @asynccontextmanager
    async def bot(self, sender: SenderSettings = FAST, *,
                  quiet: bool = True) -> AsyncIterator[AnyApplication]:
        """The bot running; with ``quiet``, once what it sends at start-up (an admin's
        calendar warning, say) has gone out, so that it does not land mid-conversation."""
        settings = against_emulator(
            Settings(database=DatabaseSettings(url=self.db_url), sender=sender,
                     storage=StorageSettings(evidence_dir=self.tmp_path / "evidence")),
            self.emulator.base_url, self.emulator.file_base_url, TOKEN)
        app = build_application(settings, clock=self.clock)
        async with polling(app):
            if quiet:
                await self.drained()
            yield app

    async def drained(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Until the outbox is empty: each message is in its chat once its row is no
        longer pending or being sent."""
        deadline = time.monotonic() + timeout
        while True:
            counts = await delivery.counts(self.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                break
            assert time.monotonic() < deadline, f"outbox did not drain: {counts}"
            await asyncio.sleep(0.05)

    @property
    def admin(self) -> Person:
        return self.people["admin"]

    async def add_people(self, unit: str, count: int, first_id: int) -> list[Person]:
        added = []
        known = sum(key.startswith(f"{unit}-") for key in self.people)
        for n in range(count):
            user_id = first_id + n
            key = f"{unit}-{known + n}"
            self.ids[key] = await add_staff(self.sessions, f"N{user_id}", key,
                                            self.ids[f"unit:{unit}"], telegram_user_id=user_id)
            self.people[key] = self.emulator.person(user_id, key)
            added.append(self.people[key])
        return added


async def bureau(emulator: BotApiEmulator, engine: AsyncEngine, db_url: str,
                 tmp_path: Path) -> Bureau:
    """A hall with a window under it, an office apart; an admin and a clerk in the office,
    two people in the hall, two in the window, one in the office, everyone bound."""
    b = Bureau(emulator, session_factory(engine), db_url, tmp_path,
               Clock(datetime(2026, 11, 25, 2, 0, tzinfo=UTC)))
    for key, code, name in (("hall", "H01", "政务大厅"), ("window", "W01", "综合窗口"),
                            ("office", "O01", "办公室")):
        b.ids[f"unit:{key}"] = await add_unit(b.sessions, code, name)
    async with b.sessions.begin() as session:
        await session.execute(update(Unit).where(Unit.id == b.ids["unit:window"])
                              .values(parent_id=b.ids["unit:hall"]))
    b.ids["admin"] = await add_staff(b.sessions, "A01", "管理员", b.ids["unit:office"],
                                     roles=("admin",), telegram_user_id=ADMIN_ID)
    b.ids["clerk"] = await add_staff(b.sessions, "C01", "科员", b.ids["unit:office"],
                                     telegram_user_id=CLERK_ID)
    b.people["admin"] = emulator.person(ADMIN_ID, "Admin")
    b.people["clerk"] = emulator.person(CLERK_ID, "Clerk")
    await b.add_people("hall", 2, 9100)
    await b.add_people("window", 2, 9200)
    await b.add_people("office", 1, 9300)
    return b


@pytest.fixture
async def bc_bureau(engine: AsyncEngine, db_url: str,
                    tmp_path: Path) -> AsyncIterator[Bureau]:
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emulator:
        yield await bureau(emulator, engine, db_url, tmp_path)


# acting as the admin -------------------------------------------------------------------
async def say(b: Bureau, person: Person, text: str, *, n: int = 1) -> ChatEntry:
    """Send ``text`` and wait for the bot's ``n`` answers; the chat's last bot message."""
    await person.send_text(text)
    await person.wait_for_bot(n)
    assert person.last_bot_message is not None
    return person.last_bot_message


async def press(b: Bureau, person: Person, label: str,
                message: ChatEntry | int | None = None) -> dict[str, Any]:
    """Press a button and wait for its answer (the handlers answer after their messages)."""
    await person.press(label, message)
    return await person.wait_for_toast()


async def compose(b: Bureau, text: str, *, photo: bool = False) -> None:
    """/broadcast, then the content: the text, or a photo and then the text."""
    await say(b, b.admin, "/broadcast")
    if photo:
        await b.admin.send_photo()
        await b.admin.wait_for_bot()
    await say(b, b.admin, text)


def card_with(person: Person, label: str) -> ChatEntry:
    for entry in reversed(person.chat):
        if entry.from_bot and label in entry.labels:
            return entry
    raise AssertionError(f"no message with a {label!r} button\n{person.transcript()}")


def message(person: Person, message_id: int) -> ChatEntry:
    for entry in person.chat:
        if entry.message_id == message_id:
            return entry
    raise AssertionError(f"no message #{message_id}\n{person.transcript()}")


async def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def progress_ends(b: Bureau, message_id: int, needle: str) -> ChatEntry:
    """Wait for the admin's progress message to show its final text (holding ``needle``)."""
    await until(lambda: needle in (message(b.admin, message_id).text or ""),
                f"the progress message to show {needle!r}")
    return message(b.admin, message_id)


def received(person: Person, text: str) -> list[ChatEntry]:
    return [e for e in person.chat if e.from_bot and e.text == text]


async def rows(b: Bureau) -> list[Notification]:
    async with b.sessions() as session:
        found = await session.scalars(
            select(Notification).where(Notification.broadcast_id.is_not(None)))
        return list(found)


async def outbox_counts(b: Bureau) -> dict[str, int]:
    return await delivery.counts(b.sessions)
