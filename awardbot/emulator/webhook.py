"""Webhook delivery: POST each update as JSON, in order, retrying until it is accepted."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass, field

import aiohttp

from awardbot.emulator.errors import bad_request
from awardbot.emulator.models import JSON
from awardbot.emulator.updates import UpdateQueue

_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    failures: int = 0
    retry_delays: tuple[float, ...] = field(default=(0.05, 0.1, 0.2, 0.5, 1.0))

    def info(self, pending: int) -> JSON:
        data: JSON = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
            "max_connections": self.max_connections,
        }
        if self.allowed_updates is not None:
            data["allowed_updates"] = self.allowed_updates
        if self.last_error_date:
            data["last_error_date"] = self.last_error_date
            data["last_error_message"] = self.last_error_message
        return data


def validate_secret(secret: str | None) -> None:
    if secret and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")


class WebhookDeliverer:
    """One background task per configured webhook; replaced when the webhook changes."""

    def __init__(self, queue: UpdateQueue) -> None:
        self.queue = queue
        self.config: WebhookConfig | None = None
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    async def set(self, config: WebhookConfig | None) -> None:
        await self.stop()
        self.config = config
        if config is not None:
            self.queue.set_allowed(config.allowed_updates)
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
            self._task = asyncio.create_task(self._run(config), name="emulator-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self, config: WebhookConfig) -> None:
        attempt = 0
        while True:
            pending = self.queue.deliverable_now()
            if not pending:
                await self.queue.pulse.wait(1.0)
                continue
            update = pending[0]
            if await self._post(config, update):
                attempt = 0
                config.delivered += 1
                self.queue.confirm_one(update["update_id"])
                continue
            config.failures += 1
            delay = config.retry_delays[min(attempt, len(config.retry_delays) - 1)]
            attempt += 1
            await asyncio.sleep(delay)

    async def _post(self, config: WebhookConfig, update: JSON) -> bool:
        assert self._session is not None
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        try:
            async with self._session.post(config.url, json=update, headers=headers) as resp:
                await resp.read()
                if 200 <= resp.status < 300:
                    return True
                error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection failed: {exc.__class__.__name__}"
        config.last_error_date = int(time.time())
        config.last_error_message = error
        return False
