"""The bot's own calls retry one Bot API hiccup, boundedly, and never resend a message
whose fate is unknown."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from awardbot.bot.http import AiohttpRequest, RequestNotSent
from awardbot.bot.http_retry import RetryingRequest, RetryPolicy

ANSWERS: list[tuple[int, dict[str, object]]] = []  # what the server says next, in order
CALLS: list[str] = []


async def _method(request: web.Request) -> web.Response:
    CALLS.append(request.match_info["method"])
    await request.read()
    if not ANSWERS:
        return web.json_response({"ok": True, "result": True})
    status, body = ANSWERS.pop(0)
    if status == 0:  # no answer in time
        await asyncio.sleep(2)
    return web.json_response(body, status=status or 200)


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/bot1:x/{method}", _method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    ANSWERS.clear()
    CALLS.clear()
    yield f"http://127.0.0.1:{port}/bot1:x"
    await runner.cleanup()


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
async def retrying() -> AsyncIterator[tuple[RetryingRequest, Sleeps]]:
    sleeps = Sleeps()
    request = RetryingRequest(read_timeout=0.3, sleep=sleeps,
                              policy=RetryPolicy(attempts=3, backoff_s=(0.25, 0.75),
                                                 max_retry_after_s=10))
    await request.initialize()
    yield request, sleeps
    await request.shutdown()


def too_many(seconds: int) -> tuple[int, dict[str, object]]:
    return 429, {"ok": False, "error_code": 429, "description": "Too Many Requests",
                 "parameters": {"retry_after": seconds}}


SERVER_ERROR = (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})


async def test_a_429_is_waited_out_once(server, retrying) -> None:
    request, sleeps = retrying
    ANSWERS.append(too_many(3))
    status, _ = await request.do_request(f"{server}/sendMessage", "POST")
    assert status == 200 and sleeps == [3.0] and CALLS == ["sendMessage"] * 2


async def test_a_long_429_is_not_waited_for(server, retrying) -> None:
    request, sleeps = retrying
    ANSWERS.append(too_many(30))
    status, _ = await request.do_request(f"{server}/sendMessage", "POST")
    assert status == 429 and sleeps == [] and len(CALLS) == 1


async def test_server_errors_back_off_then_succeed_or_give_up(server, retrying) -> None:
    request, sleeps = retrying
    ANSWERS.extend([SERVER_ERROR, SERVER_ERROR])
    assert (await request.do_request(f"{server}/sendMessage", "POST"))[0] == 200
    assert sleeps == [0.25, 0.75]
    ANSWERS.extend([SERVER_ERROR] * 4)
    CALLS.clear()
    assert (await request.do_request(f"{server}/sendMessage", "POST"))[0] == 500
    assert len(CALLS) == 3  # bounded


async def test_a_message_without_an_answer_is_not_sent_again(server, retrying) -> None:
    request, sleeps = retrying
    ANSWERS.append((0, {}))
    with pytest.raises(TimedOut):
        await request.do_request(f"{server}/sendMessage", "POST")
    assert CALLS == ["sendMessage"] and sleeps == []


async def test_a_read_without_an_answer_is_asked_again(server, retrying) -> None:
    request, _ = retrying
    ANSWERS.append((0, {}))
    status, _ = await request.do_request(f"{server}/getFile", "POST")
    assert status == 200 and CALLS == ["getFile", "getFile"]
    ANSWERS.extend([(0, {})] * 3)
    with pytest.raises(NetworkError) as failed:
        await request.do_request(f"{server}/getFile", "POST")
    assert not isinstance(failed.value, TimedOut)  # a plain failure: the person is told


async def test_a_refused_connection_is_tried_again_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps = Sleeps()
    request = RetryingRequest(sleep=sleeps)
    await request.initialize()
    try:
        with pytest.raises(RequestNotSent):
            await request.do_request(f"http://127.0.0.1:{port}/bot1:x/sendMessage", "POST")
    finally:
        await request.shutdown()
    assert sleeps == [0.25, 0.75]


async def test_the_plain_transport_does_not_retry(server) -> None:
    request = AiohttpRequest()
    await request.initialize()
    ANSWERS.append(SERVER_ERROR)
    try:
        assert (await request.do_request(f"{server}/sendMessage", "POST"))[0] == 500
    finally:
        await request.shutdown()
    assert len(CALLS) == 1
