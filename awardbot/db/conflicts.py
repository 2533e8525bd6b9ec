"""Insert, and on a unique-key conflict do nothing (or update): the one statement both
databases speak, chosen by the session's dialect (SQLite and PostgreSQL share the syntax but
not the construct)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def _insert(session: AsyncSession, model: type[Any]) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(model)


def insert_ignoring(session: AsyncSession, model: type[Any],
                    rows: Mapping[str, Any] | Sequence[Mapping[str, Any]],
                    keys: Sequence[str]) -> Any:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` for one row or many (execute it)."""
    return _insert(session, model).values(rows).on_conflict_do_nothing(index_elements=keys)


def insert_or_update(session: AsyncSession, model: type[Any], row: Mapping[str, Any],
                     keys: Sequence[str], changes: Mapping[str, Any]) -> Any:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET changes`` (execute it)."""
    return _insert(session, model).values(row).on_conflict_do_update(
        index_elements=keys, set_=dict(changes))
