"""How the bot talks HTTP to the Bot API: python-telegram-bot's request interface on aiohttp.

python-telegram-bot ships an httpx transport. Measured under load (BENCHMARKS.md), httpx
spent about two fifths of the bot's CPU on its own bookkeeping; aiohttp sends the same
request for a fraction of that, which is what keeps answers quick when many people press
at once. The library documents ``BaseRequest`` as the place to plug in another client.

Timeouts follow python-telegram-bot's meaning: ``connect`` to open a connection, ``pool``
to wait for a free one, ``read`` for the answer, ``write`` for sending the request (longer
when it carries a file). aiohttp has no separate write phase, so a request's overall
limit is the sum of the finite ones.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram._utils.types import ODVInput  # the signature BaseRequest declares
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class RequestNotSent(NetworkError):
    """No connection could be made (refused, unreachable, or none free in time): the
    request certainly did not reach the server, so sending it again is always safe."""


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a bounded pool of keep-alive connections."""

    __slots__ = ("_defaults", "_media_write_timeout", "_pool_size", "_session")

    def __init__(
        self,
        *,
        pool_size: int = 256,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = pool_size
        self._defaults = {"connect": connect_timeout, "read": read_timeout,
                          "write": write_timeout, "pool": pool_timeout}
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._defaults["read"]

    async def initialize(self) -> None:
        # Created here rather than in __init__: the session belongs to the running loop.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

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
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data is not None else None
        write_default = self._media_write_timeout if files else self._defaults["write"]
        connect = self._given(connect_timeout, self._defaults["connect"])
        pool = self._given(pool_timeout, self._defaults["pool"])
        read = self._given(read_timeout, self._defaults["read"])
        write = self._given(write_timeout, write_default)
        timeout = aiohttp.ClientTimeout(
            total=_sum_if_finite(connect, pool, read, write),
            connect=_sum_if_finite(connect, pool), sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
            raise RequestNotSent(f"aiohttp.{type(error).__name__}: {error}") from error
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    @staticmethod
    def _given(value: ODVInput[float], default: float | None) -> float | None:
        return default if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]


def _sum_if_finite(*limits: float | None) -> float | None:
    return None if any(limit is None for limit in limits) else sum(
        limit for limit in limits if limit is not None)


def _body(request_data: RequestData | None, files: dict[str, Any] | None
          ) -> aiohttp.FormData | aiohttp.BytesPayload | None:
    """Parameters as one JSON object (cheaper to build than a url-encoded form of Chinese
    text); with files, multipart with each file as its own part."""
    if request_data is None:
        return None
    if not files:
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        return aiohttp.BytesPayload(body, content_type="application/json")
    # File names as they are (UTF-8, as browsers and httpx send them): aiohttp's default
    # percent-encodes them, and a 公示-….pdf would reach people as %E5%85%AC….pdf.
    form = aiohttp.FormData(request_data.json_parameters, quote_fields=False)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
