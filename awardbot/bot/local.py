"""Start and stop the Application by hand (tests, the demo, benchmarks).

``run_polling`` would call ``post_init``/``post_shutdown`` itself; ``async with`` does not
(a known pitfall), so this does, in the same order ``run_polling`` uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr
from telegram import Update
from telegram.ext import Application

from awardbot.bot.settings import Settings

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@asynccontextmanager
async def polling(app: AnyApplication, *, poll_timeout: int = 1) -> AsyncIterator[AnyApplication]:
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await app.start()
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def against_emulator(settings: Settings, base_url: str, file_base_url: str, token: str) -> Settings:
    """The same settings, pointed at a local Bot API server."""
    telegram = settings.telegram.model_copy(
        update={"api_base_url": base_url, "file_base_url": file_base_url,
                "token": SecretStr(token), "mode": "polling"}
    )
    return settings.model_copy(update={"telegram": telegram})
