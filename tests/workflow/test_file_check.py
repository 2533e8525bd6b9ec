from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest

from awardbot.storage.file_check import (
    DOCX_MIME,
    FileCheck,
    FileRefusal,
    check_declared_size,
    check_file,
)
from tests.workflow import samples

MB = 1024 * 1024


def check(data: bytes, name: str | None = None, mime: str | None = None) -> FileCheck:
    result = check_file(data, declared_name=name, declared_mime=mime, max_bytes=20 * MB)
    assert isinstance(result, FileCheck), result
    return result


def refusal(data: bytes, name: str | None = None, max_bytes: int = 20 * MB) -> FileRefusal:
    result = check_file(data, declared_name=name, declared_mime=None, max_bytes=max_bytes)
    assert isinstance(result, FileRefusal), result
    return result


ACCEPTED: list[tuple[Callable[[], bytes], str, str, str]] = [
    (samples.jpeg, "image", "image/jpeg", "jpg"),
    (samples.png, "image", "image/png", "png"),
    (samples.webp, "image", "image/webp", "webp"),
    (samples.gif, "image", "image/gif", "gif"),
    (lambda: samples.ftyp(b"heic", b"mif1", b"heic"), "image", "image/heic", "heic"),
    (lambda: samples.ftyp(b"mif1", b"mif1", b"heic"), "image", "image/heic", "heic"),
    (lambda: samples.ftyp(b"mif1", b"mif1", b"miaf"), "image", "image/heif", "heif"),
    (samples.pdf, "document", "application/pdf", "pdf"),
    (samples.docx, "document", DOCX_MIME, "docx"),
    (samples.doc, "document", "application/msword", "doc"),
]


@pytest.mark.parametrize(("make", "kind", "mime", "extension"), ACCEPTED)
def test_type_comes_from_content_not_name(
    make: Callable[[], bytes], kind: str, mime: str, extension: str
) -> None:
    data = make()
    result = check(data, name="misleading.exe", mime="application/x-msdownload")
    assert (result.kind, result.mime_type, result.extension) == (kind, mime, extension)
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.name_mismatch
    assert result.mime_mismatch
    assert result.display_name == f"misleading.{extension}"


@pytest.mark.parametrize(("make", "kind", "mime", "extension"), ACCEPTED)
def test_matching_name_and_mime_are_not_flagged(
    make: Callable[[], bytes], kind: str, mime: str, extension: str
) -> None:
    result = check(make(), name=f"佐证材料.{extension.upper()}", mime=mime)
    assert not result.name_mismatch
    assert not result.mime_mismatch


def test_pdf_named_jpg_is_accepted_as_pdf() -> None:
    result = check(samples.pdf(), name="photo.jpg", mime="image/jpeg")
    assert result.mime_type == "application/pdf"
    assert result.name_mismatch
    assert result.mime_mismatch
    assert result.display_name == "photo.pdf"


def test_common_aliases_are_not_mismatches() -> None:
    result = check(samples.jpeg(), name="IMG_0001.jpeg", mime="image/jpg")
    assert not result.name_mismatch
    assert not result.mime_mismatch


def test_telegram_photo_without_name_or_mime() -> None:
    result = check(samples.jpeg())
    assert not result.name_mismatch
    assert not result.mime_mismatch
    assert result.display_name == "evidence.jpg"


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.pdf"),
        ("C:\\Users\\张三\\感谢信.docx", "感谢信.pdf"),
        ("no-extension", "no-extension.pdf"),
        ("...", "evidence.pdf"),
        ("bad\x00name\n.jpg", "badname.pdf"),
    ],
)
def test_display_name_keeps_only_a_safe_stem(declared: str, expected: str) -> None:
    assert check(samples.pdf(), name=declared).display_name == expected


def test_empty_file_is_refused() -> None:
    assert refusal(b"") == FileRefusal("empty", {})


def test_too_large_names_the_limit_in_mb() -> None:
    result = refusal(samples.pdf() + bytes(20 * MB), max_bytes=20 * MB)
    assert result.code == "too_large"
    assert result.params["limit_mb"] == "20"
    assert result.params["size_mb"] == "20.1"
    assert result.params["limit_bytes"] == 20 * MB


def test_exactly_the_limit_is_accepted() -> None:
    data = samples.pdf()
    result = check_file(data, declared_name=None, declared_mime=None, max_bytes=len(data))
    assert isinstance(result, FileCheck)


def test_fractional_limit_is_shown_with_one_decimal() -> None:
    result = refusal(bytes(3 * MB), max_bytes=MB + MB // 2)
    assert (result.params["limit_mb"], result.params["size_mb"]) == ("1.5", "3")


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (samples.zip_of({"hello.txt": b"hi"}), "zip"),
        (samples.zip_of({"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<x/>"}), "xlsx"),
        (samples.zip_of({"word/document.xml": b"<x/>", "word/vbaProject.bin": b"x"}), "docm"),
        (b"PK\x03\x04" + b"broken" * 10, "zip"),
        (samples.exe(), "exe"),
        (b"\x7fELF\x02\x01\x01" + bytes(57), "elf"),
        ("这是一段纯文本，不是佐证材料。".encode(), "text"),
        (b"#!/bin/sh\nrm -rf /\n", "text"),
        (samples.ole2("Workbook"), "ole2"),
        (samples.ftyp(b"avif", b"mif1", b"avif"), "avif"),
        (bytes(range(1, 256)) * 4, "binary"),
        (b"GIF", "text"),
        (b"\x89PNG\x00\x00\x00\x00", "binary"),
    ],
)
def test_unsupported_content_is_refused(data: bytes, detected: str) -> None:
    assert refusal(data, name="evidence.pdf") == FileRefusal(
        "unsupported_type", {"detected": detected}
    )


def test_pdf_marker_must_be_at_the_start() -> None:
    assert refusal(samples.exe() + samples.pdf()).code == "unsupported_type"


def test_declared_size_check_before_download() -> None:
    assert check_declared_size(None, 20 * MB) is None
    assert check_declared_size(20 * MB, 20 * MB) is None
    refused = check_declared_size(25 * MB, 20 * MB)
    assert refused is not None
    assert refused.code == "too_large"
    assert refused.params["limit_mb"] == "20"
    assert refused.params["size_mb"] == "25"


@pytest.mark.parametrize("limit", [0, -1])
def test_limit_must_be_positive(limit: int) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        check_file(b"x", declared_name=None, declared_mime=None, max_bytes=limit)
    with pytest.raises(ValueError, match="max_bytes"):
        check_declared_size(1, limit)
