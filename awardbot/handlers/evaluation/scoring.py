"""/score: an evaluation-group member scores nominations card by card, typed or by button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from awardbot.handlers import callbacks
from awardbot.handlers.context import BotContext
from awardbot.handlers.evaluation.render import (
    SCORE,
    answer_press,
    parse,
    refuse_message,
    refuse_press,
    send,
    services,
)
from awardbot.workflow.evaluation import scoring as evaluation
from awardbot.workflow.evaluation.view import Reply
from awardbot.workflow.refusal import Refusal

# sc:v:<nomination>:<item>:<value> · sc:ab:<nomination> (abstain) · sc:sk:<nomination> (later)
ACTS = {"v": 3, "ab": 1, "sk": 1}


async def open_card(update: Update, context: BotContext) -> None:
    assert context.person is not None
    try:
        reply = await evaluation.open_next(services(context), context.person.staff_id,
                                           context.now())
    except Refusal as refusal:
        await refuse_message(update, context, refusal)
        return
    await send(update, context, reply)


async def _act(context: BotContext, data: callbacks.CallbackData, staff_id: int) -> Reply:
    svc, now = services(context), context.now()
    nomination, index = data.int_field(0), data.int_field(1)
    if nomination is None or (data.kind == "v" and index is None):
        raise Refusal("errors.stale_button")
    if data.kind == "v":
        assert index is not None
        return await evaluation.press_value(svc, staff_id, nomination, index, data.fields[2], now)
    if data.kind == "ab":
        return await evaluation.abstain(svc, staff_id, nomination, now)
    return await evaluation.skip(svc, staff_id, nomination, now)


async def on_press(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.person is not None
    data = parse(query.data, SCORE, ACTS)
    try:
        if data is None:
            raise Refusal("errors.stale_button")
        reply = await _act(context, data, context.person.staff_id)
    except Refusal as refusal:
        await refuse_press(update, context, query, refusal)
        return
    await answer_press(update, context, query, reply)


async def on_text(update: Update, context: BotContext) -> None:
    """Typed scores and decision reasons; other text goes on to the next handler group."""
    assert update.effective_message is not None
    if context.person is None:
        return
    try:
        reply = await evaluation.typed(services(context), context.person.staff_id,
                                       update.effective_message.text or "", context.now(),
                                       update.effective_message.message_id)
    except Refusal as refusal:
        await refuse_message(update, context, refusal)
        raise ApplicationHandlerStop from None
    if reply is None:
        return
    await send(update, context, reply)
    raise ApplicationHandlerStop


HANDLERS = [
    CommandHandler("score", open_card),
    CallbackQueryHandler(on_press, pattern=callbacks.pattern(SCORE)),
]
# In a handler group of its own, after the gate and before the features: text it does
# not own (no open card or decision) goes on to the application walkthrough.
TEXT_HANDLERS = [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text)]
