"""A sender in a process of its own, for the crash test.

    python -m tests.sender.sender_process DB_URL EMULATOR_URL MESSAGES_PER_SECOND

Prints ``ready`` once started; SIGTERM stops it gracefully, SIGKILL is the crash.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from telegram import Bot

from awardbot.bot.sender.loop import Sender, SenderTuning
from awardbot.bot.settings import SenderSettings
from awardbot.db.engine import create_engine, session_factory
from awardbot.i18n.catalogue import Catalogue
from tests.factories import running_clock
from tests.sender.texts import TEXTS, TOKEN


async def serve(db_url: str, emulator_url: str, rate: float) -> None:
    engine = create_engine(db_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    bot = Bot(TOKEN, base_url=f"{emulator_url}/bot", base_file_url=f"{emulator_url}/file/bot")
    settings = SenderSettings(messages_per_second=rate, private_chat_interval_s=0.05)
    tuning = SenderTuning(poll_interval_s=0.1, leader_retry_s=0.2, backoff_base_s=0.05)
    async with bot:
        sender = Sender(
            bot, session_factory(engine), Catalogue(TEXTS), settings, default_language="zh",
            tuning=tuning, clock=running_clock(),  # the messages were queued at NOW
        )  # fmt: skip
        await sender.start()
        print("ready", flush=True)
        await stop.wait()
        await sender.stop()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], sys.argv[2], float(sys.argv[3])))
