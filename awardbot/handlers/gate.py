"""Runs before every other handler: identify the person, and give a stranger one polite
answer and nothing else. (Repeated updates were dropped on arrival: ``bot/inbox.py``.)"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from awardbot.handlers.context import BotContext
from awardbot.workflow.arrival import arrive

OPEN_TO_STRANGERS = ("/start", "/help")


def _is_open_command(update: Update) -> bool:
    message = update.message
    text = message.text if message and message.text else ""
    command = text.split(maxsplit=1)[0].split("@")[0] if text else ""
    return command in OPEN_TO_STRANGERS


async def gate(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        raise ApplicationHandlerStop  # groups and channels only receive announcements
    user = update.effective_user
    person = await arrive(context.deps.services.sessions, user.id if user else None,
                          people=context.deps.people)
    context.person = person
    if person is not None or _is_open_command(update):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(context.t(update, "errors.not_for_you"))
    elif update.effective_message is not None:
        await update.effective_message.reply_text(context.t(update, "start.stranger"))
    raise ApplicationHandlerStop


HANDLERS = [TypeHandler(Update, gate)]
