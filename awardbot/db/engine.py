"""Engine and session factory; SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.orm import Session

from awardbot.db.url import DatabaseURLError as DatabaseURLError
from awardbot.db.url import async_driver

SessionFactory = async_sessionmaker[AsyncSession]
AUDIT_KEY = "audit.key"  # Session.info: the audit chain's HMAC key (see workflow/audit.py)


def normalise_url(raw: str) -> URL:
    """Accept plain ``sqlite:///`` / ``postgresql://`` URLs and pick the async driver."""
    try:
        url = make_url(raw)
    except Exception as exc:
        raise DatabaseURLError(f"not a database URL: {raw!r}") from exc
    driver = async_driver(url.drivername)
    return url if url.drivername == driver else url.set(drivername=driver)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across crashes, not power loss
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(raw_url: str, *, echo: bool = False) -> AsyncEngine:
    url = normalise_url(raw_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # One connection: SQLite has one writer at a time anyway, and queueing for the
        # connection in the event loop beats connections spinning in SQLite's busy handler
        # (and the deadlock when two readers both try to upgrade to writers).
        engine = create_async_engine(url, echo=echo, pool_size=1, max_overflow=0,
                                     pool_timeout=60)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # No ping before each checkout: it was a round trip per transaction (7% of the bot's CPU
    # under load). After a server restart the first statement on a dead connection fails,
    # and SQLAlchemy then replaces every pooled connection; that one update is answered by
    # the error handler. Connections are also renewed every half hour.
    return create_async_engine(url, echo=echo, pool_size=10, max_overflow=10,
                               pool_recycle=1800)


def session_factory(engine: AsyncEngine, *, audit_key: bytes | None = None) -> SessionFactory:
    """Sessions on ``engine``; ``audit_key`` keys the audit chain's hashes (from the
    configuration, never stored in the database)."""
    # A Session class of its own, so that session events (``after_commit`` …) can be
    # listened for on this factory's sessions alone.
    own = type("FactorySession", (Session,), {})
    info = {AUDIT_KEY: audit_key} if audit_key is not None else None
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=own, info=info)


def after_commit(sessions: SessionFactory, callback: Callable[[Session], None]) -> None:
    """Call ``callback(session)`` each time one of this factory's sessions commits."""
    event.listen(sessions.kw["sync_session_class"], "after_commit", callback)
