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

from awardbot import callbacks
from awardbot.handlers.adapter import answers, refuse
from awardbot.handlers.context import BotContext
from awardbot.handlers.evaluation.render import (
    SCORE,
    on_acts,
    send,
    services,
)
from awardbot.workflow import asks
from awardbot.workflow.evaluation import scoring as evaluation
from awardbot.workflow.evaluation.view import Reply, Screen
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal

# sc:v:<nomination>:<item>:<value> · sc:sk:<nomination> (later) · sc:ab:<nomination> (abstain?)
# · sc:abok:<nomination> (abstain, once) · sc:abno:<nomination> (back)
ACTS = {"v": 3, "ab": 1, "abok": 1, "abno": 1, "sk": 1}


@answers(send)
async def open_card(update: Update, context: BotContext) -> Reply:
    assert context.person is not None
    return await evaluation.open_next(services(context), context.person.staff_id,
                                      context.now())


async def _act(context: BotContext, data: callbacks.CallbackData, staff_id: int) -> Reply:
    svc, now = services(context), context.now()
    nomination, index = data.int_field(0), data.int_field(1)
    if nomination is None or (data.kind == "v" and index is None):
        raise Refusal("errors.stale_button")
    if data.kind == "v":
        assert index is not None
        return await evaluation.press_value(svc, staff_id, nomination, index, data.fields[2], now)
    if data.kind == "ab":
        return await evaluation.ask_abstain(svc, staff_id, nomination, now)
    if data.kind == "abok":
        await asks.confirmed(svc.sessions, staff_id, evaluation.ABSTAIN, nomination)
        return await evaluation.abstain(svc, staff_id, nomination, now)
    if data.kind == "abno":
        await asks.withdraw(svc.sessions, staff_id, evaluation.ABSTAIN, nomination)
        return Reply((Screen(Text("evaluation.abstain_kept")),))
    return await evaluation.skip(svc, staff_id, nomination, now)


# Asking to abstain leaves the card as it is: going back returns to it.
on_press = on_acts(SCORE, ACTS, _act, keep=frozenset({"ab"}))


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
        await refuse(update, context, refusal)
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
