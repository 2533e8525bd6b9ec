"""Markup parsing, groups and channels, update filtering and the control endpoints."""

from __future__ import annotations

import httpx
import pytest
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes, MessageHandler, filters

from awardbot.emulator import ApiError, BotApiEmulator
from awardbot.emulator.formatting import parse_entities
from tests.emulator.conftest import TOKEN, StartBot


def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_entities('😀 <b>粗</b> <a href="https://x.org">link</a> &lt;', "HTML")
    assert text == "😀 粗 link <"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "text_link", "offset": 5, "length": 4, "url": "https://x.org"},
    ]


def test_markdown_v2_requires_escapes() -> None:
    text, entities = parse_entities(r"*Score* 9\.5 _ok_", "MarkdownV2")
    assert text == "Score 9.5 ok"
    assert [e["type"] for e in entities] == ["bold", "italic"]
    with pytest.raises(ApiError, match="reserved"):
        parse_entities("Score 9.5", "MarkdownV2")
    assert parse_entities("Score 9.5 *b*", "Markdown")[0] == "Score 9.5 b"


async def test_group_and_channel_broadcasts(emu: BotApiEmulator, start_bot: StartBot) -> None:
    seen: list[str] = []

    async def in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_chat is not None
        seen.append(f"{update.effective_chat.type}:{update.effective_message.text}")

    app = await start_bot(MessageHandler(filters.ALL, in_group))
    group = emu.group(-200, "Evaluation group")
    channel = emu.channel(-1009, "Notices", username="bureau_notices")
    alice = emu.person(1, "Alice")
    await group.send_text(alice, "hi all")
    await app.bot.send_message(-200, "Round opens")
    post = await app.bot.send_message("@bureau_notices", "Public notice")
    assert post.sender_chat is not None
    assert post.sender_chat.id == -1009
    (notice,) = await channel.wait_for_bot()
    assert notice.text == "Public notice"
    await group.wait_until(lambda: seen == ["group:hi all"], what="the group message handled")
    assert group.transcript() == "#1 Alice: hi all\n#2 bot: Round opens"


async def test_allowed_updates_and_negative_offset(emu: BotApiEmulator) -> None:
    alice = emu.person(1, "Alice")
    async with httpx.AsyncClient(base_url=f"{emu.base_url}{TOKEN}/") as http:
        for text in ("a", "b", "c"):
            await alice.send_text(text)
        last = (await http.post("getUpdates", json={"offset": -1})).json()["result"]
        assert [u["message"]["text"] for u in last] == ["c"]
        await alice.send_text("d")
        body = {"allowed_updates": ["callback_query"], "timeout": 0}
        assert (await http.post("getUpdates", json=body)).json()["result"] == []
        assert emu.state.updates.pending == []


async def test_reply_to_person_and_caption_edit(emu: BotApiEmulator, start_bot: StartBot) -> None:
    app = await start_bot(poll=False)
    bob = emu.person(2, "Bob")
    said = await bob.send_text("my application")
    reply = await app.bot.send_message(2, "received", reply_to_message_id=said.message_id)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "my application"
    photo = await app.bot.send_photo(2, b"fake-bytes", caption="v1")
    await app.bot.edit_message_caption(chat_id=2, message_id=photo.message_id, caption="v2")
    with pytest.raises(BadRequest, match="no text in the message"):
        await app.bot.edit_message_text("x", chat_id=2, message_id=photo.message_id)
    assert [e.text for e in bob.chat] == ["my application", "received", "v2"]
    assert bob.chat[-1].edit_count == 1


async def test_control_endpoints(emu: BotApiEmulator) -> None:
    async with httpx.AsyncClient(base_url=f"{emu.url}/_emulator/") as control:
        await control.post("people", json={"user_id": 5, "first_name": "Eve"})
        await control.post("people/5/send", json={"text": "/start"})
        await control.post("faults", json={"server_error_share": 1.0, "methods": ["getMe"]})
        async with httpx.AsyncClient() as raw:
            failing = await raw.get(f"{emu.base_url}{TOKEN}/getMe")
        assert failing.status_code in (500, 502)
        await control.post("faults", json={})
        chat = (await control.get("chats/5")).json()
        stats = (await control.get("stats")).json()
    assert chat["transcript"] == "#1 Eve: /start"
    assert stats["pending_updates"] == 1
    assert stats["faults_injected"] == {"5xx": 1}
