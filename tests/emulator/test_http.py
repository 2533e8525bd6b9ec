"""The wire protocol itself: encodings, error shapes, long polling, webhooks."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from awardbot.emulator import BotApiEmulator
from tests.emulator.conftest import TOKEN, StartBot


@pytest.fixture
async def http(emu: BotApiEmulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{TOKEN}/", timeout=60) as client:
        yield client


async def test_error_shapes(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    unknown = await http.post("noSuchMethod")
    assert (unknown.status_code, unknown.json()) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})  # fmt: skip
    async with httpx.AsyncClient() as raw:
        wrong = await raw.post(f"{emu.base_url}999:wrong/getMe")
    assert (wrong.status_code, wrong.json()) == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})  # fmt: skip
    emu.faults.fail_next("sendMessage", retry_after=5)
    limited = await http.post("sendMessage", json={"chat_id": 1, "text": "x"})
    assert limited.json() == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }  # fmt: skip


async def test_json_form_and_multipart_bodies(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    alice = emu.person(1, "Alice")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    as_json = await http.post(
        "sendMessage", json={"chat_id": 1, "text": "j", "reply_markup": markup}
    )
    as_form = await http.post(
        "sendMessage", data={"chat_id": "1", "text": "f", "reply_markup": json.dumps(markup)}
    )
    as_multipart = await http.post(
        "sendDocument", data={"chat_id": "1", "caption": "m"},
        files={"document": ("a.csv", b"x,y", "text/csv")},
    )  # fmt: skip
    assert all(r.json()["ok"] for r in (as_json, as_form, as_multipart))
    assert as_form.json()["result"]["reply_markup"] == markup
    assert [e.buttons for e in alice.chat[:2]] == [[["Go"]], [["Go"]]]
    document = as_multipart.json()["result"]["document"]
    assert (document["file_name"], document["mime_type"]) == ("a.csv", "text/csv")
    path = (await http.post("getFile", json={"file_id": document["file_id"]})).json()["result"]
    async with httpx.AsyncClient() as raw:
        body = await raw.get(f"{emu.file_base_url}{TOKEN}/{path['file_path']}")
    assert body.content == b"x,y"


async def test_long_poll_returns_when_an_update_arrives(
    emu: BotApiEmulator, http: httpx.AsyncClient
) -> None:
    alice = emu.person(1, "Alice")
    started = time.monotonic()
    poll = asyncio.create_task(http.post("getUpdates", json={"timeout": 30}))
    await alice.wait_until(lambda: emu.state.updates.polls_waiting == 1, what="the long poll")
    await alice.send_text("hi")
    updates = (await poll).json()["result"]
    assert time.monotonic() - started < 20  # answered on arrival, not at its timeout
    assert updates[0]["message"]["text"] == "hi"
    await alice.send_text("again")
    next_id = updates[0]["update_id"] + 1
    again = (await http.post("getUpdates", json={"offset": next_id})).json()["result"]
    assert [u["message"]["text"] for u in again] == ["again"]
    empty = (await http.post("getUpdates", json={"offset": next_id + 1, "timeout": 0})).json()
    assert empty == {"ok": True, "result": []}
    assert emu.state.updates.pending == []


async def test_competing_poll_gets_409(emu: BotApiEmulator, http: httpx.AsyncClient) -> None:
    first = asyncio.create_task(http.post("getUpdates", json={"timeout": 20}))
    await emu.person(1).wait_until(lambda: emu.state.updates.polls_waiting == 1,
                                   what="the first long poll")
    await http.post("getUpdates", json={"timeout": 0})
    assert (await first).status_code == 409


async def test_webhook_delivery_with_secret_and_retry(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    received: list[tuple[str | None, dict]] = []
    arrived = asyncio.Event()

    async def receive(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        if len(received) == 1:
            return web.Response(status=500)  # the emulator must retry
        arrived.set()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        bot = (await start_bot(poll=False)).bot
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        async with httpx.AsyncClient() as raw:
            conflict = await raw.post(f"{emu.base_url}{TOKEN}/getUpdates")
        assert conflict.status_code == 409
        await emu.person(1, "Alice").send_text("via webhook")
        await asyncio.wait_for(arrived.wait(), 3)
        assert [secret for secret, _ in received] == ["s3cret", "s3cret"]
        assert received[0][1] == received[1][1]
        assert received[1][1]["message"]["text"] == "via webhook"
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0
        assert "500" in (info.last_error_message or "")
        await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
    finally:
        await runner.cleanup()
