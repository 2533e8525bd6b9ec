"""Fixtures: a running emulator and a real python-telegram-bot Application polling it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram.ext import Application, ApplicationBuilder, BaseHandler

from awardbot.emulator import BotApiEmulator

TOKEN = "123:abc"
StartBot = Callable[..., Awaitable[Application]]


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    emulator = BotApiEmulator(token=TOKEN, bot_username="award_test_bot", seed=7)
    await emulator.start()
    yield emulator
    await emulator.stop()


def build_app(emu: BotApiEmulator) -> Application:
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emu.base_url)
        .base_file_url(emu.file_base_url)
        .build()
    )


@pytest.fixture
async def start_bot(emu: BotApiEmulator) -> AsyncIterator[StartBot]:
    """Start an Application with the given handlers, polling the emulator; stopped after."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(*handlers: BaseHandler, poll: bool = True) -> Application:
            app = build_app(emu)
            for handler in handlers:
                app.add_handler(handler)
            await stack.enter_async_context(app)
            await app.start()
            stack.push_async_callback(app.stop)
            if poll:
                assert app.updater is not None
                await app.updater.start_polling(poll_interval=0, timeout=1)
                stack.push_async_callback(app.updater.stop)
            return app

        yield start
