"""Callback data, built and parsed in one place; buttons are routed by it, never by label.

Format: ``<kind>:<field>:<field>…`` — ASCII, at most 64 bytes (the Bot API's limit).
Parsing is strict: anything malformed or unknown is ``None``, and the handler treats it as
a stale or forged button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")
ID_MAX = 2**63 - 1  # ids are 64-bit in the database: anything larger is forged


class CallbackDataError(ValueError):
    pass


@dataclass(frozen=True)
class CallbackData:
    kind: str
    fields: tuple[str, ...] = ()

    def encode(self) -> str:
        parts = (self.kind, *self.fields)
        for part in parts:
            if not _SAFE.match(part):
                raise CallbackDataError(f"unsafe callback field {part!r}")
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackDataError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    def int_field(self, index: int) -> int | None:
        """A field as a database id or number: digits only, 0 … 2⁶³−1; else None."""
        try:
            field = self.fields[index]
        except IndexError:
            return None
        if not field.isdigit() or len(field) > 19:
            return None
        value = int(field)
        return value if value <= ID_MAX else None


def decode(data: str | None, kind: str, arity: int) -> CallbackData | None:
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if parts[0] != kind or len(parts) != arity + 1:
        return None
    if not all(_SAFE.match(part) for part in parts):
        return None
    return CallbackData(kind, tuple(parts[1:]))


def pattern(kind: str) -> str:
    """The regex a CallbackQueryHandler uses to receive this kind of button."""
    return rf"^{re.escape(kind)}(:|$)"
