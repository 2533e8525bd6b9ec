"""Reading Bot API parameters from JSON, url-encoded and multipart requests.

python-telegram-bot sends form data in which every non-string value is JSON-encoded
(``true``, ``5``, ``{"inline_keyboard": ...}``); a JSON body carries real types. The
typed getters accept both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from awardbot.emulator.errors import bad_request


@dataclass(frozen=True)
class UploadedFile:
    """One multipart file part."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Typed access to one request's parameters."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def obj(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def required_int(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def chat_ref(self, name: str = "chat_id") -> int | str:
        """A chat id as int, or an ``@username`` string."""
        value = self.values.get(name)
        if value in (None, ""):
            raise bad_request("chat_id is empty")
        text = str(value)
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def file(self, name: str) -> UploadedFile | str | None:
        """An uploaded part named ``name``, or the string (file_id, URL, attach://…)."""
        if name in self.files:
            return self.files[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.attached(value)
        return value if isinstance(value, str) else None

    def attached(self, uri: str) -> UploadedFile:
        part = self.files.get(uri.removeprefix("attach://"))
        if part is None:
            raise bad_request(f"file for {uri} was not found in the request")
        return part


async def read_params(request: web.Request) -> Params:
    """Merge the query string and the body, whatever its encoding."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    ctype = request.content_type
    if ctype == "application/json":
        body = await request.read()
        if body:
            try:
                loaded = json.loads(body)
            except json.JSONDecodeError:
                raise bad_request("can't parse JSON request body") from None
            if isinstance(loaded, dict):
                values.update(loaded)
    elif ctype == "application/x-www-form-urlencoded":
        values.update(await request.post())
    elif ctype.startswith("multipart/"):
        await _read_multipart(request, values, files)
    return Params(values, files)


async def _read_multipart(
    request: web.Request, values: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = await part.read(decode=True)
        if part.filename is not None:
            # aiohttp hands a UTF-8 file name back percent-encoded; Telegram keeps the
            # name as sent (三牛奖-2026Q4.xlsx).
            files[part.name] = UploadedFile(
                bytes(data), unquote(part.filename), part.headers.get("Content-Type")
            )
        else:
            values[part.name] = bytes(data).decode("utf-8")
