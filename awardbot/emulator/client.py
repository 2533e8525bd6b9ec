"""People as tests drive them: act in a private chat, then read what the bot did.

The client works on the emulator object in-process; the bot under test talks to the same
emulator over HTTP.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awardbot.emulator.errors import BotDidNotAnswerError, EmulatorUsageError
from awardbot.emulator.models import JSON, ChatRecord, UserRecord
from awardbot.emulator.party import (
    DEFAULT_TIMEOUT,
    TINY_PNG,
    ChatParty,
    GroupChat,
    Source,
    command_entities,
    read_source,
)
from awardbot.emulator.views import ChatEntry, entry_from

if TYPE_CHECKING:
    from awardbot.emulator.state import EmulatorState

__all__ = ["GroupChat", "Person", "gather_people"]


class Person(ChatParty):
    """A Telegram user in a private chat with the bot (chat id = user id)."""

    def __init__(self, state: EmulatorState, user: UserRecord, chat: ChatRecord) -> None:
        super().__init__(state, chat)
        self.user = user
        self._last_query_id: str | None = None

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def first_name(self) -> str:
        return self.user.first_name

    @property
    def toasts(self) -> list[JSON]:
        """Callback answers seen: dicts with text, show_alert, url, query_id."""
        return list(self._chat.toasts)

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        markup = self._chat.reply_keyboard
        if not markup:
            return None
        return [[b.get("text", "") if isinstance(b, dict) else str(b) for b in row]
                for row in markup.get("keyboard", [])]  # fmt: skip

    @property
    def blocked(self) -> bool:
        return self._chat.blocked

    def commands(self) -> list[tuple[str, str]]:
        """The command menu this person sees, as (command, description) pairs."""
        scopes = self._state.commands.private_scopes(self.chat_id)
        menu = self._state.commands.resolve(scopes, self.user.language_code)
        return [(item["command"], item["description"]) for item in menu]

    def menu_button(self) -> JSON:
        button = self._chat.menu_button
        if button and button.get("type") != "default":
            return button
        return self._state.default_menu_button

    def block(self) -> None:
        self._set_blocked(True)

    def unblock(self) -> None:
        self._set_blocked(False)

    def _set_blocked(self, blocked: bool) -> None:
        if self._chat.blocked == blocked:
            return
        self._chat.blocked = blocked
        bot = self._state.bot.to_api()
        old = {"status": "kicked", "user": bot, "until_date": 0} if not blocked else None
        new = {"status": "kicked", "user": bot, "until_date": 0} if blocked else None
        self._state.updates.push("my_chat_member", {
            "chat": self._chat.to_api(), "from": self.user.to_api(), "date": int(time.time()),
            "old_chat_member": old or {"status": "member", "user": bot},
            "new_chat_member": new or {"status": "member", "user": bot},
        })  # fmt: skip

    def _check_can_send(self) -> None:
        if self._chat.blocked:
            raise EmulatorUsageError(f"{self.first_name} blocked the bot; call unblock() first")

    # acting ---------------------------------------------------------------------------
    async def send_text(self, text: str, *, reply_to: ChatEntry | int | None = None) -> ChatEntry:
        self._check_can_send()
        target = None
        if reply_to is not None:
            target = self._find_message("", reply_to)
        msg = self._deliver(self.user, text=text, entities=command_entities(text), reply_to=target)
        return entry_from(msg)

    async def send_command(self, command: str, *args: str) -> ChatEntry:
        text = " ".join(["/" + command.removeprefix("/"), *args])
        return await self.send_text(text)

    async def send_photo(self, source: Source = TINY_PNG, caption: str | None = None) -> ChatEntry:
        self._check_can_send()
        sizes = self._state.files.add_photo(read_source(source))
        msg = self._deliver(self.user, media_kind="photo", media=sizes, caption=caption)
        return entry_from(msg)

    async def send_album(
        self, sources: list[Source], captions: list[str | None] | None = None
    ) -> list[ChatEntry]:
        """Several photos sharing one media_group_id, delivered as separate updates."""
        self._check_can_send()
        group_id = f"{self.user_id}{len(self._chat.messages):06d}{int(time.time())}"
        captions = captions or []
        entries = []
        for index, source in enumerate(sources):
            sizes = self._state.files.add_photo(read_source(source))
            caption = captions[index] if index < len(captions) else None
            msg = self._deliver(
                self.user, media_kind="photo", media=sizes, caption=caption,
                media_group_id=group_id,
            )  # fmt: skip
            entries.append(entry_from(msg))
        return entries

    async def send_document(
        self,
        source: Source,
        file_name: str | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> ChatEntry:
        self._check_can_send()
        if file_name is None:
            file_name = Path(source).name if not isinstance(source, bytes) else "file.bin"
        stored = self._state.files.add("document", read_source(source), file_name, mime_type)
        media = self._state.files.media_object(stored)
        msg = self._deliver(self.user, media_kind="document", media=media, caption=caption)
        return entry_from(msg)

    async def send_sticker(self, emoji: str = "👍") -> ChatEntry:
        return await self._send_simple("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", {
            "width": 512, "height": 512, "is_animated": False, "is_video": False,
            "type": "regular", "emoji": emoji,
        })  # fmt: skip

    async def send_voice(self, duration: int = 2, data: bytes = b"OggS\x00voice") -> ChatEntry:
        return await self._send_simple(
            "voice", data, {"duration": duration, "mime_type": "audio/ogg"}
        )

    async def _send_simple(self, kind: str, data: bytes, extra: JSON) -> ChatEntry:
        self._check_can_send()
        stored = self._state.files.add(kind, data)
        media = self._state.files.media_object(stored, extra)
        return entry_from(self._deliver(self.user, media_kind=kind, media=media))

    async def press(self, label: str, message: ChatEntry | int | None = None) -> str:
        """Press an inline button by its label; returns the callback query id."""
        self._check_can_send()
        msg = self._find_message(label, message)
        button = msg.find_button(label)
        if button is None or "callback_data" not in button:
            raise EmulatorUsageError(
                f"message #{msg.message_id} has no callback button {label!r}; "
                f"buttons: {[lbl for row in msg.button_rows() for lbl in row]}"
            )
        self.mark()
        query = self._state.open_query(self.chat_id, self.user_id)
        self._last_query_id = query.id
        self._state.updates.push("callback_query", {
            "id": query.id, "from": self.user.to_api(), "message": msg.to_api(),
            "chat_instance": f"-{abs(self.chat_id) * 7919}", "data": button["callback_data"],
        })  # fmt: skip
        return query.id

    async def press_data(self, data: str) -> str:
        """Send a callback query with arbitrary data on the latest bot message, as a forged
        or replayed button would arrive; returns the callback query id."""
        self._check_can_send()
        msg = self._state.message(self._chat, self.bot_messages[-1].message_id)
        assert msg is not None, "the bot has sent nothing to press on"
        self.mark()
        query = self._state.open_query(self.chat_id, self.user_id)
        self._last_query_id = query.id
        self._state.updates.push("callback_query", {
            "id": query.id, "from": self.user.to_api(), "message": msg.to_api(),
            "chat_instance": f"-{abs(self.chat_id) * 7919}", "data": data,
        })  # fmt: skip
        return query.id

    async def ask_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> ChatEntry:  # noqa: ASYNC109
        """Send ``text`` and return the bot's next message or edit."""
        await self.send_text(text)
        return (await self.wait_for_bot(1, timeout))[0]

    async def ask_press(self, label: str, timeout: float = DEFAULT_TIMEOUT) -> ChatEntry:  # noqa: ASYNC109
        """Press a button and return the bot's next message or edit."""
        await self.press(label)
        return (await self.wait_for_bot(1, timeout))[0]

    async def wait_for_toast(self, timeout: float = DEFAULT_TIMEOUT) -> JSON:  # noqa: ASYNC109
        """The callback answer to the last press, once the bot has given it."""
        deadline = time.monotonic() + timeout
        while True:
            found = [t for t in self._chat.toasts if t["query_id"] == self._last_query_id]
            if found:
                return found[0]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BotDidNotAnswerError(
                    f"the bot did not answer the last button press within {timeout:.1f}s\n"
                    f"--- chat {self.chat_id} ---\n{self.transcript()}"
                )
            await self._chat.pulse.wait(remaining)


async def gather_people(*coros: Any) -> list[Any]:
    """Run several people's actions at once (a small convenience for load tests)."""
    return list(await asyncio.gather(*coros))
