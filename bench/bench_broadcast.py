"""Benchmark: a 10,000-message broadcast through the Bot API emulator at 300 messages/s.

Protocol: ``run()`` returns result rows; ``python bench/bench_broadcast.py`` prints them.

10,000 bound staff on a SQLite file database each get one BULK notification. The
emulator enforces 300 messages/s overall and answers 5% of sends with a 429
(retry_after 1 s); the sender, configured for 300 messages/s, runs in a process of its
own (as in production), the emulator in this one. Measured from the emulator's side:
the delivery rate between the first and the last message, messages lost, messages
delivered twice. Then the crash variant: the sender is SIGKILLed mid-broadcast and a
new one started; nothing may be lost, and no more may arrive twice than were in flight
(rows ``sending``) at the kill. The same file run with ``--sender`` is the child.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from awardbot.db.engine import SessionFactory, create_engine, session_factory
from awardbot.db.migrate import upgrade
from awardbot.db.models import Staff, Unit
from awardbot.emulator import BotApiEmulator
from awardbot.workflow import delivery
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority, enqueue

COUNT = 10_000
RATE = 300
TOKEN = "123:bench"
FIRST_USER = 500_000
KILL_AFTER = 3_000
SCRIPT = Path(__file__).resolve()


async def _prepare(sessions: SessionFactory, emu: BotApiEmulator) -> None:
    at = datetime.now(UTC)
    async with sessions.begin() as session:
        unit = (await session.execute(
            insert(Unit).values(code="W01", name="窗口", kind="window").returning(Unit.id)
        )).scalar_one()  # fmt: skip
        rows = [
            {"staff_no": f"S{i}", "name": f"员工{i}", "unit_id": unit,
             "telegram_user_id": FIRST_USER + i, "bound_at": at}
            for i in range(COUNT)
        ]  # fmt: skip
        ids = (await session.scalars(insert(Staff).returning(Staff.id), rows)).all()
        for i, staff_id in enumerate(ids):
            user = FIRST_USER + i
            emu.person(user, f"User{i}")
            text = Text("start.welcome_back", {"name": f"员工{i}", "unit": "窗口"})
            await enqueue(
                session, chat_id=user, message=Message(text), now=at, staff_id=staff_id,
                priority=Priority.BULK,
            )  # fmt: skip


async def _spawn(db_url: str, emu: BotApiEmulator) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(SCRIPT), "--sender", db_url, emu.url,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    await asyncio.wait_for(process.stdout.readline(), 60)
    return process


async def _drained(sessions: SessionFactory, timeout: float) -> dict[str, int]:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        counts = await delivery.counts(sessions)
        if not counts.get("pending") and not counts.get("sending"):
            return counts
        if time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.5)


async def _reached(emu: BotApiEmulator, delivered: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if emu.stats.total_delivered >= delivered:
            return
        await asyncio.sleep(0.05)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 15)
        except TimeoutError:
            process.kill()
            await process.wait()


def _row(metric: str, value: Any, target: str, ok: bool) -> dict[str, Any]:
    return {"benchmark": "broadcast", "metric": metric, "value": value, "target": target,
            "ok": ok}  # fmt: skip


async def _scenario(path: Path, crash: bool) -> dict[str, Any]:
    db_url = f"sqlite+aiosqlite:///{path}"
    upgrade(f"sqlite:///{path}")
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    async with BotApiEmulator(token=TOKEN, seed=3) as emu:
        await _prepare(sessions, emu)
        emu.rate_limit.configure(global_per_second=RATE)
        emu.faults.configure(too_many_share=0.05, retry_after=1)
        in_flight = 0
        process = await _spawn(db_url, emu)
        try:
            if crash:
                await _reached(emu, KILL_AFTER)
                process.kill()
                await process.wait()
                in_flight = (await delivery.counts(sessions)).get("sending", 0)
                process = await _spawn(db_url, emu)
            counts = await _drained(sessions, timeout=120)
        finally:
            await _stop(process)
        stats = emu.stats
        delivered = set(stats.delivered)
    await engine.dispose()
    return {
        "rate": stats.delivery_rate(), "counts": counts, "in_flight": in_flight,
        "lost": sum(1 for i in range(COUNT) if FIRST_USER + i not in delivered),
        "twice": sum(n - 1 for n in stats.delivered.values() if n > 1),
        "rejected": stats.statuses.get(429, 0),
    }  # fmt: skip


async def _measure() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        steady = await _scenario(Path(tmp) / "steady.db", crash=False)
        crashed = await _scenario(Path(tmp) / "crash.db", crash=True)
    share = steady["rate"] / RATE
    return [
        _row(f"delivery rate, share of {RATE}/s ({COUNT:,} msgs, 5% 429s)", round(share, 3),
             ">= 0.90", share >= 0.90),
        _row("messages lost", steady["lost"], "0", steady["lost"] == 0),
        _row("messages sent twice", steady["twice"], "0", steady["twice"] == 0),
        _row("429 answers (5% injected + over-limit)", steady["rejected"], "info", True),
        _row(f"crash: lost after SIGKILL at ~{KILL_AFTER:,} + restart", crashed["lost"], "0",
             crashed["lost"] == 0),
        _row(f"crash: sent twice (in flight at kill: {crashed['in_flight']})", crashed["twice"],
             f"<= {crashed['in_flight']}", crashed["twice"] <= crashed["in_flight"]),
    ]  # fmt: skip


def run() -> list[dict[str, Any]]:
    return asyncio.run(_measure())


async def _serve_sender(db_url: str, emulator_url: str) -> None:
    """The child: a production-configured sender until SIGTERM."""
    from telegram import Bot

    from awardbot.bot.sender.loop import Sender
    from awardbot.bot.settings import SenderSettings
    from awardbot.i18n.catalogue import Catalogue

    engine = create_engine(db_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    bot = Bot(TOKEN, base_url=f"{emulator_url}/bot", base_file_url=f"{emulator_url}/file/bot")
    settings = SenderSettings(messages_per_second=RATE)
    async with bot:
        sender = Sender(
            bot, session_factory(engine), Catalogue.load(), settings, default_language="zh"
        )
        await sender.start()
        print("ready", flush=True)
        await stop.wait()
        await sender.stop()
    await engine.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sender"]:
        asyncio.run(_serve_sender(sys.argv[2], sys.argv[3]))
    else:
        for result in run():
            print(result)
