"""/decide: an admin records the party group's decision; /export: the round's workbook."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers.adapter import answers
from awardbot.handlers.context import BotContext
from awardbot.handlers.evaluation.render import (
    DECIDE,
    on_acts,
    send,
    services,
)
from awardbot.workflow.evaluation import decision_flow as decision_stage
from awardbot.workflow.evaluation.export import export_round
from awardbot.workflow.evaluation.view import Reply
from awardbot.workflow.refusal import Refusal

# dc:r:<round> open · dc:dr|da:<round> pick removal|addition · dc:x|a:<round>:<nomination>
# chosen · dc:ok:<round> confirm · dc:no:<round> cancel · dc:ex:<round> export
ACTS = {"r": 1, "dr": 1, "da": 1, "ok": 1, "no": 1, "ex": 1, "x": 2, "a": 2}


@answers(send)
async def show_rounds(update: Update, context: BotContext) -> Reply:
    assert context.person is not None
    return await decision_stage.rounds(services(context), context.person.staff_id)


@answers(send)
async def export_rounds(update: Update, context: BotContext) -> Reply:
    """``/export`` lists the rounds to export; ``/export ROUND_ID`` sends that workbook."""
    assert context.person is not None
    args = context.args or []
    if args and args[0].isdigit():
        return await _export(context, int(args[0]))
    return await decision_stage.export_choices(services(context), context.person.staff_id)


async def _export(context: BotContext, round_id: int) -> Reply:
    assert context.person is not None
    name, content = await export_round(services(context), context.deps.catalogue, round_id,
                                       context.now(), staff_id=context.person.staff_id)
    return Reply(document=content, document_name=name)


async def _act(context: BotContext, data: callbacks.CallbackData, staff_id: int) -> Reply:
    svc, now, round_id = services(context), context.now(), data.int_field(0)
    nomination = data.int_field(1)
    if round_id is None or (data.kind in ("x", "a") and nomination is None):
        raise Refusal("errors.stale_button")
    if data.kind == "r":
        return await decision_stage.open_round(svc, staff_id, round_id, now)
    if data.kind in ("dr", "da"):
        return await decision_stage.pick(svc, staff_id, round_id, data.kind)
    if data.kind in ("x", "a"):
        assert nomination is not None
        op = "remove" if data.kind == "x" else "add"
        return await decision_stage.choose(svc, staff_id, round_id, op, nomination, now)
    if data.kind == "ok":
        return await decision_stage.confirm(svc, staff_id, round_id, now)
    if data.kind == "ex":
        return await _export(context, round_id)
    return await decision_stage.cancel(svc, staff_id, round_id)


on_press = on_acts(DECIDE, ACTS, _act, keep=frozenset({"ex"}))


HANDLERS = [
    CommandHandler("decide", show_rounds),
    CommandHandler("export", export_rounds),
    CallbackQueryHandler(on_press, pattern=callbacks.pattern(DECIDE)),
]
