"""Telegram's sending limits as the sender keeps them: overall, per chat, and floods.

Times here are ``time.monotonic()`` seconds; the database's clock is not involved.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

Monotonic = Callable[[], float]


class Pacer:
    """The bot's overall rate: evenly spaced sends, ``rate`` messages a second.

    ``burst_s`` lets a sender that fell a little behind catch up by that much, no more,
    so that any one-second window holds at most about ``rate`` messages.
    """

    def __init__(self, rate: float, *, burst_s: float = 0.01, clock: Monotonic = time.monotonic):
        self._interval = 1.0 / rate
        self._burst = burst_s
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._lock = asyncio.Lock()  # FIFO: waiters are served in order

    async def acquire(self, count: int = 1) -> None:
        if count <= 0:
            return
        async with self._lock:
            while True:
                now = self._clock()
                ready = max(self._next, self._paused_until)
                if ready <= now:
                    break
                await asyncio.sleep(ready - now)
            self._next = max(self._next, now - self._burst) + count * self._interval

    def pause(self, seconds: float) -> None:
        """Telegram said the bot as a whole is over its limit: nobody sends for a while."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


class ChatPacer:
    """When each chat may get its next message: private chats by interval, groups per minute."""

    def __init__(
        self, private_interval_s: float, group_per_minute: int, *,
        clock: Monotonic = time.monotonic,
    ) -> None:  # fmt: skip
        self._private = private_interval_s
        self._group = 60.0 / group_per_minute
        self._clock = clock
        self._free_at: dict[int, float] = {}

    def _spacing(self, chat_id: int, count: int) -> float:
        # Positive ids are people; groups, supergroups and channels are negative.
        return self._private if chat_id > 0 else self._group * count

    def spent(self, chat_id: int, count: int = 1) -> None:
        now = self._clock()
        free_at = max(self._free_at.get(chat_id, now), now) + self._spacing(chat_id, count)
        self._free_at[chat_id] = free_at

    def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: leave it alone for ``seconds``."""
        until = self._clock() + seconds
        self._free_at[chat_id] = max(self._free_at.get(chat_id, until), until)

    async def wait(self, chat_id: int) -> None:
        delay = self._free_at.get(chat_id, 0.0) - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def cooling(self) -> set[int]:
        """Chats that may not be written to yet (and forget those that may)."""
        now = self._clock()
        done = [chat for chat, free_at in self._free_at.items() if free_at <= now]
        for chat in done:
            del self._free_at[chat]
        return set(self._free_at)


class FloodDetector:
    """Tells "the bot is over Telegram's overall limit" from one chat's or one call's 429.

    A 429 now and then is about one chat (or a transient hiccup): that message waits and
    the rest go on. When 429s are a large share of the last second's answers, the bot as
    a whole is over the limit and everything must wait.
    """

    def __init__(
        self, *, window_s: float = 1.0, min_count: int = 3, share: float = 0.25,
        clock: Monotonic = time.monotonic,
    ) -> None:  # fmt: skip
        self._window = window_s
        self._min_count = min_count
        self._share = share
        self._clock = clock
        self._answers: deque[tuple[float, bool]] = deque()
        self._limited = 0

    def record(self, limited: bool) -> bool:
        """Note one answer from Telegram; True if the bot as a whole is being limited."""
        now = self._clock()
        self._answers.append((now, limited))
        self._limited += limited
        while self._answers and self._answers[0][0] < now - self._window:
            _, old = self._answers.popleft()
            self._limited -= old
        return (
            limited
            and self._limited >= self._min_count
            and self._limited >= self._share * len(self._answers)
        )
