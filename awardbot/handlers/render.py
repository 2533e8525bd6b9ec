"""Turn workflow's plain prompts and texts into Telegram messages and keyboards."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from awardbot.handlers.callbacks import CallbackData
from awardbot.handlers.context import BotContext
from awardbot.workflow.intake.model import Prompt
from awardbot.workflow.outbox import Text, render

PRESS = "ap"


def text(update: Update, context: BotContext, value: Text | dict[str, Any] | str) -> str:
    return render(context.deps.catalogue, context.lang(update), value)


def keyboard(update: Update, context: BotContext, prompt: Prompt) -> InlineKeyboardMarkup | None:
    if not prompt.choices:
        return None
    rows = [
        [InlineKeyboardButton(
            text(update, context, choice.label),
            callback_data=CallbackData(PRESS, (str(prompt.nomination_id), str(prompt.version),
                                               choice.action)).encode())
         for choice in row]
        for row in prompt.choices
    ]
    return InlineKeyboardMarkup(rows)


def buttons(rows: list[list[tuple[str, CallbackData]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data.encode()) for label, data in row]
         for row in rows])
