"""Answers to people survive one Bot API hiccup: the bot's own calls retry, boundedly.

A handler's reply (``context.bot.send_message`` …) used to fail on the first 429 or 5xx,
and the person got the generic error instead of the answer. Here each call is tried up to
:attr:`RetryPolicy.attempts` times:

- 429: wait the ``retry_after`` Telegram asks for, if it is at most
  :attr:`RetryPolicy.max_retry_after_s` (longer: give up at once; the sender's bulk
  traffic must not make a person wait a minute). Only this call waits, never the others.
- 500/502/503/504, and a connection that could not be made (:class:`RequestNotSent`):
  a short backoff, then again — the request was refused or never left.
- A request that was sent but whose answer never came (a read timeout, a connection lost
  mid-way) may well have taken effect. Sending a message again would double it, so only
  reads are repeated (``get…`` methods and file downloads); anything else raises
  :class:`~telegram.error.TimedOut` at once, which the error handler
  (``handlers/errors.py``) does not answer with a second message either. (A read that
  fails every time is a plain :class:`~telegram.error.NetworkError`: answered as usual.)

The sender does not use this: it has its own request, its own 429 handling and its own
record of attempts (``bot/sender.py``); wrapping it again would double its waits.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram._utils.types import ODVInput  # the signature BaseRequest declares
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from awardbot.bot.http import AiohttpRequest, RequestNotSent

log = logging.getLogger(__name__)
TRANSIENT = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff_s: tuple[float, ...] = (0.25, 0.75)
    max_retry_after_s: float = 10.0

    def backoff(self, attempt: int) -> float:
        return self.backoff_s[min(attempt, len(self.backoff_s)) - 1]


def _retry_after(body: bytes) -> float | None:
    try:
        parameters = json.loads(body).get("parameters") or {}
        value = parameters.get("retry_after")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def _repeatable(url: str, method: str) -> bool:
    """Reads may be sent twice; anything that changes a chat may not."""
    return method == "GET" or url.rsplit("/", 1)[-1].lower().startswith("get")


class RetryingRequest(AiohttpRequest):
    __slots__ = ("_policy", "_sleep")

    def __init__(self, *, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, **kw: Any) -> None:
        super().__init__(**kw)
        self._policy = policy or RetryPolicy()
        self._sleep = sleep

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        attempts = self._policy.attempts
        for attempt in range(1, attempts + 1):
            try:
                status, body = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout,
                    pool_timeout)
            except RequestNotSent:
                if attempt == attempts:
                    raise
                wait = self._policy.backoff(attempt)
            except NetworkError as error:  # sent, no answer: it may have taken effect
                if not _repeatable(url, method):
                    raise error if isinstance(error, TimedOut) else TimedOut(
                        f"no answer to {name}; it may have taken effect ({error})") from error
                if attempt == attempts:  # a read that keeps failing: a plain failure
                    raise NetworkError(f"no answer to {name} in {attempts} tries") from error
                wait = self._policy.backoff(attempt)
            else:
                found = self._wait_for(status, body, attempt)
                if found is None or attempt == attempts:
                    return status, body
                wait = found
            log.info("Bot API %s: trying again in %.2f s (attempt %d of %d)",
                     name, wait, attempt + 1, attempts)
            await self._sleep(wait)
        raise AssertionError("unreachable")

    def _wait_for(self, status: int, body: bytes, attempt: int) -> float | None:
        """How long to wait before trying again; None: this answer is final."""
        if status == 429:
            seconds = _retry_after(body)
            if seconds is None or seconds > self._policy.max_retry_after_s:
                return None
            return seconds
        if status in TRANSIENT:
            return self._policy.backoff(attempt)
        return None


def bot_requests(*, pool_size: int) -> tuple[AiohttpRequest, AiohttpRequest]:
    """The request for the bot's own calls (answers to people: they retry a hiccup) and
    the one for long polling (one connection; python-telegram-bot retries polling itself)."""
    return RetryingRequest(pool_size=pool_size), AiohttpRequest(pool_size=1)


def sender_request(*, pool_size: int = 64) -> AiohttpRequest:
    """The sender's own: no retries here, it handles 429s and failures itself."""
    return AiohttpRequest(pool_size=pool_size)
