"""Turning parse_mode markup into plain text plus entities, as Telegram does.

Offsets and lengths are in UTF-16 code units. Markup Telegram would reject is rejected
with the same 400 "can't parse entities" answer, so a bot's escaping bugs show up in tests.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from awardbot.emulator.errors import bad_request

Entity = dict[str, Any]

_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "a": "text_link", "code": "code",
    "pre": "pre", "blockquote": "blockquote", "span": "spoiler", "tg-emoji": "custom_emoji",
}  # fmt: skip
_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_entities(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Plain text and entities for ``text`` under ``parse_mode`` (None = plain)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _MarkdownParser(text, strict=True).parse()
    if mode == "markdown":
        return _MarkdownParser(text, strict=False).parse()
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return text, []


def _fail(reason: str) -> Exception:
    return bad_request(f"can't parse entities: {reason}")


class _HtmlToEntities(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.units = 0
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[Entity] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.units += utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise _fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        self.stack.append((tag, self.units, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            expected = f'"</{self.stack[-1][0]}>"' if self.stack else "nothing"
            raise _fail(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected {expected}, found "</{tag}>"'
            )
        _, start, attrs = self.stack.pop()
        entity = self._entity(tag, start, attrs)
        if entity is not None:
            self.entities.append(entity)

    def _entity(self, tag: str, start: int, attrs: dict[str, str | None]) -> Entity | None:
        length = self.units - start
        if length == 0:
            return None
        kind = _HTML_TAGS[tag]
        if tag == "blockquote" and "expandable" in attrs:
            kind = "expandable_blockquote"
        entity: Entity = {"type": kind, "offset": start, "length": length}
        if tag == "a":
            entity["url"] = attrs.get("href") or ""
        if tag == "code" and self.stack and self.stack[-1][0] == "pre":
            language = (attrs.get("class") or "").removeprefix("language-")
            if language:
                self.stack[-1][2]["language"] = language
            return None
        if tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
        return entity

    def _byte_offset(self) -> int:
        return len("".join(self.parts).encode("utf-8"))


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    parser = _HtmlToEntities()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"')
    parser.entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), parser.entities


_MD_MARKERS = (("```", "pre"), ("||", "spoiler"), ("__", "underline"), ("*", "bold"),
               ("_", "italic"), ("~", "strikethrough"), ("`", "code"))  # fmt: skip


class _MarkdownParser:
    """MarkdownV2 (strict) and legacy Markdown (lenient) to text plus entities."""

    def __init__(self, text: str, *, strict: bool) -> None:
        self.src = text
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.offset = 0
        self.open: list[tuple[str, str, int]] = []  # marker, kind, offset
        self.entities: list[Entity] = []

    def parse(self) -> tuple[str, list[Entity]]:
        while self.pos < len(self.src):
            self._step()
        if self.open:
            raise _fail(f"Can't find end of the entity starting at byte offset {self.open[-1][2]}")
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.offset += utf16_len(chunk)

    def _step(self) -> None:
        src, pos = self.src, self.pos
        in_code = bool(self.open) and self.open[-1][1] in ("code", "pre")
        if src[pos] == "\\" and pos + 1 < len(src) and (self.strict or in_code):
            self._emit(src[pos + 1])
            self.pos += 2
            return
        if not in_code and src[pos] == "[":
            self._link()
            return
        for marker, kind in self._markers(in_code):
            if src.startswith(marker, pos):
                self._toggle(marker, kind)
                return
        if self.strict and not in_code and src[pos] in _MD2_RESERVED:
            raise _fail(
                f"Character '{src[pos]}' is reserved and must be escaped with the preceding '\\'"
            )
        self._emit(src[pos])
        self.pos += 1

    def _markers(self, in_code: bool) -> tuple[tuple[str, str], ...]:
        if in_code:
            return ((self.open[-1][0], self.open[-1][1]),)
        if self.strict:
            return _MD_MARKERS
        return tuple(m for m in _MD_MARKERS if m[0] in ("```", "*", "_", "`"))

    def _toggle(self, marker: str, kind: str) -> None:
        self.pos += len(marker)
        if self.open and self.open[-1][0] == marker:
            _, _, start = self.open.pop()
            if self.offset > start:
                entity: Entity = {"type": kind, "offset": start, "length": self.offset - start}
                self.entities.append(entity)
            return
        if kind == "pre":
            self._pre_language()
        self.open.append((marker, kind, self.offset))

    def _pre_language(self) -> None:
        end = self.src.find("\n", self.pos)
        if end > self.pos and " " not in self.src[self.pos : end]:
            self.pos = end + 1

    def _link(self) -> None:
        close = self.src.find("](", self.pos)
        end = self.src.find(")", close + 2) if close >= 0 else -1
        if close < 0 or end < 0:
            if self.strict:
                raise _fail("Character '[' is reserved and must be escaped with the preceding '\\'")
            self._emit("[")
            self.pos += 1
            return
        label, _ = _MarkdownParser(self.src[self.pos + 1 : close], strict=self.strict).parse()
        start = self.offset
        self._emit(label)
        url = self.src[close + 2 : end].replace("\\)", ")")
        self.entities.append(
            {"type": "text_link", "offset": start, "length": self.offset - start, "url": url}
        )
        self.pos = end + 1
