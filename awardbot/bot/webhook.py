"""Webhook mode: Telegram's updates served by our own aiohttp endpoint.

python-telegram-bot's built-in webhook server (tornado) reads a whole request before its
handler sees it. Here, as python-telegram-bot documents for custom webhook servers, the
endpoint hands each update to ``application.update_queue`` itself, and on the way:

- the secret header (``X-Telegram-Bot-Api-Secret-Token``) is compared, in constant time,
  **before** a byte of the body is read: 403 and the connection closed (the server does
  not linger to drain the rest);
- the body is capped (``telegram.webhook_max_body_bytes``): a declared length over it is
  refused at once, an undeclared one is read only up to the cap — 413;
- a body that is not UTF-8, not JSON, nested absurdly deep, not an object or not an update
  gets 400, never 500: Telegram retries a 500 for ever, a 400 it gives up on;
- 500 only when the update could not be recorded (``bot/inbox.py``): then Telegram's retry
  is exactly what is wanted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

from awardbot.bot.local import AnyApplication
from awardbot.bot.settings import TelegramSettings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram"
MAX_DEPTH = 32  # a real update nests about 8 deep
CHUNK = 64 * 1024


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def _too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


async def _read_capped(request: web.Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise Rejected(413, f"body of {request.content_length} bytes; the limit is {limit}")
    parts, size = [], 0
    while chunk := await request.content.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise Rejected(413, f"body over {limit} bytes")
        parts.append(chunk)
    return b"".join(parts)


def parse_update(body: bytes, bot: Bot) -> Update:
    """The update in a body, or :class:`Rejected` (400) saying why not."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8") from None
    except RecursionError:
        raise Rejected(400, "body is nested too deeply") from None
    except ValueError:
        raise Rejected(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise Rejected(400, "body is not a JSON object")
    if _too_deep(data):
        raise Rejected(400, "body is nested too deeply")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        raise Rejected(400, "update_id missing or not a whole number")
    try:
        return Update.de_json(data, bot)
    except Exception as exc:
        raise Rejected(400, f"not an update: {type(exc).__name__}") from None


class WebhookEndpoint:
    def __init__(self, put: Callable[[Update], Awaitable[None]], bot: Bot, secret: str,
                 max_body: int) -> None:
        self._put, self._bot = put, bot
        self._secret, self._max_body = secret.encode(), max_body

    async def handle(self, request: web.Request) -> web.Response:
        try:
            given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
            if not hmac.compare_digest(given, self._secret):
                raise Rejected(403, "wrong or missing secret token")
            update = parse_update(await _read_capped(request, self._max_body), self._bot)
        except Rejected as rejected:
            log.warning("webhook: %d from %s: %s", rejected.status, request.remote,
                        rejected.reason)
            response = web.Response(status=rejected.status, text=rejected.reason)
            response.force_close()
            return response
        try:
            await self._put(update)
        except Exception:
            log.exception("webhook: update %s could not be recorded", update.update_id)
            return web.Response(status=500, text="not recorded; try again")
        return web.Response(status=200)


def webhook_app(app: AnyApplication, telegram: TelegramSettings) -> web.Application:
    assert telegram.webhook_secret is not None, "load_settings requires it in webhook mode"
    endpoint = WebhookEndpoint(app.update_queue.put, app.bot,
                               telegram.webhook_secret.get_secret_value(),
                               telegram.webhook_max_body_bytes)
    server = web.Application()
    server.router.add_post(PATH, endpoint.handle)
    return server


@contextlib.asynccontextmanager
async def _started(app: AnyApplication) -> AsyncIterator[None]:
    """What ``run_webhook`` would do around serving, in the same order."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        try:
            yield
        finally:
            await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def serve(app: AnyApplication, telegram: TelegramSettings) -> None:
    """Serve ``PATH`` on webhook_listen:webhook_port until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with _started(app):
        # lingering_time=0: a refused request's unread body is not drained, the connection
        # is closed instead.
        runner = web.AppRunner(webhook_app(app, telegram), access_log=None, lingering_time=0)
        await runner.setup()
        try:
            await web.TCPSite(runner, telegram.webhook_listen, telegram.webhook_port).start()
            assert telegram.webhook_secret is not None
            await app.bot.set_webhook(
                url=telegram.webhook_url, secret_token=telegram.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES)
            log.info("webhook: serving %s on %s:%d", PATH, telegram.webhook_listen,
                     telegram.webhook_port)
            await stop.wait()
        finally:
            await runner.cleanup()
