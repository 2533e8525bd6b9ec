from __future__ import annotations

import hashlib
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awardbot.storage import evidence_store
from awardbot.storage.evidence_store import (
    EvidenceCorrupted,
    EvidenceNotFound,
    EvidenceStore,
    LocalEvidenceStore,
    StoredFile,
)

CONTENT = "锦旗照片".encode() * 100
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_put_is_content_addressed(store: LocalEvidenceStore) -> None:
    stored = store.put(CONTENT)
    assert stored == StoredFile(SHA, len(CONTENT), store.root / SHA[:2] / SHA[2:4] / SHA, True)
    assert stored.path.read_bytes() == CONTENT
    if os.name == "posix":
        assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600  # evidence is private
    assert store.path_for(SHA) == stored.path
    assert store.exists(SHA)
    assert store.open(SHA) == CONTENT


def test_same_content_is_stored_once(store: LocalEvidenceStore) -> None:
    first = store.put(CONTENT)
    second = store.put(CONTENT)
    assert first.created
    assert not second.created
    assert second.path == first.path
    assert files_under(store.root) == [first.path]


def test_different_content_is_stored_apart(store: LocalEvidenceStore) -> None:
    one, two = store.put(b"one"), store.put(b"two")
    assert one.path != two.path
    assert store.open(two.sha256) == b"two"


def test_empty_content_can_be_stored(store: LocalEvidenceStore) -> None:
    stored = store.put(b"")
    assert store.open(stored.sha256) == b""


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_write_leaves_nothing_under_the_final_name(
    store: LocalEvidenceStore, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def crash(*args: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(evidence_store.os, failing, crash)
    with pytest.raises(OSError, match="disk gone"):
        store.put(CONTENT)
    monkeypatch.undo()
    assert not store.exists(SHA)
    assert files_under(store.root) == []  # the temporary file is cleaned up too


def test_write_goes_through_a_temporary_file_in_the_same_directory(
    store: LocalEvidenceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(source: str, target: Path) -> None:
        renames.append((Path(source), Path(target)))
        assert not Path(target).exists()  # the final name appears only by the rename
        assert Path(source).read_bytes() == CONTENT  # complete before it is renamed
        real_replace(source, target)

    monkeypatch.setattr(evidence_store.os, "replace", spy)
    stored = store.put(CONTENT)
    [(source, target)] = renames
    assert target == stored.path
    assert source.parent == target.parent
    assert source.name.startswith(".partial-")


def test_damaged_copy_is_rewritten_by_put(store: LocalEvidenceStore) -> None:
    path = store.put(CONTENT).path
    path.write_bytes(CONTENT[:10])  # e.g. truncated by a disk fault
    again = store.put(CONTENT)
    assert again.created
    assert store.open(SHA) == CONTENT


def test_changed_file_is_detected_on_read(store: LocalEvidenceStore) -> None:
    path = store.put(CONTENT).path
    path.write_bytes(CONTENT.replace("旗".encode(), "期".encode()))
    with pytest.raises(EvidenceCorrupted) as caught:
        store.open(SHA)
    assert caught.value.sha256 == SHA
    assert caught.value.actual != SHA


def test_missing_file(store: LocalEvidenceStore) -> None:
    assert not store.exists(SHA)
    with pytest.raises(EvidenceNotFound):
        store.open(SHA)


@pytest.mark.parametrize("bad", ["../../etc/passwd", SHA.upper(), SHA[:-1], SHA + "0", ""])
def test_malformed_hash_is_refused(store: LocalEvidenceStore, bad: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        store.path_for(bad)
    with pytest.raises(ValueError, match="SHA-256"):
        store.open(bad)


def test_discard_partial_writes_only_removes_old_ones(store: LocalEvidenceStore) -> None:
    kept = store.put(CONTENT).path
    now = datetime(2026, 10, 12, 9, 0, tzinfo=UTC)
    old = kept.parent / ".partial-old"
    fresh = kept.parent / ".partial-fresh"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    stale = (now - timedelta(hours=2)).timestamp()
    os.utime(old, (stale, stale))
    os.utime(fresh, (now.timestamp(), now.timestamp()))
    assert store.discard_partial_writes(now=now, older_than=timedelta(hours=1)) == 1
    assert files_under(store.root) == sorted([kept, fresh])


def test_local_store_satisfies_the_protocol(tmp_path: Path) -> None:
    store: EvidenceStore = LocalEvidenceStore(tmp_path)
    assert store.put(b"x").created
