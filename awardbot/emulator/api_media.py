"""Bot API media methods: photos, documents, voice, stickers, albums, getFile."""

from __future__ import annotations

import itertools
from typing import Any

import aiohttp

from awardbot.emulator.api_messages import (
    MAX_CAPTION,
    Handler,
    formatted_text,
    inline_markup,
    reply_target,
)
from awardbot.emulator.errors import bad_request
from awardbot.emulator.files import FILE_TOO_BIG
from awardbot.emulator.params import Params, UploadedFile
from awardbot.emulator.state import EmulatorState

_EXTRA: dict[str, dict[str, Any]] = {
    "voice": {"duration": 1},
    "audio": {"duration": 1},
    "video": {"duration": 1, "width": 640, "height": 360},
    "sticker": {"width": 512, "height": 512, "is_animated": False, "is_video": False,
                "type": "regular", "emoji": "👍"},
}  # fmt: skip
_group_ids = itertools.count(13_000_000_000_000_001)


async def _fetch(url: str) -> UploadedFile:
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as resp:
            resp.raise_for_status()
            data = await resp.read()
            return UploadedFile(data, url.rsplit("/", 1)[-1] or None, resp.content_type)
    except (aiohttp.ClientError, TimeoutError):
        raise bad_request("wrong file identifier/HTTP URL specified") from None


async def media_payload(state: EmulatorState, value: UploadedFile | str | None, kind: str) -> Any:
    """The PhotoSize list (photos) or the media object for an upload, URL or file_id."""
    if value is None or value == "":
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        value = await _fetch(value)
    if isinstance(value, UploadedFile):
        if kind == "photo":
            if not value.data:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return state.files.add_photo(value.data)
        stored = state.files.add(kind, value.data, value.filename, value.content_type)
        return state.files.media_object(stored, _EXTRA.get(kind))
    if kind == "photo":
        return state.files.photo_set(value)
    stored = state.files.get(value)
    if stored.kind != kind:
        raise bad_request(
            f"can't use file of type {stored.kind.capitalize()} as {kind.capitalize()}"
        )
    return state.files.media_object(stored)


def _media_sender(kind: str, method: str) -> Handler:
    async def send(state: EmulatorState, p: Params) -> Any:
        chat = state.writable_chat(p.chat_ref())
        caption, entities = formatted_text(p, "caption", limit=MAX_CAPTION)
        media = await media_payload(state, p.file(kind), kind)
        reply_to = reply_target(state, p, chat)
        markup = inline_markup(chat, p.obj("reply_markup"))
        msg = state.add_bot_message(
            chat, method, caption=caption, caption_entities=entities, media_kind=kind,
            media=media, reply_markup=markup, reply_to=reply_to,
        )  # fmt: skip
        return msg.to_api()

    send.__name__ = f"send_{kind}"
    return send


async def send_media_group(state: EmulatorState, p: Params) -> list[Any]:
    chat = state.writable_chat(p.chat_ref())
    items = p.obj("media")
    if not isinstance(items, list) or not 2 <= len(items) <= 10:
        raise bad_request("wrong number of media in the media group: must be 2-10")
    reply_to = reply_target(state, p, chat)
    prepared = [await _album_item(state, p, item) for item in items]
    group_id = str(next(_group_ids))
    messages = []
    for kind, media, caption, entities in prepared:
        msg = state.add_bot_message(
            chat, "sendMediaGroup", caption=caption, caption_entities=entities,
            media_kind=kind, media=media, reply_to=reply_to, media_group_id=group_id,
        )  # fmt: skip
        messages.append(msg.to_api())
    return messages


async def _album_item(state: EmulatorState, p: Params, item: Any) -> tuple[str, Any, Any, Any]:
    kind = item.get("type") if isinstance(item, dict) else None
    if kind not in ("photo", "video", "document", "audio"):
        raise bad_request("wrong media type in the media group")
    value: UploadedFile | str | None = item.get("media")
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.attached(value)
    media = await media_payload(state, value, kind)
    fields = {"caption": item.get("caption"), "parse_mode": item.get("parse_mode"),
              "caption_entities": item.get("caption_entities")}  # fmt: skip
    caption, entities = formatted_text(Params(fields, {}), "caption", limit=MAX_CAPTION)
    return kind, media, caption, entities


async def get_file(state: EmulatorState, p: Params) -> dict[str, Any]:
    stored = state.files.get(p.text("file_id") or "")
    if len(stored.data) > FILE_TOO_BIG:
        raise bad_request("file is too big")
    return stored.to_api_file()


MEDIA_METHODS: dict[str, Handler] = {
    "sendPhoto": _media_sender("photo", "sendPhoto"),
    "sendDocument": _media_sender("document", "sendDocument"),
    "sendVoice": _media_sender("voice", "sendVoice"),
    "sendAudio": _media_sender("audio", "sendAudio"),
    "sendVideo": _media_sender("video", "sendVideo"),
    "sendSticker": _media_sender("sticker", "sendSticker"),
    "sendMediaGroup": send_media_group,
    "getFile": get_file,
}
