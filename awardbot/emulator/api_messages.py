"""Bot API text methods: send, edit, delete, callback answers, chat actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from awardbot.emulator.errors import (
    MESSAGE_TO_EDIT_NOT_FOUND,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    bad_request,
)
from awardbot.emulator.formatting import parse_entities, utf16_len
from awardbot.emulator.models import JSON, ChatRecord, StoredMessage
from awardbot.emulator.params import Params
from awardbot.emulator.state import EmulatorState

Handler = Callable[[EmulatorState, Params], Awaitable[Any]]
MAX_TEXT, MAX_CAPTION, MAX_CALLBACK_DATA = 4096, 1024, 64
_BUTTON_ACTIONS = ("callback_data", "url", "switch_inline_query", "copy_text", "web_app",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                   "login_url", "callback_game", "pay")  # fmt: skip
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                "upload_voice", "upload_document", "choose_sticker", "find_location",
                "record_video_note", "upload_video_note"}  # fmt: skip


def formatted_text(p: Params, field: str, *, limit: int) -> tuple[str | None, list[JSON]]:
    """The text or caption field with its entities, parse_mode applied and length checked."""
    raw = p.text(field)
    if raw is None:
        return None, []
    entities_field = "entities" if field == "text" else "caption_entities"
    explicit = p.obj(entities_field)
    text, entities = (raw, explicit) if explicit else parse_entities(raw, p.text("parse_mode"))
    if utf16_len(text) > limit:
        too_long = "message is too long" if field == "text" else "message caption is too long"
        raise bad_request(too_long)
    return text, entities


def inline_markup(chat: ChatRecord, markup: Any) -> JSON | None:
    """The inline keyboard kept on the message; reply keyboards change the chat instead."""
    if not markup:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        for row in rows:
            for button in row:
                _check_button(button)
        return {"inline_keyboard": rows} if any(rows) else None
    if "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup.get("remove_keyboard"):
        chat.reply_keyboard = None
    return None


def _check_button(button: JSON) -> None:
    if not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not any(key in button for key in _BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")


def reply_target(state: EmulatorState, p: Params, chat: ChatRecord) -> StoredMessage | None:
    """reply_parameters (or the older reply_to_message_id) resolved to a message."""
    params = p.obj("reply_parameters") or {}
    message_id = params.get("message_id") or p.integer("reply_to_message_id")
    if not message_id:
        return None
    target_chat = state.chat(params["chat_id"]) if params.get("chat_id") else chat
    target = state.message(target_chat, int(message_id))
    lenient = params.get("allow_sending_without_reply") or p.flag("allow_sending_without_reply")
    if target is None and not lenient:
        raise bad_request("message to be replied not found")
    return target


async def send_message(state: EmulatorState, p: Params) -> JSON:
    chat = state.writable_chat(p.chat_ref())
    text, entities = formatted_text(p, "text", limit=MAX_TEXT)
    if not text or not text.strip():
        raise bad_request("message text is empty")
    reply_to = reply_target(state, p, chat)
    markup = inline_markup(chat, p.obj("reply_markup"))
    msg = state.add_bot_message(
        chat, "sendMessage", text=text, entities=entities, reply_markup=markup, reply_to=reply_to
    )
    return msg.to_api()


def _editable(state: EmulatorState, p: Params) -> StoredMessage:
    if p.has("inline_message_id"):
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    chat = state.writable_chat(p.chat_ref())
    msg = state.message(chat, p.integer("message_id"))
    if msg is None:
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    if not msg.from_bot:
        raise bad_request("message can't be edited")
    return msg


async def edit_message_text(state: EmulatorState, p: Params) -> JSON:
    text, entities = formatted_text(p, "text", limit=MAX_TEXT)
    if not text or not text.strip():
        raise bad_request("message text is empty")
    msg = _editable(state, p)
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    # Like Telegram: an edit without reply_markup removes the inline keyboard.
    markup = inline_markup(msg.chat, p.obj("reply_markup"))
    if (text, entities, markup) == (msg.text, msg.entities, msg.reply_markup):
        raise bad_request(NOT_MODIFIED)
    msg.text, msg.entities, msg.reply_markup = text, entities, markup
    state.record_edit(msg, "editMessageText")
    return msg.to_api()


async def edit_message_caption(state: EmulatorState, p: Params) -> JSON:
    caption, entities = formatted_text(p, "caption", limit=MAX_CAPTION)
    msg = _editable(state, p)
    if msg.media_kind is None:
        raise bad_request("there is no caption in the message to edit")
    markup = inline_markup(msg.chat, p.obj("reply_markup"))
    if (caption, entities, markup) == (msg.caption, msg.caption_entities, msg.reply_markup):
        raise bad_request(NOT_MODIFIED)
    msg.caption, msg.caption_entities, msg.reply_markup = caption, entities, markup
    state.record_edit(msg, "editMessageCaption")
    return msg.to_api()


async def edit_message_reply_markup(state: EmulatorState, p: Params) -> JSON:
    msg = _editable(state, p)
    markup = inline_markup(msg.chat, p.obj("reply_markup"))
    if markup == msg.reply_markup:
        raise bad_request(NOT_MODIFIED)
    msg.reply_markup = markup
    state.record_edit(msg, "editMessageReplyMarkup")
    return msg.to_api()


async def delete_message(state: EmulatorState, p: Params) -> bool:
    chat = state.chat(p.chat_ref())
    msg = state.message(chat, p.integer("message_id"))
    if msg is None:
        raise bad_request("message to delete not found")
    msg.deleted = True
    chat.pulse.fire()
    return True


async def delete_messages(state: EmulatorState, p: Params) -> bool:
    chat = state.chat(p.chat_ref())
    for message_id in p.obj("message_ids") or []:
        msg = state.message(chat, int(message_id))
        if msg is not None:
            msg.deleted = True
    chat.pulse.fire()
    return True


async def answer_callback_query(state: EmulatorState, p: Params) -> bool:
    query = state.queries.get(p.text("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(QUERY_TOO_OLD)
    text = p.text("text")
    if text and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    chat = state.chats[query.chat_id]
    toast = {"query_id": query.id, "text": text, "show_alert": p.flag("show_alert"),
             "url": p.text("url")}  # fmt: skip
    chat.toasts.append(toast)
    chat.pulse.fire()
    return True


async def send_chat_action(state: EmulatorState, p: Params) -> bool:
    chat = state.writable_chat(p.chat_ref())
    action = p.text("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.chat_action = action
    return True


MESSAGE_METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
}
