"""/papers: an admin's round papers and charts by buttons (``workflow/documents/on_demand``);
the evaluation group leader's ranking chart from /progress comes through :func:`send_papers`.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InputFile, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers import render
from awardbot.handlers.adapter import answers, pressed, pressed_id, refuse
from awardbot.handlers.context import BotContext
from awardbot.handlers.notice.publish import markup
from awardbot.workflow.documents import on_demand
from awardbot.workflow.messages import Message as Outgoing
from awardbot.workflow.refusal import Refusal


async def _show(update: Update, context: BotContext, message: Outgoing) -> None:
    """A menu: replacing the pressed one, or as a reply to the command."""
    text, keyboard = render.text(update, context, message.text), markup(update, context, message)
    query = update.callback_query
    if query is None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text, reply_markup=keyboard)
        return
    if isinstance(query.message, Message):
        with suppress(BadRequest):  # the same round pressed twice: "not modified"
            await query.message.edit_text(text, reply_markup=keyboard)
    await query.answer()


@answers(_show)
async def papers_command(update: Update, context: BotContext) -> Outgoing:
    assert context.person is not None
    return await on_demand.rounds(context.deps.services, context.person.staff_id)


@answers(_show)
async def on_pick(update: Update, context: BotContext) -> Outgoing:
    assert context.person is not None
    return await on_demand.round_menu(context.deps.services, context.person.staff_id,
                                      pressed_id(update, on_demand.PICK))


async def send_papers(update: Update, context: BotContext, round_id: int, what: str) -> None:
    """Render and send one paper (or chart, with its summary) — the group leader's ranking
    from /progress comes this way too."""
    try:
        papers = await _make(update, context, round_id, what)
    except Refusal as refusal:
        await refuse(update, context, refusal)
        return
    await _send(update, context, papers)


async def _make(update: Update, context: BotContext, round_id: int,
                what: str) -> list[on_demand.Paper]:
    assert context.person is not None
    return await on_demand.make(context.deps.services, context.person.staff_id, round_id, what,
                                context.now(), context.lang(update))


async def _send(update: Update, context: BotContext, papers: list[on_demand.Paper]) -> None:
    """The press is answered first: a round's certificates take a few seconds."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    await query.answer(context.t(update, "papers.menu.making"))
    for paper in papers:
        upload = InputFile(paper.content, filename=paper.name)
        if paper.kind == "photo":
            await context.bot.send_photo(chat.id, upload)
        else:
            await context.bot.send_document(chat.id, upload)
        if paper.summary:
            await context.bot.send_message(chat.id, paper.summary)


@answers(_send)
async def on_make(update: Update, context: BotContext) -> list[on_demand.Paper]:
    data = pressed(update, on_demand.MAKE, 2)
    return await _make(update, context, pressed_id(update, on_demand.MAKE, 2), data.fields[1])


HANDLERS = [
    CommandHandler("papers", papers_command),
    CallbackQueryHandler(on_pick, pattern=callbacks.pattern(on_demand.PICK)),
    CallbackQueryHandler(on_make, pattern=callbacks.pattern(on_demand.MAKE)),
]
