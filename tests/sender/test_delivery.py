"""The sender end to end: a real telegram.Bot over HTTP against the Bot API emulator."""

from __future__ import annotations

import time

from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Notification, Staff
from awardbot.emulator import BotApiEmulator
from awardbot.emulator.party import TINY_PNG
from awardbot.workflow import delivery
from awardbot.workflow.messages import Button, Media, Message, Text
from tests.sender.conftest import Outbox, StartSender


async def _rows(sessions: SessionFactory) -> list[Notification]:
    async with sessions() as session:
        return list(await session.scalars(select(Notification).order_by(Notification.id)))


def _won() -> Message:
    return Message(
        Text("award.won", {"name": "Alice", "award": Text("award.ruzi_niu")}),
        buttons=((Button(Text("award.approve"), "ok:7"), Button(Text("award.return"), "back:7")),),
    )


async def test_rendered_in_each_recipients_language(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    english = await outbox.person(1001, "en")
    chinese = await outbox.person(1002)  # no choice made: the default language
    await outbox.put(1001, _won())
    await outbox.put(1002, _won())
    await start_sender()
    assert await outbox.settled() == {"sent": 2}
    [entry] = english.bot_messages
    assert entry.text == "Congratulations, Alice: you won the Ruzi Niu award!"
    assert entry.buttons == [["Approve", "Return"]]
    assert entry.callback_data("Return") == "back:7"
    assert chinese.bot_messages[0].text == "恭喜Alice获得孺子牛奖！"
    assert [row.message_id for row in await _rows(outbox.sessions)] == [entry.message_id, 1]


async def test_media_go_first_photos_as_an_album(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    person = await outbox.person(1001, "en")
    photos = [emu.state.files.add_photo(TINY_PNG)[-1]["file_id"] for _ in range(2)]
    document = emu.state.files.add("document", b"%PDF-1.4", "evidence.pdf").file_id
    media = (Media("photo", photos[0]), Media("document", document), Media("photo", photos[1]))
    await outbox.put(1001, Message(Text("note", {"n": 1}), media=media))
    await start_sender()
    assert await outbox.settled() == {"sent": 1}
    kinds = [(entry.kind, entry.media_group_id is not None) for entry in person.bot_messages]
    assert kinds == [("photo", True), ("photo", True), ("document", False), ("text", False)]
    assert person.bot_messages[-1].text == "Notice 1"


async def test_429_is_honoured_without_loss_or_duplicates(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    person = await outbox.person(1001)
    await outbox.put(1001, n=1)
    emu.faults.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    await start_sender()
    await person.wait_for_bot()
    assert time.monotonic() - started >= 0.95
    emu.faults.configure(too_many_share=0.3, retry_after=1, methods={"sendMessage"})
    for user in range(2001, 2031):
        await outbox.person(user)
        await outbox.put(user, n=user)
    assert await outbox.settled(timeout=60) == {"sent": 31}
    assert emu.faults.injected["429"] >= 3
    assert emu.stats.total_delivered == 31
    assert emu.stats.duplicates() == {}
    assert all(row.attempts == 1 for row in await _rows(outbox.sessions))


async def test_server_errors_and_dropped_connections_are_retried(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    for user in range(2001, 2021):
        await outbox.person(user)
        await outbox.put(user, n=user)
    emu.faults.configure(server_error_share=0.2, drop_share=0.2, methods={"sendMessage"})
    await start_sender()
    assert await outbox.settled(timeout=60) == {"sent": 20}
    assert emu.faults.injected["5xx"]
    assert emu.faults.injected["drop"]
    assert emu.stats.total_delivered == 20
    assert emu.stats.duplicates() == {}


async def test_an_answer_lost_after_delivery_is_sent_again(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    """Telegram acted but the answer never came: at-least-once means a second copy."""
    person = await outbox.person(1001)
    await outbox.put(1001, n=1)
    emu.faults.fail_next("sendMessage", drop=True, after=True)
    await start_sender()
    assert await outbox.settled() == {"sent": 1}
    assert [entry.text for entry in person.bot_messages] == ["通知 1", "通知 1"]


async def test_gives_up_after_max_attempts_with_the_reason(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    await outbox.person(1001)
    await outbox.put(1001, n=1)
    emu.faults.fail_next("sendMessage", status=502, count=100)
    await start_sender()
    assert await outbox.settled() == {"failed": 1}
    [row] = await _rows(outbox.sessions)
    assert row.attempts == 5
    assert row.last_error is not None
    assert "gave up after 5 attempts" in row.last_error
    assert "Bad Gateway" in row.last_error
    assert emu.stats.requests["sendMessage"] == 5


async def test_unknown_chat_fails_at_once(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    await outbox.put(4242, n=1)  # nobody with this id ever talked to the bot
    await start_sender()
    assert await outbox.settled() == {"failed": 1}
    [row] = await _rows(outbox.sessions)
    assert row.attempts == 1
    assert "Chat not found" in (row.last_error or "")


async def test_blocked_person_is_skipped_until_they_return(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    person = await outbox.person(1001)
    person.block()
    await outbox.put(1001, n=1)
    await start_sender()
    assert await outbox.settled() == {"blocked": 1}
    async with outbox.sessions() as session:
        assert await session.scalar(select(Staff.blocked_bot_at)) is not None
    calls = emu.stats.requests["sendMessage"]
    await outbox.put(1001, n=2)
    assert await outbox.settled() == {"blocked": 2}
    assert emu.stats.requests["sendMessage"] == calls  # skipped without asking Telegram
    person.unblock()
    await delivery.clear_blocked(outbox.sessions, outbox.staff[1001])
    await outbox.put(1001, n=3)
    assert await outbox.settled() == {"blocked": 2, "sent": 1}
    assert [entry.text for entry in person.bot_messages] == ["通知 3"]


async def test_messages_follow_a_migrated_group(
    emu: BotApiEmulator, outbox: Outbox, start_sender: StartSender
) -> None:
    group = emu.group(-4001, "不动产登记大厅")
    supergroup = group.migrate(-1004001)
    await outbox.put(-4001, n=1)
    await outbox.put(-4001, n=2)
    await start_sender()
    assert await outbox.settled() == {"sent": 2}
    assert [entry.text for entry in supergroup.bot_messages] == ["通知 1", "通知 2"]
    assert {row.chat_id for row in await _rows(outbox.sessions)} == {-1004001}
    assert all(row.attempts == 1 for row in await _rows(outbox.sessions))
