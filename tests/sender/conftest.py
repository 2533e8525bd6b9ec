"""Fixtures: the emulator, a real ``telegram.Bot`` talking to it, and senders to start."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import update
from telegram import Bot

from awardbot.bot.sender.loop import Sender, SenderTuning
from awardbot.bot.settings import SenderSettings
from awardbot.db.engine import SessionFactory
from awardbot.db.models import Staff
from awardbot.emulator import BotApiEmulator, Person
from awardbot.i18n.catalogue import Catalogue
from awardbot.workflow import delivery
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority, enqueue
from tests.factories import NOW, add_staff, add_unit, running_clock
from tests.sender.texts import TEXTS, TOKEN

FAST = SenderSettings(
    messages_per_second=200, private_chat_interval_s=0.05, group_messages_per_minute=600,
    max_attempts=5,
)  # fmt: skip
QUICK = SenderTuning(
    max_in_flight=8, poll_interval_s=0.1, backoff_base_s=0.05, backoff_cap_s=0.4,
    leader_retry_s=0.2, leader_check_s=0.3,
)  # fmt: skip
StartSender = Callable[..., Awaitable[Sender]]


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, bot_username="award_test_bot", seed=11)
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.file_base_url) as client:
        yield client


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue(TEXTS)


@pytest.fixture
async def start_sender(
    bot: Bot, sessions: SessionFactory, catalogue: Catalogue
) -> AsyncIterator[StartSender]:
    started: list[Sender] = []

    async def start(
        settings: SenderSettings = FAST, tuning: SenderTuning = QUICK, **kw: Any
    ) -> Sender:
        kw.setdefault("clock", running_clock())  # the messages were queued at NOW
        sender = Sender(
            bot, sessions, catalogue, settings, default_language="zh", tuning=tuning, **kw
        )
        await sender.start()
        started.append(sender)
        return sender

    yield start
    for sender in started:
        await sender.stop()


class Outbox:
    """Staff bound to emulator people, and messages queued for them."""

    def __init__(self, sessions: SessionFactory, emu: BotApiEmulator) -> None:
        self.sessions, self.emu = sessions, emu
        self.unit: int | None = None
        self.staff: dict[int, int] = {}  # telegram user id -> staff id

    async def person(self, user_id: int, language: str | None = None) -> Person:
        if self.unit is None:
            self.unit = await add_unit(self.sessions, "W01", "不动产登记窗口")
        staff_id = await add_staff(
            self.sessions, f"S{user_id}", f"员工{user_id}", self.unit, telegram_user_id=user_id
        )
        if language:
            async with self.sessions.begin() as session:
                await session.execute(
                    update(Staff).where(Staff.id == staff_id).values(language=language)
                )
        self.staff[user_id] = staff_id
        return self.emu.person(user_id, f"User{user_id}")

    async def put(
        self, chat_id: int, message: Message | None = None, *, n: int = 0,
        priority: Priority = Priority.NOTIFY,
    ) -> None:  # fmt: skip
        async with self.sessions.begin() as session:
            await enqueue(
                session, chat_id=chat_id, message=message or Message(Text("note", {"n": n})),
                now=NOW, staff_id=self.staff.get(chat_id), priority=priority,
            )  # fmt: skip

    async def settled(self, timeout: float = 30.0) -> dict[str, int]:  # noqa: ASYNC109
        """Wait until nothing is pending or being sent; the counts by state."""
        deadline = time.monotonic() + timeout
        while True:
            counts = await delivery.counts(self.sessions)
            if not counts.get("pending") and not counts.get("sending"):
                return counts
            if time.monotonic() > deadline:
                raise AssertionError(f"outbox did not drain in {timeout}s: {counts}")
            await asyncio.sleep(0.05)


@pytest.fixture
def outbox(sessions: SessionFactory, emu: BotApiEmulator) -> Outbox:
    return Outbox(sessions, emu)
