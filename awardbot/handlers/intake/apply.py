"""/apply and the nomination walkthrough: buttons, typed answers, evidence files."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.workflow.intake import evidence as intake_evidence
from awardbot.workflow.intake import records, service, submit
from awardbot.workflow.intake.model import Prompt, StepAnswer
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import queue as review_queue

ROUND = Kind.APPLY_ROUND
# Refusals of a button that no longer fits (a replay, a double tap), not of a path.
TOAST_ONLY = ("errors.stale_button", "errors.confirm_spent", "intake.not_editable")

log = logging.getLogger(__name__)


async def show_open_rounds(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    rounds = await records.open_rounds(context.deps.services, context.person.staff_id,
                                       context.now())
    if not rounds:
        await update.effective_message.reply_text(context.t(update, "apply.none_open"))
        return
    lines, rows = [context.t(update, "apply.header")], []
    for item in rounds:
        lines.append(render.text(update, context, Text("apply.round", {
            "family": item.family, "period": item.period, "deadline": item.deadline})))
        for option in item.options:
            key = "apply.award_ok" if option.ok else "apply.award_no"
            lines.append(render.text(update, context, Text(key, {
                "award": option.name, "reason": option.reason or ""})))
        if item.colleague_only:  # ⛔ on every award for themselves: a colleague, then
            lines.append(context.t(update, "apply.colleague_only"))
            label = render.text(update, context, Text("apply.button_colleague",
                                                      {"family": item.family}))
            rows.append([(label, callbacks.CallbackData(ROUND, (str(item.round_id), "c")))])
        elif item.can_apply:
            label = render.text(update, context, Text("apply.button", {"family": item.family}))
            rows.append([(label, callbacks.CallbackData(ROUND, (str(item.round_id),)))])
    await update.effective_message.reply_text(
        "\n".join(lines), reply_markup=render.buttons(rows) if rows else None)


async def refuse(update: Update, context: BotContext, refusal: Refusal) -> None:
    """A pressed button refused. An old or repeated button is answered with a toast; a
    refusal that ends the person's path (the round closed, not eligible, already nominated)
    is a message that stays in the chat, saying why and what to do next."""
    query = update.callback_query
    assert query is not None
    text = render.text(update, context, refusal.text)
    if refusal.text.key in TOAST_ONLY:
        await query.answer(text, show_alert=True)
        return
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text)
    await query.answer()


async def send_reply(update: Update, context: BotContext, reply: StepAnswer,
                     pressed: Message | None = None) -> None:
    """The notice, the document and the next prompt, in that order; the pressed message is
    edited in place (a toggle) or loses its buttons alongside."""
    prompt = reply.prompt
    if pressed is not None and prompt is not None and prompt.edit and reply.notice is None:
        await _edit_in_place(update, context, pressed, prompt)
        return
    tidy = asyncio.create_task(_drop_keyboard(pressed)) if pressed is not None else None
    try:
        await _send_in_order(update, context, reply)
    finally:
        if tidy is not None:
            await tidy


async def _send_in_order(update: Update, context: BotContext, reply: StepAnswer) -> None:
    chat = update.effective_chat
    assert chat is not None
    notice = render.text(update, context, reply.notice) if reply.notice is not None else None
    if notice is not None and reply.document is None:
        await context.bot.send_message(chat.id, notice)
    if reply.document is not None:  # the notice travels as its caption
        sent = await context.bot.send_document(chat.id, reply.document,
                                               filename=reply.document_name, caption=notice)
        if sent.document is not None and context.person is not None:
            # Review cards attach the 申报表 by this file_id.
            await review_queue.record_form(context.deps.services.sessions, context.person.staff_id,
                                           reply.document, sent.document.file_id)
    if reply.prompt is not None:
        await context.bot.send_message(
            chat.id, render.text(update, context, reply.prompt.text),
            reply_markup=render.keyboard(update, context, reply.prompt))


async def _edit_in_place(update: Update, context: BotContext, pressed: Message,
                         prompt: Prompt) -> None:
    try:
        await pressed.edit_text(render.text(update, context, prompt.text),
                                reply_markup=render.keyboard(update, context, prompt))
    except BadRequest as error:
        if "not modified" not in str(error):
            raise


async def _drop_keyboard(message: Message) -> None:
    # Already without buttons, or too old to edit: nothing to tidy.
    with contextlib.suppress(BadRequest):
        await message.edit_reply_markup(None)


async def start_round(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, ROUND, 1) or callbacks.decode(query.data, ROUND, 2)
    round_id = data.int_field(0) if data else None
    if data is None or round_id is None:
        await query.answer(context.t(update, "errors.stale_button"))
        return
    try:
        reply = await service.start(context.deps.services, context.person.staff_id, round_id,
                                    context.now(), colleague=data.fields[1:] == ("c",))
    except Refusal as refusal:
        await refuse(update, context, refusal)
        return
    await send_reply(update, context, reply)
    await query.answer()  # last: the spinner stays until the answer is on screen


async def walk_press(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, render.PRESS, 3)
    nomination, version = (data.int_field(0), data.int_field(1)) if data else (None, None)
    if data is None or nomination is None or version is None:
        await query.answer(context.t(update, "errors.stale_button"))
        return
    try:
        reply = await service.press(context.deps.services, context.person.staff_id, nomination,
                                    version, data.fields[2], context.now())
    except Refusal as refusal:
        await refuse(update, context, refusal)
        return
    message = query.message if isinstance(query.message, Message) else None
    await send_reply(update, context, reply, message)
    await query.answer()  # last: the spinner stays until the answer is on screen
    await _send_form(update, context, reply)


async def _send_form(update: Update, context: BotContext, reply: StepAnswer) -> None:
    """The 申报表 follows the receipt: building it is the slow part of submitting."""
    if reply.form is None or reply.nomination_id is None:
        return
    try:
        content = await submit.store_form(context.deps.services, reply.form, reply.nomination_id)
    except Exception:  # the receipt went out; the form can be had later from /mynominations
        log.exception("the application form of %s could not be built", reply.form.reference)
        await _send_in_order(update, context, StepAnswer(Text(
            "intake.submit.form_failed", {"ref": reply.form.reference})))
        return
    caption = Text("intake.submit.form_caption", {"ref": reply.form.reference})
    await _send_in_order(update, context, StepAnswer(caption, document=content,
                                                document_name=reply.document_name))


async def walk_text(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    text = update.effective_message.text or ""
    try:
        reply = await service.answer_text(context.deps.services, context.person.staff_id, text,
                                          context.now())
    except Refusal as refusal:
        key = "apply.hint" if refusal.text.key == "intake.no_draft" else None
        await update.effective_message.reply_text(
            context.t(update, key) if key else render.text(update, context, refusal.text))
        return
    await send_reply(update, context, reply)


HANDLERS = [
    CommandHandler("apply", show_open_rounds),
    CallbackQueryHandler(start_round, pattern=callbacks.pattern(ROUND)),
    CallbackQueryHandler(walk_press, pattern=callbacks.pattern(render.PRESS)),
]
# Registered last in the feature list: plain text goes to the walkthrough.
TEXT_HANDLERS = [MessageHandler(filters.TEXT & ~filters.COMMAND, walk_text)]
__all__ = ["HANDLERS", "TEXT_HANDLERS", "intake_evidence"]
