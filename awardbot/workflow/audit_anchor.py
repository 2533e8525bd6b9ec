"""Checkpoints of the audit chain's head, published where the database's owner cannot
rewrite them (an append-only file and the admins' chats).

A keyed chain shows an edited row, but not rows cut off its end: a shorter chain is still a
valid chain. A checkpoint records how long the chain was and the hash it ended with at a
moment; ``awardbot audit verify`` then requires the table to still hold that many events
with that hash at that position. Each checkpoint is signed with the audit key, so one
cannot be forged without it either.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Staff, StaffRole
from awardbot.workflow import outbox
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.outbox import Priority
from awardbot.workflow.roles import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")


def describe_time(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _mac(key: bytes, count: int, hash_: str, at: datetime) -> str:
    body = f"awardbot-audit-checkpoint:{count}:{hash_}:{at.astimezone(UTC).isoformat()}"
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    count: int
    hash: str
    at: datetime
    mac: str = ""

    @classmethod
    def signed(cls, key: bytes | None, count: int, hash_: str, at: datetime) -> Checkpoint:
        at = at.astimezone(UTC).replace(microsecond=0)
        return cls(count, hash_, at, _mac(key, count, hash_, at) if key else "")

    def signed_with(self, key: bytes) -> bool:
        return hmac.compare_digest(self.mac, _mac(key, self.count, self.hash, self.at))

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "hash": self.hash,
                "at": self.at.astimezone(UTC).isoformat(), "mac": self.mac}

    @classmethod
    def from_json(cls, data: object) -> Checkpoint:
        """Raises ValueError saying what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        count, hash_, at, mac = (data.get(k) for k in ("count", "hash", "at", "mac"))
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError("count must be a whole number ≥ 0")
        if not isinstance(hash_, str) or len(hash_) != 64:
            raise ValueError("hash must be 64 hexadecimal characters")
        if not isinstance(at, str):
            raise ValueError("at must be an ISO 8601 time")
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError("at must carry its time zone")
        return cls(count, hash_, moment.astimezone(UTC), mac if isinstance(mac, str) else "")


async def announce(
    session: AsyncSession, checkpoint: Checkpoint, *, now: datetime, chat_id: int | None = None,
) -> int:
    """Send the checkpoint to every bound admin (and ``chat_id``), once each."""
    admins = list(await session.scalars(
        select(Staff.id).join(StaffRole, StaffRole.staff_id == Staff.id)
        .where(StaffRole.role == Role.ADMIN, Staff.active,
               Staff.telegram_user_id.is_not(None)).distinct()))
    message = Message(Text("audit.checkpoint", {
        "count": checkpoint.count, "hash": checkpoint.hash,
        "at": describe_time(checkpoint.at)}))
    tag = f"audit:cp:{checkpoint.count}:{checkpoint.hash[:16]}"
    sent = 0
    for admin in sorted(admins):
        sent += await outbox.enqueue_for_staff(session, admin, message, now=now,
                                               priority=Priority.NOTIFY,
                                               dedupe_key=f"{tag}:{admin}")
    if chat_id is not None:
        sent += await outbox.enqueue(session, chat_id=chat_id, message=message, now=now,
                                     priority=Priority.NOTIFY, dedupe_key=f"{tag}:chat")
    return sent
