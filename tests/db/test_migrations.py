"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, make_url, text

from awardbot.db.engine import create_engine
from awardbot.db.migrate import ensure_migrated, upgrade
from awardbot.db.models import Base


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def _check(url: str) -> None:
    engine = create_engine(url)
    try:
        await ensure_migrated(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_diff) == []
    finally:
        await engine.dispose()


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    await _check(url)


async def _admin(base: str, statement: str) -> None:
    engine = create_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(statement))
    await engine.dispose()


async def test_postgresql_migrations_match_the_models() -> None:
    base = os.environ.get("AWARDBOT_TEST_PG_URL")
    if not base:
        pytest.skip("AWARDBOT_TEST_PG_URL is not set")
    # Its own name each run: suites sharing one server must not drop each other's database.
    name = f"awardbot_migration_check_{os.getpid()}_{secrets.token_hex(4)}"
    await _admin(base, f"CREATE DATABASE {name}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        await _check(url)
    finally:
        await _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
