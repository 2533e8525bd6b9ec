"""/objection and the notice's Object button: write an objection; the supervision
section's Uphold / Dismiss buttons. Text and files reach an objection only when no
application walkthrough is active; otherwise they go on to the walkthrough handlers."""

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
from awardbot.handlers.adapter import answers, pressed, pressed_id, refuse
from awardbot.handlers.context import BotContext
from awardbot.handlers.intake import evidence
from awardbot.handlers.notice.publish import services, show
from awardbot.workflow.notice import objection, objection_review, objection_route
from awardbot.workflow.notice.base import (
    OBJECT_DRAFT,
    OBJECT_PICK,
    OBJECT_RULE,
    OBJECT_START,
    Response,
)
from awardbot.workflow.refusal import Refusal


@answers(show)
async def objection_command(update: Update, context: BotContext) -> Response:
    return Response(await objection.choices(services(context), None, context.now()))


@answers(show)
async def on_start(update: Update, context: BotContext) -> Response:
    """The Object button under a published notice: a new message, the notice stays."""
    return Response(await objection.choices(services(context), pressed_id(update, OBJECT_START),
                                            context.now()))


@answers(show)
async def on_pick(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    return await objection.choose(services(context), context.person.staff_id,
                                  pressed_id(update, OBJECT_PICK), context.now())


@answers(show)
async def on_draft(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    data = pressed(update, OBJECT_DRAFT, 2)
    return await objection.act(services(context), context.person.staff_id,
                               pressed_id(update, OBJECT_DRAFT, 2), data.fields[1], context.now())


@answers(show)
async def on_rule(update: Update, context: BotContext) -> Response:
    assert context.person is not None
    data = pressed(update, OBJECT_RULE, 2)
    return await objection_review.press(services(context), context.person.staff_id,
                                        pressed_id(update, OBJECT_RULE, 2), data.fields[1],
                                        context.now())


async def on_text(update: Update, context: BotContext) -> None:
    """An objection's text or a supervisor's reason; other text goes on to later groups."""
    assert update.effective_message is not None
    if context.person is None:
        return
    try:
        screen = await objection_route.route_text(
            services(context), context.person.staff_id, update.effective_message.text or "",
            context.now())
    except Refusal as refusal:
        await refuse(update, context, refusal)
        raise ApplicationHandlerStop from None
    if screen is None:
        return
    await show(update, context, screen)
    raise ApplicationHandlerStop


async def on_file(update: Update, context: BotContext) -> None:
    """Evidence for an objection being written; other files go on to later groups."""
    item = evidence.incoming(update)
    if item is None or context.person is None:
        return
    svc, staff_id = services(context), context.person.staff_id
    try:
        if not await objection.file_wanted(svc, staff_id, item):
            return
        content = bytes(await (await context.bot.get_file(item.file_id)).download_as_bytearray())
        screen = await objection.attach(svc, staff_id, item, content, context.now())
    except Refusal as refusal:
        await refuse(update, context, refusal)
        raise ApplicationHandlerStop from None
    await show(update, context, screen)
    raise ApplicationHandlerStop


HANDLERS = [
    CommandHandler("objection", objection_command),
    CallbackQueryHandler(on_start, pattern=callbacks.pattern(OBJECT_START)),
    CallbackQueryHandler(on_pick, pattern=callbacks.pattern(OBJECT_PICK)),
    CallbackQueryHandler(on_draft, pattern=callbacks.pattern(OBJECT_DRAFT)),
    CallbackQueryHandler(on_rule, pattern=callbacks.pattern(OBJECT_RULE)),
]
# In a handler group of their own, after the gate's and before the features': what is
# not an objection's (or a supervisor's reason) goes on to the walkthrough handlers.
ROUTED_HANDLERS = [
    MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
    MessageHandler(filters.PHOTO | filters.Document.ALL, on_file),
]
