"""Turn an outbox payload into the Telegram calls that deliver it, in the reader's language.

A payload (see ``workflow/outbox.py``) becomes parts sent in order: photos as an album
(one photo alone as a photo), documents one by one, then the text with its buttons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputMediaPhoto
from telegram.error import BadRequest

from awardbot.i18n.catalogue import Catalogue, CatalogueError
from awardbot.workflow.messages import render

ALBUM_MAX = 10  # the Bot API's limit on one media group


class RenderError(Exception):
    """The payload cannot be turned into a message; retrying will not help."""


@dataclass(frozen=True)
class Part:
    kind: Literal["album", "photo", "document", "text", "edit"]
    file_ids: tuple[str, ...] = ()
    text: str = ""
    keyboard: InlineKeyboardMarkup | None = field(default=None, compare=False)
    stored: tuple[str, str] | None = None  # (sha256, file name): a file of ours to upload

    @property
    def size(self) -> int:
        """Messages this part counts as against Telegram's limits."""
        return len(self.file_ids) if self.kind == "album" else 1


def render_text(catalogue: Catalogue, language: str, value: Any) -> str:
    """A stored text reference rendered in ``language``; a bad one is a RenderError."""
    try:
        return render(catalogue, language, value)
    except (KeyError, IndexError, ValueError, CatalogueError) as exc:
        raise RenderError(f"cannot render {value!r}: {exc}") from None


def _keyboard(
    catalogue: Catalogue, language: str, rows: list[list[dict[str, Any]]]
) -> InlineKeyboardMarkup | None:
    built = []
    for row in rows:
        buttons = []
        for button in row:
            label = render_text(catalogue, language, button.get("label"))
            if "url" in button:
                buttons.append(InlineKeyboardButton(label, url=str(button["url"])))
            else:
                buttons.append(InlineKeyboardButton(label, callback_data=str(button["data"])))
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


def _media_parts(media: list[dict[str, Any]]) -> list[Part]:
    unknown = [m.get("kind") for m in media if m.get("kind") not in ("photo", "document")]
    if unknown:
        raise RenderError(f"unknown media kind(s): {unknown}")
    ours = [m for m in media if m.get("sha256")]  # files the bot made: uploaded one by one
    theirs = [m for m in media if not m.get("sha256")]
    photos = [str(m["file_id"]) for m in theirs if m.get("kind") == "photo"]
    documents = [str(m["file_id"]) for m in theirs if m.get("kind") == "document"]
    parts = []
    for start in range(0, len(photos), ALBUM_MAX):
        chunk = tuple(photos[start : start + ALBUM_MAX])
        parts.append(Part("album", chunk) if len(chunk) > 1 else Part("photo", chunk))
    parts += [Part("document", (file_id,)) for file_id in documents]
    parts += [Part(m["kind"], stored=(str(m["sha256"]), str(m.get("name") or "file")))
              for m in ours]
    return parts


def render_parts(catalogue: Catalogue, language: str, payload: dict[str, Any]) -> list[Part]:
    try:
        parts = _media_parts(list(payload.get("media") or []))
        text = render_text(catalogue, language, payload.get("text"))
        keyboard = _keyboard(catalogue, language, list(payload.get("buttons") or []))
    except (KeyError, TypeError, AttributeError) as exc:
        raise RenderError(f"malformed payload: {exc!r}") from None
    if payload.get("replaces") is not None:  # new words for a message already sent
        return [Part("edit", (str(int(payload["replaces"])),), text=text, keyboard=keyboard)]
    if text.strip() or keyboard is not None:
        parts.append(Part("text", text=text, keyboard=keyboard))
    if not parts:
        raise RenderError("nothing to send: no text and no media")
    return parts


async def send_part(bot: Bot, chat_id: int, part: Part,
                    files: Callable[[str], bytes] | None = None) -> int:
    """Send one part; the id of the (last) message Telegram created. ``files`` reads a
    stored file of ours by its hash (the evidence store)."""
    if part.stored is not None:
        if files is None:
            raise RenderError("a stored file to send, and no file store")
        sha256, name = part.stored
        content = InputFile(await asyncio.to_thread(files, sha256), filename=name)
        if part.kind == "photo":
            return (await bot.send_photo(chat_id, content)).message_id
        return (await bot.send_document(chat_id, content)).message_id
    if part.kind == "album":
        media = [InputMediaPhoto(file_id) for file_id in part.file_ids]
        sent = await bot.send_media_group(chat_id, media)
        return sent[-1].message_id
    if part.kind == "photo":
        return (await bot.send_photo(chat_id, part.file_ids[0])).message_id
    if part.kind == "document":
        return (await bot.send_document(chat_id, part.file_ids[0])).message_id
    if part.kind == "edit":
        return await _edit(bot, chat_id, int(part.file_ids[0]), part)
    message = await bot.send_message(chat_id, part.text, reply_markup=part.keyboard)
    return message.message_id


async def _edit(bot: Bot, chat_id: int, message_id: int, part: Part) -> int:
    """Replace a sent message's text (and buttons); one already like that, or gone (deleted
    by the person, too old), is as done as it will be."""
    try:
        await bot.edit_message_text(part.text, chat_id=chat_id, message_id=message_id,
                                    reply_markup=part.keyboard)
    except BadRequest as error:
        if not any(s in str(error).lower() for s in ("not modified", "not found",
                                                       "can't be edited")):
            raise
    return message_id
