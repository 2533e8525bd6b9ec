"""/history <ref> and the History button on review cards: a nomination's timeline."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot.handlers import callbacks, render
from awardbot.handlers.context import BotContext
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import history
from awardbot.workflow.review.card import HISTORY


async def show_history(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and context.person is not None
    if not context.args:
        await message.reply_text(context.t(update, "review.history.usage"))
        return
    try:
        found = await history.timeline(context.deps.services, context.person.staff_id,
                                       ref=context.args[0], now=context.now())
    except Refusal as refusal:
        await message.reply_text(render.text(update, context, refusal.text))
        return
    await message.reply_text(_text(update, context, found))


async def on_history_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None and update.effective_chat
    data = callbacks.decode(query.data, HISTORY, 1)
    nomination = data.int_field(0) if data else None
    try:
        if nomination is None:
            raise Refusal("errors.stale_button")
        found = await history.timeline(context.deps.services, context.person.staff_id,
                                       nomination_id=nomination, now=context.now())
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await context.bot.send_message(update.effective_chat.id, _text(update, context, found))
    await query.answer()


def _text(update: Update, context: BotContext, found: history.Timeline) -> str:
    lines = [render.text(update, context, found.header)]
    lines += [render.text(update, context, entry) for entry in found.entries]
    return "\n".join(lines)


HANDLERS = [
    CommandHandler("history", show_history),
    CallbackQueryHandler(on_history_button, pattern=callbacks.pattern(HISTORY)),
]
