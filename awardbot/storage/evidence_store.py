"""Stored copies of evidence files, addressed by the SHA-256 of their content.

A file lives at ``root/ab/cd/<sha256>`` (the first two byte pairs of the hash as
directories, so no directory grows huge). The same content is stored once, however many
nominations cite it. Writes go to a temporary file in the target directory, are flushed
to disk and then renamed over the final name, so a crash never leaves a partial file
under a hash name; reads re-hash the content and refuse a file that changed.

The store is synchronous file I/O; async callers run it with ``asyncio.to_thread``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

_SHA256 = re.compile(r"[0-9a-f]{64}")
_TEMP_PREFIX = ".partial-"


class EvidenceNotFound(LookupError):
    """No stored file has this hash."""

    def __init__(self, sha256: str) -> None:
        super().__init__(f"no stored evidence {sha256}")
        self.sha256 = sha256


class EvidenceCorrupted(Exception):
    """The stored file's content no longer matches its hash."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"stored evidence {sha256} is corrupted (content hashes to {actual})")
        self.sha256 = sha256
        self.actual = actual


@dataclass(frozen=True)
class StoredFile:
    """Where a put landed; ``created`` is False when the content was already stored."""

    sha256: str
    size: int
    path: Path
    created: bool


class EvidenceStore(Protocol):
    """What the workflow needs of a store; a local directory now, S3-compatible later."""

    def put(self, data: bytes) -> StoredFile: ...

    def open(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class LocalEvidenceStore:
    """Evidence kept in a directory on local disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        """The file's place under the root; a malformed hash is refused, never joined."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a lowercase hex SHA-256: {sha256!r}")
        return self.root / sha256[0:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> StoredFile:
        """Store the content unless an intact copy is already there."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256)
        if _intact(path, sha256):
            return StoredFile(sha256, len(data), path, created=False)
        # Absent, or present but damaged: (re)write it whole.
        _write_atomically(path, data)
        return StoredFile(sha256, len(data), path, created=True)

    def open(self, sha256: str) -> bytes:
        """The stored content, checked against its hash."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise EvidenceNotFound(sha256) from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise EvidenceCorrupted(sha256, actual)
        return data

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def discard_partial_writes(self, *, now: datetime, older_than: timedelta) -> int:
        """Remove temporary files a crash left behind; returns how many went.

        Only files older than ``older_than`` go, so a write in progress in another
        process is left alone.
        """
        cutoff = now.timestamp() - older_than.total_seconds()
        removed = 0
        for partial in self.root.glob(f"*/*/{_TEMP_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                if partial.stat().st_mtime < cutoff:
                    partial.unlink()
                    removed += 1
        return removed


def _intact(path: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == sha256


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file sits beside the target so the rename stays on one filesystem.
    fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows cannot open directories)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
