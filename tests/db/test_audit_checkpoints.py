"""The audit log notices what was cut off or rewritten: a keyed chain plus checkpoints of
its head published outside the database, checked by ``awardbot audit verify``."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from awardbot.bot.audit_checkpoints import CheckpointPublisher, read_checkpoints
from awardbot.bot.cli.main import main
from awardbot.db.engine import SessionFactory, session_factory
from awardbot.db.models import AuditEvent, Notification
from awardbot.workflow import audit
from tests.factories import NOW, add_staff, add_unit

KEY = "k" * 40
EVENTS = 20


@pytest.fixture
def keyed(engine: AsyncEngine) -> SessionFactory:
    return session_factory(engine, audit_key=KEY.encode())


@pytest.fixture
def checkpoint_file(tmp_path: Path) -> Path:
    return tmp_path / "published" / "checkpoints.jsonl"


@pytest.fixture
def operator(db_url: str, tmp_path: Path, checkpoint_file: Path,
             monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line's environment: this database, the key, the checkpoint file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWARDBOT__DATABASE__URL", db_url)
    monkeypatch.setenv("AWARDBOT__AUDIT__KEY", KEY)
    monkeypatch.setenv("AWARDBOT__AUDIT__CHECKPOINT_FILE", str(checkpoint_file))
    return tmp_path


async def _chain(sessions: SessionFactory, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        async with sessions.begin() as session:
            await audit.append(session, at=NOW + timedelta(minutes=i), actor_id=None,
                               action="test.step", subject_type="test", subject_id=i,
                               data={"i": i, "名称": "测试"})


def _publisher(sessions: SessionFactory, path: Path, chat_id: int | None = None
               ) -> CheckpointPublisher:
    return CheckpointPublisher(sessions, path, KEY.encode(), timedelta(minutes=60), chat_id)


async def _verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = await asyncio.to_thread(main, ["audit", "verify", *extra])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
async def published(keyed: SessionFactory, checkpoint_file: Path, operator: Path) -> None:
    """Twenty events, and a checkpoint of them published an hour after the last."""
    await _chain(keyed, EVENTS)
    assert await _publisher(keyed, checkpoint_file).publish(NOW + timedelta(hours=2))


async def _rehash(sessions: SessionFactory, key: bytes | None) -> None:
    """What someone with write access does to hide an edit: recompute every hash after it."""
    async with sessions.begin() as session:
        prev = audit.GENESIS
        for event in (await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all():
            event.prev_hash = prev
            event.hash = audit.event_hash(prev, event.at, event.actor_id, event.action,
                                          event.subject_type, event.subject_id, event.data,
                                          key=key)
            prev = event.hash
            await session.flush()


async def test_an_intact_chain_and_its_checkpoint_verify(published, capsys) -> None:
    status, out, _ = await _verify(capsys)
    assert status == 0
    assert "audit chain intact: 20 events; 1 checkpoints match" in out


@pytest.mark.parametrize("cut", [1, 3, EVENTS])
async def test_rows_cut_off_the_end_are_noticed(published, keyed, capsys, cut: int) -> None:
    async with keyed.begin() as session:
        await session.execute(delete(AuditEvent).where(AuditEvent.id > EVENTS - cut))
    async with keyed() as session:
        assert (await audit.verify(session)).ok  # what the table alone would say
    status, _, err = await _verify(capsys)
    assert status == 1
    assert (f"the log ends at {EVENTS - cut} events but the checkpoint of "
            f"2026-11-25 12:00:00 recorded {EVENTS}") in err


async def test_an_edit_hidden_by_recomputing_the_hashes_is_named(published, keyed,
                                                                   capsys) -> None:
    async with keyed.begin() as session:
        await session.execute(update(AuditEvent).where(AuditEvent.id == 17)
                              .values(data={"i": 99}))
    await _rehash(keyed, None)  # without the key: plain SHA-256, as the chain used to be
    status, _, err = await _verify(capsys)
    assert status == 1
    assert "audit: event 1 was edited" in err  # no row carries a hash made with the key


async def test_a_rewrite_with_the_key_still_misses_the_checkpoint(published, keyed,
                                                                   capsys) -> None:
    async with keyed.begin() as session:
        await session.execute(update(AuditEvent).where(AuditEvent.id == 17)
                              .values(data={"i": 99}))
    await _rehash(keyed, KEY.encode())  # even whoever holds the key cannot hide it
    status, _, err = await _verify(capsys)
    assert status == 1
    assert f"hash at {EVENTS} differs from the checkpoint of 2026-11-25 12:00:00" in err


async def test_an_edited_row_is_named_by_its_id(published, keyed, capsys) -> None:
    async with keyed.begin() as session:
        await session.execute(update(AuditEvent).where(AuditEvent.id == 17)
                              .values(data={"i": 99}))
    status, _, err = await _verify(capsys)
    assert status == 1
    assert "audit: event 17 was edited" in err.splitlines()[0]


async def test_a_forged_checkpoint_is_refused(published, checkpoint_file, capsys) -> None:
    line = json.loads(checkpoint_file.read_text(encoding="utf-8"))
    line["count"] = 5
    checkpoint_file.write_text(json.dumps(line) + "\n", encoding="utf-8")
    status, _, err = await _verify(capsys)
    assert status == 1
    assert "the checkpoint of 2026-11-25 12:00:00 is not signed with this key" in err


async def test_a_damaged_checkpoint_file_is_one_line(published, checkpoint_file,
                                                     capsys) -> None:
    with checkpoint_file.open("a", encoding="utf-8") as file:
        file.write("{not json\n")
    status, _, err = await _verify(capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"awardbot: {checkpoint_file}: line 2: ")


async def test_verify_needs_the_key(published, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AWARDBOT__AUDIT__KEY")
    status, _, err = await _verify(capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "audit.key: missing" in err


async def test_checkpoints_follow_the_head_and_reach_the_admins(
    keyed: SessionFactory, checkpoint_file: Path
) -> None:
    unit = await add_unit(keyed, "BGS", "办公室", kind="section")
    await add_staff(keyed, "A01", "管理员甲", unit, roles=("admin",), telegram_user_id=7001)
    await add_staff(keyed, "A02", "未绑定管理员", unit, roles=("admin",))
    publisher = _publisher(keyed, checkpoint_file, chat_id=-100200)
    assert await publisher.publish(NOW) is None  # nothing to anchor yet
    await _chain(keyed, 3)
    first = await publisher.publish(NOW)
    assert first is not None and first.count == 3
    assert await publisher.publish(NOW + timedelta(hours=3)) is None  # the head did not move
    await _chain(keyed, 2, start=3)
    assert await publisher.publish(NOW + timedelta(minutes=30)) is None  # not an hour yet
    second = await publisher.publish(NOW + timedelta(minutes=61))
    assert second is not None and second.count == 5
    assert [c.count for c in read_checkpoints(checkpoint_file)] == [3, 5]
    async with keyed() as session:
        notes = (await session.scalars(select(Notification).order_by(Notification.id))).all()
        assert (await audit.verify(session, read_checkpoints(checkpoint_file))).ok
    assert [(n.chat_id, n.payload["text"]["params"]["count"]) for n in notes] == [
        (7001, 3), (-100200, 3), (7001, 5), (-100200, 5)]
    assert notes[-1].payload["text"]["params"]["hash"] == second.hash


async def test_on_demand_checkpoint_from_the_command_line(keyed, operator, checkpoint_file,
                                                          capsys) -> None:
    await _chain(keyed, 4)
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["audit", "checkpoint"]) == 0
    assert "checkpoint of 4 events" in capsys.readouterr().out
    assert [c.count for c in read_checkpoints(checkpoint_file)] == [4]
    status, out, _ = await _verify(capsys)
    assert status == 0 and "4 events; 1 checkpoints match" in out
