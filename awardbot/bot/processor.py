"""Concurrency across people, order kept per person.

python-telegram-bot handles one update at a time by default; with plain
``concurrent_updates`` two messages from the same person could race through a
walkthrough. Here updates of different people run concurrently while each person's
updates run strictly in arrival order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def person_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """``finished(update)`` is awaited once every handler has run for an update (the
    Application reports handler errors to the error handler, so that is "answered" too);
    not when processing was cancelled by a shutdown."""

    def __init__(self, max_concurrent_updates: int,
                 finished: Callable[[object], Awaitable[None]] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._finished = finished

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self._in_order(update, coroutine)
        if self._finished is not None:
            await self._finished(update)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = person_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
