"""What the broadcast use cases hand back, their states, and the checks they share.

A broadcast moves ``composing`` (waiting for its text) → ``draft`` (choosing the audience,
previewing) → ``sending`` ⇄ ``paused`` → ``done``; or, by its admin's hand, to
``cancelling`` (the messages in flight finish) → ``cancelled``; a draft given up is
``discarded``. Every change is one guarded UPDATE, so a button pressed twice, or a
replayed one, changes the state once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Broadcast
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal

COMPOSING, DRAFT, DISCARDED = "composing", "draft", "discarded"
SENDING, PAUSED, CANCELLING = "sending", "paused", "cancelling"
DONE, CANCELLED = "done", "cancelled"
UNFINISHED = (SENDING, PAUSED, CANCELLING)
CONFIRMED = (*UNFINISHED, DONE, CANCELLED)
# A /broadcast left waiting for its text stops catching the admin's messages after this.
COMPOSE_TTL = timedelta(hours=1)
BODY = "broadcast.body"  # the recipients' message: the admin's text, nothing added





@dataclass(frozen=True)
class Choice:
    """A button: the handler encodes ``action`` and ``arg`` with the broadcast's id."""

    label: Text | str
    action: str
    arg: str = "0"


@dataclass(frozen=True)
class Card:
    """The admin's screen: ``text`` with buttons; ``preview`` (the photo's file_id, if any,
    and the text exactly as recipients get it) goes first; ``edit`` replaces the pressed
    message instead of sending a new one."""

    broadcast_id: int
    text: Text
    choices: tuple[tuple[Choice, ...], ...] = ()
    edit: bool = True
    preview: Preview | None = None
    notice: Text | None = field(default=None)  # a short toast for the press


@dataclass(frozen=True)
class Preview:
    photo: str | None
    text: Text


def body(content: dict[str, Any]) -> Text:
    return Text(BODY, {"body": str(content.get("text") or "")})


def fingerprint(row: Broadcast) -> str:
    """Names the exact audience and content a preview showed; its confirm button carries
    it, so an older preview's button cannot confirm what the draft has become."""
    content = {k: row.content.get(k) for k in ("text", "photo")}
    data = json.dumps([row.audience, content], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:12]


def stale() -> Refusal:
    return Refusal(Text("broadcast.stale"))


async def owned(
    session: AsyncSession, broadcast_id: int, staff_id: int, *, lock: bool = False
) -> Broadcast:
    """The admin's own broadcast (locked on PostgreSQL when ``lock``); refused otherwise."""
    query = select(Broadcast).where(Broadcast.id == broadcast_id)
    if lock and session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = await session.scalar(query)
    if row is None or row.created_by != staff_id:
        raise stale()
    return row
