"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, make_url, select, text

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


async def _fresh_url(backend: str, tmp_path: Path) -> tuple[str, str | None]:
    """An empty database of its own: (url, the PostgreSQL name to drop after)."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'renamed.db'}", None
    base = os.environ.get("AWARDBOT_TEST_PG_URL")
    if not base:
        pytest.skip("AWARDBOT_TEST_PG_URL is not set")
    name = f"awardbot_rename_check_{os.getpid()}_{secrets.token_hex(4)}"
    await _admin(base, f"CREATE DATABASE {name}")
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_stored_award_codes_follow_the_rename(backend: str, tmp_path: Path) -> None:
    """0004: a nomination and a waiting message with lao_huangniu read laohuang_niu; the
    audit log is left as written."""
    from datetime import timedelta

    from awardbot.db.engine import session_factory
    from awardbot.db.models import AuditEvent, Nomination, Notification, Round, Staff, Unit
    from tests.factories import NOW

    url, drop = await _fresh_url(backend, tmp_path)
    try:
        upgrade(url, "0003")
        engine = create_engine(url)
        sessions = session_factory(engine)
        async with sessions.begin() as session:
            unit = Unit(code="W", name="窗口", kind="window", comprehensive=False)
            session.add(unit)
            await session.flush()
            staff = Staff(staff_no="1", name="刘芳", unit_id=unit.id)
            round_ = Round(family="sanniu", period="2026Q4", state="accepting", opens_at=NOW,
                           closes_at=NOW + timedelta(days=9), created_at=NOW)
            session.add_all([staff, round_])
            await session.flush()
            session.add(Nomination(round_id=round_.id, applicant_id=staff.id,
                                   subject_staff_id=staff.id, state="submitted",
                                   award="lao_huangniu", created_at=NOW, updated_at=NOW))
            text_ = {"$text": "notice.final", "params": {
                "award": {"$text": "notice.award.lao_huangniu"}}}
            for state in ("pending", "sent"):
                session.add(Notification(chat_id=1, payload={"text": text_}, state=state,
                                         priority=1, attempts=0, created_at=NOW))
            session.add(AuditEvent(at=NOW, action="x", subject_type="nomination",
                                   subject_id=1, data={"award": "lao_huangniu"},
                                   prev_hash="0" * 64, hash="1" * 64))
        await engine.dispose()
        upgrade(url)
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            assert await session.scalar(select(Nomination.award)) == "laohuang_niu"
            payloads = {n.state: n.payload for n in await session.scalars(select(Notification))}
            assert "notice.award.laohuang_niu" in json.dumps(payloads["pending"])
            assert "notice.award.lao_huangniu" in json.dumps(payloads["sent"])  # history
            assert (await session.scalar(select(AuditEvent.data))) == {"award": "lao_huangniu"}
        await engine.dispose()
    finally:
        if drop is not None:
            await _admin(os.environ["AWARDBOT_TEST_PG_URL"],
                         f"DROP DATABASE IF EXISTS {drop} WITH (FORCE)")
