"""No update is lost to a crash: the bot process is killed while it downloads a photo,
restarts, and the photo is stored and answered — or, after repeated crashes, the person
is asked to send it again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Evidence, ReceivedUpdate
from awardbot.emulator import BotApiEmulator, Person
from awardbot.emulator.routes import DOWNLOAD
from tests.e2e.conftest import TOKEN, Clock
from tests.e2e.intake_fixtures import PNG, bureau, open_rounds, press, say
from tests.factories import NOW

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # a cold interpreter on a busy machine


@dataclass
class Bureau:
    """What the intake fixtures need of a harness; the bot itself runs elsewhere."""

    emulator: BotApiEmulator
    sessions: SessionFactory
    clock: Clock
    db_url: str
    workdir: Path
    starts: int = 0

    async def start_bot(self) -> asyncio.subprocess.Process:
        self.starts += 1
        log = (self.workdir / f"bot-{self.starts}.log").open("wb")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.e2e.bot_process", self.db_url, self.emulator.url,
            str(self.workdir / "evidence"), cwd=ROOT, stdout=asyncio.subprocess.PIPE,
            stderr=log, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
        assert line.strip() == b"ready", self.log(self.starts)
        return process

    def log(self, start: int) -> str:
        return (self.workdir / f"bot-{start}.log").read_text(errors="replace")[-4000:]


@pytest.fixture
async def town(db_url: str, sessions: SessionFactory, tmp_path: Path) -> AsyncIterator[Bureau]:
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emulator:
        town = Bureau(emulator, sessions, Clock(NOW), db_url, tmp_path)
        await bureau(town)  # type: ignore[arg-type]  # a harness in all that is used
        await open_rounds(town)  # type: ignore[arg-type]
        yield town


async def _at_the_evidence_step(town: Bureau) -> Person:
    from awardbot.workflow.roster.binding import issue_invites

    code = (await issue_invites(town.sessions, staff_nos=["2001"], unit_code=None, now=NOW,
                                ttl=timedelta(days=30)))[0].code
    liu = town.emulator.person(8001, "刘芳")
    await liu.send_command("start", code)
    await liu.wait_for_bot(timeout=20)
    h = town  # the intake helpers' name for it
    await say(h, liu, "/apply")  # type: ignore[arg-type]
    for label in ("申报三牛奖", "为本人申报", "孺子牛奖（为民服务）", "⬜ 条件1", "下一步 ➡️"):
        await press(h, liu, label)  # type: ignore[arg-type]
    asked = await say(h, liu, "长期坚持为群众提供延时服务，收到锦旗三面。")  # type: ignore[arg-type]
    assert "佐证材料" in (asked.text or "")
    await _all_marked(town)  # what came before is done: only the photo may be replayed
    return liu


async def _all_marked(town: Bureau) -> None:
    """Every update received so far is marked handled (the marks follow by a moment)."""
    deadline = time.monotonic() + 30
    while True:
        async with town.sessions() as session:
            open_ = await session.scalar(select(func.count()).select_from(ReceivedUpdate)
                                         .where(ReceivedUpdate.handled_at.is_(None)))
        if not open_:
            return
        assert time.monotonic() < deadline, f"{open_} updates never marked handled"
        await asyncio.sleep(0.05)


async def _downloads(town: Bureau, at_least: int) -> None:
    deadline = time.monotonic() + 30
    while town.emulator.stats.requests[DOWNLOAD] < at_least:
        assert time.monotonic() < deadline, "the bot never started downloading the photo"
        await asyncio.sleep(0.02)


async def _crash_while_downloading(town: Bureau, bot: asyncio.subprocess.Process,
                                   downloads: int) -> None:
    await _downloads(town, downloads)
    bot.send_signal(signal.SIGKILL)
    assert await bot.wait() == -signal.SIGKILL


async def _counts(town: Bureau) -> tuple[int, list[tuple[int, bool]]]:
    async with town.sessions() as session:
        evidence = await session.scalar(select(func.count()).select_from(Evidence)) or 0
        received = (await session.execute(
            select(ReceivedUpdate.replays, ReceivedUpdate.handled_at.is_not(None))
            .order_by(ReceivedUpdate.update_id.desc()).limit(1))).all()
    return evidence, [(r, bool(done)) for r, done in received]


async def _eventually(town: Bureau, expected: tuple[int, list[tuple[int, bool]]]) -> None:
    """The marks follow the answer by a moment: wait for them, not for silence."""
    deadline = time.monotonic() + 30
    while (found := await _counts(town)) != expected:
        assert time.monotonic() < deadline, found
        await asyncio.sleep(0.05)


async def _stop(bot: asyncio.subprocess.Process) -> None:
    bot.send_signal(signal.SIGTERM)
    await asyncio.wait_for(bot.wait(), 60)


async def test_a_photo_survives_a_kill_during_its_download(town: Bureau) -> None:
    bot = await town.start_bot()
    liu = await _at_the_evidence_step(town)
    town.emulator.faults.configure(delay=600.0, methods=[DOWNLOAD])
    await liu.send_photo(PNG, caption="锦旗")
    await _crash_while_downloading(town, bot, 1)
    assert await _counts(town) == (0, [(0, False)])  # received, not finished: nothing stored

    town.emulator.faults.clear()
    bot = await town.start_bot()
    try:
        answer = (await liu.wait_for_bot(timeout=30))[0]
        assert "已收到" in (answer.text or ""), liu.transcript()
        await _eventually(town, (1, [(1, True)]))
        async with town.sessions() as session:
            stored = await session.scalar(select(Evidence.sha256))
        assert stored is not None
        assert (town.workdir / "evidence" / stored[:2] / stored[2:4] / stored).exists()
    finally:
        await _stop(bot)


async def test_an_update_that_keeps_crashing_the_bot_is_given_up_politely(
    town: Bureau,
) -> None:
    bot = await town.start_bot()
    liu = await _at_the_evidence_step(town)
    town.emulator.faults.configure(delay=600.0, methods=[DOWNLOAD])
    await liu.send_photo(PNG)
    for crash in (1, 2, 3):  # the first delivery, then each replay at start-up
        await _crash_while_downloading(town, bot, crash)
        bot = await town.start_bot()
    try:
        told = (await liu.wait_for_bot(timeout=30))[0]
        assert "请重新发送" in (told.text or ""), liu.transcript()
        await _eventually(town, (0, [(2, True)]))
    finally:
        await _stop(bot)
