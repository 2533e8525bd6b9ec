"""The whole bot in a process of its own, for the crash tests.

    python -m tests.e2e.bot_process DB_URL EMULATOR_URL EVIDENCE_DIR

Polls the emulator with the clock fixed at :data:`tests.factories.NOW`. Prints ``ready``
once polling; SIGTERM stops it gracefully, SIGKILL is the crash.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

from awardbot.bot.app import build_application
from awardbot.bot.local import against_emulator, polling
from awardbot.bot.settings import DatabaseSettings, Settings, StorageSettings
from tests.e2e.conftest import TOKEN
from tests.factories import NOW


async def serve(db_url: str, emulator_url: str, evidence_dir: str) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    settings = against_emulator(
        Settings(database=DatabaseSettings(url=db_url),
                 storage=StorageSettings(evidence_dir=Path(evidence_dir))),
        f"{emulator_url}/bot", f"{emulator_url}/file/bot", TOKEN)
    app = build_application(settings, clock=lambda: NOW)
    async with polling(app):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(*sys.argv[1:4]))
