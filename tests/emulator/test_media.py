"""Photos, albums and documents both ways, and getFile plus download."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from telegram import InputMediaDocument, InputMediaPhoto, Update
from telegram.ext import ContextTypes, MessageHandler, filters

from awardbot.emulator import BotApiEmulator
from tests.emulator.conftest import StartBot


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))  # fmt: skip


async def test_photo_download_matches(emu: BotApiEmulator, start_bot: StartBot) -> None:
    received: list[bytes] = []

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        sizes = update.message.photo
        assert len(sizes) == 3
        assert sizes[-1].width == 640
        assert sizes[0].width == 90
        for size in sizes:
            received.append(bytes(await (await size.get_file()).download_as_bytearray()))
        await update.message.reply_text(f"got {update.message.caption}")

    await start_bot(MessageHandler(filters.PHOTO, on_photo))
    alice = emu.person(1001, "Alice")
    image = png(640, 480)
    await alice.send_photo(image, caption="award evidence")
    (reply,) = await alice.wait_for_bot()
    assert reply.text == "got award evidence"
    assert received[-1] == image
    assert len(received) == 3


async def test_album_arrives_as_one_media_group(emu: BotApiEmulator, start_bot: StartBot) -> None:
    groups: list[str | None] = []

    async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        groups.append(update.message.media_group_id)

    await start_bot(MessageHandler(filters.PHOTO, on_photo))
    alice = emu.person(1001, "Alice")
    entries = await alice.send_album([png(10, 10), png(20, 20), png(30, 30)], ["first"])
    await alice.wait_until(lambda: len(groups) == 3, what="the three photos handled")
    assert len(set(groups)) == 1
    assert groups[0] is not None
    assert [e.text for e in entries] == ["first", None, None]


async def test_document_both_ways(emu: BotApiEmulator, start_bot: StartBot, tmp_path: Path) -> None:
    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        assert message is not None
        assert message.document is not None
        data = await (await message.document.get_file()).download_as_bytearray()
        await message.reply_document(
            bytes(data).upper(), filename=f"copy-{message.document.file_name}",
            caption=message.document.mime_type,
        )  # fmt: skip

    await start_bot(MessageHandler(filters.Document.ALL, on_document))
    path = tmp_path / "statement.txt"
    path.write_bytes(b"i did good work")
    alice = emu.person(1001, "Alice")
    await alice.send_document(path, mime_type="text/plain")
    (reply,) = await alice.wait_for_bot()
    assert (reply.kind, reply.file_name, reply.text) == (
        "document",
        "copy-statement.txt",
        "text/plain",
    )
    assert reply.file_id is not None
    assert emu.state.files.get(reply.file_id).data == b"I DID GOOD WORK"


async def test_bot_sends_media_group_by_upload_and_file_id(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    app = await start_bot(poll=False)
    alice = emu.person(1001, "Alice")
    first = await app.bot.send_photo(1001, png(50, 40), caption="one")
    sent = await app.bot.send_media_group(1001, [
        InputMediaPhoto(png(8, 8), caption="<i>two</i>", parse_mode="HTML"),
        InputMediaPhoto(first.photo[-1].file_id),
    ])  # fmt: skip
    assert len(sent) == 2
    assert sent[0].media_group_id == sent[1].media_group_id
    assert sent[0].caption == "two"
    assert sent[1].photo[-1].file_id == first.photo[-1].file_id
    docs = await app.bot.send_media_group(1001, [
        InputMediaDocument(b"a", filename="a.txt"), InputMediaDocument(b"b", filename="b.txt"),
    ])  # fmt: skip
    assert [d.document.file_name for d in docs if d.document] == ["a.txt", "b.txt"]
    assert [e.kind for e in alice.chat] == ["photo", "photo", "photo", "document", "document"]


async def test_sticker_voice_and_chat_action(emu: BotApiEmulator, start_bot: StartBot) -> None:
    kinds: list[str] = []

    async def on_any(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        assert update.effective_chat is not None
        kinds.append("sticker" if update.message.sticker else "voice")
        await context.bot.send_chat_action(update.effective_chat.id, "typing")
        if update.message.voice:
            file = await update.message.voice.get_file()
            await update.message.reply_text(f"{len(await file.download_as_bytearray())} bytes")

    await start_bot(MessageHandler(filters.Sticker.ALL | filters.VOICE, on_any))
    alice = emu.person(1001, "Alice")
    await alice.send_sticker()
    await alice.send_voice(data=b"OggS1234")
    (reply,) = await alice.wait_for_bot()
    assert reply.text == "8 bytes"
    assert kinds == ["sticker", "voice"]
    assert alice.chat_action == "typing"
