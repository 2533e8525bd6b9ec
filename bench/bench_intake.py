"""200 people completing a 三牛奖 nomination at once, through the emulator, on SQLite and
PostgreSQL: the time from each message or button press to the bot's complete answer.

The bot runs as its own process (``awardbot run``) polling the emulator in this process.
Every person walks the whole flow — /apply, choose, criteria, statement, a photo, submit —
and each step's latency is measured until the bot's answer to it is complete. People read,
type and pick photos between steps (PEOPLE_PACE, seeded); the stress run has everyone
answer within one to three seconds, which saturates the bot's one core, and is reported
without a target.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from awardbot.db.engine import create_engine, session_factory
from awardbot.db.models import MonthlyAssessment, Staff, Unit
from awardbot.emulator import BotApiEmulator, Person
from awardbot.workflow.rounds.opening import open_round

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "434343:INTAKE-bench"
PEOPLE = 200
FIRST_USER = 600_000
# Seconds a person takes before each step: reading and pressing a button, typing the
# statement, picking a photo. STRESS has everyone press as fast as they read.
PEOPLE_PACE = {"press": (2.0, 6.0), "text": (3.0, 8.0), "statement": (20.0, 40.0),
               "photo": (5.0, 10.0)}
STRESS_PACE = {"press": (1.0, 3.0), "text": (1.0, 3.0), "statement": (1.0, 3.0),
               "photo": (1.0, 3.0)}
PG_URL = os.environ.get("AWARDBOT_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
PHOTO_BYTES = 150_000
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082")

FORM = "申报表 delivered"
# (how, what, bot actions that make up the complete answer)
STEPS: tuple[tuple[str, str, int], ...] = (
    ("text", "/apply", 1), ("press", "申报三牛奖", 2), ("press", "为本人申报", 2),
    ("press", "孺子牛奖（为民服务）", 2), ("press", "⬜ 条件1", 1), ("press", "下一步 ➡️", 2),
    ("statement", "长期坚持延时服务，收到群众表扬信。", 1), ("photo", "", 2),
    ("press", "完成上传 ✅", 2), ("press", "✅ 提交申报", 2),
)


async def _seed(url: str) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with session_factory(engine).begin() as session:
        unit = Unit(code="W1", name="综合受理窗口", kind="window")
        session.add(unit)
        await session.flush()
        for i in range(PEOPLE):
            staff = Staff(staff_no=f"P{i:04d}", name=f"员工{i}", unit_id=unit.id,
                          is_window_staff=True, telegram_user_id=FIRST_USER + i)
            session.add(staff)
            await session.flush()
            local = now.astimezone()
            session.add(MonthlyAssessment(staff_id=staff.id, month=f"{local:%Y-%m}",
                                          score=Decimal(95)))
    local = now.astimezone()
    await open_round(session_factory(engine), family="sanniu",
                     period=f"{local.year}Q{(local.month - 1) // 3 + 1}",
                     opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10),
                     now=now)
    await engine.dispose()


async def _walk(person: Person, latencies: list[tuple[str, float]],
                pace: dict[str, tuple[float, float]]) -> None:
    rng = random.Random(person.user_id)
    for how, what, actions in STEPS:
        await asyncio.sleep(rng.uniform(*pace[how]))
        started = time.perf_counter()
        if how in ("text", "statement"):
            await person.send_text(what)
        elif how == "photo":  # everyone's own picture, of a phone photo's size: stored anew
            await person.send_photo(PNG + rng.randbytes(PHOTO_BYTES))
        else:
            await person.press(what)
        await person.wait_for_bot(actions, timeout=60)
        latencies.append((what or how, time.perf_counter() - started))
    # The 申报表 follows the receipt: reported on its own, it is not an answer to a press.
    await person.wait_for_bot(1, timeout=60)
    latencies.append((FORM, time.perf_counter() - started))


async def _run(url: str, workdir: Path, pace: dict[str, tuple[float, float]]
               ) -> list[tuple[str, float]]:
    env = {**os.environ, "AWARDBOT__DATABASE__URL": url, "AWARDBOT__TELEGRAM__TOKEN": TOKEN,
           "AWARDBOT__STORAGE__EVIDENCE_DIR": str(workdir / "evidence"),
           "AWARDBOT__AUDIT__KEY": "bench-audit-key-" + "0" * 32,
           "AWARDBOT__AUDIT__CHECKPOINT_FILE": str(workdir / "checkpoints.jsonl")}
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "awardbot", "--config", "/nonexistent/config.toml",
                         "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    await _seed(url)
    latencies: list[tuple[str, float]] = []
    async with BotApiEmulator(token=TOKEN) as emu:
        env |= {"AWARDBOT__TELEGRAM__API_BASE_URL": emu.base_url,
                "AWARDBOT__TELEGRAM__FILE_BASE_URL": emu.file_base_url}
        log = (workdir / "bot.log").open("w")
        bot = subprocess.Popen(  # noqa: ASYNC220 - the bot under test runs beside us
            [sys.executable, "-m", "awardbot", "run"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=log)
        try:
            people = [emu.person(FIRST_USER + i, f"P{i}") for i in range(PEOPLE)]
            await people[0].ask_text("/help", timeout=30)  # the bot is up
            await asyncio.gather(*(_walk(p, latencies, pace) for p in people))
        except Exception:
            print((workdir / "bot.log").read_text()[-5000:], file=sys.stderr)
            raise
        finally:
            bot.terminate()
            bot.wait(timeout=30)
            log.close()
    return latencies


async def _fresh_pg() -> str:
    from sqlalchemy import make_url

    name = "awardbot_bench_intake"
    admin = create_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        await conn.execute(text(f"CREATE DATABASE {name}"))
    await admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.99) - 1, 0)] * 1000


def _rows(label: str, latencies: list[tuple[str, float]], *, target: bool
          ) -> list[dict[str, object]]:
    values = [seconds for what, seconds in latencies if what != FORM]
    forms = [seconds for what, seconds in latencies if what == FORM]
    p99 = _p99(values)
    median = statistics.median(values) * 1000
    by_step = {what: [s for w, s in latencies if w == what] for what, _ in latencies}
    print(f"  {label}: p99 ms by step — " + ", ".join(
        f"{what} {_p99(values):.0f}" for what, values in by_step.items()), file=sys.stderr)
    return [
        {"benchmark": "intake", "metric": f"median answer ms ({label})", "value": median,
         "target": "", "ok": True},
        {"benchmark": "intake", "metric": f"p99 answer ms ({label})", "value": p99,
         "target": "< 100" if target else "stress: reported", "ok": p99 < 100 or not target},
        {"benchmark": "intake", "metric": f"p99 submit to 申报表 ms ({label})",
         "value": _p99(forms), "target": "reported", "ok": True},
    ]


RUNS = {"sqlite": ("SQLite", PEOPLE_PACE, True), "pg": ("PostgreSQL", PEOPLE_PACE, True),
        "stress": ("PostgreSQL, stress pace", STRESS_PACE, False)}


async def _bench(selected: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for backend, pace, target in (RUNS[name] for name in selected or RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            url = (f"sqlite+aiosqlite:///{tmp}/intake.db" if backend == "SQLite"
                   else await _fresh_pg())
            latencies = await _run(url, Path(tmp), pace)
        rows += _rows(f"{PEOPLE} people, {backend}", latencies, target=target)
    return rows


def run() -> list[dict[str, object]]:
    return asyncio.run(_bench([]))


if __name__ == "__main__":
    # `python bench/bench_intake.py sqlite` runs one of RUNS alone.
    for row in asyncio.run(_bench(sys.argv[1:])):
        print(row)
