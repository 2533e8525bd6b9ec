"""Shared fixtures: a migrated database on SQLite and, when configured, on PostgreSQL.

Set ``AWARDBOT_TEST_PG_URL`` to run every database test on PostgreSQL too; when it is
set and the server is unreachable the tests fail rather than skip (CI depends on it).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.db.engine import SessionFactory, create_engine, session_factory
from awardbot.db.migrate import alembic_config
from awardbot.db.models import Base

# The end-to-end suites' shared fixtures (a wired bureau per feature), for every test module
# that names them as arguments, without importing them.
pytest_plugins = [
    "tests.e2e.broadcast_fixtures",
    "tests.e2e.evaluation_fixtures",
    "tests.e2e.journey",
    "tests.e2e.notice_fixtures",
    "tests.e2e.review_fixtures",
]

PG_URL = os.environ.get("AWARDBOT_TEST_PG_URL")
BACKENDS = ["sqlite", "postgresql"]


def create_schema(url: str) -> None:
    """The models' schema, stamped as migrated.

    Tests build the schema from the models so that a feature can add a table without
    waiting for its migration; ``tests/db/test_migrations.py`` proves that the migrations
    produce exactly this schema.
    """
    import asyncio

    async def create() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        await engine.dispose()

    asyncio.run(create())
    command.stamp(alembic_config(url), "head")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once; every test copies the file (much faster than building each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    create_schema(f"sqlite:///{path}")
    return path


async def _admin(url: str, statement: str) -> None:
    engine = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(statement))
    await engine.dispose()


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """A database of its own for this test run, so runs in parallel never collide."""
    if not PG_URL:
        pytest.skip("AWARDBOT_TEST_PG_URL is not set")
    import asyncio

    # The pid alone is not enough: suites in other containers share the server.
    name = f"awardbot_test_{os.getpid()}_{secrets.token_hex(4)}"
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(PG_URL, f"CREATE DATABASE {name}"))
    create_schema(url)
    yield url
    asyncio.run(_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "awardbot.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    return str(request.getfixturevalue("pg_migrated"))


async def _truncate_all(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        return
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    await _truncate_all(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> SessionFactory:
    return session_factory(engine)
