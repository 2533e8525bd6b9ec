"""/mydrafts and /mynominations: resume, discard, withdraw, download the form; a nominee's
decline button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.handlers.intake.apply import send_reply
from awardbot.handlers.review.history import HISTORY
from awardbot.workflow import asks
from awardbot.workflow.intake import nominee, records, service, submit
from awardbot.workflow.intake.forms import form_bytes, form_pdf_bytes
from awardbot.workflow.intake.records import NominationLine
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal

DRAFT, MINE, NOMINEE = Kind.DRAFT, Kind.MINE, Kind.NOMINEE
# dr:<id>:resume|discard|drok|back   mn:<id>:form|withdraw|mnok|back
DRAFT_ACTS = ("resume", "discard", "drok", "back")


def _line(update: Update, context: BotContext, item: NominationLine) -> str:
    return render.text(update, context, Text("mine.line", {
        "head": item.head, "subject": item.subject, "state": Text(f"states.{item.state}"),
        "updated": item.updated}))


async def my_drafts(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    items = await records.mine(context.deps.services, context.person.staff_id, context.now(),
                               drafts=True)
    if not items:
        await update.effective_message.reply_text(context.t(update, "mine.no_drafts"))
        return
    for item in items:
        rows = []
        if item.open:
            rows.append([(context.t(update, "mine.resume"),
                          callbacks.CallbackData(DRAFT, (str(item.id), "resume")))])
            if item.state == State.DRAFT:
                rows[0].append((context.t(update, "mine.discard"),
                                callbacks.CallbackData(DRAFT, (str(item.id), "discard"))))
        body = _line(update, context, item) + ("" if item.open else "\n" + context.t(
            update, "mine.read_only"))
        await update.effective_message.reply_text(
            body, reply_markup=render.buttons(rows) if rows else None)


async def my_nominations(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    items = await records.mine(context.deps.services, context.person.staff_id, context.now(),
                               drafts=False)
    if not items:
        await update.effective_message.reply_text(context.t(update, "mine.none"))
        return
    for item in items:
        form = callbacks.CallbackData(MINE, (str(item.id), "form"))
        history = callbacks.CallbackData(HISTORY, (str(item.id),))
        pdf = callbacks.CallbackData(MINE, (str(item.id), "pdf"))
        row = [(context.t(update, "mine.form"), form), (context.t(update, "mine.form_pdf"), pdf),
               (context.t(update, "mine.history"), history)]
        if item.state == State.SUBMITTED:
            row.append((context.t(update, "mine.withdraw"),
                        callbacks.CallbackData(MINE, (str(item.id), "withdraw"))))
        await update.effective_message.reply_text(
            _line(update, context, item), reply_markup=render.buttons([row]))


async def _ask(update: Update, context: BotContext, kind: str, nomination: int,
               question: Text, confirm: str) -> None:
    """A "确定…？" of its own, with confirm and back buttons."""
    assert update.effective_chat is not None
    rows = [[(context.t(update, confirm),
              callbacks.CallbackData(kind, (str(nomination), f"{kind}ok"))),
             (context.t(update, "mine.back"), callbacks.CallbackData(kind, (str(nomination),
                                                                           "back")))]]
    await context.bot.send_message(update.effective_chat.id, render.text(update, context, question),
                                   reply_markup=render.buttons(rows))


async def _went_back(update: Update, context: BotContext, asked: str, key: str,
                     nomination: int) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    await asks.withdraw(context.deps.services.sessions, context.person.staff_id, asked,
                        nomination)
    await query.edit_message_text(context.t(update, key))
    await query.answer()


async def on_draft_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, DRAFT, 2)
    nomination = data.int_field(0) if data else None
    intake, staff_id, now = context.deps.services, context.person.staff_id, context.now()
    try:
        if data is None or nomination is None or data.fields[1] not in DRAFT_ACTS:
            raise Refusal("errors.stale_button")
        if data.fields[1] == "discard":
            question = await submit.ask_discard(intake, staff_id, nomination, now)
            await _ask(update, context, DRAFT, nomination, question, "mine.discard_confirm")
            await query.answer()
            return
        if data.fields[1] == "back":
            await _went_back(update, context, submit.DISCARD, "mine.discard_kept", nomination)
            return
        if data.fields[1] == "resume":
            reply = await records.resume(intake, staff_id, nomination, now)
        else:
            await asks.confirmed(intake.sessions, staff_id, submit.DISCARD, nomination)
            reply = await submit.discard_by_id(intake, staff_id, nomination, now)
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await send_reply(update, context, reply, query.message if query.message else None)  # type: ignore[arg-type]
    await query.answer()


async def on_nomination_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None and update.effective_chat
    data = callbacks.decode(query.data, MINE, 2)
    nomination = data.int_field(0) if data else None
    intake, staff_id = context.deps.services, context.person.staff_id
    try:
        if data is None or nomination is None:
            raise Refusal("errors.stale_button")
        if data.fields[1] == "withdraw":
            question = await submit.ask_withdraw(intake, staff_id, nomination, context.now())
            await _ask(update, context, MINE, nomination, question, "mine.withdraw_confirm")
            await query.answer()
            return
        if data.fields[1] == "back":
            await _went_back(update, context, submit.WITHDRAW, "mine.withdraw_kept", nomination)
            return
        if data.fields[1] == "mnok":
            await asks.confirmed(intake.sessions, staff_id, submit.WITHDRAW, nomination)
            notice = await submit.withdraw(intake, staff_id, nomination, context.now())
            await query.edit_message_text(render.text(update, context, notice))
            await query.answer()
            return
        if data.fields[1] == "pdf":
            name, content = await form_pdf_bytes(intake, staff_id, nomination)
        else:
            name, content = await form_bytes(intake, staff_id, nomination)
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await context.bot.send_document(update.effective_chat.id, content, filename=name)
    await query.answer()


async def on_decline(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, NOMINEE, 2)
    nomination = data.int_field(0) if data else None
    try:
        if data is None or nomination is None or data.fields[1] != "decline":
            raise Refusal("errors.stale_button")
        notice = await nominee.decline(context.deps.services, context.person.staff_id, nomination,
                                       context.now())
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await query.edit_message_text(render.text(update, context, notice))
    await query.answer()


HANDLERS = [
    CommandHandler("mydrafts", my_drafts),
    CommandHandler("mynominations", my_nominations),
    CallbackQueryHandler(on_draft_button, pattern=callbacks.pattern(DRAFT)),
    CallbackQueryHandler(on_nomination_button, pattern=callbacks.pattern(MINE)),
    CallbackQueryHandler(on_decline, pattern=callbacks.pattern(NOMINEE)),
]
__all__ = ["HANDLERS", "service"]
