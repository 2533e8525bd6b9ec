"""/mute and /unmute: optional reminders off or on. Duty reminders (approving, scoring)
are not optional and keep coming."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from awardbot.handlers.context import BotContext
from awardbot.workflow.reminders.scan import set_muted


async def _set(update: Update, context: BotContext, muted: bool) -> None:
    assert update.effective_message is not None and context.person is not None
    changed = await set_muted(context.deps.services.sessions, context.person.staff_id, muted)
    key = ("on" if muted else "off") if changed else ("already_on" if muted else "already_off")
    await update.effective_message.reply_text(context.t(update, f"schedule.mute.{key}"))


async def mute(update: Update, context: BotContext) -> None:
    await _set(update, context, True)


async def unmute(update: Update, context: BotContext) -> None:
    await _set(update, context, False)


HANDLERS = [CommandHandler("mute", mute), CommandHandler("unmute", unmute)]
