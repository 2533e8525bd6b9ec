"""The HTTP surface: /bot<token>/<method> and /file/bot<token>/<path>."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from aiohttp import web

from awardbot.emulator.api_bot import BOT_METHODS
from awardbot.emulator.api_media import MEDIA_METHODS
from awardbot.emulator.api_messages import MESSAGE_METHODS, Handler
from awardbot.emulator.errors import NOT_FOUND, UNAUTHORIZED, ApiError, too_many_requests
from awardbot.emulator.faults import Fault
from awardbot.emulator.limits import counts_as_message
from awardbot.emulator.params import Params, read_params
from awardbot.emulator.state import EmulatorState

log = logging.getLogger(__name__)
TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
METHODS: dict[str, Handler] = {**BOT_METHODS, **MESSAGE_METHODS, **MEDIA_METHODS}
_BY_LOWER = {name.lower(): name for name in METHODS}
DOWNLOAD = "downloadFile"  # file downloads, in stats and fault ``methods`` (delay only)
_SERVER_ERRORS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


class _ConnectionDroppedError(Exception):
    """The connection was closed on purpose; nothing may be written."""


def json_response(body: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(body, ensure_ascii=False, default=_jsonable).encode(),
        status=status,
        content_type="application/json",
    )


def _jsonable(value: object) -> object:
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)


class BotApiRoutes:
    def __init__(self, state: EmulatorState, token: str | None) -> None:
        self.state = state
        self.token = token

    def add_to(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self.handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)

    def check_token(self, token: str) -> None:
        if not TOKEN.fullmatch(token):
            raise NOT_FOUND
        if self.token is not None and token != self.token:
            raise UNAUTHORIZED

    async def handle_method(self, request: web.Request) -> web.StreamResponse:
        name = _BY_LOWER.get(request.match_info["method"].lower(), request.match_info["method"])
        counted = name != "getUpdates"
        self.state.stats.requests[name] += 1
        if counted:
            self.state.activity.begin()
        try:
            result = await self._call(request, name)
            response = json_response({"ok": True, "result": result})
        except ApiError as error:
            response = json_response(error.to_api(), error.code)
        except _ConnectionDroppedError:
            self.state.stats.statuses[0] += 1
            raise
        finally:
            if counted:
                self.state.activity.end()
        self.state.stats.statuses[response.status] += 1
        return response

    async def _call(self, request: web.Request, name: str) -> Any:
        self.check_token(request.match_info["token"])
        handler = METHODS.get(name)
        if handler is None:
            raise NOT_FOUND
        params = await read_params(request)
        faults = self.state.faults
        delay = faults.delay(name)
        if delay > 0:
            await asyncio.sleep(delay)
        fault = faults.decide(name)
        if fault is not None and fault.kind != "drop_after":
            self._misbehave(request, fault)
        if counts_as_message(name):
            self._check_rate(name, params)
        result = await handler(self.state, params)
        if fault is not None:
            self._misbehave(request, fault)
        return result

    def _misbehave(self, request: web.Request, fault: Fault) -> None:
        if fault.kind == "429":
            raise too_many_requests(fault.retry_after)
        if fault.kind == "5xx":
            raise ApiError(fault.status, _SERVER_ERRORS.get(fault.status, "Server Error"))
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise _ConnectionDroppedError

    def _check_rate(self, name: str, params: Params) -> None:
        try:
            chat = self.state.peek_chat(params.chat_ref())
        except ApiError:
            return
        if chat is None:
            return
        count = 1
        if name == "sendMediaGroup":
            media = params.obj("media")
            count = len(media) if isinstance(media, list) else 1
        self.state.limits.check(chat.id, chat.type, count)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        try:
            self.check_token(request.match_info["token"])
        except ApiError as error:
            return json_response(error.to_api(), error.code)
        self.state.stats.requests[DOWNLOAD] += 1
        faults = self.state.faults
        if DOWNLOAD in (faults.config.methods or ()):  # only when asked for by name
            await asyncio.sleep(faults.delay(DOWNLOAD))
        stored = self.state.files.by_path(request.match_info["path"])
        if stored is None:
            return json_response(NOT_FOUND.to_api(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )


@web.middleware
async def swallow_dropped(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn a deliberately dropped connection into a quiet, empty end of the handler."""
    try:
        response: web.StreamResponse = await handler(request)
    except _ConnectionDroppedError:
        response = web.Response(status=499)
        response.force_close()
    return response
