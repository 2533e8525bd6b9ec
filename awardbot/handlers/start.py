"""/start: bind by invite code, welcome back, or politely turn a stranger away."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from awardbot.handlers import menu
from awardbot.handlers.context import BotContext
from awardbot.handlers.help import menu_text
from awardbot.workflow.roster.binding import BindOutcome, redeem

OUTCOME_TEXT = {
    BindOutcome.BOUND: "start.bound",
    BindOutcome.ALREADY_YOURS: "start.welcome_back",
    BindOutcome.UNKNOWN: "start.unknown_code",
    BindOutcome.USED: "start.used_code",
    BindOutcome.EXPIRED: "start.expired_code",
    BindOutcome.OTHER_ACCOUNT: "start.other_account",
    BindOutcome.INACTIVE: "start.inactive",
}
MENU_AFTER = ("start.bound", "start.welcome_back")


async def start(update: Update, context: BotContext) -> None:
    assert update.effective_user is not None and update.effective_message is not None
    if context.args:
        result = await redeem(
            context.deps.services.sessions, context.args[0], update.effective_user.id,
            now=context.now(),
        )
        context.deps.people.forget(update.effective_user.id)
        context.person = result.person or context.person
        key = OUTCOME_TEXT[result.outcome]
    else:
        key = "start.welcome_back" if context.person else "start.stranger"
    person = context.person
    params = {"name": person.name, "unit": person.unit_name} if person else {}
    text = context.t(update, key, **params)
    if person is not None:
        await menu.publish_for(context.bot, context.deps.catalogue, person, context.lang(update))
        if key in MENU_AFTER:  # the main menu: what /help shows, for this person's roles
            text = f"{text}\n\n{menu_text(update, context, person)}"
    await update.effective_message.reply_text(text)


HANDLERS = [CommandHandler("start", start)]
