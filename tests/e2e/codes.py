"""Codes in Chinese text: what the bot said that a person would read as a program's word.

A message shown in Chinese may carry ASCII that a person reads naturally — a reference
number (SN-2026Q4-0001), a command (/apply), a file's extension (.xlsx), a number, a
product's name (PDF, Word) — but not a lowercase identifier such as ``zuimei_staff``,
``hall`` or ``national``: those are the program's codes, and every code a person sees
goes through the catalogue. ``codes_in`` finds them; the e2e conftest runs it over every
message of every test.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from awardbot.emulator.models import ChatRecord, StoredMessage

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Stretches a person reads as one thing and that may hold lowercase ASCII on purpose.
_READABLE = [
    re.compile(r"https?://\S+"),                 # links
    re.compile(r"@[A-Za-z0-9_]+"),               # mentions
    re.compile(r"/[a-z_]+(?:(?: [a-z]+)*)"),     # commands with their literal words
    re.compile(r"\bawardbot(?: [a-z_-]+)+"),      # the operator's command line
    re.compile(r"\.[a-z0-9]{2,5}\b"),            # a file name's extension
    # A typed correction's facts path, named back to the group leader who typed it.
    re.compile(r"(?<=不符合要求：)[a-z_.0-9\[\]]+(?= )"),
]
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_CODE = re.compile(r"[a-z][a-z0-9_]*")  # lowercase identifiers: capitalised names are names


def _literals(node: Mapping[str, Any]) -> Iterator[str]:
    for value in node.values():
        if isinstance(value, Mapping):
            yield from _literals(value)
        else:
            yield re.sub(r"\{[^}]*\}", " ", str(value))


@cache
def catalogue_words() -> frozenset[str]:
    """ASCII words the Chinese catalogue writes itself ("true/false", "choose a language"):
    a person wrote them there for people; a code comes in through a parameter."""
    words: set[str] = set()
    for source in files("awardbot.i18n").joinpath("zh").iterdir():
        if source.name.endswith(".toml"):
            for text in _literals(tomllib.loads(source.read_text("utf-8"))):
                words.update(_WORD.findall(text))
    return frozenset(words)


def codes_in(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The lowercase identifiers in a Chinese ``text`` (none if it is not Chinese)."""
    if not _CJK.search(text):
        return []
    for readable in _READABLE:
        text = readable.sub(" ", text)
    known = set(allowed) | catalogue_words()
    return [word for word in _WORD.findall(text)
            if _CODE.fullmatch(word) and word not in known]


@dataclass(frozen=True)
class Finding:
    chat: str
    text: str
    codes: list[str]

    def __str__(self) -> str:
        return f"{self.chat}: {self.codes} in {self.text!r}"


def _is_chinese_chat(chat: ChatRecord) -> bool:
    """Private chats of people whose Telegram speaks Chinese, and every group."""
    if chat.user is None:
        return True
    return (chat.user.language_code or "zh").lower().startswith("zh")


def _shown(message: StoredMessage) -> str:
    labels = [label for row in message.button_rows() for label in row]
    return "\n".join([message.text or message.caption or "", *labels])


def _typed_words(chats: Iterable[ChatRecord]) -> set[str]:
    """What the people themselves wrote or are called: the bot may echo it."""
    words: set[str] = set()
    for chat in chats:
        if chat.user is not None:
            words.update(_WORD.findall(" ".join(
                filter(None, [chat.user.first_name, chat.user.last_name, chat.user.username]))))
        for message in chat.messages.values():
            if message.from_bot:
                continue
            file_name = getattr(message.media, "get", lambda _k: None)("file_name")
            for text in (message.text, message.caption, file_name):
                words.update(_WORD.findall(text or ""))
    return words


def findings(chats: Iterable[ChatRecord]) -> Iterator[Finding]:
    """Every message and edit the bot made in a Chinese chat that shows a code."""
    chats = list(chats)
    typed = _typed_words(chats)
    for chat in chats:
        if not _is_chinese_chat(chat):
            continue
        seen: set[str] = set()
        for action in chat.actions:
            shown = _shown(action.message)
            if shown in seen:
                continue
            seen.add(shown)
            codes = codes_in(shown, typed)
            if codes:
                yield Finding(chat.title or (chat.user.first_name if chat.user else "?"),
                              shown, codes)
