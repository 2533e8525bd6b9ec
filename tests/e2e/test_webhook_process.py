"""Webhook mode, against ``awardbot run`` as a real process: it refuses to run without a
secret; a request without the right secret is refused before its body is read; bodies are
capped; a malformed body is a 400; a good update is answered through the emulator."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil
import pytest

from awardbot.db.engine import SessionFactory
from awardbot.db.models import ReceivedUpdate
from awardbot.emulator import BotApiEmulator
from awardbot.emulator.webhook import SECRET_HEADER
from tests.e2e.conftest import TOKEN
from tests.factories import NOW, add_staff, add_unit

SECRET = "hook-secret_0123456789"
AUDIT_KEY = "webhook-process-audit-key-" + "0" * 32
HUGE = 90 * 1024 * 1024  # what the outside round sent, four at once
START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(tmp_path: Path, emulator: BotApiEmulator, db_url: str, port: int,
            secret: str | None) -> Path:
    secret_line = f'webhook_secret = "{secret}"\n' if secret else ""
    path = tmp_path / "config.toml"
    path.write_text(
        "[telegram]\n"
        f'token = "{TOKEN}"\n'
        f'api_base_url = "{emulator.base_url}"\n'
        f'file_base_url = "{emulator.file_base_url}"\n'
        'mode = "webhook"\n'
        f'webhook_url = "http://127.0.0.1:{port}/telegram"\n'
        'webhook_listen = "127.0.0.1"\n'
        f"webhook_port = {port}\n" + secret_line +
        f'[database]\nurl = "{db_url}"\n'
        f'[storage]\nevidence_dir = "{tmp_path / "evidence"}"\n'
        f'[audit]\nkey = "{AUDIT_KEY}"\ncheckpoint_file = "{tmp_path / "checkpoints.jsonl"}"\n',
        encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("AWARDBOT__")}


@dataclass
class Running:
    emulator: BotApiEmulator
    sessions: SessionFactory
    process: asyncio.subprocess.Process
    url: str
    log: Path

    def rss(self) -> int:
        return int(psutil.Process(self.process.pid).memory_info().rss)

    def alive(self) -> bool:
        return self.process.returncode is None


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN, bot_username="awardbot_test_bot") as emu:
        yield emu


@pytest.fixture
async def running(emulator: BotApiEmulator, db_url: str, sessions: SessionFactory,
                  tmp_path: Path) -> AsyncIterator[Running]:
    unit = await add_unit(sessions, "W01", "不动产登记窗口")
    await add_staff(sessions, "S002", "李四", unit, telegram_user_id=7002)
    await add_staff(sessions, "A01", "王五", unit, roles=("admin",), telegram_user_id=7003)
    port = _free_port()
    config = _config(tmp_path, emulator, db_url, port, SECRET)
    log = tmp_path / "bot.log"
    with log.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "awardbot", "--config", str(config), "run",
            cwd=tmp_path, env=_env(), stdout=err, stderr=err)
    deadline = time.monotonic() + START_TIMEOUT
    while emulator.state.webhook.config is None:  # set once the server listens
        assert process.returncode is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
        await asyncio.sleep(0.05)
    assert emulator.state.webhook.config.secret_token == SECRET
    running = Running(emulator, sessions, process, f"http://127.0.0.1:{port}/telegram", log)
    try:
        yield running
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 60)


def _forged(update_id: int, text: str = "/rounds") -> dict[str, object]:
    """What the outside round POSTed: the admin's id and an admin command."""
    person = {"id": 7003, "is_bot": False, "first_name": "王五"}
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": int(NOW.timestamp()), "text": text, "from": person,
        "chat": {"id": 7003, "type": "private", "first_name": "王五"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


async def _recorded(sessions: SessionFactory, update_id: int) -> bool:
    async with sessions() as session:
        return await session.get(ReceivedUpdate, update_id) is not None


async def test_webhook_mode_refuses_to_start_without_a_secret(
    emulator: BotApiEmulator, db_url: str, tmp_path: Path
) -> None:
    config = _config(tmp_path, emulator, db_url, _free_port(), None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "awardbot", "--config", str(config), "run", cwd=tmp_path,
        env=_env(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "telegram.webhook_secret: required" in lines[0], lines
    assert emulator.state.webhook.config is None


async def _post_stream(url: str, size: int, headers: dict[str, str]) -> tuple[int | None, int]:
    """POST ``size`` bytes as a stream; the status (None: the server hung up) and how many
    bytes the server let us send."""
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        chunk = b"[" * (1024 * 1024)
        while sent < size:
            sent += len(chunk)
            yield chunk

    try:
        async with aiohttp.ClientSession() as client, client.post(
            url, data=body(), headers=headers, timeout=aiohttp.ClientTimeout(total=60)
        ) as response:
            return response.status, sent
    except aiohttp.ClientError:
        return None, sent


async def test_no_secret_no_hearing_and_no_buffering(running: Running) -> None:
    async with aiohttp.ClientSession() as client:
        for headers in ({}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: SECRET + "x"}):
            async with client.post(running.url, json=_forged(900001),
                                   headers=headers) as response:
                assert response.status == 403
    before = running.rss()
    results = await asyncio.gather(*(
        _post_stream(running.url, HUGE, {SECRET_HEADER: "wrong"}) for _ in range(4)))
    for status, sent in results:
        assert status in (403, None)
        assert sent < HUGE // 4, "the server kept reading a refused body"
    # With the secret, a body over the cap: a declared length is refused at once, an
    # undeclared one once the cap is passed.
    status, sent = await _post_stream(running.url, HUGE, {
        SECRET_HEADER: SECRET, "Content-Length": str(HUGE)})
    assert status in (413, None) and sent < HUGE // 4
    status, sent = await _post_stream(running.url, HUGE, {SECRET_HEADER: SECRET})
    assert status in (413, None) and sent < HUGE // 4
    assert running.rss() - before < 30 * 1024 * 1024
    assert running.alive()

    # The process still answers real updates — and never took the forged one.
    person = running.emulator.person(7002, "李四")
    reply = await person.ask_text("/cancel", timeout=30)
    assert reply.text == "当前没有进行中的操作。"
    assert not await _recorded(running.sessions, 900001)  # never queued, never handled


BAD_BODIES = [
    pytest.param(b"{not json", id="malformed JSON"),
    pytest.param(b'\xff\xfe{"update_id": 1}', id="invalid UTF-8"),
    pytest.param(b"[" * 200_000 + b"]" * 200_000, id="absurd nesting"),
    pytest.param(('{"update_id": 2, "message": ' + '{"a": ' * 60 + "1" + "}" * 61).encode(),
                 id="deep object"),
    pytest.param(b"[1, 2, 3]", id="not an object"),
    pytest.param(b'"update"', id="a string"),
    pytest.param(b'{"update_id": "three"}', id="no update id"),
    pytest.param(b'{"update_id": 4, "message": "hello"}', id="not an update"),
]


async def test_with_the_secret_a_bad_body_is_a_400_and_a_good_one_is_answered(
    running: Running,
) -> None:
    async with aiohttp.ClientSession() as client:
        for param in BAD_BODIES:
            body = param.values[0]
            async with client.post(running.url, data=body, headers={
                    SECRET_HEADER: SECRET, "Content-Type": "application/json"}) as response:
                assert response.status == 400, (param.id, await response.text())
    assert running.alive()
    person = running.emulator.person(7002, "李四")
    reply = await person.ask_text("/cancel", timeout=30)
    assert reply.text == "当前没有进行中的操作。"
    config = running.emulator.state.webhook.config
    assert config is not None and config.failures == 0  # every delivery was taken at once
    assert config.allowed_updates is not None and "callback_query" in config.allowed_updates
