"""The live progress message of each broadcast being sent, edited in place.

A repeating job (every few seconds: Telegram allows about one edit a second in a chat,
and a progress line changing faster helps nobody) reads each unfinished broadcast's
counts, estimates the time left from the rate observed over the last minute, and redraws
the admin's progress message when its text changed. Once nothing is left to send it
draws the totals and closes the broadcast (``done``, or ``cancelled`` after a cancel).

Everything it needs is in the database, so after a restart :func:`resume_progress` (in
``post_init``) picks up every unfinished broadcast where it stands; the sender, for its
part, resumes the undelivered rows. With several instances each may redraw; the edits
are the same and closing is one guarded UPDATE.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from awardbot.db.engine import SessionFactory
from awardbot.handlers.broadcast.render import card_text, markup
from awardbot.i18n.catalogue import Catalogue, pick_language
from awardbot.workflow.broadcast import send as broadcast_send
from awardbot.workflow.broadcast.model import SENDING
from awardbot.workflow.broadcast.report import progress_card
from awardbot.workflow.broadcast.send import Progress

log = logging.getLogger(__name__)
JOB_NAME = "awardbot-broadcast-progress"
PROGRESS_INTERVAL_S = 3.0
RATE_WINDOW_S = 60.0


class ProgressUpdater:
    def __init__(self, bot: Bot, sessions: SessionFactory, catalogue: Catalogue, *,
                 default_language: str, rate_window_s: float = RATE_WINDOW_S) -> None:
        self._bot, self._sessions, self._catalogue = bot, sessions, catalogue
        self._language, self._window = default_language, rate_window_s
        self._drawn: dict[int, str] = {}  # the text last drawn, per broadcast
        self._samples: dict[int, deque[tuple[float, int]]] = {}

    async def job(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.tick()

    async def tick(self) -> None:
        """Redraw every unfinished broadcast once; one failing does not stop the others."""
        for broadcast_id in await broadcast_send.unfinished(self._sessions):
            try:
                await self._update(broadcast_id)
            except Exception:
                log.exception("broadcast %d: progress update failed", broadcast_id)

    async def _update(self, broadcast_id: int) -> None:
        progress = await broadcast_send.snapshot(self._sessions, broadcast_id)
        if not progress.finished:
            await self._draw(progress, self._eta(progress), final=False)
            return
        # The totals first, then close: if the edit fails, the next tick tries again.
        if await self._draw(progress, None, final=True):
            await broadcast_send.finish(self._sessions, broadcast_id, progress.state)
            self._drawn.pop(broadcast_id, None)
            self._samples.pop(broadcast_id, None)

    def _eta(self, progress: Progress) -> float | None:
        """Seconds left at the rate seen over the last minute; None until it is known."""
        samples = self._samples.setdefault(progress.broadcast_id, deque())
        if progress.state != SENDING:
            samples.clear()  # a pause is not a slow rate
            return None
        now = time.monotonic()
        samples.append((now, progress.handled))
        while len(samples) > 2 and now - samples[0][0] > self._window:
            samples.popleft()
        (start, first), (end, last) = samples[0], samples[-1]
        if end <= start or last <= first:
            return None
        return progress.left / ((last - first) / (end - start))

    async def _draw(self, progress: Progress, eta_s: float | None, *, final: bool) -> bool:
        """Edit the progress message; True when it shows this text (or cannot be edited)."""
        if progress.chat_id is None or progress.message_id is None:
            return True
        lang = pick_language(progress.language, None, self._language)
        card = progress_card(progress, eta_s, final=final)
        text = card_text(self._catalogue, lang, card.text)
        if self._drawn.get(progress.broadcast_id) == text:
            return True
        try:
            await self._bot.edit_message_text(
                text, chat_id=progress.chat_id, message_id=progress.message_id,
                reply_markup=markup(self._catalogue, lang, card))
        except (BadRequest, Forbidden) as exc:
            if "not modified" not in str(exc).lower():  # deleted, blocked: stop trying
                log.warning("broadcast %d: cannot edit progress: %s", progress.broadcast_id, exc)
        except TelegramError as exc:  # 429, network: the next tick tries again
            log.info("broadcast %d: progress edit deferred: %s", progress.broadcast_id, exc)
            return False
        self._drawn[progress.broadcast_id] = text
        return True


def resume_progress(app: Application[Any, Any, Any, Any, Any, Any], *,
                    interval_s: float = PROGRESS_INTERVAL_S) -> ProgressUpdater:
    """Start the progress job (call from ``post_init``); it picks up every broadcast left
    unfinished by a stop or a crash, and every one confirmed later."""
    deps = app.bot_data.deps
    updater = ProgressUpdater(app.bot, deps.services.sessions, deps.catalogue,
                              default_language=deps.default_language)
    queue = app.job_queue
    assert queue is not None, "python-telegram-bot[job-queue] is a dependency"
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_repeating(updater.job, interval=interval_s, first=0.0, name=JOB_NAME,
                        job_kwargs={"max_instances": 1, "coalesce": True})
    return updater
