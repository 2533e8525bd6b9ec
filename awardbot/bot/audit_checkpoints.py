"""Publishing the audit chain's checkpoints: appended to a file, sent to the admins.

Point ``audit.checkpoint_file`` at storage the database's owner cannot rewrite (another
machine's share, an append-only volume); the admins' copies in their chats are the second
witness. ``awardbot audit verify`` reads the file back.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from awardbot.bot.settings import AuditSettings
from awardbot.db.engine import SessionFactory
from awardbot.workflow import audit
from awardbot.workflow.audit_anchor import Checkpoint, announce

log = logging.getLogger(__name__)


class CheckpointFileError(Exception):
    """The checkpoint file cannot be read; the message names the file and line."""


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first; none when there is no file yet."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckpointFileError(f"{path}: cannot read: {exc}") from None
    checkpoints = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            checkpoints.append(Checkpoint.from_json(json.loads(line)))
        except ValueError as exc:  # JSONDecodeError is a ValueError
            raise CheckpointFileError(f"{path}: line {number}: {exc}") from None
    return checkpoints


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """One JSON line, flushed to disk before the admins are told."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(checkpoint.to_json(), sort_keys=True) + "\n")
        file.flush()
        os.fsync(file.fileno())


@dataclass(frozen=True)
class CheckpointPublisher:
    sessions: SessionFactory
    path: Path
    key: bytes
    every: timedelta
    chat_id: int | None = None

    async def publish(self, now: datetime, *, force: bool = False) -> Checkpoint | None:
        """Record the chain's head if it moved and the last checkpoint is ``every`` old
        (``force``: now, whatever the last one was). None when nothing was published."""
        async with self.sessions.begin() as session:
            count, last = await audit.head(session)
        if last is None:
            return None  # an empty chain: nothing to anchor yet
        if not force:
            published = await asyncio.to_thread(read_checkpoints, self.path)
            previous = published[-1] if published else None
            if previous is not None and (previous.count, previous.hash) == (count, last):
                return None
            if previous is not None and now - previous.at < self.every:
                return None
        checkpoint = Checkpoint.signed(self.key, count, last, now)
        await asyncio.to_thread(append_checkpoint, self.path, checkpoint)
        async with self.sessions.begin() as session:
            await announce(session, checkpoint, now=now, chat_id=self.chat_id)
        log.info("audit: checkpoint of %d events published to %s", count, self.path)
        return checkpoint


def checkpoint_publisher(settings: AuditSettings, sessions: SessionFactory
                         ) -> CheckpointPublisher | None:
    """The publisher ``[audit]`` describes; None without a key (tests, tools: nothing to
    sign)."""
    key = settings.key_bytes()
    if key is None:
        return None
    return CheckpointPublisher(sessions, settings.checkpoint_file, key,
                               timedelta(minutes=settings.checkpoint_minutes),
                               settings.checkpoint_chat_id)
