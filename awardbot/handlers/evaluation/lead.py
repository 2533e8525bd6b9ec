"""The evaluation group leader: /progress (remind, close scoring); /correct is in correct.py."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers.adapter import answers
from awardbot.handlers.context import BotContext
from awardbot.handlers.documents.papers import send_papers
from awardbot.handlers.evaluation.render import (
    LEAD,
    on_acts,
    parse,
    send,
    services,
)
from awardbot.workflow import asks
from awardbot.workflow.documents.on_demand import RANKING
from awardbot.workflow.evaluation.close import CLOSE, ask_close, close
from awardbot.workflow.evaluation.progress import progress, remind
from awardbot.workflow.evaluation.view import Reply, Screen
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal

# sl:rm:<round> remind · sl:cl:<round> close? · sl:clok:<round> close (once) · sl:clno:<round>
# back · sl:cf:<round> close anyway · sl:ch:<round> the ranking chart
ACTS = {"rm": 1, "cl": 1, "clok": 1, "clno": 1, "cf": 1, "ch": 1}


@answers(send)
async def show_progress(update: Update, context: BotContext) -> Reply:
    assert context.person is not None
    return await progress(services(context), context.person.staff_id)


async def _act(context: BotContext, data: callbacks.CallbackData, staff_id: int) -> Reply:
    round_id = data.int_field(0)
    if round_id is None:
        raise Refusal("errors.stale_button")
    svc = services(context)
    if data.kind == "rm":
        return await remind(svc, staff_id, round_id, context.now())
    if data.kind == "cl":
        return await ask_close(svc, staff_id, round_id, context.now())
    if data.kind == "clno":
        await asks.withdraw(svc.sessions, staff_id, CLOSE, round_id)
        return Reply((Screen(Text("evaluation.close.kept")),))
    if data.kind == "clok":
        await asks.confirmed(svc.sessions, staff_id, CLOSE, round_id)
    return await close(services(context), staff_id, round_id, context.now(),
                       anyway=data.kind == "cf")


# Reminding, or asking to close, leaves /progress as it is: going back returns to it.
_on_act = on_acts(LEAD, ACTS, _act, keep=frozenset({"rm", "cl"}))


async def on_press(update: Update, context: BotContext) -> None:
    """The ranking chart is papers, sent as they are made; every other act a reply."""
    query = update.callback_query
    assert query is not None
    data = parse(query.data, LEAD, ACTS)
    if data is not None and data.kind == "ch" and (round_id := data.int_field(0)) is not None:
        await send_papers(update, context, round_id, RANKING)
        return
    await _on_act(update, context)


HANDLERS = [
    CommandHandler("progress", show_progress),
    CallbackQueryHandler(on_press, pattern=callbacks.pattern(LEAD)),
]
