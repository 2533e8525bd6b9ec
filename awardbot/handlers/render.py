"""Turn workflow's plain prompts and texts into Telegram messages and keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update

from awardbot.callbacks import CallbackData, Kind
from awardbot.handlers.context import BotContext
from awardbot.workflow.intake.model import Prompt
from awardbot.workflow.messages import Media, Text, render

PRESS = Kind.APPLY_PRESS
ALBUM_MAX = 10  # the Bot API's limit on one media group


def text(update: Update, context: BotContext, value: Text | dict[str, Any] | str) -> str:
    return render(context.deps.catalogue, context.lang(update), value)


def keyboard(update: Update, context: BotContext, prompt: Prompt) -> InlineKeyboardMarkup | None:
    if not prompt.choices:
        return None
    rows = [
        [InlineKeyboardButton(
            text(update, context, choice.label),
            callback_data=CallbackData(PRESS, (str(prompt.nomination_id), str(prompt.version),
                                               choice.action)).encode())
         for choice in row]
        for row in prompt.choices
    ]
    return InlineKeyboardMarkup(rows)


def buttons(rows: list[list[tuple[str, CallbackData]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data.encode()) for label, data in row]
         for row in rows])


async def send_media(bot: Bot, chat_id: int, media: Sequence[Media]) -> None:
    """Files already on Telegram's side: photos as albums (one alone as a photo), then each
    document — what a card's evidence and its 申报表 look like in the chat."""
    photos = [m.file_id for m in media if m.kind == "photo"]
    for start in range(0, len(photos), ALBUM_MAX):
        chunk = photos[start:start + ALBUM_MAX]
        if len(chunk) > 1:
            await bot.send_media_group(chat_id, [InputMediaPhoto(f) for f in chunk])
        else:
            await bot.send_photo(chat_id, chunk[0])
    for document in (m.file_id for m in media if m.kind == "document"):
        await bot.send_document(chat_id, document)
