"""Only one instance delivers: on PostgreSQL, the holder of a session-level advisory lock.

The lock lives on a dedicated connection. If the holder dies, PostgreSQL drops its
connection and the lock with it, and the next instance to try takes over. On SQLite
there is one process, and it is always the leader.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

SENDER_LOCK = int.from_bytes(hashlib.sha256(b"awardbot.sender").digest()[:8], "big", signed=True)


class Leadership:
    def __init__(self, engine: AsyncEngine, key: int = SENDER_LOCK) -> None:
        self._engine = engine
        self._key = key
        self._conn: AsyncConnection | None = None
        self._shared = engine.dialect.name != "postgresql"  # SQLite: always the leader
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    async def acquire(self) -> bool:
        """Try once to become the leader; True if we are (or already were)."""
        if self._held:
            return True
        if self._shared:
            self._held = True
            return True
        try:
            conn = await self._engine.connect()
        except Exception as exc:
            log.warning("sender: cannot reach the database to take leadership: %s", exc)
            return False
        try:
            got = bool(await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}))
            await conn.commit()  # end the transaction; the session-level lock stays
        except Exception as exc:
            log.warning("sender: taking leadership failed: %s", exc)
            await self._drop(conn)
            return False
        if not got:
            await conn.close()
            return False
        self._conn, self._held = conn, True
        log.info("sender: this instance is now the leader")
        return True

    async def check(self) -> bool:
        """Still the leader? A lost connection means the lock is gone too."""
        if not self._held or self._conn is None:
            return self._held
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
        except Exception as exc:
            log.warning("sender: leadership connection lost: %s", exc)
            await self._drop(self._conn)
            self._conn, self._held = None, False
        return self._held

    async def release(self) -> None:
        conn, self._conn, self._held = self._conn, None, False
        if conn is None:
            return
        try:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            await conn.commit()
            await conn.close()
        except Exception:
            await self._drop(conn)

    @staticmethod
    async def _drop(conn: AsyncConnection) -> None:
        """Close for real (not back to the pool, where the lock would linger)."""
        with contextlib.suppress(Exception):
            await conn.invalidate()
        with contextlib.suppress(Exception):
            await conn.close()
