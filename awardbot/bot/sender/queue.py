"""Claimed messages waiting for their turn, best first: lowest priority number, then oldest."""

from __future__ import annotations

import asyncio
import heapq

from awardbot.workflow.delivery import Claimed


class ClaimQueue:
    def __init__(self) -> None:
        self._heap: list[tuple[int, float, int, Claimed]] = []
        self.changed = asyncio.Event()  # set on every push, and by whoever wants a waiter up

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, claimed: Claimed) -> None:
        key = (claimed.priority, claimed.created_at.timestamp(), claimed.id, claimed)
        heapq.heappush(self._heap, key)
        self.changed.set()

    def pop(self) -> Claimed:
        return heapq.heappop(self._heap)[-1]

    def drain(self) -> list[Claimed]:
        taken = [item[-1] for item in self._heap]
        self._heap.clear()
        return taken

    async def wait(self, halt: asyncio.Event) -> bool:
        """Until something is queued (True) or ``halt`` is set (False)."""
        while not self._heap and not halt.is_set():
            self.changed.clear()
            await self.changed.wait()
        return not halt.is_set()
