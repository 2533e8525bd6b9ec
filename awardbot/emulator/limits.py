"""Telegram's sending limits: a global messages-per-second cap and per-chat caps."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from awardbot.emulator.errors import too_many_requests


def counts_as_message(method: str) -> bool:
    """Methods the limits apply to: every send* and edit* call but chat actions."""
    lowered = method.lower()
    return lowered != "sendchataction" and lowered.startswith(("send", "edit", "copy", "forward"))


@dataclass
class RateLimitConfig:
    global_per_second: float | None = None
    per_chat: bool = False
    private_per_second: float = 1.0
    group_per_minute: float = 20.0


class _Window:
    """Timestamps of recent sends within a sliding window."""

    def __init__(self, span: float) -> None:
        self.span = span
        self.times: deque[float] = deque()

    def retry_after(self, now: float, limit: float, count: int) -> int | None:
        count = min(count, max(1, int(limit)))  # an album larger than the limit still fits
        while self.times and self.times[0] <= now - self.span:
            self.times.popleft()
        if len(self.times) + count <= limit:
            return None
        index = min(len(self.times) - 1, max(0, len(self.times) + count - int(limit) - 1))
        wait = self.times[index] + self.span - now if self.times else self.span
        return max(1, math.ceil(wait))

    def add(self, now: float, count: int) -> None:
        self.times.extend([now] * count)


class RateLimiter:
    """Answers 429 with a retry_after once a limit is exceeded; off until configured."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.config = RateLimitConfig()
        self._clock = clock
        self._global = _Window(1.0)
        self._chats: dict[int, _Window] = {}
        self.rejected = 0

    def configure(
        self,
        *,
        global_per_second: float | None = None,
        per_chat: bool = False,
        private_per_second: float = 1.0,
        group_per_minute: float = 20.0,
    ) -> None:
        self.config = RateLimitConfig(
            global_per_second, per_chat, private_per_second, group_per_minute
        )
        self.reset()

    def disable(self) -> None:
        self.configure()

    def reset(self) -> None:
        self._global = _Window(1.0)
        self._chats.clear()

    def check(self, chat_id: int | None, chat_type: str | None, count: int = 1) -> None:
        """Record ``count`` messages to the chat, or raise 429 without recording them."""
        now = self._clock()
        cfg = self.config
        waits = []
        if cfg.global_per_second:
            waits.append(self._global.retry_after(now, cfg.global_per_second, count))
        chat_window, chat_limit = self._chat_window(chat_id, chat_type)
        if chat_window is not None:
            waits.append(chat_window.retry_after(now, chat_limit, count))
        retry = max((w for w in waits if w is not None), default=None)
        if retry is not None:
            self.rejected += 1
            raise too_many_requests(retry)
        if cfg.global_per_second:
            self._global.add(now, count)
        if chat_window is not None:
            chat_window.add(now, count)

    def _chat_window(
        self, chat_id: int | None, chat_type: str | None
    ) -> tuple[_Window | None, float]:
        if not self.config.per_chat or chat_id is None:
            return None, 0.0
        private = chat_type == "private"
        window = self._chats.get(chat_id)
        if window is None:
            window = self._chats[chat_id] = _Window(1.0 if private else 60.0)
        if private:
            return window, self.config.private_per_second
        return window, self.config.group_per_minute
