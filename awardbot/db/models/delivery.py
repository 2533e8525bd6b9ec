"""Outgoing messages (the outbox), broadcasts, the audit chain and the updates received."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from awardbot.db.models.base import Base


class Notification(Base):
    """One message to one chat, written by workflow in the same transaction as the change.

    ``payload`` holds a catalogue key and its parameters, rendered in the recipient's
    language at delivery time. ``dedupe_key`` makes reminders and announcements
    idempotent: inserting the same key twice is a no-op.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "state", "priority", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int]
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    priority: Mapped[int] = mapped_column(default=5)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    message_id: Mapped[int | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Broadcast(Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    audience: Mapped[dict[str, Any]]
    content: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="draft")
    total: Mapped[int] = mapped_column(default=0)
    progress_chat_id: Mapped[int | None]
    progress_message_id: Mapped[int | None]
    created_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only, hash-chained: ``hash`` covers this row's content and ``prev_hash``."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(48))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # no forks
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ReceivedUpdate(Base):
    """Every update as it arrived, kept until it has been handled (and a few days after).

    Written before the update is queued and before Telegram is told it arrived, so a crash
    loses nothing: at start-up what has no ``handled_at`` is handled again (``replays``
    counts how often), or the person is asked to send it again. The id is also the dedupe
    key: the Bot API may deliver an update twice.
    """

    __tablename__ = "received_updates"

    update_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    handled_at: Mapped[datetime | None]
    replays: Mapped[int] = mapped_column(default=0)


class CalendarYear(Base):
    """An admin-loaded official working-day calendar for one year."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]]
    loaded_at: Mapped[datetime]
