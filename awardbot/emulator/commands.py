"""Bot command menus stored per scope and language, resolved the way Telegram does."""

from __future__ import annotations

import re

from awardbot.emulator.errors import bad_request
from awardbot.emulator.models import JSON

ScopeKey = tuple[object, ...]
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


def scope_key(scope: JSON | None) -> ScopeKey:
    """A hashable key for a BotCommandScope object (None = default)."""
    if not scope:
        return ("default",)
    kind = scope.get("type", "default")
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return (kind,)
    if kind in ("chat", "chat_administrators"):
        return (kind, _chat_id(scope))
    if kind == "chat_member":
        return (kind, _chat_id(scope), int(scope.get("user_id", 0)))
    raise bad_request("wrong bot command scope type specified")


def _chat_id(scope: JSON) -> object:
    value = scope.get("chat_id")
    if value is None:
        raise bad_request("chat_id is empty")
    return value if isinstance(value, str) and value.startswith("@") else int(value)


def validate_commands(commands: object) -> list[JSON]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    cleaned = []
    for item in commands:
        name = str(item.get("command", "")).removeprefix("/")
        description = str(item.get("description", ""))
        if not _COMMAND.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description is empty")
        cleaned.append({"command": name, "description": description})
    return cleaned


def language_of(language_code: str | None) -> str:
    """Two-letter language of an IETF tag such as ``zh-hans``."""
    return (language_code or "").split("-")[0].lower()


class CommandMenus:
    """setMyCommands / getMyCommands / deleteMyCommands storage."""

    def __init__(self) -> None:
        self._menus: dict[tuple[ScopeKey, str], list[JSON]] = {}

    def set(self, scope: JSON | None, language: str | None, commands: list[JSON]) -> None:
        key = (scope_key(scope), language or "")
        if commands:
            self._menus[key] = commands
        else:
            self._menus.pop(key, None)

    def get(self, scope: JSON | None, language: str | None) -> list[JSON]:
        return list(self._menus.get((scope_key(scope), language or ""), []))

    def delete(self, scope: JSON | None, language: str | None) -> None:
        self._menus.pop((scope_key(scope), language or ""), None)

    def resolve(self, scopes: list[ScopeKey], language_code: str | None) -> list[JSON]:
        """The first non-empty menu from most to least specific scope, language first."""
        language = language_of(language_code)
        for key in scopes:
            for lang in (language, ""):
                menu = self._menus.get((key, lang))
                if menu:
                    return list(menu)
        return []

    @staticmethod
    def private_scopes(chat_id: int) -> list[ScopeKey]:
        return [("chat", chat_id), ("all_private_chats",), ("default",)]

    @staticmethod
    def group_scopes(chat_id: int, user_id: int | None, is_admin: bool) -> list[ScopeKey]:
        scopes: list[ScopeKey] = []
        if user_id is not None:
            scopes.append(("chat_member", chat_id, user_id))
        if is_admin:
            scopes.append(("chat_administrators", chat_id))
        scopes.append(("chat", chat_id))
        if is_admin:
            scopes.append(("all_chat_administrators",))
        scopes += [("all_group_chats",), ("default",)]
        return scopes
