"""``awardbot run``: check the schema, then poll or serve the webhook, as configured."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Update

from awardbot.bot import webhook
from awardbot.bot.app import build_application, utc_now
from awardbot.bot.cli.errors import OperatorError
from awardbot.bot.documents_settings import check_documents
from awardbot.bot.settings import Settings
from awardbot.db.engine import create_engine
from awardbot.db.migrate import SchemaOutOfDate, ensure_migrated
from awardbot.documents.fonts import DocumentError

log = logging.getLogger(__name__)


async def _check_schema(url: str) -> None:
    engine = create_engine(url)
    try:
        await ensure_migrated(engine)
    except OSError as exc:
        raise OperatorError(f"database.url: cannot reach the database: {exc}") from None
    finally:
        await engine.dispose()


def _settle_the_heap() -> None:
    """What starting up made (modules, the catalogue, rule tables, the application) lives as
    long as the process. Frozen, the collector stops walking it on every full pass; those
    passes had paused all answers for ~80 ms at a time under load (BENCHMARKS.md)."""
    gc.collect()
    gc.freeze()


def run(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> int:
    settings.audit.require_key()  # the running bot always signs its audit chain
    try:
        asyncio.run(_check_schema(settings.database.url))
    except SchemaOutOfDate as exc:
        raise OperatorError(str(exc)) from None
    try:  # the papers are drawn with fonts the project installs: missing ones stop here
        check_documents(settings.documents)
    except DocumentError as exc:
        raise OperatorError(str(exc)) from None
    app = build_application(settings, clock=clock)
    _settle_the_heap()
    telegram = settings.telegram
    if telegram.mode == "webhook":
        asyncio.run(webhook.serve(app, telegram))
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
