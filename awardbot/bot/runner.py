"""``awardbot run``: check the schema, then poll or serve the webhook, as configured."""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

from telegram import Update

from awardbot.bot import webhook
from awardbot.bot.app import build_application, utc_now
from awardbot.bot.cli.errors import OperatorError
from awardbot.bot.documents_settings import DocumentsSettings, check_documents
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


def _fonts_cover(documents: DocumentsSettings) -> None:
    check_documents(documents)


def _check_fonts_apart(documents: DocumentsSettings) -> None:
    """The start-up font check, in a process of its own: reading the fonts' character maps
    takes ~20 MB the bot would keep for good (the worker that draws the papers reads them
    when it first needs them)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")
                             ) as pool:
        pool.submit(_fonts_cover, documents).result()


def run(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> int:
    settings.audit.require_key()  # the running bot always signs its audit chain
    try:
        asyncio.run(_check_schema(settings.database.url))
    except SchemaOutOfDate as exc:
        raise OperatorError(str(exc)) from None
    try:  # the papers are drawn with fonts the project installs: missing ones stop here
        _check_fonts_apart(settings.documents)
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
