"""What a person sees: chat entries, toasts and a readable transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awardbot.emulator.models import BotAction, ChatRecord, StoredMessage


@dataclass(frozen=True)
class ChatEntry:
    """One message as it looks now (or, for wait results, at the moment of the action)."""

    message_id: int
    from_bot: bool
    sender: str
    text: str | None  # the text, or the caption of a media message
    kind: str  # text | photo | document | sticker | voice | video | audio
    buttons: list[list[str]] = field(default_factory=list)
    edit_count: int = 0
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    file_id: str | None = None  # the largest size for photos
    file_name: str | None = None
    action: str | None = None  # "message" | "edit" for wait_for_bot results
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def labels(self) -> list[str]:
        return [label for row in self.buttons for label in row]

    def callback_data(self, label: str) -> str | None:
        for row in (self.raw.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("text") == label:
                    return button.get("callback_data")
        return None

    def __str__(self) -> str:
        return render_entry(self)


def entry_from(msg: StoredMessage, action: str | None = None) -> ChatEntry:
    sender = "bot" if msg.from_bot else (msg.sender.first_name if msg.sender else "channel")
    file_id, file_name = None, None
    if msg.media_kind == "photo":
        file_id = msg.media[-1]["file_id"]
    elif msg.media_kind:
        file_id, file_name = msg.media.get("file_id"), msg.media.get("file_name")
    return ChatEntry(
        message_id=msg.message_id,
        from_bot=msg.from_bot,
        sender=sender,
        text=msg.text if msg.text is not None else msg.caption,
        kind=msg.media_kind or "text",
        buttons=msg.button_rows(),
        edit_count=msg.edit_count,
        media_group_id=msg.media_group_id,
        reply_to_message_id=msg.reply_to.message_id if msg.reply_to else None,
        file_id=file_id,
        file_name=file_name,
        action=action,
        raw=msg.to_api(),
    )


def entry_from_action(action: BotAction) -> ChatEntry:
    return entry_from(action.message, action.kind)


def visible_entries(chat: ChatRecord) -> list[ChatEntry]:
    return [entry_from(m) for m in chat.messages.values() if not m.deleted]


def render_entry(entry: ChatEntry) -> str:
    head = f"#{entry.message_id} {entry.sender}:"
    if entry.kind != "text":
        head += f" [{entry.kind}{': ' + entry.file_name if entry.file_name else ''}]"
    if entry.text:
        head += " " + entry.text.replace("\n", "\n    ")
    if entry.edit_count:
        head += f"  (edited ×{entry.edit_count})"
    lines = [head]
    number = 0
    for row in entry.buttons:
        cells = []
        for label in row:
            number += 1
            cells.append(f"[{number}] {label}")
        lines.append("    " + "  ".join(cells))
    return "\n".join(lines)


def render_transcript(chat: ChatRecord) -> str:
    lines = [render_entry(entry) for entry in visible_entries(chat)]
    for toast in chat.toasts:
        if toast.get("text"):
            kind = "alert" if toast.get("show_alert") else "toast"
            lines.append(f"  ({kind}: {toast['text']})")
    if chat.reply_keyboard:
        rows = [[_label(b) for b in row] for row in chat.reply_keyboard.get("keyboard", [])]
        lines.append("  keyboard: " + " | ".join(", ".join(row) for row in rows))
    return "\n".join(lines) if lines else "(no messages)"


def _label(button: Any) -> str:
    return button.get("text", "") if isinstance(button, dict) else str(button)
