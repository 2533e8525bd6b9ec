"""The Application's update queue, made durable: nothing received is lost to a crash.

python-telegram-bot's updater puts each fetched update into ``application.update_queue``
and only then acknowledges it to Telegram (the next ``getUpdates`` offset); the webhook
server (``bot/webhook.py``) puts it there before answering 200. Recording the update in
``put`` therefore happens before Telegram forgets it. A repeat (the same ``update_id``) is
dropped right there.

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
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.error import NetworkError

from awardbot.db.engine import SessionFactory
from awardbot.workflow import updates

log = logging.getLogger(__name__)
RECORD_ATTEMPTS = 3


class DurableUpdateQueue(asyncio.Queue[object]):
    def __init__(self, sessions: SessionFactory, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self._sessions, self._clock = sessions, clock

    async def put(self, item: object) -> None:
        """Record an update, then queue it; a repeat is dropped. Anything else (the
        Application's stop signal) passes straight through."""
        if isinstance(item, Update) and not await self._record(item):
            log.info("update %s was received before; dropped", item.update_id)
            return
        await super().put(item)

    async def _record(self, update: Update) -> bool:
        for attempt in range(1, RECORD_ATTEMPTS + 1):
            try:
                return await updates.receive(self._sessions, update.update_id,
                                             update.to_dict(), now=self._clock())
            except Exception as exc:  # the database is away: do not acknowledge the update
                if attempt == RECORD_ATTEMPTS:
                    # A TelegramError: polling fetches the same updates again; the
                    # webhook answers 500 and Telegram delivers it again.
                    raise NetworkError(f"could not record update {update.update_id}: "
                                       f"{type(exc).__name__}") from exc
                await asyncio.sleep(0.2 * attempt)
        raise AssertionError("unreachable")

    async def finished(self, update: object) -> None:
        """Called by the update processor when every handler has run for ``update``."""
        if not isinstance(update, Update):
            return
        try:
            await updates.finish(self._sessions, [update.update_id], now=self._clock())
        except Exception:
            log.exception("update %s was handled but could not be marked so; it will be "
                          "handled again at the next start", update.update_id)

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
