"""/survey: a voter's ballot cards; for admins and the group leader, the rounds in evaluation
with their survey and buttons to open (picking a deadline) or close it. The ballot's
buttons record a vote and move on, edited in place."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot import callbacks
from awardbot.handlers.adapter import answers, pressed, refuse
from awardbot.handlers.context import BotContext
from awardbot.handlers.notice.publish import services, show
from awardbot.workflow.messages import Message
from awardbot.workflow.notice import ballot as survey_ballot
from awardbot.workflow.notice import survey, survey_admin
from awardbot.workflow.notice.base import SURVEY_SHOW, SURVEY_VOTE, Response
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services


async def survey_command(update: Update, context: BotContext) -> None:
    """``/survey``: my ballots (and, for who runs surveys, the rounds to run them in);
    ``/survey open|close NAME PERIOD …``: the typed shortcut."""
    person = context.person
    assert person is not None
    args, svc, now = list(context.args or []), services(context), context.now()
    runs = survey_admin.may_run(set(person.roles))
    try:
        if args:
            cards = [await survey_admin.typed(svc, person.staff_id, args, now)]
        else:
            cards = await _ballots(svc, person.staff_id, now, quiet=runs)
            if runs:
                cards.append(await survey_admin.overview(svc, person.staff_id, now))
    except Refusal as refusal:
        await refuse(update, context, refusal)
        return
    for card in cards:
        await show(update, context, Response(card))


async def _ballots(svc: Services, staff_id: int, now: object,
                   quiet: bool) -> list[Message]:
    try:
        return await survey_ballot.my_ballots(svc, staff_id, now)  # type: ignore[arg-type]
    except Refusal:
        if quiet:  # who runs surveys sees the rounds instead of "no survey is open"
            return []
        raise


@answers(show)
async def on_show(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    data = pressed(update, SURVEY_SHOW, 2, ids=2)
    survey_id, position = data.int_field(0), data.int_field(1)
    assert survey_id is not None and position is not None
    return await survey_ballot.show(services(context), context.person.staff_id, survey_id,
                                    position, context.now())


@answers(show)
async def on_vote(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    data = pressed(update, SURVEY_VOTE, 3, ids=2)
    survey_id, nomination_id = data.int_field(0), data.int_field(1)
    assert survey_id is not None and nomination_id is not None
    return await survey_ballot.vote(services(context), context.person.staff_id, survey_id,
                                    nomination_id, data.fields[2], context.now())


@answers(show)
async def on_admin(update: Update, context: BotContext) -> Response:
    """``sa:so|sx:<round>`` and ``sa:sd:<round>:<YYYYMMDD>``: ask a deadline, open, close."""
    assert context.person is not None and update.callback_query is not None
    svc, staff_id, now = services(context), context.person.staff_id, context.now()
    raw = update.callback_query.data
    data = callbacks.decode(raw, survey_admin.KIND, 2) or callbacks.decode(
        raw, survey_admin.KIND, 3)
    round_id = data.int_field(1) if data else None
    if data is None or round_id is None:
        raise Refusal("errors.stale_button")
    act = data.fields[0]
    if act == survey_admin.ASK and len(data.fields) == 2:
        message = await survey_admin.ask_deadline(svc, staff_id, round_id, now)
    elif act == survey_admin.OPEN and len(data.fields) == 3:
        message = await survey_admin.open_on(svc, staff_id, round_id, data.fields[2], now)
    elif act == survey_admin.CLOSE and len(data.fields) == 2:
        message = await survey.close_survey(svc, staff_id, round_id, now)
    else:
        raise Refusal("errors.stale_button")
    return Response(message, edit=act != survey_admin.ASK)


HANDLERS = [
    CommandHandler("survey", survey_command),
    CallbackQueryHandler(on_show, pattern=callbacks.pattern(SURVEY_SHOW)),
    CallbackQueryHandler(on_vote, pattern=callbacks.pattern(SURVEY_VOTE)),
    CallbackQueryHandler(on_admin, pattern=callbacks.pattern(survey_admin.KIND)),
]
