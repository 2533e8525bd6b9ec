"""Command menus per scope and language, and the menu button."""

from __future__ import annotations

from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    MenuButtonCommands,
    MenuButtonWebApp,
    WebAppInfo,
)

from awardbot.emulator import BotApiEmulator
from tests.emulator.conftest import StartBot


async def test_commands_resolve_like_telegram(emu: BotApiEmulator, start_bot: StartBot) -> None:
    app = await start_bot(poll=False)
    bot = app.bot
    staff = emu.person(1, "Staff", language_code="zh-hans")
    leader = emu.person(2, "Leader", language_code="en")
    guest = emu.person(3, "Guest", language_code="de")
    assert staff.commands() == []

    await bot.set_my_commands([BotCommand("start", "Start")])
    await bot.set_my_commands(
        [BotCommand("apply", "Apply")], scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(
        [BotCommand("apply", "申报")], scope=BotCommandScopeAllPrivateChats(), language_code="zh"
    )
    await bot.set_my_commands(
        [BotCommand("review", "Review"), BotCommand("apply", "Apply")],
        scope=BotCommandScopeChat(2),
    )
    assert staff.commands() == [("apply", "申报")]
    assert leader.commands() == [("review", "Review"), ("apply", "Apply")]
    assert guest.commands() == [("apply", "Apply")]
    scoped = await bot.get_my_commands(scope=BotCommandScopeChat(2))
    assert [c.command for c in scoped] == ["review", "apply"]

    await bot.delete_my_commands(scope=BotCommandScopeChat(2))
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert leader.commands() == [("start", "Start")]
    assert staff.commands() == [("apply", "申报")]
    group = emu.group(-100, "Leaders")
    assert group.commands() == [("start", "Start")]


async def test_menu_button_per_chat(emu: BotApiEmulator, start_bot: StartBot) -> None:
    app = await start_bot(poll=False)
    alice = emu.person(1, "Alice")
    assert alice.menu_button() == {"type": "commands"}
    web_app = MenuButtonWebApp("Open", WebAppInfo("https://example.org"))
    await app.bot.set_chat_menu_button(chat_id=1, menu_button=web_app)
    assert alice.menu_button()["type"] == "web_app"
    assert await app.bot.get_chat_menu_button(1) == web_app
    await app.bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert await app.bot.get_chat_menu_button() == MenuButtonCommands()
    chat = await app.bot.get_chat(1)
    assert (chat.type, chat.first_name) == ("private", "Alice")
