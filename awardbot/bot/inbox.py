"""The Application's update queue, made durable: nothing received is lost to a crash.

Telegram forgets an update once the bot acknowledges it: polling acknowledges a batch with
the next ``getUpdates`` offset, the webhook with its 200. So every update is written to
the database before that:

- polling: :class:`RecordingBot` records each batch ``getUpdates`` returns, in one
  transaction, before python-telegram-bot's updater sees it (and so before it asks for the
  next batch); the updater then puts the new ones into this queue;
- anything else put into the queue — the webhook endpoint's updates (``bot/webhook.py``)
  — is recorded by :meth:`DurableUpdateQueue.put` itself, before it returns.

A repeat (an ``update_id`` recorded before) is dropped there.

"Handled" is marked by the update processor once the Application has run every handler
for the update (``bot/processor.py``), not inside a handler's own transaction: one update
is several transactions (the person's lookup, a download between two of them, the write),
some answers are chat-only, and the update id would have to be threaded through every use
case. The price is a narrow window — after the handler's last commit, before the mark —
in which a crash makes the update run again at start-up; the workflow's own checks (a
draft's step, a button's state, idempotent transitions) make such a repeat answer "already
done" rather than act twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.error import NetworkError
from telegram.ext import ExtBot

from awardbot.db.engine import SessionFactory
from awardbot.workflow import updates

log = logging.getLogger(__name__)
RECORD_ATTEMPTS = 3
MARK_AFTER_S = 0.02


class DurableUpdateQueue(asyncio.Queue[object]):
    def __init__(self, sessions: SessionFactory, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._sessions, self._clock = sessions, clock
        self._admitted: set[int] = set()  # recorded with their batch, not queued yet
        self._done: list[int] = []
        self._marking: asyncio.Task[None] | None = None

    async def record(self, batch: Sequence[Update]) -> None:
        """Record a batch just fetched; raises NetworkError (a TelegramError: the updater
        fetches the same batch again) when the database cannot take it."""
        self._admitted |= await self._receive(batch)

    async def put(self, item: object) -> None:
        """Queue an update recorded with its batch; record any other first. A repeat is
        dropped. Anything else (the Application's stop signal) passes straight through."""
        if isinstance(item, Update):
            if item.update_id in self._admitted:
                self._admitted.discard(item.update_id)
            elif item.update_id not in await self._receive([item]):
                log.info("update %s was received before; dropped", item.update_id)
                return
        await super().put(item)

    async def _receive(self, batch: Sequence[Update]) -> set[int]:
        received = [(update.update_id, update.to_dict()) for update in batch]
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                return await updates.receive_many(self._sessions, received, now=self._clock())
            except Exception as exc:  # the database is away: do not acknowledge the update
                if attempt == RECORD_ATTEMPTS:
                    # A TelegramError: polling fetches the same updates again; the
                    # webhook answers 500 and Telegram delivers it again.
                    raise NetworkError(f"could not record {len(batch)} update(s): "
                                       f"{type(exc).__name__}") from exc
                await asyncio.sleep(0.2 * attempt)
        raise AssertionError("unreachable")

    async def finished(self, update: object) -> None:
        """Called by the update processor when every handler has run for ``update``.

        The marks are written together a moment later (:data:`MARK_AFTER_S`), one
        transaction for all the updates finished meanwhile rather than one each: under
        load that halves the writes per update. A crash in that moment only widens the
        window described above by as much."""
        if not isinstance(update, Update):
            return
        self._done.append(update.update_id)
        if self._marking is None or self._marking.done():
            self._marking = asyncio.create_task(self._mark_soon(), name="awardbot-inbox-marks")

    async def _mark_soon(self) -> None:
        # Updates that finish while a write is under way wait for the next round of this
        # loop: no task is started for them (this one is not done), so it must not end
        # while any are left.
        while self._done:
            await asyncio.sleep(MARK_AFTER_S)
            await self._mark()

    async def _mark(self) -> None:
        done, self._done = self._done, []
        if not done:
            return
        try:
            await updates.finish(self._sessions, done, now=self._clock())
        except Exception:
            log.exception("%d handled updates could not be marked so; they will be handled "
                          "again at the next start", len(done))

    async def close(self) -> None:
        """At shutdown, after the last update was handled: write the last marks."""
        if self._marking is not None:
            await self._marking
        await self._mark()

    async def recover(self, bot: Bot) -> tuple[int, int]:
        """At start-up, before polling or the webhook: queue again what a crash left
        unfinished; give up (and ask the person to resend) what already failed repeatedly.
        Returns (queued again, given up)."""
        left = await updates.unfinished(self._sessions)
        again, given_up = [], 0
        for item in left:
            update = _parse(item.payload, bot)
            if item.exhausted or update is None:
                user = update.effective_user if update else None
                chat = update.effective_chat if update else None
                await updates.give_up(self._sessions, item, now=self._clock(),
                                      chat_id=chat.id if chat else None,
                                      telegram_user_id=user.id if user else None)
                given_up += 1
            else:
                again.append(update)
        await updates.replaying(self._sessions, [u.update_id for u in again])
        for update in again:
            await super().put(update)
        if left:
            log.warning("start-up: %d unfinished updates queued again, %d given up",
                        len(again), given_up)
        return len(again), given_up


def _parse(payload: dict[str, Any], bot: Bot) -> Update | None:
    try:
        return Update.de_json(payload, bot)
    except Exception:
        log.exception("a recorded update could not be read back")
        return None


class RecordingBot(ExtBot[None]):
    """The Application's bot: each batch ``getUpdates`` returns is recorded before the
    updater queues it, and so before the next call acknowledges it to Telegram."""

    def __init__(self, token: str, inbox: DurableUpdateQueue, **kw: Any) -> None:
        super().__init__(token, **kw)
        with self._unfrozen():  # python-telegram-bot freezes its objects after __init__
            self._inbox = inbox

    async def get_updates(self, *args: Any, **kw: Any) -> tuple[Update, ...]:  # type: ignore[override]
        batch = await super().get_updates(*args, **kw)
        if batch:
            await self._inbox.record(batch)
        return batch
