"""The Bot API transport on aiohttp: bodies as the Bot API reads them, failures as
python-telegram-bot's errors."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from awardbot.bot.http import AiohttpRequest

SEEN: list[tuple[str, bytes]] = []


async def _echo(request: web.Request) -> web.Response:
    SEEN.append((request.content_type, await request.read()))
    return web.json_response({"ok": True, "result": True})


async def _slow(_request: web.Request) -> web.Response:
    await asyncio.sleep(2)
    return web.json_response({"ok": True, "result": True})


@pytest.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/echo", _echo)
    app.router.add_post("/slow", _slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    SEEN.clear()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(read_timeout=0.3)
    await request.initialize()
    yield request
    await request.shutdown()


def _data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_parameters_go_as_one_json_object(server: str, request_: AiohttpRequest) -> None:
    markup = {"inline_keyboard": [[{"text": "提交", "callback_data": "ap:1"}]]}
    status, _ = await request_.do_request(f"{server}/echo", "POST",
                                          _data(chat_id=7, text="申报已提交", reply_markup=markup))
    assert status == 200
    content_type, body = SEEN[0]
    assert content_type == "application/json"
    assert json.loads(body) == {"chat_id": 7, "text": "申报已提交", "reply_markup": markup}


async def test_files_go_as_multipart_parts(server: str, request_: AiohttpRequest) -> None:
    document = InputFile(b"%PDF-1.4 form", filename="SN-0001.docx", attach=True)
    await request_.do_request(f"{server}/echo", "POST",
                              _data(chat_id=7, caption="申报表", document=document))
    content_type, body = SEEN[0]
    assert content_type == "multipart/form-data"
    assert b"%PDF-1.4 form" in body and b'filename="SN-0001.docx"' in body
    assert "申报表".encode() in body


async def test_a_slow_answer_is_a_timeout(server: str, request_: AiohttpRequest) -> None:
    with pytest.raises(TimedOut):
        await request_.do_request(f"{server}/slow", "POST", _data(chat_id=7))


async def test_nobody_listening_is_a_network_error(request_: AiohttpRequest) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError):
        await request_.do_request(f"http://127.0.0.1:{port}/echo", "POST", _data(chat_id=7))


async def test_unusable_before_initialize_and_after_shutdown() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:1/", "POST")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:1/", "POST")
