"""Priorities, stopping and restarting, a crash, and leadership between instances."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot.sender.leader import Leadership
from awardbot.bot.settings import SenderSettings
from awardbot.emulator import BotApiEmulator
from awardbot.workflow import delivery
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority, enqueue
from tests.factories import NOW
from tests.sender.conftest import QUICK, Outbox, StartSender

ROOT = Path(__file__).resolve().parents[2]
SLOW = SenderSettings(messages_per_second=20, private_chat_interval_s=0.05)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def _bulk(outbox: Outbox, users: range) -> None:
    async with outbox.sessions.begin() as session:
        for user in users:
            outbox.emu.person(user)
            await enqueue(
                session, chat_id=user, message=Message(Text("note", {"n": user})), now=NOW,
                priority=Priority.BULK,
            )  # fmt: skip


class CountedLeadership(Leadership):
    """Leadership that counts the attempts to take it."""

    attempts = 0

    async def acquire(self) -> bool:
        taken = await super().acquire()
        self.attempts += 1
        return taken


def _duplicates(emu: BotApiEmulator) -> int:
    return sum(n - 1 for n in emu.stats.delivered.values() if n > 1)


async def test_interactive_overtakes_a_queued_broadcast(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    await _bulk(outbox, range(2001, 2041))
    person = emu.person(1001)
    sender = await start_sender(SLOW)
    await until(lambda: emu.stats.total_delivered >= 5)
    before = emu.stats.total_delivered
    await outbox.put(1001, n=0, priority=Priority.INTERACTIVE)
    sender.wake()
    await person.wait_for_bot()
    # Ahead of it went at most what the sender had claimed already: those in flight and
    # its local queue (twice as many). The rest of the 40 waited for it.
    assert emu.stats.total_delivered - before <= 3 * QUICK.max_in_flight < 40 - before
    assert await outbox.settled() == {"sent": 41}


async def test_stop_and_restart_lose_and_repeat_nothing(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    await _bulk(outbox, range(2001, 2031))
    first = await start_sender(SLOW)
    await until(lambda: emu.stats.total_delivered >= 8)
    await first.stop()
    counts = await delivery.counts(outbox.sessions)
    assert "sending" not in counts
    assert counts["sent"] == emu.stats.total_delivered < 30
    await start_sender(SLOW)
    assert await outbox.settled() == {"sent": 30}
    assert emu.stats.total_delivered == 30
    assert emu.stats.duplicates() == {}


async def _spawn(db_url: str, emu: BotApiEmulator, rate: int) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.sender.sender_process", db_url, emu.url, str(rate),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 60)).strip() == b"ready"
    return process


async def test_a_killed_sender_loses_nothing(
    emu: BotApiEmulator, outbox: Outbox, db_url: str
) -> None:
    await _bulk(outbox, range(3001, 3301))
    processes = []
    try:
        processes.append(first := await _spawn(db_url, emu, 100))
        await until(lambda: emu.stats.total_delivered >= 80, timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        in_flight = (await delivery.counts(outbox.sessions)).get("sending", 0)
        assert 0 < emu.stats.total_delivered < 300
        processes.append(second := await _spawn(db_url, emu, 100))
        assert await outbox.settled(timeout=60) == {"sent": 300}
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 10) == 0
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert set(emu.stats.delivered) == set(range(3001, 3301))
    assert _duplicates(emu) <= in_flight


async def test_one_leader_delivers_and_another_takes_over(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender, engine: AsyncEngine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the one process is always the leader")
    first = await start_sender()
    await until(lambda: first.is_leader)
    tries = CountedLeadership(engine)
    second = await start_sender(leadership=tries)
    await until(lambda: tries.attempts >= 2)  # it has tried, and tried again
    assert not second.is_leader
    await _bulk(outbox, range(2001, 2011))
    assert await outbox.settled() == {"sent": 10}
    await first.stop()
    await until(lambda: second.is_leader)
    await _bulk(outbox, range(2011, 2021))
    assert await outbox.settled() == {"sent": 20}
    assert emu.stats.total_delivered == 20
    assert emu.stats.duplicates() == {}
