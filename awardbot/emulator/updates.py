"""The bot's update queue: getUpdates with offsets and long polling."""

from __future__ import annotations

import time
from collections import deque

from awardbot.emulator.errors import conflict
from awardbot.emulator.models import JSON, Pulse

# What Telegram sends when allowed_updates was never given.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """Unconfirmed updates, oldest first, as the Bot API keeps them for one bot."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[JSON] = []
        self.recent: deque[JSON] = deque(maxlen=1000)  # for tests that redeliver one
        self._next_id = first_update_id
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        self._closed = False
        self.pulse = Pulse()  # fires on new updates
        self.last_confirmed_at = time.monotonic()
        self.polls_waiting = 0  # getUpdates calls holding the line for an update now

    @property
    def pending(self) -> list[JSON]:
        return list(self._pending)

    def push(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self.recent.append(update)
        self.pulse.fire()
        return update

    def redeliver(self, update: JSON) -> None:
        """Queue an update again with its original id, as the Bot API sometimes does."""
        self._pending.append(dict(update))
        self.pulse.fire()

    def set_allowed(self, allowed: list[str] | None) -> None:
        if allowed is not None:
            self._allowed = frozenset(allowed)

    def confirm(self, offset: int | None) -> None:
        """Forget updates older than ``offset``; a negative offset keeps the last -offset."""
        if not offset:
            return
        before = len(self._pending)
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        if len(self._pending) != before:
            self.last_confirmed_at = time.monotonic()

    def confirm_one(self, update_id: int) -> None:
        self._pending = [u for u in self._pending if u["update_id"] != update_id]
        self.last_confirmed_at = time.monotonic()

    def drop_all(self) -> None:
        self._pending.clear()
        self.last_confirmed_at = time.monotonic()

    def _deliverable(self, limit: int) -> list[JSON]:
        self._pending = [u for u in self._pending if self._is_allowed(u)]
        return self._pending[:limit]

    def _is_allowed(self, update: JSON) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed:
            return kind in self._allowed
        return kind not in DEFAULT_EXCLUDED

    def deliverable_now(self) -> list[JSON]:
        return self._deliverable(len(self._pending))

    async def get_updates(
        self, offset: int | None, limit: int, poll_seconds: float, allowed: list[str] | None
    ) -> list[JSON]:
        """getUpdates: confirm by offset, then answer at once or when an update arrives."""
        self._poll_generation += 1
        generation = self._poll_generation
        self.pulse.fire()  # a poll still waiting is now superseded
        self.confirm(offset)
        self.set_allowed(allowed)
        limit = min(max(limit, 1), 100)
        deadline = time.monotonic() + max(poll_seconds, 0.0)
        while not self._closed:
            updates = self._deliverable(limit)
            if updates:
                return updates
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self.polls_waiting += 1
            try:
                await self.pulse.wait(remaining)
            finally:
                self.polls_waiting -= 1
            if generation != self._poll_generation:
                raise conflict(
                    "terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )
        return []

    def interrupt_polls(self) -> None:
        """Make a running long poll answer 409, as a competing getUpdates would."""
        self._poll_generation += 1
        self.pulse.fire()

    def close(self) -> None:
        """Let running long polls answer at once, with nothing."""
        self._closed = True
        self.pulse.fire()
