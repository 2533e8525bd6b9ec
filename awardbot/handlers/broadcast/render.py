"""Broadcast cards as Telegram messages; the one place their callback data is built.

Callback data: ``bc:<broadcast id>:<action>:<arg>``. The progress updater
(``bot/broadcast_progress.py``) draws its edits with :func:`markup` and :func:`card_text`
too, so a card looks the same whoever draws it.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from awardbot.callbacks import CallbackData, Kind
from awardbot.handlers.context import BotContext
from awardbot.i18n import Catalogue
from awardbot.workflow.broadcast.model import Card, Choice
from awardbot.workflow.messages import Text, render

KIND = Kind.BROADCAST
ARITY = 3  # broadcast id, action, arg


def data(broadcast_id: int, choice: Choice) -> str:
    return CallbackData(KIND, (str(broadcast_id), choice.action, choice.arg)).encode()


def markup(catalogue: Catalogue, lang: str, card: Card) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(render(catalogue, lang, choice.label),
                                  callback_data=data(card.broadcast_id, choice))
             for choice in row] for row in card.choices]
    return InlineKeyboardMarkup(rows) if rows else None


def card_text(catalogue: Catalogue, lang: str, value: Text) -> str:
    return render(catalogue, lang, value)


def pressed_message(update: Update) -> Message | None:
    query = update.callback_query
    return query.message if query and isinstance(query.message, Message) else None


async def show(update: Update, context: BotContext, card: Card) -> None:
    """The preview (if any) first, then the card: in place of the pressed message when
    ``card.edit``, else as a new message below it (the pressed one loses its buttons)."""
    chat = update.effective_chat
    assert chat is not None
    catalogue, lang = context.deps.catalogue, context.lang(update)
    pressed = pressed_message(update)
    if card.preview is not None:
        if card.preview.photo:
            await context.bot.send_photo(chat.id, card.preview.photo)
        await context.bot.send_message(chat.id, card_text(catalogue, lang, card.preview.text))
    text, keyboard = card_text(catalogue, lang, card.text), markup(catalogue, lang, card)
    if card.edit and pressed is not None:
        with suppress(BadRequest):  # "not modified": the same button pressed twice
            await pressed.edit_text(text, reply_markup=keyboard)
        return
    if pressed is not None:
        with suppress(BadRequest):
            await pressed.edit_reply_markup(None)
    await context.bot.send_message(chat.id, text, reply_markup=keyboard)


async def edit_progress(context: BotContext, lang: str, card: Card, chat_id: int | None,
                        message_id: int | None) -> None:
    """Redraw the progress message (wherever it is) right after a pause, resume or cancel."""
    if chat_id is None or message_id is None:
        return
    catalogue = context.deps.catalogue
    with suppress(BadRequest):
        await context.bot.edit_message_text(
            card_text(catalogue, lang, card.text), chat_id=chat_id, message_id=message_id,
            reply_markup=markup(catalogue, lang, card))
