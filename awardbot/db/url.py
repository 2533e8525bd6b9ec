"""Which database a URL names and the async driver for it, without importing SQLAlchemy.

The settings check ``database.url`` when they load, and every command loads them: a
command that never opens the database (``awardbot score``) must not pay for SQLAlchemy.
:func:`awardbot.db.engine.normalise_url` parses the whole URL when an engine is built.
"""

from __future__ import annotations

import re

ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_SCHEME = re.compile(r"([\w+]+)://")  # what SQLAlchemy's make_url accepts as a drivername


class DatabaseURLError(ValueError):
    """The database URL names no database we can use."""


def async_driver(drivername: str) -> str:
    """``postgresql`` or ``postgresql+asyncpg`` → ``postgresql+asyncpg``; others refused."""
    backend = drivername.partition("+")[0]
    if backend not in ASYNC_DRIVERS:
        raise DatabaseURLError(f"unsupported database {backend!r}; use sqlite or postgresql")
    driver = ASYNC_DRIVERS[backend]
    if drivername not in (backend, driver):
        raise DatabaseURLError(f"unsupported driver {drivername!r}; use {driver}")
    return driver


def check_url(raw: str) -> str:
    """The async driver a database URL will use; raises :class:`DatabaseURLError`."""
    match = _SCHEME.match(raw)
    if match is None:
        raise DatabaseURLError(f"not a database URL: {raw!r}")
    return async_driver(match[1])
