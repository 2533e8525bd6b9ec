"""The last line: log the failure with its update id and never leave the person unanswered
(unless the answer may already have arrived: a timed-out call)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError, TimedOut
from telegram.ext import CallbackQueryHandler

from awardbot.handlers.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TimedOut):
        # A call was sent and its answer never came: it may well have arrived (a message
        # sent twice is worse than the rare one lost), so no "something went wrong" after
        # it. Calls that certainly failed were retried (bot/http_retry.py) and land below.
        log.warning("update %s: a Bot API call timed out; not answering it twice", update_id,
                    exc_info=context.error)
        return
    log.error("update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    text = context.t(update, "errors.generic")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the person about update %s failing", update_id)


async def stale_button(update: Update, context: BotContext) -> None:
    """A press no feature recognised (an old, foreign or forged button): answered, so the
    client's spinner stops, and changed nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.t(update, "errors.stale_button"))


# Registered after every feature: it receives only what none of them took.
HANDLERS = [CallbackQueryHandler(stale_button)]
