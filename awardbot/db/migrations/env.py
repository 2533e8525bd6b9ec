"""Alembic environment: async engines, our metadata, and SQLite batch mode."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from awardbot.db.engine import create_engine
from awardbot.db.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _online() -> None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def _in_thread_if_loop_running() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(_online())
        return
    # Called from inside a running loop (tests): run in a fresh thread with its own loop.
    import threading

    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(_online())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `awardbot db upgrade`")
_in_thread_if_loop_running()
