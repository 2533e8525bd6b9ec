"""Round trips per second through the emulator, awardbot against a bare echo bot, and the
bot's resident memory with 10,000 staff in the roster.

Both bots run as their own process, polling the emulator in this process; N people each
send a message and wait for the answer, K times. The ratio is what counts: both bots are
measured in the same run on the same machine.
"""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from awardbot.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242:BENCH-token"
PEOPLE, ROUNDS, STAFF = 20, 25, 10_000
FIRST_USER = 500_000


def _roster(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["unit_code", "unit_name", "unit_kind", "parent_unit", "staff_id", "name",
                      "roles", "window_staff", "service_start"])
        out.writerow(["JU", "市行政审批局", "bureau", "", "", "", "", "", ""])
        for i in range(STAFF):
            unit = f"W{i % 100:03d}"
            out.writerow([unit, f"窗口{unit}", "window", "JU", f"B{i:05d}", f"员工{i}",
                          "staff", "yes", "2015-01-01"])


def _awardbot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "awardbot", *args]
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)


async def _bind(db_url: str) -> None:
    from sqlalchemy import update

    from awardbot.db.engine import create_engine, session_factory
    from awardbot.db.models import Staff

    engine = create_engine(db_url)
    async with session_factory(engine).begin() as session:
        for i in range(PEOPLE):
            await session.execute(update(Staff).where(Staff.staff_no == f"B{i:05d}")
                                  .values(telegram_user_id=FIRST_USER + i))
    await engine.dispose()


async def _drive(emu: BotApiEmulator, text: str) -> float:
    people = [emu.person(FIRST_USER + i, f"P{i}") for i in range(PEOPLE)]
    await asyncio.gather(*(p.ask_text(text, timeout=30) for p in people))  # warm up

    async def one(person) -> None:  # type: ignore[no-untyped-def]
        for _ in range(ROUNDS):
            await person.ask_text(text, timeout=30)

    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in people))
    return PEOPLE * ROUNDS / (time.perf_counter() - started)


async def _measure(command: list[str], env: dict[str, str], text: str) -> tuple[float, int]:
    async with BotApiEmulator(token=TOKEN) as emu:
        env = {**env, "AWARDBOT__TELEGRAM__API_BASE_URL": emu.base_url,
               "AWARDBOT__TELEGRAM__FILE_BASE_URL": emu.file_base_url}
        command = [part.replace("{base_url}", emu.base_url) for part in command]
        process = subprocess.Popen(  # noqa: ASYNC220 - the bot under test runs beside us
            command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        try:
            rate = await _drive(emu, text)
            rss = psutil.Process(process.pid).memory_info().rss
        finally:
            process.terminate()
            process.wait(timeout=30)
    return rate, rss


async def _bench() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        env = {**os.environ, "AWARDBOT__DATABASE__URL": db_url,
               "AWARDBOT__TELEGRAM__TOKEN": TOKEN, "AWARDBOT__BOT__LOG_LEVEL": "WARNING",
               "AWARDBOT__AUDIT__KEY": "bench-audit-key-" + "0" * 32,
               "AWARDBOT__AUDIT__CHECKPOINT_FILE": f"{tmp}/checkpoints.jsonl"}
        roster = Path(tmp) / "roster.csv"
        _roster(roster)
        _awardbot("--config", "/nonexistent/config.toml", "db", "upgrade", env=env)
        _awardbot("roster", "import", str(roster), env=env)
        await _bind(db_url)
        echo_rate, _ = await _measure(
            [sys.executable, str(ROOT / "bench" / "echo_bot.py"), TOKEN, "{base_url}"],
            env, "hello")
        bot_rate, rss = await _measure(
            [sys.executable, "-m", "awardbot", "run"], env, "/help")
    ratio = bot_rate / echo_rate
    mb = rss / 2**20
    return [
        {"benchmark": "bot", "metric": f"echo bot round trips/s ({PEOPLE} people)",
         "value": echo_rate, "target": "yardstick", "ok": True},
        {"benchmark": "bot", "metric": f"awardbot round trips/s ({PEOPLE} people, /help)",
         "value": bot_rate, "target": "", "ok": True},
        {"benchmark": "bot", "metric": "awardbot / echo bot", "value": ratio,
         "target": ">= 0.5", "ok": ratio >= 0.5},
        {"benchmark": "bot", "metric": f"awardbot RSS with {STAFF:,} staff (MB)",
         "value": mb, "target": "< 150", "ok": mb < 150},
    ]


def run() -> list[dict[str, object]]:
    return asyncio.run(_bench())


if __name__ == "__main__":
    for row in run():
        print(row)
