"""/broadcast for admins: compose (text, optional photo), choose the audience, preview,
confirm; then Pause / Resume / Cancel under the live progress message.

The draft's text and photo arrive as ordinary messages: :data:`ROUTED_HANDLERS` sit in a
handler group of their own, after the gate's and before the features', and take a
message only when its sender is an admin with a draft waiting for content; anything
else goes on to the later groups untouched.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from awardbot import callbacks
from awardbot.handlers.adapter import answers
from awardbot.handlers.broadcast.render import ARITY, KIND, edit_progress, show
from awardbot.handlers.context import BotContext
from awardbot.workflow.broadcast import compose as broadcast
from awardbot.workflow.broadcast import send as broadcast_send
from awardbot.workflow.broadcast.model import Card, stale
from awardbot.workflow.broadcast.report import progress_card, stop_question
from awardbot.workflow.messages import Text, render
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.roles import Role
from awardbot.workflow.services import Services

CONTROL = ("pause", "resume", "stop", "stopok", "keep")
TOASTS = {"pause": "broadcast.paused", "resume": "broadcast.resumed",
          "stopok": "broadcast.cancelled"}


def services(context: BotContext) -> Services:
    return context.deps.services


def _is_admin(context: BotContext) -> bool:
    return context.person is not None and context.person.has(Role.ADMIN)


@answers(show)
async def broadcast_command(update: Update, context: BotContext) -> Card:
    assert context.person is not None
    return await broadcast.start(services(context), context.person.staff_id,
                                 is_admin=_is_admin(context), now=context.now())


async def on_text(update: Update, context: BotContext) -> None:
    """The draft's text; any other text goes on to the later handler groups."""
    message = update.effective_message
    if message is None or context.person is None or not _is_admin(context):
        return
    card = await broadcast.take_text(services(context), context.person.staff_id,
                                     message.text or "", now=context.now())
    if card is None:
        return
    await show(update, context, card)
    raise ApplicationHandlerStop


async def on_photo(update: Update, context: BotContext) -> None:
    """The draft's photo (its caption may be the text); other photos go on."""
    message = update.effective_message
    if message is None or not message.photo or context.person is None:
        return
    if not _is_admin(context):
        return
    largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
    card = await broadcast.take_photo(services(context), context.person.staff_id,
                                      largest.file_id, message.caption, now=context.now())
    if card is None:
        return
    await show(update, context, card)
    raise ApplicationHandlerStop


async def on_press(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    parsed = callbacks.decode(query.data, KIND, ARITY)
    broadcast_id = parsed.int_field(0) if parsed else None
    if parsed is None or broadcast_id is None:
        await query.answer(context.t(update, "broadcast.stale"), show_alert=True)
        return
    action, arg = parsed.fields[1], parsed.fields[2]
    try:
        if action == "go":
            card = await _confirm(update, context, broadcast_id, arg)
        elif action in CONTROL:
            card = await _control(update, context, broadcast_id, action)
        else:
            card = await broadcast.press(services(context), context.person.staff_id,
                                         broadcast_id, action, arg,
                                         is_admin=_is_admin(context), now=context.now())
    except Refusal as refusal:
        await query.answer(_say(update, context, refusal.text), show_alert=True)
        return
    await show(update, context, card)
    toast = TOASTS.get(action)
    await query.answer(context.t(update, toast) if toast else None)


async def _confirm(update: Update, context: BotContext, broadcast_id: int, seen: str) -> Card:
    assert context.person is not None
    query = update.callback_query
    pressed = query.message if query else None
    if pressed is None:
        raise stale()
    progress = await broadcast_send.confirm(
        services(context), context.person.staff_id, broadcast_id, seen,
        is_admin=_is_admin(context), chat_id=pressed.chat.id, message_id=pressed.message_id,
        language=context.lang(update), now=context.now())
    return progress_card(progress)


async def _control(update: Update, context: BotContext, broadcast_id: int, action: str) -> Card:
    """Pause and resume redraw the pressed progress message; cancelling asks first, in a
    message of its own, and then redraws the progress message wherever it is."""
    assert context.person is not None
    progress = await broadcast_send.control(
        services(context), context.person.staff_id, broadcast_id, action,
        is_admin=_is_admin(context), now=context.now())
    if action == "stop":
        return stop_question(progress)
    if action in ("pause", "resume"):
        return progress_card(progress)
    lang = context.lang(update)
    await edit_progress(context, lang, progress_card(progress), progress.chat_id,
                        progress.message_id)
    key = "broadcast.cancelled" if action == "stopok" else "broadcast.kept"
    return Card(broadcast_id, Text(key))


def _say(update: Update, context: BotContext, text: Text) -> str:
    return render(context.deps.catalogue, context.lang(update), text)


HANDLERS = [
    CommandHandler("broadcast", broadcast_command),
    CallbackQueryHandler(on_press, pattern=callbacks.pattern(KIND)),
]
# In a handler group of their own, after the gate's and before the features': what is
# not a broadcast draft's content goes on to the walkthrough handlers.
ROUTED_HANDLERS = [
    MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
    MessageHandler(filters.PHOTO, on_photo),
]
