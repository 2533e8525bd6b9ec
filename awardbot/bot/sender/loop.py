"""The sender: delivers the outbox under Telegram's limits, and records every delivery.

One loop claims due messages into a small local queue (a few dozen, best first); a
dispatcher takes a slot of the overall rate, then the best queued message, and hands it
to a delivery task (up to ``max_in_flight`` at once, each to a different chat). A chat
has at most one message in the pipeline, so per-chat spacing is kept by not claiming
for a chat that is busy or cooling down.

Wiring (``bot/app.py``): build in ``post_init`` and ``await sender.start()``; in
``post_shutdown`` ``await sender.stop()``; call ``sender.wake()`` after a transaction
that enqueued messages. Only one instance delivers (see ``sender_leader``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.error import ChatMigrated, RetryAfter

from awardbot.bot.sender.leader import Leadership
from awardbot.bot.sender.ledger import SentLedger
from awardbot.bot.sender.outcome import (
    SendOutcome,
    after_error,
    describe,
    record_outcome,
    retry_after_seconds,
)
from awardbot.bot.sender.pace import ChatPacer, FloodDetector, Pacer
from awardbot.bot.sender.queue import ClaimQueue
from awardbot.bot.sender.render import RenderError, render_parts, send_part
from awardbot.bot.settings import SenderSettings
from awardbot.db.engine import SessionFactory
from awardbot.i18n.catalogue import Catalogue, pick_language
from awardbot.workflow import delivery
from awardbot.workflow.delivery import Claimed

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
MAX_MIGRATIONS = 3


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SenderTuning:
    """Knobs that are not Telegram's limits; tests make them small."""

    max_in_flight: int = 16
    poll_interval_s: float = 1.0
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 300.0
    leader_retry_s: float = 3.0
    leader_check_s: float = 5.0
    burst_s: float = 0.01


class Sender:
    def __init__(
        self, bot: Bot, sessions: SessionFactory, catalogue: Catalogue,
        settings: SenderSettings, *, default_language: str, clock: Clock = utc_now,
        tuning: SenderTuning | None = None, leadership: Leadership | None = None,
        files: Callable[[str], bytes] | None = None,
    ) -> None:  # fmt: skip
        self._bot, self._sessions, self._catalogue = bot, sessions, catalogue
        self._files = files  # the bot's own files (certificates, notices) by hash
        self._settings, self._language, self._clock = settings, default_language, clock
        self._tuning = tuning = tuning or SenderTuning()
        self._pacer = Pacer(settings.messages_per_second, burst_s=tuning.burst_s)
        self._chats = ChatPacer(
            settings.private_chat_interval_s, settings.group_messages_per_minute
        )
        self._floods = FloodDetector()
        engine: AsyncEngine = sessions.kw["bind"]
        self._leader = leadership or Leadership(engine)
        self._queue = ClaimQueue()
        self._ledger = SentLedger(sessions)
        self._busy: set[int] = set()  # chats with a message queued or being sent
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(tuning.max_in_flight)
        self._kick = asyncio.Event()  # wake the claim loop
        self._woken = False  # wake() was called: claim even if the queue looks full
        self._stopping = asyncio.Event()
        self._halt = asyncio.Event()  # stop dispatching (stopping, or leadership lost)
        self._main: asyncio.Task[None] | None = None

    # the public surface -----------------------------------------------------------------
    @property
    def is_leader(self) -> bool:
        return self._leader.held

    async def start(self) -> None:
        if self._main is None:
            self._stopping.clear()
            self._main = asyncio.create_task(self._run(), name="awardbot-sender")

    async def stop(self) -> None:
        """Finish the messages being sent; leave the rest pending for the next start."""
        self._stopping.set()
        self._halt.set()
        self._queue.changed.set()
        self._kick.set()
        if self._main is not None:
            await self._main
            self._main = None

    def wake(self) -> None:
        """Something was enqueued: look now rather than at the next poll."""
        self._woken = True
        self._kick.set()

    # leadership and the claim loop ------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping.is_set():
            if not await self._leader.acquire():
                await self._rest(self._tuning.leader_retry_s)
                continue
            failed = False
            try:
                recovered = await delivery.recover_in_flight(self._sessions, now=self._clock())
                if recovered:
                    log.warning("sender: %d message(s) interrupted mid-send resumed", recovered)
                await self._lead()
            except Exception:
                log.exception("sender: delivery loop failed; starting over")
                failed = True
            finally:
                await self._leader.release()
            if failed:
                await self._rest(1.0)

    async def _rest(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _lead(self) -> None:
        self._halt.clear()
        self._ledger.reopen()
        ledger = asyncio.create_task(self._ledger.run(), name="awardbot-sender-ledger")
        dispatcher = asyncio.create_task(self._dispatch(), name="awardbot-sender-dispatch")
        next_check = time.monotonic() + self._tuning.leader_check_s
        try:
            while not self._stopping.is_set():
                full = await self._refill()
                if not (full and len(self._queue) < self._tuning.max_in_flight):
                    await self._idle()
                if time.monotonic() >= next_check:
                    if not await self._leader.check():
                        break
                    next_check = time.monotonic() + self._tuning.leader_check_s
        finally:
            await self._wind_down(dispatcher, ledger)

    async def _wind_down(self, dispatcher: asyncio.Task[None], ledger: asyncio.Task[None]) -> None:
        """Let the messages being sent finish and be recorded; hand the queued ones back."""
        self._halt.set()
        self._queue.changed.set()
        await asyncio.gather(dispatcher, return_exceptions=True)
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._ledger.close()
        await asyncio.gather(ledger, return_exceptions=True)
        left = self._queue.drain()
        self._busy.clear()
        await delivery.release(self._sessions, [claimed.id for claimed in left])

    async def _refill(self) -> bool:
        """Claim into the local queue; True if the claim was cut short by its limit."""
        high = 2 * self._tuning.max_in_flight
        woken, self._woken = self._woken, False
        if len(self._queue) >= self._tuning.max_in_flight and not woken:
            return False
        limit = max(high - len(self._queue), 4 if woken else 0)
        claimed = await delivery.claim_due(
            self._sessions, now=self._clock(), limit=limit,
            exclude_chats=self._busy | self._chats.cooling(),
        )  # fmt: skip
        for item in claimed:
            self._busy.add(item.chat_id)
            self._queue.push(item)
        return len(claimed) == limit

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._kick.wait(), self._tuning.poll_interval_s)
        self._kick.clear()

    # dispatching ----------------------------------------------------------------------
    async def _dispatch(self) -> None:
        while True:
            await self._slots.acquire()
            if not await self._queue.wait(self._halt) or not await self._until_halt(
                self._pacer.acquire(1)
            ):
                self._slots.release()
                return
            claimed = self._queue.pop()  # the best message at the moment its turn came
            if len(self._queue) < self._tuning.max_in_flight:
                self._kick.set()
            task = asyncio.create_task(self._deliver(claimed))
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()

    async def _until_halt(self, waiting: Awaitable[None]) -> bool:
        """Await ``waiting`` unless halted first (a long 429 pause must not delay stop)."""
        work = asyncio.ensure_future(waiting)
        halt = asyncio.ensure_future(self._halt.wait())
        await asyncio.wait({work, halt}, return_when=asyncio.FIRST_COMPLETED)
        halt.cancel()
        if work.done() and not self._halt.is_set():
            return True
        work.cancel()
        await asyncio.gather(work, return_exceptions=True)
        return False

    # delivering one message -----------------------------------------------------------
    async def _deliver(self, claimed: Claimed) -> None:
        chats = {claimed.chat_id}
        try:
            outcome = await self._attempt(claimed, chats)
        except Exception as exc:  # a bug of ours, not an answer from Telegram
            log.exception("sender: message %d: unexpected error", claimed.id)
            outcome = self._after_error(claimed, exc, claimed.parts_done)
        try:
            await self._record(claimed, outcome)
        finally:
            self._busy.difference_update(chats)

    async def _attempt(self, claimed: Claimed, chats: set[int]) -> SendOutcome:
        language = pick_language(claimed.language, None, self._language)
        try:
            parts = render_parts(self._catalogue, language, claimed.payload)
        except RenderError as exc:
            return SendOutcome("failed", error=f"cannot render: {exc}")
        chat_id, done, message_id = claimed.chat_id, claimed.parts_done, None
        tokens = parts[done].size - 1 if done < len(parts) else 0  # one came with the turn
        while done < len(parts):
            part = parts[done]
            await self._pacer.acquire(tokens)
            await self._chats.wait(chat_id)
            tokens = part.size
            try:
                message_id = await send_part(self._bot, chat_id, part, self._files)
            except ChatMigrated as exc:
                if len(chats) > MAX_MIGRATIONS:
                    return SendOutcome("failed", error=describe(exc), parts_done=done)
                await delivery.move_chat(self._sessions, chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
                chats.add(chat_id)
                self._busy.add(chat_id)
                continue
            except RetryAfter as exc:
                return self._after_429(chat_id, exc, done)
            except Exception as exc:
                self._floods.record(False)
                return self._after_error(claimed, exc, done)
            self._floods.record(False)
            self._chats.spent(chat_id, part.size)
            done += 1
        return SendOutcome("sent", message_id=message_id)

    def _after_429(self, chat_id: int, exc: RetryAfter, done: int) -> SendOutcome:
        seconds = retry_after_seconds(exc)
        self._chats.hold(chat_id, seconds)
        if self._floods.record(True):
            log.warning("sender: Telegram is limiting the bot; pausing %.0f s", seconds)
            self._pacer.pause(seconds)
        return SendOutcome(
            "retry", delay_s=seconds, error=describe(exc), count_attempt=False, parts_done=done
        )

    def _after_error(self, claimed: Claimed, exc: Exception, done: int) -> SendOutcome:
        return after_error(
            exc, attempts=claimed.attempts, max_attempts=self._settings.max_attempts,
            parts_done=done, base_s=self._tuning.backoff_base_s,
            cap_s=self._tuning.backoff_cap_s,
        )  # fmt: skip

    # recording ------------------------------------------------------------------------
    async def _record(self, claimed: Claimed, outcome: SendOutcome) -> None:
        if outcome.kind == "sent":
            self._ledger.add(claimed.id, outcome.message_id, self._clock())
        else:
            await record_outcome(self._sessions, claimed, outcome, now=self._clock())
