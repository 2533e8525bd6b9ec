"""Review cards: a leader's sign-off (或签, 委办) and the supervision check, /queue. Who
may press what is decided in workflow; here updates become calls and answers."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.handlers.intake.apply import walk_text
from awardbot.handlers.review import delegate
from awardbot.workflow import messages as ob
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import decisions as review
from awardbot.workflow.review import queue as review_queue
from awardbot.workflow.review.card import CANCEL, KIND
from awardbot.workflow.review.decisions import Outcome

log = logging.getLogger(__name__)
QUEUE = Kind.QUEUE


async def on_card_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, KIND, 3)
    nomination = data.int_field(0) if data else None
    try:
        if data is None or nomination is None:
            raise Refusal("errors.stale_button")
        outcome = await review.press(context.deps.services, context.person.staff_id, nomination,
                                     data.fields[1], data.fields[2], context.now())
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    pressed = query.message if isinstance(query.message, Message) else None
    await _show(update, context, outcome, pressed)
    await query.answer(render.text(update, context, outcome.notice),
                       show_alert=not outcome.changed and not outcome.ask_reason)


async def on_text(update: Update, context: BotContext) -> None:
    """A reason owed for Return or Reject comes first, then what /delegate waits for; any
    other text is the walkthrough's."""
    message = update.effective_message
    assert message is not None and context.person is not None
    try:
        outcome = await review.give_reason(context.deps.services, context.person.staff_id,
                                           message.text or "", context.now())
    except Refusal as refusal:
        await message.reply_text(render.text(update, context, refusal.text))
        return
    if outcome is None:
        if not await delegate.on_text(update, context):  # a deputy's name, a period
            await walk_text(update, context)
        return
    await message.reply_text(render.text(update, context, outcome.notice))
    await _show(update, context, outcome, None)


async def _show(update: Update, context: BotContext, outcome: Outcome,
                pressed: Message | None) -> None:
    if outcome.ask_reason:
        cancel = ob.Text("review.button.cancel")
        markup = render.buttons([[(render.text(update, context, cancel), callbacks.CallbackData(
            KIND, (str(outcome.nomination_id), outcome.stage, CANCEL)))]])
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_message(chat.id, render.text(update, context, outcome.notice),
                                       reply_markup=markup)
        return
    if outcome.closed is None:
        return
    # Other people's cards are closed through the outbox; the presser's own card here, at
    # once: the pressed one, or (after a typed reason) the cards in this chat.
    chat = update.effective_chat
    own = ([(pressed.chat_id, pressed.message_id)] if pressed is not None else
           [(c.chat_id, c.message_id) for c in outcome.cards
            if chat is not None and c.chat_id == chat.id])
    for chat_id, message_id in own:
        await _edit(context, chat_id, message_id, render.text(update, context, outcome.closed))


async def _edit(context: BotContext, chat_id: int, message_id: int, text: str) -> None:
    """Close a card: its text says who decided, its buttons go."""
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except BadRequest as error:
        if "not modified" not in str(error) and "not found" not in str(error):
            log.warning("could not close card %s/%s: %s", chat_id, message_id, error)
    except TelegramError as error:
        log.warning("could not close card %s/%s: %s", chat_id, message_id, error)


async def show_queue(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and context.person is not None
    waiting = await review_queue.queue(context.deps.services, context.person.staff_id,
                                       context.now())
    if not waiting.items:
        await message.reply_text(context.t(update, "review.queue.empty"))
        return
    lines = [context.t(update, "review.queue.header", total=len(waiting.items))]
    lines += [render.text(update, context, ob.Text("review.queue.count", {
        "family": c.family, "period": c.period, "award": c.award, "count": c.count}))
        for c in waiting.counts]
    rows = [[(render.text(update, context, ob.Text(
        "review.queue.open", {"ref": i.ref, "subject": i.subject})),
              callbacks.CallbackData(QUEUE, (str(i.nomination_id),)))] for i in waiting.items]
    await message.reply_text("\n".join(lines), reply_markup=render.buttons(rows))


async def open_from_queue(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None and update.effective_chat
    data = callbacks.decode(query.data, QUEUE, 1)
    nomination = data.int_field(0) if data else None
    try:
        if nomination is None:
            raise Refusal("errors.stale_button")
        card = await review_queue.open_card(context.deps.services, context.person.staff_id,
                                            nomination, context.now())
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await send_card(update, context, update.effective_chat.id, card)
    await query.answer()


async def send_card(update: Update, context: BotContext, chat_id: int,
                    card: ob.Message) -> None:
    """A card as the sender delivers it: photos as an album, documents, then the text."""
    photos = [m.file_id for m in card.media if m.kind == "photo"]
    for start in range(0, len(photos), 10):
        chunk = photos[start:start + 10]
        if len(chunk) == 1:
            await context.bot.send_photo(chat_id, chunk[0])
        else:
            await context.bot.send_media_group(chat_id, [InputMediaPhoto(p) for p in chunk])
    for media in card.media:
        if media.kind == "document":
            await context.bot.send_document(chat_id, media.file_id)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(
        render.text(update, context, b.label), callback_data=b.callback_data) for b in row]
        for row in card.buttons])
    await context.bot.send_message(chat_id, render.text(update, context, card.text),
                                   reply_markup=markup)


HANDLERS = [
    CommandHandler("queue", show_queue),
    CallbackQueryHandler(on_card_button, pattern=callbacks.pattern(KIND)),
    CallbackQueryHandler(open_from_queue, pattern=callbacks.pattern(QUEUE)),
]
# Before apply.TEXT_HANDLERS: a reviewer's reason is their next text; all else falls through.
TEXT_HANDLERS = [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)]
