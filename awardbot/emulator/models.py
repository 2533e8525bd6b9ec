"""The emulator's records: users, chats and messages, and their Bot API shapes."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


class Pulse:
    """Wakes every waiter on each ``fire()``; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """True if fired within ``seconds``."""
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        return True


@dataclass
class UserRecord:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class BotAction:
    """Something the bot did in a chat that a person notices: a new message or an edit."""

    kind: str  # "message" | "edit"
    message: StoredMessage
    method: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class ChatRecord:
    id: int
    type: str  # private | group | supergroup | channel
    title: str | None = None
    user: UserRecord | None = None  # the person, for private chats
    username: str | None = None
    blocked: bool = False
    migrated_to: int | None = None
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    actions: list[BotAction] = field(default_factory=list)
    toasts: list[JSON] = field(default_factory=list)
    reply_keyboard: JSON | None = None
    chat_action: str | None = None
    menu_button: JSON | None = None
    pulse: Pulse = field(default_factory=Pulse)

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            data.update({k: v for k, v in self.user.to_api().items() if k in _PRIVATE_KEYS})
        if self.title:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        return data

    def take_message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1

    def record(self, action: BotAction) -> None:
        self.actions.append(action)
        self.pulse.fire()


_PRIVATE_KEYS = ("first_name", "last_name", "username")


@dataclass
class StoredMessage:
    message_id: int
    chat: ChatRecord
    sender: UserRecord | None  # None: a channel post
    from_bot: bool
    date: int = field(default_factory=lambda: int(time.time()))
    text: str | None = None
    entities: list[JSON] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[JSON] = field(default_factory=list)
    media_kind: str | None = None  # photo | document | sticker | voice | video | audio
    media: Any = None  # PhotoSize list for photos, one object otherwise
    reply_markup: JSON | None = None  # inline keyboards only, as Telegram stores them
    reply_to: StoredMessage | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    edit_count: int = 0
    deleted: bool = False

    def to_api(self, *, with_reply: bool = True) -> JSON:
        data: JSON = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_api()}
        if self.sender is not None:
            data["from"] = self.sender.to_api()
        elif self.chat.type == "channel":
            data["sender_chat"] = self.chat.to_api()
        optional = {
            "text": self.text, "entities": self.entities, "caption": self.caption,
            "caption_entities": self.caption_entities, "reply_markup": self.reply_markup,
            "media_group_id": self.media_group_id, "edit_date": self.edit_date,
        }  # fmt: skip
        data.update({k: v for k, v in optional.items() if v})
        if self.media_kind:
            data[self.media_kind] = self.media
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        return data

    def button_rows(self) -> list[list[str]]:
        """The inline keyboard as rows of labels."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard", [])
        return [[button.get("text", "") for button in row] for row in rows]

    def find_button(self, label: str) -> JSON | None:
        if not self.reply_markup:
            return None
        for row in self.reply_markup.get("inline_keyboard", []):
            for button in row:
                if button.get("text") == label:
                    return dict(button)
        return None
