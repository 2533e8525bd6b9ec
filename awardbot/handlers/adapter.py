"""One handler shape: decode the update, call one use case, show its answer — or its refusal.

A handler written with :func:`answers` states only what it calls and how the answer is
shown; the workflow's :class:`~awardbot.workflow.refusal.Refusal` is answered here, one
way: a pressed button gets a popup (the chat keeps its messages), a message gets a reply.
:func:`pressed` decodes a button's data and refuses a stale or forged one, so a handler
never checks fields by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update

from awardbot import callbacks
from awardbot.handlers import render
from awardbot.handlers.context import BotContext
from awardbot.workflow.refusal import Refusal

T = TypeVar("T")
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
Show = Callable[[Update, BotContext, T], Awaitable[None]]


async def refuse(update: Update, context: BotContext, refusal: Refusal) -> None:
    """A refusal as the person sees it: a popup on a press, else a reply."""
    text = render.text(update, context, refusal.text)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def answers(show: Show[T]) -> Callable[[Callable[[Update, BotContext], Awaitable[T]]], Handler]:
    """``@answers(show)`` over ``async def handler(update, context) -> answer``."""

    def wrap(call: Callable[[Update, BotContext], Awaitable[T]]) -> Handler:
        @functools.wraps(call)
        async def run(update: Update, context: BotContext) -> None:
            try:
                answer = await call(update, context)
            except Refusal as refusal:
                await refuse(update, context, refusal)
                return
            await show(update, context, answer)

        return run

    return wrap


def pressed(update: Update, kind: str, arity: int, *, ids: int = 1) -> callbacks.CallbackData:
    """The pressed button's data with its first ``ids`` fields whole numbers in range;
    a stale or forged one is refused."""
    assert update.callback_query is not None
    data = callbacks.decode(update.callback_query.data, kind, arity)
    if data is None or any(data.int_field(i) is None for i in range(min(ids, arity))):
        raise Refusal("errors.stale_button")
    return data


def pressed_id(update: Update, kind: str, arity: int = 1) -> int:
    """The first field of the pressed button: an id (see :func:`pressed`)."""
    value = pressed(update, kind, arity).int_field(0)
    assert value is not None
    return value
