"""/papers: an admin's round papers and charts by buttons (``workflow/documents/on_demand``);
the evaluation group leader's ranking chart from /progress comes through :func:`send_papers`.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot.handlers import callbacks, render
from awardbot.handlers.context import BotContext
from awardbot.handlers.notice.publish import markup
from awardbot.workflow.documents import on_demand
from awardbot.workflow.refusal import Refusal


async def papers_command(update: Update, context: BotContext) -> None:
    assert context.person is not None and update.effective_message is not None
    try:
        message = await on_demand.rounds(context.deps.services, context.person.staff_id)
    except Refusal as refusal:
        await update.effective_message.reply_text(render.text(update, context, refusal.text))
        return
    await update.effective_message.reply_text(render.text(update, context, message.text),
                                              reply_markup=markup(update, context, message))


async def on_pick(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = callbacks.decode(query.data, on_demand.PICK, 1)
    round_id = data.int_field(0) if data else None
    try:
        if round_id is None:
            raise Refusal("errors.stale_button")
        message = await on_demand.round_menu(context.deps.services, context.person.staff_id,
                                             round_id)
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    if isinstance(query.message, Message):
        with suppress(BadRequest):  # the same round pressed twice: "not modified"
            await query.message.edit_text(render.text(update, context, message.text),
                                          reply_markup=markup(update, context, message))
    await query.answer()


async def on_make(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    data = callbacks.decode(query.data, on_demand.MAKE, 2)
    round_id = data.int_field(0) if data else None
    if data is None or round_id is None:
        await query.answer(render.text(update, context, Refusal("errors.stale_button").text),
                           show_alert=True)
        return
    await send_papers(update, context, round_id, data.fields[1])


async def send_papers(update: Update, context: BotContext, round_id: int, what: str) -> None:
    """Render and send one paper (or chart, with its summary); the press is answered at
    once, since a round's certificates take a few seconds."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None and context.person is not None
    try:
        papers = await on_demand.make(context.deps.services, context.person.staff_id,
                                      round_id, what, context.now(), context.lang(update))
    except Refusal as refusal:
        await query.answer(render.text(update, context, refusal.text), show_alert=True)
        return
    await query.answer(context.t(update, "papers.menu.making"))
    for paper in papers:
        upload = InputFile(paper.content, filename=paper.name)
        if paper.kind == "photo":
            await context.bot.send_photo(chat.id, upload)
        else:
            await context.bot.send_document(chat.id, upload)
        if paper.summary:
            await context.bot.send_message(chat.id, paper.summary)


HANDLERS = [
    CommandHandler("papers", papers_command),
    CallbackQueryHandler(on_pick, pattern=callbacks.pattern(on_demand.PICK)),
    CallbackQueryHandler(on_make, pattern=callbacks.pattern(on_demand.MAKE)),
]
