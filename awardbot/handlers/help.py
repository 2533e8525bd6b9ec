"""/help lists the commands this person may use; /cancel ends whatever prompt waits for
their next message; a command nobody knows is answered with a pointer to /help."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, MessageHandler, filters

from awardbot.handlers import menu, render
from awardbot.handlers.context import BotContext
from awardbot.workflow import prompts
from awardbot.workflow.roles import Role
from awardbot.workflow.roster.identity import Person


async def show_help(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    person = context.person
    if person is None:
        await update.effective_message.reply_text(context.t(update, "help.stranger"))
        return
    await update.effective_message.reply_text(menu_text(update, context, person))


def menu_text(update: Update, context: BotContext, person: Person) -> str:
    """The commands this person may use and their roles: /help, and /start once bound."""
    lines = [context.t(update, "help.header")]
    lines += [
        context.t(update, "help.line", command=c.name,
                  description=context.t(update, f"commands.{c.name}"))
        for c in menu.commands_for(person)
    ]
    shown = [context.t(update, f"roles.{r.value}") for r in Role if r in person.roles]
    lines += ["", context.t(update, "help.roles",
                            roles=context.t(update, "roles.separator").join(shown))]
    return "\n".join(lines)


async def cancel(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and context.person is not None
    ended = await prompts.cancel_all(context.deps.services, context.person.staff_id,
                                     context.now())
    for chat_id, message_id in ended.tidy:  # its question keeps no buttons to answer
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    lines = [render.text(update, context, said) for said in ended.said]
    await update.effective_message.reply_text(
        "\n".join(lines) if lines else context.t(update, "cancel.nothing"))


async def unknown_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    command = (update.effective_message.text or "").split(maxsplit=1)[0].split("@")[0]
    await update.effective_message.reply_text(
        context.t(update, "help.unknown_command", command=command))


HANDLERS = [CommandHandler("help", show_help), CommandHandler("cancel", cancel)]
# Registered after every feature: a command none of them took.
UNKNOWN = [MessageHandler(filters.COMMAND, unknown_command)]
