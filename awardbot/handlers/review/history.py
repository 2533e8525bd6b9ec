"""/history <ref> and the History button on review cards: a nomination's timeline."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers import render
from awardbot.handlers.adapter import answers, pressed_id
from awardbot.handlers.context import BotContext
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import history
from awardbot.workflow.review.card import HISTORY


async def _show(update: Update, context: BotContext, found: history.Timeline) -> None:
    """The timeline as a message of its own; a press is answered after it."""
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, _text(update, context, found))
    if update.callback_query is not None:
        await update.callback_query.answer()


@answers(_show)
async def show_history(update: Update, context: BotContext) -> history.Timeline:
    assert context.person is not None
    if not context.args:
        raise Refusal("review.history.usage")
    return await history.timeline(context.deps.services, context.person.staff_id,
                                  ref=context.args[0], now=context.now())


@answers(_show)
async def on_history_button(update: Update, context: BotContext) -> history.Timeline:
    assert context.person is not None
    return await history.timeline(context.deps.services, context.person.staff_id,
                                  nomination_id=pressed_id(update, HISTORY), now=context.now())


def _text(update: Update, context: BotContext, found: history.Timeline) -> str:
    lines = [render.text(update, context, found.header)]
    lines += [render.text(update, context, entry) for entry in found.entries]
    return "\n".join(lines)


HANDLERS = [
    CommandHandler("history", show_history),
    CallbackQueryHandler(on_history_button, pattern=callbacks.pattern(HISTORY)),
]
