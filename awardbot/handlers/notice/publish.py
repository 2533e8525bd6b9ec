"""/publish: an admin publishes a round's decided list for public notice, after a preview.

Also the small helpers the survey and objection handlers share: the notice services
and how a workflow :class:`Response` or refusal reaches the person.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers import render
from awardbot.handlers.adapter import answers, pressed, pressed_id
from awardbot.handlers.context import BotContext
from awardbot.workflow.documents import deliver as papers
from awardbot.workflow.messages import Message as Outgoing
from awardbot.workflow.notice import publish as notice
from awardbot.workflow.notice.base import PUBLISH_DO, PUBLISH_PICK, Response
from awardbot.workflow.services import Services


def services(context: BotContext) -> Services:
    return context.deps.services


def markup(update: Update, context: BotContext, message: Outgoing) -> InlineKeyboardMarkup | None:
    rows = [[InlineKeyboardButton(render.text(update, context, b.label),
                                  callback_data=b.callback_data) for b in row]
            for row in message.buttons]
    return InlineKeyboardMarkup(rows) if rows else None


async def show(update: Update, context: BotContext, screen: Response) -> None:
    """Send (or, for ``edit``, replace the pressed message with) the screen; answer the press."""
    query, chat = update.callback_query, update.effective_chat
    assert chat is not None
    if screen.message is not None:
        body = render.text(update, context, screen.message.text)
        keyboard = markup(update, context, screen.message)
        pressed = query.message if query and isinstance(query.message, Message) else None
        if screen.edit and pressed is not None:
            with suppress(BadRequest):  # "not modified": the same card pressed twice
                await pressed.edit_text(body, reply_markup=keyboard)
        else:
            await context.bot.send_message(chat.id, body, reply_markup=keyboard)
    if query is not None:  # last: the spinner stays until the answer is on screen
        toast = render.text(update, context, screen.toast) if screen.toast else None
        await query.answer(toast)


@answers(show)
async def publish_command(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    return Response(await notice.publishable(services(context), context.person.staff_id))


@answers(show)
async def on_pick(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    return await notice.preview(services(context), context.person.staff_id,
                                pressed_id(update, PUBLISH_PICK), context.now())


async def on_confirm(update: Update, context: BotContext) -> None:
    await _confirm(update, context)
    data = callbacks.decode(update.callback_query.data if update.callback_query else None,
                            PUBLISH_DO, 2)
    if data is not None and data.fields[1] == "go":  # the 公示 documents, after the answer
        context.application.create_task(papers.deliver_due(services(context), context.now()),
                                        name="awardbot-papers")


@answers(show)
async def _confirm(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    data = pressed(update, PUBLISH_DO, 2)
    round_id = data.int_field(0)
    assert round_id is not None
    if data.fields[1] != "go":
        return notice.cancelled()
    return await notice.publish(services(context), context.person.staff_id, round_id,
                                context.now())


HANDLERS = [
    CommandHandler("publish", publish_command),
    CallbackQueryHandler(on_pick, pattern=callbacks.pattern(PUBLISH_PICK)),
    CallbackQueryHandler(on_confirm, pattern=callbacks.pattern(PUBLISH_DO)),
]
