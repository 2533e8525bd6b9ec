"""A chat seen from outside: reading it, waiting for the bot, groups and channels."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from awardbot.emulator.errors import BotDidNotAnswerError, EmulatorUsageError
from awardbot.emulator.formatting import utf16_len
from awardbot.emulator.models import JSON, ChatRecord, StoredMessage, UserRecord
from awardbot.emulator.views import (
    ChatEntry,
    entry_from,
    entry_from_action,
    render_transcript,
    visible_entries,
)

if TYPE_CHECKING:
    from awardbot.emulator.state import EmulatorState


class Member(Protocol):
    """Someone who writes in a group (a :class:`~awardbot.emulator.client.Person`)."""

    @property
    def user(self) -> UserRecord: ...

    @property
    def user_id(self) -> int: ...

Source = str | Path | bytes
# How long a wait gives the bot by default. Generous: on a loaded machine the bot answers
# late, and a test that waits for the answer it expects loses nothing by waiting long.
DEFAULT_TIMEOUT = 20.0
# A 1×1 PNG, used when a test needs "a photo" and does not care which.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


def read_source(source: Source) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def command_entities(text: str) -> list[JSON]:
    if not text.startswith("/"):
        return []
    word = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(word)}]


class ChatParty:
    """A chat seen from the outside: its messages, the bot's actions, waiting for them."""

    def __init__(self, state: EmulatorState, chat: ChatRecord) -> None:
        self._state = state
        self._chat = chat
        self._cursor = 0

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def chat(self) -> list[ChatEntry]:
        """Messages as they look now, oldest first, deleted ones left out."""
        return visible_entries(self._chat)

    @property
    def bot_messages(self) -> list[ChatEntry]:
        return [entry for entry in self.chat if entry.from_bot]

    @property
    def last_bot_message(self) -> ChatEntry | None:
        found = self.bot_messages
        return found[-1] if found else None

    @property
    def chat_action(self) -> str | None:
        return self._chat.chat_action

    def transcript(self) -> str:
        return render_transcript(self._chat)

    def mark(self) -> None:
        """Forget bot actions so far: the next wait_for_bot sees only newer ones."""
        self._cursor = len(self._chat.actions)

    async def wait_for_bot(
        self,
        n: int = 1,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> list[ChatEntry]:
        """The next ``n`` bot actions (new messages or edits) after the mark."""
        deadline = time.monotonic() + timeout
        while len(self._chat.actions) - self._cursor < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                got = len(self._chat.actions) - self._cursor
                raise BotDidNotAnswerError(
                    f"waited {timeout:.1f}s for {n} bot action(s) in chat {self.chat_id}, "
                    f"got {got}.\n--- chat {self.chat_id} ---\n{self.transcript()}"
                )
            await self._chat.pulse.wait(remaining)
        actions = self._chat.actions[self._cursor : self._cursor + n]
        self._cursor += n
        return [entry_from_action(action) for action in actions]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
        *,
        what: str = "the condition",
    ) -> None:
        """Return once ``predicate()`` holds, re-checked on every change in this chat (a
        message, an edit, a callback answer) and every 50 ms besides, so it may look at
        anything (the command menu, the test's own records); ``what`` names it if it never
        does."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BotDidNotAnswerError(
                    f"waited {timeout:.1f}s for {what} in chat {self.chat_id}.\n"
                    f"--- chat {self.chat_id} ---\n{self.transcript()}"
                )
            await self._chat.pulse.wait(min(remaining, 0.05))

    async def wait_for_text(
        self,
        needle: str,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> ChatEntry:
        """The first bot message sent or edited after the mark whose text (or caption)
        holds ``needle``, as it looks now; later waits see only what came after it."""
        found: list[int] = []

        def arrived() -> bool:
            for index in range(self._cursor, len(self._chat.actions)):
                if needle in (self._chat.actions[index].message.text
                              or self._chat.actions[index].message.caption or ""):
                    found.append(index)
                    return True
            return False

        await self.wait_until(arrived, timeout, what=f"a bot message with {needle!r}")
        message = self._chat.actions[found[0]].message
        self._cursor = found[0] + 1
        return entry_from(self._state.message(self._chat, message.message_id) or message)

    def _deliver(self, sender: UserRecord, **fields: Any) -> StoredMessage:
        self.mark()
        msg = self._state.add_user_message(self._chat, sender, **fields)
        kind = "channel_post" if self._chat.type == "channel" else "message"
        self._state.updates.push(kind, msg.to_api())
        return msg

    def _find_message(self, label: str, message: ChatEntry | int | None) -> StoredMessage:
        if message is not None:
            message_id = message if isinstance(message, int) else message.message_id
            found = self._state.message(self._chat, message_id)
            if found is None:
                raise EmulatorUsageError(f"message #{message_id} is not in the chat")
            return found
        for msg in reversed(list(self._chat.messages.values())):
            if msg.from_bot and not msg.deleted and msg.find_button(label):
                return msg
        raise EmulatorUsageError(
            f"no bot message in chat {self.chat_id} has a button {label!r}; "
            f"buttons now: {self._all_labels()}\n--- chat ---\n{self.transcript()}"
        )

    def _all_labels(self) -> list[str]:
        return [label for entry in self.bot_messages for label in entry.labels]


class GroupChat(ChatParty):
    """A group, supergroup or channel the bot broadcasts to; people may talk in it."""

    @property
    def title(self) -> str | None:
        return self._chat.title

    async def send_text(self, person: Member, text: str) -> ChatEntry:
        return entry_from(self._deliver(person.user, text=text, entities=command_entities(text)))

    def commands(
        self, person: Member | None = None, *, admin: bool = False
    ) -> list[tuple[str, str]]:
        user_id = person.user_id if person else None
        scopes = self._state.commands.group_scopes(self.chat_id, user_id, admin)
        language = person.user.language_code if person else None
        menu = self._state.commands.resolve(scopes, language)
        return [(item["command"], item["description"]) for item in menu]

    def migrate(self, supergroup_id: int) -> GroupChat:
        """Upgrade to a supergroup: the old id now answers 400 with migrate_to_chat_id."""
        new_chat = ChatRecord(supergroup_id, "supergroup", title=self._chat.title)
        self._state.add_chat(new_chat)
        self._chat.migrated_to = supergroup_id
        return GroupChat(self._state, new_chat)
