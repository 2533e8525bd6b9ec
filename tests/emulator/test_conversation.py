"""Talking to a real python-telegram-bot Application through the emulator."""

from __future__ import annotations

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from awardbot.emulator import BotApiEmulator, BotDidNotAnswerError, EmulatorUsageError
from tests.emulator.conftest import StartBot

CHOICES = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Approve", callback_data="ok:7")],
     [InlineKeyboardButton("Return", callback_data="back:7")]]
)  # fmt: skip


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(f"echo: {update.message.text}")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_html(
        f"<b>Welcome</b>, code {' '.join(context.args or [])}", reply_markup=CHOICES
    )


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}", show_alert=query.data == "back:7")
    await query.edit_message_text(f"Decision: {query.data}")


@pytest.fixture
async def bot_app(start_bot: StartBot) -> None:
    await start_bot(
        CommandHandler("start", start),
        CallbackQueryHandler(decide),
        MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
    )


@pytest.mark.usefixtures("bot_app")
async def test_echo_round_trip(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice", username="alice")
    reply = await alice.ask_text("hello")
    assert reply.text == "echo: hello"
    assert reply.from_bot
    assert [e.text for e in alice.chat] == ["hello", "echo: hello"]


@pytest.mark.usefixtures("bot_app")
async def test_command_with_args_and_html(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice")
    await alice.send_command("start", "ABC123")
    (welcome,) = await alice.wait_for_bot()
    assert welcome.text == "Welcome, code ABC123"
    assert welcome.raw["entities"] == [{"type": "bold", "offset": 0, "length": 7}]
    assert welcome.buttons == [["Approve"], ["Return"]]
    assert "[1] Approve" in alice.transcript()


@pytest.mark.usefixtures("bot_app")
async def test_button_press_edits_message_and_shows_toast(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice")
    await alice.send_command("start")
    await alice.wait_for_bot()
    await alice.press("Return")
    (edit,) = await alice.wait_for_bot()
    toast = await alice.wait_for_toast()
    assert edit.action == "edit"
    assert edit.text == "Decision: back:7"
    assert edit.buttons == []  # an edit without reply_markup drops the keyboard
    assert toast["text"] == "got back:7"
    assert toast["show_alert"] is True
    assert alice.last_bot_message is not None
    assert alice.last_bot_message.edit_count == 1


@pytest.mark.usefixtures("bot_app")
async def test_press_unknown_label_lists_buttons(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice")
    await alice.send_command("start")
    await alice.wait_for_bot()
    with pytest.raises(EmulatorUsageError, match="Approve"):
        await alice.press("Reject")


@pytest.mark.usefixtures("bot_app")
async def test_wait_timeout_shows_transcript_and_settle(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice")
    await alice.ask_text("one")
    await emu.settle(quiet=0.1)
    with pytest.raises(BotDidNotAnswerError, match="echo: one"):
        await alice.wait_for_bot(timeout=0.2)


@pytest.mark.usefixtures("bot_app")
async def test_waiting_for_a_text_or_a_condition(emu: BotApiEmulator) -> None:
    alice = emu.person(1001, "Alice")
    await alice.send_command("start", "X1")
    await alice.send_text("hello")  # the welcome may come before or after this mark
    echo = await alice.wait_for_text("echo: hello")
    assert echo.text == "echo: hello"
    assert [e.text for e in alice.bot_messages] == ["Welcome, code X1", "echo: hello"]
    await alice.press("Approve")
    edited = await alice.wait_for_text("Decision: ok:7")  # an edit counts
    assert edited.message_id == alice.bot_messages[0].message_id and edited.buttons == []
    await alice.wait_until(lambda: len(alice.toasts) == 1, what="the callback answer")
    with pytest.raises(BotDidNotAnswerError, match=r"(?s)'no such text'.*Decision: ok:7"):
        await alice.wait_for_text("no such text", timeout=0.2)
    with pytest.raises(BotDidNotAnswerError, match="two answers"):
        await alice.wait_until(lambda: len(alice.toasts) == 2, 0.2, what="two answers")


async def test_answer_twice_and_not_modified(emu: BotApiEmulator, start_bot: StartBot) -> None:
    errors: list[str] = []

    async def answer_twice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        assert query.message is not None
        await query.answer("first")
        for action in (query.answer, lambda: query.edit_message_reply_markup(CHOICES)):
            try:
                await action()
            except BadRequest as exc:
                errors.append(exc.message)
        await context.bot.send_message(query.message.chat.id, "done")

    app = await start_bot(CallbackQueryHandler(answer_twice))
    alice = emu.person(1001, "Alice")
    sent = await app.bot.send_message(1001, "Pick", reply_markup=CHOICES)
    await alice.press("Approve")
    await alice.wait_for_bot()
    assert errors == [
        "Query is too old and response timeout expired or query id is invalid",
        "Message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message",
    ]
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("x", chat_id=1001, message_id=sent.message_id + 99)


async def test_reply_keyboard_and_reply_parameters(
    emu: BotApiEmulator, start_bot: StartBot
) -> None:
    app = await start_bot(poll=False)
    bob = emu.person(2002, "Bob")
    question = await app.bot.send_message(
        2002, "Which?", reply_markup=ReplyKeyboardMarkup([[KeyboardButton("A"), "B"]])
    )
    assert bob.reply_keyboard == [["A", "B"]]
    answer = await app.bot.send_message(
        2002, "Noted", reply_to_message_id=question.message_id, reply_markup=ReplyKeyboardRemove()
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.message_id == question.message_id
    assert bob.reply_keyboard is None
    with pytest.raises(BadRequest, match="Message text is empty"):
        await app.bot.send_message(2002, " ")
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.send_message(999, "who?")
    with pytest.raises(BadRequest, match="parse entities"):
        await app.bot.send_message(2002, "<b>open", parse_mode="HTML")
    deleted = await app.bot.send_message(2002, "gone soon")
    assert await app.bot.delete_message(2002, deleted.message_id)
    assert [e.text for e in bob.chat] == ["Which?", "Noted"]
