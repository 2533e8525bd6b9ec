"""Errors the bot must survive: blocked users, 429, 5xx, dropped connections, limits."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from awardbot.emulator import BotApiEmulator
from tests.emulator.conftest import StartBot


def seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@pytest.fixture
async def bot(start_bot: StartBot) -> Bot:
    return (await start_bot(poll=False)).bot


async def test_blocked_user_answers_403(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.person(1, "Alice")
    alice.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1, "hi")
    assert emu.state.updates.pending[-1]["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    alice.unblock()
    await bot.send_message(1, "hi again")
    assert alice.last_bot_message is not None


async def test_injected_429_reaches_ptb_as_retry_after(emu: BotApiEmulator, bot: Bot) -> None:
    emu.person(1, "Alice")
    emu.faults.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "hi")
    assert seconds(caught.value) == 3
    await bot.send_message(1, "hi")  # the next call goes through
    assert emu.stats.delivered[1] == 1
    assert emu.faults.injected["429"] == 1


async def test_server_errors_and_dropped_connections(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.person(1, "Alice")
    emu.faults.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(1, "a")
    emu.faults.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(1, "b")
    emu.faults.fail_next("sendMessage", drop=True)
    with pytest.raises(NetworkError):
        await bot.send_message(1, "c")
    assert alice.chat == []
    emu.faults.fail_next("sendMessage", drop=True, after=True)  # delivered, answer lost
    with pytest.raises(NetworkError):
        await bot.send_message(1, "d")
    await bot.send_message(1, "d")
    assert [e.text for e in alice.chat] == ["d", "d"]
    assert emu.stats.duplicates() == {1: {"d": 2}}


async def test_random_faults_are_seeded(emu: BotApiEmulator, bot: Bot) -> None:
    emu.person(1, "Alice")

    async def outcomes() -> list[str]:
        emu.faults.configure(seed=42, too_many_share=0.3, server_error_share=0.2,
                             methods={"sendMessage"})  # fmt: skip
        seen = []
        for i in range(12):
            try:
                await bot.send_message(1, f"m{i}")
                seen.append("ok")
            except RetryAfter:
                seen.append("429")
            except NetworkError:
                seen.append("5xx")
        return seen

    first, second = await outcomes(), await outcomes()
    assert first == second
    assert {"ok", "429", "5xx"} <= set(first)
    emu.faults.clear()
    await bot.get_me()


async def test_global_and_per_chat_rate_limits(emu: BotApiEmulator, bot: Bot) -> None:
    for user_id in range(1, 8):
        emu.person(user_id, f"P{user_id}")
    emu.rate_limit.configure(global_per_second=5)
    for user_id in range(1, 6):
        await bot.send_message(user_id, "news")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(6, "news")
    assert seconds(caught.value) >= 1
    emu.rate_limit.configure(per_chat=True)
    await bot.send_message(7, "one")
    with pytest.raises(RetryAfter):
        await bot.send_message(7, "two")
    await bot.send_message(6, "other chat is fine")
    group = emu.group(-5, "All staff")
    for i in range(20):
        await bot.send_message(group.chat_id, f"g{i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(group.chat_id, "g20")
    emu.rate_limit.disable()
    await bot.send_message(7, "two")
    assert emu.stats_snapshot()["rate_limited"] == 3


async def test_group_migration_and_slow_answers(emu: BotApiEmulator, bot: Bot) -> None:
    group = emu.group(-10, "Old group")
    supergroup = group.migrate(-1001234)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-10, "hello")
    assert caught.value.new_chat_id == -1001234
    await bot.send_message(-1001234, "hello")
    assert supergroup.last_bot_message is not None
    emu.faults.configure(delay=0.3, methods={"getMe"})
    with pytest.raises(NetworkError):  # PTB's TimedOut is a NetworkError
        await bot.get_me(read_timeout=0.05)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-999, "nobody")
