"""An update that finishes while the previous marks are being written is marked too,
without waiting for another update to come along (else a crash replays it)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime
from typing import Any

import pytest
from telegram import Update

from awardbot.bot import inbox as inbox_module
from awardbot.bot.inbox import DurableUpdateQueue
from tests.factories import NOW


async def test_an_update_finished_during_a_write_is_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    marked: list[list[int]] = []
    writing, release, second = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def finish(_sessions: Any, ids: Collection[int], *, now: datetime) -> None:
        marked.append(sorted(ids))
        if len(marked) == 2:
            second.set()
        if len(marked) == 1:  # the first write is slow
            writing.set()
            await release.wait()

    monkeypatch.setattr(inbox_module.updates, "finish", finish)
    queue = DurableUpdateQueue(None, lambda: NOW)  # type: ignore[arg-type]
    await queue.finished(Update(1))
    await asyncio.wait_for(writing.wait(), 10)
    await queue.finished(Update(2))  # finishes while update 1's mark is written
    release.set()
    await asyncio.wait_for(second.wait(), 10)
    assert marked == [[1], [2]]
