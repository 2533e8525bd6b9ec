"""/language: choose Simplified Chinese or English; the choice beats Telegram's setting."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import menu
from awardbot.handlers.context import BotContext
from awardbot.i18n import LANGUAGES
from awardbot.workflow.roster.identity import lookup, set_language

KIND = Kind.LANGUAGE


async def choose(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    buttons = [
        InlineKeyboardButton(
            context.deps.catalogue.text(lang, f"language.{lang}"),
            callback_data=callbacks.CallbackData(KIND, (lang,)).encode(),
        )
        for lang in LANGUAGES
    ]
    await update.effective_message.reply_text(
        context.t(update, "language.choose"), reply_markup=InlineKeyboardMarkup([buttons])
    )


async def chosen(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = callbacks.decode(query.data, KIND, 1)
    if data is None or data.fields[0] not in LANGUAGES:
        await query.answer(context.t(update, "errors.stale_button"))
        return
    await set_language(context.deps.services.sessions, query.from_user.id, data.fields[0])
    context.deps.people.forget(query.from_user.id)
    context.person = await lookup(context.deps.services.sessions, query.from_user.id)
    await query.answer()
    await query.edit_message_text(context.t(update, "language.set"))
    if context.person is not None:
        await menu.publish_for(context.bot, context.deps.catalogue, context.person,
                               context.lang(update))


HANDLERS = [
    CommandHandler("language", choose),
    CallbackQueryHandler(chosen, pattern=callbacks.pattern(KIND)),
]
