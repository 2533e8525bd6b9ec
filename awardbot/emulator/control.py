"""A small JSON control surface under /_emulator/ for demos and the command line.

Tests use the Python client directly; this lets a person at a terminal (curl) or another
process act as a user, read chats and switch faults or limits on a running emulator.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from aiohttp import web

from awardbot.emulator.errors import EmulatorUsageError
from awardbot.emulator.faults import FaultInjector
from awardbot.emulator.limits import RateLimiter
from awardbot.emulator.routes import json_response


class Emulated(Protocol):
    """What the control surface needs of the emulator (the server is one)."""

    @property
    def faults(self) -> FaultInjector: ...

    @property
    def rate_limit(self) -> RateLimiter: ...

    def stats_snapshot(self) -> dict[str, Any]: ...

    def person(self, user_id: int, first_name: str = ..., *, username: str | None = ...,
               last_name: str | None = ..., language_code: str | None = ...) -> Any: ...

    def party(self, chat_id: int) -> Any: ...


class ControlRoutes:
    def __init__(self, emulator: Emulated) -> None:
        self.emulator = emulator

    def add_to(self, app: web.Application) -> None:
        router = app.router
        router.add_get("/_emulator/stats", self.stats)
        router.add_post("/_emulator/people", self.add_person)
        router.add_post("/_emulator/people/{user_id}/send", self.send)
        router.add_post("/_emulator/people/{user_id}/press", self.press)
        router.add_get("/_emulator/chats/{chat_id}", self.chat)
        router.add_post("/_emulator/faults", self.faults)
        router.add_post("/_emulator/rate_limit", self.rate_limit)

    async def stats(self, request: web.Request) -> web.Response:
        return json_response(self.emulator.stats_snapshot())

    async def add_person(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        person = self.emulator.person(
            int(body["user_id"]), body.get("first_name", "Test"),
            username=body.get("username"), language_code=body.get("language_code", "zh-hans"),
        )  # fmt: skip
        return json_response({"user_id": person.user_id, "first_name": person.first_name})

    async def send(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await request.json()
        entry = await person.send_text(str(body["text"]))
        return json_response({"message_id": entry.message_id})

    async def press(self, request: web.Request) -> web.Response:
        person = self._person(request)
        body = await request.json()
        try:
            query_id = await person.press(str(body["label"]))
        except EmulatorUsageError as exc:
            return json_response({"error": str(exc)}, 400)
        return json_response({"callback_query_id": query_id})

    async def chat(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        party = self.emulator.party(chat_id)
        if party is None:
            return json_response({"error": "no such chat"}, 404)
        messages = [
            {k: v for k, v in dataclasses.asdict(e).items() if k != "raw"} for e in party.chat
        ]
        return json_response({"transcript": party.transcript(), "messages": messages})

    async def faults(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        if not body:
            self.emulator.faults.clear()
        else:
            for key in ("retry_after", "delay", "server_error_codes"):
                if isinstance(body.get(key), list):
                    body[key] = tuple(body[key])
            self.emulator.faults.configure(**body)
        return json_response(dataclasses.asdict(self.emulator.faults.config), 200)

    async def rate_limit(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        self.emulator.rate_limit.configure(**body)
        return json_response(dataclasses.asdict(self.emulator.rate_limit.config))

    def _person(self, request: web.Request) -> Any:
        user_id = int(request.match_info["user_id"])
        return self.emulator.person(user_id, f"User {user_id}")
