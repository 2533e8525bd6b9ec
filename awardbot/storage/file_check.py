"""Evidence files (佐证材料) checked by their content, never by the name they arrived with.

A file's type is what its bytes say: magic numbers via ``filetype`` plus explicit checks
for the document formats (``%PDF-``; DOCX is a ZIP holding ``word/document.xml``; a
legacy DOC is an OLE2 compound file holding a ``WordDocument`` stream). A PDF named
``photo.jpg`` is accepted as a PDF and flagged ``name_mismatch``; an executable named
``report.pdf`` is refused. Refusals are a code plus parameters; the chat layer words
them from its catalogue.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Literal

import filetype

Kind = Literal["image", "document"]

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
"""The cloud Bot API's getFile limit; a self-hosted Bot API server allows more."""

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ZIP_MAGIC = b"PK\x03\x04"
_HEIC_BRANDS = frozenset({"heic", "heix", "heim", "heis", "hevc", "hevx"})
_HEIF_BRANDS = frozenset({"mif1", "msf1"})
_MIB = 1024 * 1024
_FULL_SIGNATURES = {
    # filetype matches these on 3-4 bytes; a real file has the whole signature.
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class _Accepted:
    kind: Kind
    extension: str
    other_extensions: tuple[str, ...] = ()


ACCEPTED: dict[str, _Accepted] = {
    "image/jpeg": _Accepted("image", "jpg", ("jpeg", "jpe", "jfif")),
    "image/png": _Accepted("image", "png"),
    "image/webp": _Accepted("image", "webp"),
    "image/gif": _Accepted("image", "gif"),
    "image/heic": _Accepted("image", "heic", ("heif",)),
    "image/heif": _Accepted("image", "heif", ("heic",)),
    "application/pdf": _Accepted("document", "pdf"),
    DOCX_MIME: _Accepted("document", "docx"),
    "application/msword": _Accepted("document", "doc", ("dot",)),
}
"""Accepted MIME type → kind and canonical extension (plus names that mean the same)."""


@dataclass(frozen=True)
class FileCheck:
    """An accepted file: what its content is, whatever it was called."""

    kind: Kind
    mime_type: str
    extension: str
    size: int
    sha256: str
    declared_name: str | None = None
    name_mismatch: bool = False
    mime_mismatch: bool = False

    @property
    def display_name(self) -> str:
        """The declared name's stem (no directories) with the detected extension."""
        stem = _base_name(self.declared_name).rsplit(".", 1)[0] if self.declared_name else ""
        stem = "".join(ch for ch in stem if ch.isprintable()).strip(" .") or "evidence"
        return f"{stem[:120]}.{self.extension}"


@dataclass(frozen=True)
class FileRefusal:
    """Why a file was refused: a catalogue code and the values its text needs.

    Codes: ``empty``; ``too_large`` (``limit_mb``, ``size_mb`` as display strings,
    ``limit_bytes``, ``size_bytes``); ``unsupported_type`` (``detected``: a short
    label of what the content looked like, e.g. ``exe``, ``zip``, ``text``).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def check_declared_size(size: int | None, max_bytes: int) -> FileRefusal | None:
    """Refuse before downloading when Telegram already says the file is too big.

    An unknown size (Telegram omits it sometimes) passes; the content check after
    the download has the last word.
    """
    _require_positive(max_bytes)
    if size is not None and size > max_bytes:
        return _too_large(size, max_bytes)
    return None


def check_file(
    data: bytes, *, declared_name: str | None, declared_mime: str | None, max_bytes: int
) -> FileCheck | FileRefusal:
    """Accept or refuse a downloaded file by its content."""
    _require_positive(max_bytes)
    if not data:
        return FileRefusal("empty", {})
    if len(data) > max_bytes:
        return _too_large(len(data), max_bytes)
    mime, label = detect(data)
    accepted = ACCEPTED.get(mime) if mime else None
    if mime is None or accepted is None:
        return FileRefusal("unsupported_type", {"detected": label})
    return FileCheck(
        kind=accepted.kind,
        mime_type=mime,
        extension=accepted.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        declared_name=declared_name,
        name_mismatch=_name_mismatch(declared_name, accepted),
        mime_mismatch=_mime_mismatch(declared_mime, mime, accepted),
    )


def detect(data: bytes) -> tuple[str | None, str]:
    """The content's MIME type (None when not recognised) and a short label for it."""
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(_OLE2_MAGIC):
        return _detect_ole2(data)
    if data.startswith(_ZIP_MAGIC):
        return _detect_zip(data)
    heif = _detect_heif(data)
    if heif is not None:
        return heif, heif.removeprefix("image/")
    guess = filetype.guess(data)
    if guess is None:
        return None, _unknown_label(data)
    if not data.startswith(_FULL_SIGNATURES.get(guess.mime, b"")):
        return None, _unknown_label(data)
    return guess.mime, guess.extension


def _detect_ole2(data: bytes) -> tuple[str | None, str]:
    # OLE2 also holds XLS, PPT, MSI and Outlook messages; only Word has this stream.
    if _WORD_STREAM in data:
        return "application/msword", "doc"
    guess = filetype.guess(data)
    return None, guess.extension if guess is not None else "ole2"


def _detect_zip(data: bytes) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None, "zip"
    if "word/document.xml" in names:
        # Macro-enabled Word files (.docm) carry the same part plus the VBA project.
        if "word/vbaProject.bin" in names:
            return None, "docm"
        return DOCX_MIME, "docx"
    guess = filetype.guess(data)
    return None, guess.extension if guess is not None else "zip"


def _detect_heif(data: bytes) -> str | None:
    """HEIC/HEIF from the ISO-BMFF ``ftyp`` box (brands as phones write them)."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return None
    box_size = min(int.from_bytes(data[0:4], "big"), len(data))
    brands = {data[8:12].decode("latin-1")}
    brands.update(
        data[offset : offset + 4].decode("latin-1") for offset in range(16, box_size - 3, 4)
    )
    if brands & _HEIC_BRANDS:
        return "image/heic"
    if brands & _HEIF_BRANDS and not brands & {"avif", "avis"}:
        return "image/heif"
    return None


def _unknown_label(data: bytes) -> str:
    sample = data[:4096]
    if b"\x00" in sample:
        return "binary"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sample's end is still text.
        if exc.start < len(sample) - 3:
            return "binary"
    return "text"


def _base_name(name: str) -> str:
    return PureWindowsPath(PurePosixPath(name).name).name


def _name_mismatch(declared_name: str | None, accepted: _Accepted) -> bool:
    if not declared_name:
        return False
    base = _base_name(declared_name)
    suffix = base.rsplit(".", 1)[1].lower() if "." in base else ""
    return suffix not in (accepted.extension, *accepted.other_extensions)


def _mime_mismatch(declared: str | None, mime: str, accepted: _Accepted) -> bool:
    if not declared:
        return False
    declared = declared.split(";", 1)[0].strip().lower()
    if declared in {"image/jpg", "image/pjpeg"}:
        declared = "image/jpeg"
    if accepted.kind == "image" and mime in {"image/heic", "image/heif"}:
        return declared not in {"image/heic", "image/heif"}
    return declared != mime


def _too_large(size: int, max_bytes: int) -> FileRefusal:
    return FileRefusal(
        "too_large",
        {
            "limit_mb": _megabytes(max_bytes, ROUND_HALF_UP),
            # Rounded up, so a file just over a whole-MB limit never reads as equal to it.
            "size_mb": _megabytes(size, ROUND_UP),
            "limit_bytes": max_bytes,
            "size_bytes": size,
        },
    )


def _megabytes(size: int, rounding: str) -> str:
    """MiB with at most one decimal, trailing zero dropped (20, 20.5)."""
    value = (Decimal(size) / _MIB).quantize(Decimal("0.1"), rounding=rounding)
    return f"{value:f}".removesuffix(".0")


def _require_positive(max_bytes: int) -> None:
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
