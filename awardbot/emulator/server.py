"""BotApiEmulator: a local Telegram Bot API over HTTP, plus the people who use it."""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Any

from aiohttp import web

from awardbot.emulator.client import GroupChat, Person
from awardbot.emulator.control import ControlRoutes
from awardbot.emulator.errors import BotDidNotAnswerError
from awardbot.emulator.faults import FaultInjector
from awardbot.emulator.limits import RateLimiter
from awardbot.emulator.models import ChatRecord, UserRecord
from awardbot.emulator.routes import TOKEN, BotApiRoutes, swallow_dropped
from awardbot.emulator.state import EmulatorState
from awardbot.emulator.stats import Stats


class BotApiEmulator:
    """Serve the Bot API for one bot on loopback.

    ``token``: the only token accepted (others answer 401); None accepts any well-formed
    token. ``seed`` makes fault injection repeatable.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        bot_id: int | None = None,
        bot_username: str = "awardbot_test_bot",
        bot_first_name: str = "Award Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
    ) -> None:
        if token is not None and not TOKEN.fullmatch(token):
            raise ValueError(f"not a bot token: {token!r}")
        if bot_id is None:
            bot_id = int(token.split(":")[0]) if token else 123
        bot = UserRecord(bot_id, bot_first_name, username=bot_username, is_bot=True)
        self.state = EmulatorState(bot, seed=seed)
        self.token = token
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self._people: dict[int, Person] = {}
        self._groups: dict[int, GroupChat] = {}

    # lifecycle ------------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[swallow_dropped], client_max_size=60 * 1024 * 1024)
        BotApiRoutes(self.state, self.token).add_to(app)
        ControlRoutes(self).add_to(app)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.build_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        await self.state.webhook.stop()
        self.state.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        await self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends ``<token>/<method>``."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        return f"{self.url}/file/bot"

    # switches and counters ----------------------------------------------------------------
    @property
    def bot(self) -> UserRecord:
        return self.state.bot

    @property
    def faults(self) -> FaultInjector:
        return self.state.faults

    @property
    def rate_limit(self) -> RateLimiter:
        return self.state.limits

    @property
    def stats(self) -> Stats:
        return self.state.stats

    def stats_snapshot(self) -> dict[str, Any]:
        stats = self.state.stats
        return {
            "requests": dict(stats.requests),
            "statuses": dict(stats.statuses),
            "delivered": dict(stats.delivered),
            "total_delivered": stats.total_delivered,
            "edits": dict(stats.edits),
            "delivery_rate": stats.delivery_rate(),
            "duplicates": stats.duplicates(),
            "faults_injected": dict(self.state.faults.injected),
            "rate_limited": self.state.limits.rejected,
            "pending_updates": len(self.state.updates.pending),
        }

    # the people -----------------------------------------------------------------------
    def person(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> Person:
        """A user with a private chat (chat id = user id); the same object on repeat calls."""
        if user_id in self._people:
            return self._people[user_id]
        user = UserRecord(user_id, first_name, username, last_name, language_code)
        chat = self.state.add_chat(ChatRecord(user_id, "private", user=user))
        person = self._people[user_id] = Person(self.state, user, chat)
        return person

    def group(
        self, chat_id: int, title: str, *, supergroup: bool = False, username: str | None = None
    ) -> GroupChat:
        kind = "supergroup" if supergroup else "group"
        return self._add_group(ChatRecord(chat_id, kind, title=title, username=username))

    def channel(self, chat_id: int, title: str, *, username: str | None = None) -> GroupChat:
        return self._add_group(ChatRecord(chat_id, "channel", title=title, username=username))

    def _add_group(self, chat: ChatRecord) -> GroupChat:
        if chat.id in self._groups:
            return self._groups[chat.id]
        group = self._groups[chat.id] = GroupChat(self.state, self.state.add_chat(chat))
        return group

    def party(self, chat_id: int) -> Person | GroupChat | None:
        """The person or group client for a chat id, if one was created."""
        return self._people.get(chat_id) or self._groups.get(chat_id)

    @property
    def people(self) -> list[Person]:
        return list(self._people.values())

    # waiting --------------------------------------------------------------------------
    async def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every update is confirmed and the bot made no call for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        activity, updates = self.state.activity, self.state.updates
        while True:
            now = time.monotonic()
            idle_for = now - max(activity.last_call_at, updates.last_confirmed_at)
            if not updates.pending and activity.in_flight == 0 and idle_for >= quiet:
                return
            if now >= deadline:
                raise BotDidNotAnswerError(
                    f"the bot did not settle within {timeout:.1f}s: "
                    f"{len(updates.pending)} unconfirmed update(s), "
                    f"{activity.in_flight} call(s) in flight"
                )
            wait = quiet - idle_for if idle_for < quiet else 0.02
            await asyncio.sleep(min(max(wait, 0.005), deadline - now))
