"""The message vocabulary: what workflow says to people, as catalogue references.

A :class:`Text` is a catalogue key and its parameters (which may be texts themselves, or
names in both languages), rendered in the reader's language only when shown; a
:class:`Message` is a text with its buttons and the files that go before it. The chat layer
renders them for a direct answer, the sender for the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awardbot.i18n import Catalogue


@dataclass(frozen=True)
class Text:
    """A reference to a catalogue text, rendered in the recipient's language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"$text": self.key, "params": {k: encode(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class Button:
    label: Text
    callback_data: str


def encode(value: Any) -> Any:
    return value.to_json() if isinstance(value, Text) else value


def names(zh: str, en: str) -> dict[str, Any]:
    """A parameter given in both languages (award and unit names from the rule book)."""
    return {"$names": {"zh": zh, "en": en}}


def render(catalogue: Catalogue, lang: str, value: Any) -> str:
    """Render a :class:`Text`, its JSON form, or a plain value in ``lang``."""
    if isinstance(value, Text):
        value = value.to_json()
    if isinstance(value, dict) and "$text" in value:
        params = {k: render(catalogue, lang, v) for k, v in value.get("params", {}).items()}
        return catalogue.text(lang, value["$text"], **params)
    if isinstance(value, dict) and "$names" in value:
        return str(value["$names"].get(lang) or value["$names"].get("zh", ""))
    if isinstance(value, list):
        return ", ".join(render(catalogue, lang, item) for item in value)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Media:
    """A file sent before the text: one already on Telegram's side (its ``file_id``), or
    one the bot made and keeps in its file store (``sha256``), uploaded as ``name``."""

    kind: str  # "photo" | "document"
    file_id: str = ""
    sha256: str | None = None
    name: str = ""

    def payload(self) -> dict[str, str]:
        if self.sha256 is not None:
            return {"kind": self.kind, "sha256": self.sha256, "name": self.name}
        return {"kind": self.kind, "file_id": self.file_id}


@dataclass(frozen=True)
class Message:
    """A text with its buttons and the files before it; or, with ``replaces``, new words
    (and buttons) for a message already in the recipient's chat."""

    text: Text
    buttons: tuple[tuple[Button, ...], ...] = ()
    media: tuple[Media, ...] = ()
    replaces: int | None = None  # the chat's message id to edit instead of sending

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "text": self.text.to_json(),
            "buttons": [
                [{"label": b.label.to_json(), "data": b.callback_data} for b in row]
                for row in self.buttons
            ],
            "media": [m.payload() for m in self.media],
        }
        if self.replaces is not None:
            payload["replaces"] = self.replaces
        return payload
