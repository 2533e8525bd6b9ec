"""Sending what evaluation use cases answer: screens as messages, acts as buttons."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest

from awardbot import callbacks
from awardbot.callbacks import Kind
from awardbot.handlers import render
from awardbot.handlers.adapter import Handler, refuse
from awardbot.handlers.context import BotContext
from awardbot.workflow.evaluation import scoring as evaluation
from awardbot.workflow.evaluation.view import Reply, Screen
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

LIMIT = 4000  # below the Bot API's 4096 characters per message
# Each button's first field names its act; the act says which feature's codec kind it uses.
SCORE, LEAD, DECIDE, SURVEY_ADMIN, CORRECT = (Kind.SCORE, Kind.LEAD, Kind.DECIDE,
                                              Kind.SURVEY_ADMIN, Kind.CORRECT)
KIND_OF_ACT = {"v": SCORE, "ab": SCORE, "abok": SCORE, "abno": SCORE, "sk": SCORE,
               "rm": LEAD, "cl": LEAD, "clok": LEAD, "clno": LEAD, "cf": LEAD, "ch": LEAD,
               "r": DECIDE, "dr": DECIDE, "da": DECIDE, "x": DECIDE, "a": DECIDE,
               "ok": DECIDE, "no": DECIDE, "ex": DECIDE, "so": SURVEY_ADMIN, "sx": SURVEY_ADMIN,
               **dict.fromkeys(("kc", "kf", "kl", "kg", "kv", "ky", "kn"), CORRECT)}


def services(context: BotContext) -> Services:
    return context.deps.services


def chunks(body: str) -> list[str]:
    """Split a long text at line ends so that each part fits one message."""
    lines = [line[i:i + LIMIT] for line in body.split("\n")
             for i in range(0, max(len(line), 1), LIMIT)]
    parts = [""]
    for line in lines:
        if parts[-1] and len(parts[-1]) + len(line) + 1 > LIMIT:
            parts.append(line)
        else:
            parts[-1] = f"{parts[-1]}\n{line}" if parts[-1] else line
    return parts


def parse(raw: str | None, kind: str, acts: dict[str, int]) -> callbacks.CallbackData | None:
    """``<kind>:<act>:<field>…`` with the act's number of fields; the act becomes the kind."""
    for arity in sorted(set(acts.values())):
        data = callbacks.decode(raw, kind, arity + 1)
        if data is not None and acts.get(data.fields[0]) == arity:
            return callbacks.CallbackData(data.fields[0], data.fields[1:])
    return None


async def send_screen(update: Update, context: BotContext, screen: Screen) -> int:
    """Send one screen; the id of its last message."""
    assert update.effective_chat is not None
    await render.send_media(context.bot, update.effective_chat.id, screen.media)
    body = "\n".join([render.text(update, context, screen.text),
                      *(render.text(update, context, line) for line in screen.lines)])
    rows = [[(render.text(update, context, act.label),
              callbacks.CallbackData(KIND_OF_ACT[act.fields[0]], act.fields))
             for act in row] for row in screen.rows]
    parts, sent = chunks(body), 0
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await context.bot.send_message(update.effective_chat.id, part,
                                                 reply_markup=render.buttons(rows)
                                                 if rows and last else None)
        sent = message.message_id
    return sent


async def send(update: Update, context: BotContext, reply: Reply) -> None:
    """Send the screens; a scoring member's cursor learns which message is their card
    now, so that a value typed before it appeared is not taken for it."""
    last = 0
    for screen in reply.screens:
        last = await send_screen(update, context, screen)
    if last and context.person is not None and reply.screens:
        await evaluation.shown(services(context), context.person.staff_id, last)
    if reply.document is not None and update.effective_chat is not None:
        await context.bot.send_document(update.effective_chat.id, reply.document,
                                        filename=reply.document_name)


async def answer_press(update: Update, context: BotContext, query: CallbackQuery, reply: Reply,
                       tidy: bool = True) -> None:
    """Answer a button: drop the pressed card's buttons when it moved on, send, then toast."""
    if tidy and reply.screens and isinstance(query.message, Message):
        with contextlib.suppress(BadRequest):  # already without buttons, or too old
            await query.message.edit_reply_markup(None)
    await send(update, context, reply)
    toast = render.text(update, context, reply.toast) if reply.toast else None
    await query.answer(toast)  # last: the spinner stays until the answer is on screen


Act = Callable[[BotContext, callbacks.CallbackData, int], Awaitable[Reply]]


def on_acts(kind: str, acts: dict[str, int], act: Act, *,
            keep: frozenset[str] = frozenset()) -> Handler:
    """The press handler of ``<kind>:<act>:<field>…`` buttons: ``act(context, data, staff)``
    gives the reply; the pressed card keeps its buttons after the acts in ``keep`` (asking
    first, reminding, a download), else they go."""

    async def on_press(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None and context.person is not None
        data = parse(query.data, kind, acts)
        try:
            if data is None:
                raise Refusal("errors.stale_button")
            reply = await act(context, data, context.person.staff_id)
        except Refusal as refusal:
            await refuse(update, context, refusal)
            return
        await answer_press(update, context, query, reply, tidy=data.kind not in keep)

    return on_press
