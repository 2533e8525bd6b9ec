"""/correct: the group leader corrects a window's or hall's fact, by buttons or typed.

Bare ``/correct`` lists what may be corrected; the buttons lead through fact, line, new
value, reason and a confirmation (see workflow/evaluation/correct_flow.py). Typed values
and the reason reach the flow through the evaluation text handler. The typed shortcut
``/correct REF PATH VALUE REASON…`` stays for those who use it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers.adapter import answers
from awardbot.handlers.context import BotContext
from awardbot.handlers.evaluation.render import (
    CORRECT,
    on_acts,
    send,
    services,
)
from awardbot.workflow.evaluation import correct_flow as flow
from awardbot.workflow.evaluation.correct import correct
from awardbot.workflow.evaluation.view import Reply
from awardbot.workflow.refusal import Refusal

ACTS = {"kc": 1, "kf": 2, "kl": 2, "kg": 2, "kv": 2, "ky": 1, "kn": 1}


@answers(send)
async def correct_fact(update: Update, context: BotContext) -> Reply:
    """``/correct`` (buttons) or ``/correct REF PATH VALUE REASON…`` — e.g.
    ``/correct DT-2026-0001 service_findings.attitude 2 现场检查发现两处``."""
    assert context.person is not None
    args = list(context.args or [])
    svc, staff_id = services(context), context.person.staff_id
    if not args:
        return await flow.candidates(svc, staff_id)
    if len(args) < 4:
        raise Refusal("evaluation.correct.usage")
    return await correct(svc, staff_id, args[0], args[1], args[2], " ".join(args[3:]),
                         context.now())


async def _act(context: BotContext, data: callbacks.CallbackData, staff_id: int) -> Reply:
    svc, now, kind, nid = services(context), context.now(), data.kind, data.int_field(0)
    if nid is None:
        raise Refusal("errors.stale_button")
    token = data.fields[1] if len(data.fields) > 1 else ""
    if kind == "kc":
        return await flow.pick(svc, staff_id, nid, now)
    if kind == "kf":
        if not token.isdigit():
            raise Refusal("errors.stale_button")
        return await flow.choose_fact(svc, staff_id, nid, int(token), now)
    if kind == "kl":
        return await flow.choose_line(svc, staff_id, nid, token, now)
    if kind == "kg":
        return await flow.choose_field(svc, staff_id, nid, token, now)
    if kind == "kv":
        return await flow.press_value(svc, staff_id, nid, token, now)
    if kind == "ky":
        return await flow.confirm(svc, staff_id, nid, now)
    return await flow.cancel(svc, staff_id, nid)


on_press = on_acts(CORRECT, ACTS, _act)


HANDLERS = [
    CommandHandler("correct", correct_fact),
    CallbackQueryHandler(on_press, pattern=callbacks.pattern(CORRECT)),
]
