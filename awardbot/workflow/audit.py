"""The append-only audit chain: each event's hash covers its content and the previous hash.

The hash is keyed (HMAC-SHA256) with a secret that lives in the configuration, never in
the database: whoever can write the table but does not hold the key cannot recompute the
chain after editing a row. The key reaches :func:`append` in the session's ``info``
(:data:`AUDIT_KEY`, set by ``session_factory(engine, audit_key=...)``); a session without
one writes a plain SHA-256 chain (tests and tools; the running bot refuses to start
without a key). What a key cannot show — rows cut off the end — the published checkpoints
do (:mod:`awardbot.workflow.audit_anchor`), which :func:`verify` checks too.

Appending takes the chain's tail inside the caller's transaction; ``prev_hash`` is unique,
so two concurrent appends cannot fork the chain (the loser's transaction fails and is
retried by its use case).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.engine import AUDIT_KEY
from awardbot.db.models import AuditEvent
from awardbot.workflow.audit_anchor import Checkpoint, describe_time

GENESIS = "0" * 64
ADVISORY_LOCK_KEY = 0x41574442  # serialises appends on PostgreSQL

__all__ = ["AUDIT_KEY", "GENESIS", "ChainReport", "append", "event_hash", "head", "verify"]


def event_hash(
    prev_hash: str, at: datetime, actor_id: int | None, action: str,
    subject_type: str, subject_id: int | None, data: dict[str, Any], *, key: bytes | None = None,
) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), actor_id, action, subject_type, subject_id, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _key_of(session: AsyncSession) -> bytes | None:
    key = session.info.get(AUDIT_KEY)
    return key if isinstance(key, bytes) else None


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
        hash=event_hash(prev, at, actor_id, action, subject_type, subject_id, payload,
                        key=_key_of(session)),
    )
    session.add(event)
    await session.flush()
    return event


async def head(session: AsyncSession) -> tuple[int, str | None]:
    """How many events the chain holds and the last one's hash, as one consistent view."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
    count = await session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    last = await session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return count, last


@dataclass(frozen=True)
class ChainReport:
    """``checked``: events intact from the start; ``first_bad_id``/``reason``: the first
    event that is not; ``findings``: every problem, one sentence each, first one first."""

    checked: int
    first_bad_id: int | None
    reason: str | None
    findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.findings


async def verify(
    session: AsyncSession, checkpoints: Sequence[Checkpoint] = (), *, key: bytes | None = None,
) -> ChainReport:
    """Walk the chain in order; name the first row whose link or content was changed, and
    every published checkpoint the table no longer contains."""
    key = key if key is not None else _key_of(session)
    wanted = {c.count for c in checkpoints}
    seen: dict[int, str] = {}
    prev, checked = GENESIS, 0
    bad: tuple[int, str] | None = None
    rows = await session.stream_scalars(select(AuditEvent).order_by(AuditEvent.id))
    async for event in rows:
        if event.prev_hash != prev:
            bad = (event.id, "does not follow the event before it (one was removed or changed)")
            break
        expected = event_hash(prev, event.at, event.actor_id, event.action,
                              event.subject_type, event.subject_id, event.data, key=key)
        if not hmac.compare_digest(expected, event.hash):
            bad = (event.id, "was edited (its content does not match its hash)")
            break
        prev, checked = event.hash, checked + 1
        if checked in wanted:
            seen[checked] = event.hash
    findings = [f"event {bad[0]} {bad[1]}"] if bad else []
    findings += _against_checkpoints(checkpoints, checked, seen, intact=bad is None, key=key)
    return ChainReport(checked, bad[0] if bad else None, bad[1] if bad else None,
                       tuple(findings))


def _against_checkpoints(
    checkpoints: Sequence[Checkpoint], checked: int, seen: dict[int, str], *, intact: bool,
    key: bytes | None,
) -> list[str]:
    findings = []
    for checkpoint in checkpoints:
        when = describe_time(checkpoint.at)
        if key is not None and not checkpoint.signed_with(key):
            findings.append(f"the checkpoint of {when} is not signed with this key")
        elif checkpoint.count <= 0:
            continue
        elif checkpoint.count in seen:
            if not hmac.compare_digest(seen[checkpoint.count], checkpoint.hash):
                findings.append(f"hash at {checkpoint.count} differs from the checkpoint "
                                f"of {when}")
        elif intact:
            findings.append(f"the log ends at {checked} events but the checkpoint of {when} "
                            f"recorded {checkpoint.count}")
    return findings
