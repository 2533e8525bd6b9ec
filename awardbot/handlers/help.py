"""/help lists the commands this person may use; /cancel leaves any walkthrough."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from awardbot.handlers import menu
from awardbot.handlers.context import BotContext
from awardbot.workflow.intake import records
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
    paused = await records.pause(context.deps.services, context.person.staff_id)
    await update.effective_message.reply_text(
        context.t(update, "cancel.done" if paused else "cancel.nothing"))


HANDLERS = [CommandHandler("help", show_help), CommandHandler("cancel", cancel)]
