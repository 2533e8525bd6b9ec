"""Stored files: ids, paths for getFile and download, photo size sets."""

from __future__ import annotations

import hashlib
import mimetypes
import struct
from dataclasses import dataclass
from pathlib import Path

from awardbot.emulator.errors import bad_request
from awardbot.emulator.models import JSON

_FOLDERS = {"photo": "photos", "document": "documents", "voice": "voice",
            "sticker": "stickers", "video": "videos", "audio": "music"}  # fmt: skip
_DEFAULT_EXT = {"photo": ".jpg", "voice": ".oga", "sticker": ".webp", "video": ".mp4"}
FILE_TOO_BIG = 20 * 1024 * 1024  # getFile refuses larger files, as the real Bot API does


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

    def to_api_file(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """Files sent by people or uploaded by the bot, addressable by file_id and path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._photo_sets: dict[str, list[JSON]] = {}
        self._media: dict[str, JSON] = {}
        self._counter = 0

    def add(
        self, kind: str, data: bytes, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        self._counter += 1
        digest = hashlib.sha256(data).hexdigest()
        ext = Path(file_name).suffix if file_name else _DEFAULT_EXT.get(kind, "")
        stored = StoredFile(
            file_id=f"{kind[:3].upper()}-{self._counter:06d}-{digest[:24]}",
            file_unique_id=f"U{digest[:15]}{self._counter}",
            kind=kind,
            data=data,
            file_path=f"{_FOLDERS.get(kind, 'files')}/file_{self._counter}{ext}",
            file_name=file_name,
            mime_type=mime_type or (mimetypes.guess_type(file_name)[0] if file_name else None),
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile:
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        return stored

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def add_photo(self, data: bytes) -> list[JSON]:
        """Three PhotoSizes, largest last; the largest holds the real bytes.

        Without an image library the smaller sizes carry the same bytes, under their own
        file ids and nominal dimensions, so getFile and download work for each.
        """
        width, height = image_size(data) or (1280, 960)
        sizes: list[JSON] = []
        for side in (90, 320, max(width, height)):
            scale = min(1.0, side / max(width, height))
            stored = self.add("photo", data)
            sizes.append({
                "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "width": max(1, round(width * scale)), "height": max(1, round(height * scale)),
                "file_size": len(data),
            })  # fmt: skip
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return sizes

    def photo_set(self, file_id: str) -> list[JSON]:
        sizes = self._photo_sets.get(file_id)
        if sizes is None:
            kind = self.get(file_id).kind
            raise bad_request(f"can't use file of type {kind.capitalize()} as Photo")
        return sizes

    def media_object(self, stored: StoredFile, extra: JSON | None = None) -> JSON:
        """The Document/Voice/Sticker object for ``stored``, remembered for resends."""
        if stored.file_id in self._media:
            return dict(self._media[stored.file_id])
        obj: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        if stored.file_name and stored.kind in ("document", "audio", "video"):
            obj["file_name"] = stored.file_name
        if stored.mime_type and stored.kind != "sticker":
            obj["mime_type"] = stored.mime_type
        obj.update(extra or {})
        self._media[stored.file_id] = obj
        return dict(obj)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, read from its header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None
