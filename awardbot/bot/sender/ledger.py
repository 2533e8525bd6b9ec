"""Successful sends, written to the database in small batches.

One transaction per message costs more than the send itself at hundreds a second; a
batch every few milliseconds does not. Until its batch is written a row stays
``sending``, which is what a crash in that window must leave behind: such rows are
resumed after a restart and are the only ones that may arrive twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from awardbot.db.engine import SessionFactory
from awardbot.workflow import delivery

log = logging.getLogger(__name__)


class SentLedger:
    def __init__(self, sessions: SessionFactory, *, linger_s: float = 0.02) -> None:
        self._sessions = sessions
        self._linger = linger_s
        self._pending: list[tuple[int, int | None, datetime]] = []
        self._ready = asyncio.Event()
        self._closing = False

    def add(self, notification_id: int, message_id: int | None, at: datetime) -> None:
        self._pending.append((notification_id, message_id, at))
        self._ready.set()

    async def run(self) -> None:
        """Write batches until :meth:`close` and nothing is left."""
        while not (self._closing and not self._pending):
            await self._ready.wait()
            self._ready.clear()
            if not self._closing:
                await asyncio.sleep(self._linger)  # let a batch gather
            await self.flush()

    def close(self) -> None:
        self._closing = True
        self._ready.set()

    def reopen(self) -> None:
        self._closing = False

    async def flush(self) -> None:
        for attempt in range(4):
            batch, self._pending = self._pending, []
            try:
                await delivery.mark_sent_many(self._sessions, batch)
                return
            except Exception as exc:
                self._pending = batch + self._pending
                log.warning("sender: recording %d deliveries failed: %s", len(batch), exc)
                await asyncio.sleep(0.2 * 2**attempt)
        log.error("sender: %d deliveries stay 'sending'; resumed at next start", len(batch))
        self._pending = self._pending[len(batch) :]
