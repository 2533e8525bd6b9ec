"""/survey: a voter's ballot cards; admins open and close a round's survey. The ballot's
buttons record a vote and move on, edited in place."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from awardbot.handlers import callbacks
from awardbot.handlers.context import BotContext
from awardbot.handlers.notice import pressed, refuse, services, show
from awardbot.workflow import survey, survey_ballot
from awardbot.workflow.notice_base import SURVEY_SHOW, SURVEY_VOTE, NoticeRefusal, Screen


async def survey_command(update: Update, context: BotContext) -> None:
    """``/survey``: my ballots; ``/survey open|close …``: the admin's commands."""
    assert context.person is not None
    args, svc, staff_id = list(context.args or []), services(context), context.person.staff_id
    try:
        if args:
            cards = [await survey.admin_command(svc, staff_id, args, context.now())]
        else:
            cards = await survey_ballot.my_ballots(svc, staff_id, context.now())
    except NoticeRefusal as refusal:
        await refuse(update, context, refusal)
        return
    for card in cards:
        await show(update, context, Screen(card))


async def on_show(update: Update, context: BotContext) -> None:
    assert context.person is not None
    try:
        data = pressed(update, SURVEY_SHOW, 2)
        survey_id, position = data.int_field(0), data.int_field(1)
        if survey_id is None or position is None:
            raise NoticeRefusal("errors.stale_button")
        screen = await survey_ballot.show(services(context), context.person.staff_id,
                                          survey_id, position, context.now())
    except NoticeRefusal as refusal:
        await refuse(update, context, refusal)
        return
    await show(update, context, screen)


async def on_vote(update: Update, context: BotContext) -> None:
    assert context.person is not None
    try:
        data = pressed(update, SURVEY_VOTE, 3)
        survey_id, nomination_id = data.int_field(0), data.int_field(1)
        if survey_id is None or nomination_id is None:
            raise NoticeRefusal("errors.stale_button")
        screen = await survey_ballot.vote(services(context), context.person.staff_id,
                                          survey_id, nomination_id, data.fields[2],
                                          context.now())
    except NoticeRefusal as refusal:
        await refuse(update, context, refusal)
        return
    await show(update, context, screen)


HANDLERS = [
    CommandHandler("survey", survey_command),
    CallbackQueryHandler(on_show, pattern=callbacks.pattern(SURVEY_SHOW)),
    CallbackQueryHandler(on_vote, pattern=callbacks.pattern(SURVEY_VOTE)),
]
