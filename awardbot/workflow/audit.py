"""The append-only audit chain: each event's hash covers its content and the previous hash.

Appending takes the chain's tail inside the caller's transaction; ``prev_hash`` is unique,
so two concurrent appends cannot fork the chain (the loser's transaction fails and is
retried by its use case).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import AuditEvent

GENESIS = "0" * 64
ADVISORY_LOCK_KEY = 0x41574442  # serialises appends on PostgreSQL


def event_hash(
    prev_hash: str, at: datetime, actor_id: int | None, action: str,
    subject_type: str, subject_id: int | None, data: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor_id, action, subject_type, subject_id, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


async def append(
    session: AsyncSession, *, at: datetime, actor_id: int | None, action: str,
    subject_type: str, subject_id: int | None, data: dict[str, Any] | None = None,
) -> AuditEvent:
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
    tail = await session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = tail or GENESIS
    payload = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))
    at = at.astimezone(UTC).replace(microsecond=0)
    event = AuditEvent(
        at=at, actor_id=actor_id, action=action, subject_type=subject_type,
        subject_id=subject_id, data=payload, prev_hash=prev,
        hash=event_hash(prev, at, actor_id, action, subject_type, subject_id, payload),
    )
    session.add(event)
    await session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_id: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


async def verify(session: AsyncSession) -> ChainReport:
    """Walk the chain in order; name the first row whose link or content was changed."""
    prev = GENESIS
    checked = 0
    rows = await session.stream_scalars(select(AuditEvent).order_by(AuditEvent.id))
    async for event in rows:
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "link to the previous event is broken")
        expected = event_hash(
            prev, event.at, event.actor_id, event.action,
            event.subject_type, event.subject_id, event.data,
        )
        if expected != event.hash:
            return ChainReport(checked, event.id, "content does not match its hash")
        prev = event.hash
        checked += 1
    return ChainReport(checked, None, None)
