"""Everything the emulated Bot API knows about one bot: chats, messages, files, updates."""

from __future__ import annotations

import copy
import itertools
import time
from dataclasses import dataclass, field

from awardbot.emulator.commands import CommandMenus
from awardbot.emulator.errors import CHAT_NOT_FOUND, bad_request, forbidden
from awardbot.emulator.faults import FaultInjector
from awardbot.emulator.files import FileStore
from awardbot.emulator.limits import RateLimiter
from awardbot.emulator.models import JSON, BotAction, ChatRecord, Pulse, StoredMessage, UserRecord
from awardbot.emulator.stats import Stats
from awardbot.emulator.updates import UpdateQueue
from awardbot.emulator.webhook import WebhookDeliverer


@dataclass
class CallbackQueryRecord:
    id: str
    chat_id: int
    user_id: int
    answered: bool = False


@dataclass
class Activity:
    """API calls in flight and the time of the last one, for ``settle()``."""

    in_flight: int = 0
    last_call_at: float = field(default_factory=time.monotonic)
    pulse: Pulse = field(default_factory=Pulse)

    def begin(self) -> None:
        self.in_flight += 1
        self.last_call_at = time.monotonic()

    def end(self) -> None:
        self.in_flight -= 1
        self.last_call_at = time.monotonic()
        self.pulse.fire()


class EmulatorState:
    def __init__(self, bot: UserRecord, *, seed: int = 0) -> None:
        self.bot = bot
        self.chats: dict[int, ChatRecord] = {}
        self.files = FileStore()
        self.commands = CommandMenus()
        self.updates = UpdateQueue()
        self.webhook = WebhookDeliverer(self.updates)
        self.limits = RateLimiter()
        self.faults = FaultInjector(seed)
        self.stats = Stats()
        self.activity = Activity()
        self.queries: dict[str, CallbackQueryRecord] = {}
        self.default_menu_button: JSON = {"type": "commands"}
        self.bot_texts: dict[str, str] = {}  # setMyName / setMyDescription …
        self._query_ids = itertools.count(4_100_000_000_000_000_001)

    # chats ------------------------------------------------------------------------------
    def add_chat(self, chat: ChatRecord) -> ChatRecord:
        self.chats[chat.id] = chat
        return chat

    def chat(self, ref: int | str) -> ChatRecord:
        """The chat for an id or ``@username``; 400 as Telegram answers for unknown or migrated."""
        chat = self._lookup(ref)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _lookup(self, ref: int | str) -> ChatRecord | None:
        if isinstance(ref, int):
            return self.chats.get(ref)
        name = ref.removeprefix("@").lower()
        return next((c for c in self.chats.values() if (c.username or "").lower() == name), None)

    def peek_chat(self, ref: int | str | None) -> ChatRecord | None:
        return None if ref is None else self._lookup(ref)

    def writable_chat(self, ref: int | str) -> ChatRecord:
        chat = self.chat(ref)
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    # messages ---------------------------------------------------------------------------
    def message(self, chat: ChatRecord, message_id: int | None) -> StoredMessage | None:
        found = chat.messages.get(message_id or 0)
        return None if found is None or found.deleted else found

    def add_bot_message(self, chat: ChatRecord, method: str, **fields: object) -> StoredMessage:
        sender = None if chat.type == "channel" else self.bot
        msg = StoredMessage(chat.take_message_id(), chat, sender, True, **fields)  # type: ignore[arg-type]
        chat.messages[msg.message_id] = msg
        self.stats.record_delivery(chat.id, msg.text or msg.caption)
        chat.record(BotAction("message", copy.copy(msg), method))
        return msg

    def record_edit(self, msg: StoredMessage, method: str) -> None:
        msg.edit_count += 1
        msg.edit_date = int(time.time())
        self.stats.edits[msg.chat.id] += 1
        msg.chat.record(BotAction("edit", copy.copy(msg), method))

    def add_user_message(
        self, chat: ChatRecord, sender: UserRecord, **fields: object
    ) -> StoredMessage:
        msg = StoredMessage(chat.take_message_id(), chat, sender, False, **fields)  # type: ignore[arg-type]
        chat.messages[msg.message_id] = msg
        return msg

    # callback queries ---------------------------------------------------------------------
    def open_query(self, chat_id: int, user_id: int) -> CallbackQueryRecord:
        record = CallbackQueryRecord(str(next(self._query_ids)), chat_id, user_id)
        self.queries[record.id] = record
        return record
