"""How one delivery attempt ended, and what Telegram's errors mean for the message."""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from awardbot.db.engine import SessionFactory
from awardbot.workflow import delivery
from awardbot.workflow.delivery import Claimed

log = logging.getLogger(__name__)
Kind = Literal["sent", "retry", "failed", "blocked"]


@dataclass(frozen=True)
class SendOutcome:
    kind: Kind
    message_id: int | None = None
    delay_s: float = 0.0
    error: str | None = None
    count_attempt: bool = True  # False: a 429 or a migration is not the message's fault
    parts_done: int = 0


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(seconds, 0.0)


def backoff_s(attempts: int, *, base_s: float, cap_s: float) -> float:
    """1, 2, 4 … × base after the 1st, 2nd, 3rd … failed attempt, at most ``cap_s``."""
    return min(base_s * 2 ** max(attempts - 1, 0), cap_s)


def describe(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"


def after_error(
    exc: Exception, *, attempts: int, max_attempts: int, parts_done: int,
    base_s: float, cap_s: float,
) -> SendOutcome:  # fmt: skip
    """The outcome of an error other than a 429 or a migrated group.

    403: the person blocked the bot (or the bot left the group). 400: the request can
    never succeed (chat not found, bad file id …). Anything else (network errors,
    timeouts, 5xx) is worth trying again, with growing pauses, ``max_attempts`` times.
    """
    reason = describe(exc)
    if isinstance(exc, Forbidden):
        return SendOutcome("blocked", error=reason, parts_done=parts_done)
    if isinstance(exc, BadRequest):  # before NetworkError: BadRequest is a subclass
        return SendOutcome("failed", error=reason, parts_done=parts_done)
    if attempts >= max_attempts:
        return SendOutcome(
            "failed", error=f"gave up after {attempts} attempts: {reason}", parts_done=parts_done
        )
    delay = backoff_s(attempts, base_s=base_s, cap_s=cap_s)
    return SendOutcome("retry", delay_s=delay, error=reason, parts_done=parts_done)


async def record_outcome(
    sessions: SessionFactory, claimed: Claimed, outcome: SendOutcome, *, now: datetime
) -> None:
    """Write the outcome, trying a few times: a lost write means a possible duplicate."""
    for attempt in range(4):
        try:
            await write_outcome(sessions, claimed, outcome, now=now)
            return
        except Exception as exc:
            log.warning("sender: recording message %d failed: %s", claimed.id, exc)
            await asyncio.sleep(0.2 * 2**attempt)
    log.error("sender: message %d stays 'sending'; resumed at next start", claimed.id)


async def write_outcome(
    sessions: SessionFactory, claimed: Claimed, outcome: SendOutcome, *, now: datetime
) -> None:
    """Record how the delivery ended, in the message's row."""
    if outcome.kind == "sent":
        await delivery.mark_sent(sessions, claimed.id, message_id=outcome.message_id, now=now)
    elif outcome.kind == "retry":
        await delivery.mark_retry(
            sessions, claimed.id, not_before=now + timedelta(seconds=outcome.delay_s),
            error=outcome.error, count_attempt=outcome.count_attempt,
            parts_done=outcome.parts_done or None,
        )  # fmt: skip
    elif outcome.kind == "blocked":
        await delivery.mark_blocked(
            sessions, claimed.id, staff_id=claimed.staff_id, now=now,
            reason=outcome.error or delivery.BLOCKED_REASON,
        )  # fmt: skip
    else:
        await delivery.mark_failed(sessions, claimed.id, reason=outcome.error or "failed")
