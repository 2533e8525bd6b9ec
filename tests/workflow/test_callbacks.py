"""One callback grammar: every kind once, every handler's kind in the list, data built and
read by the same codec, forged ids refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awardbot import callbacks
from awardbot.callbacks import CallbackDataError, Kind, data, decode

ROOT = Path(__file__).resolve().parents[2] / "awardbot"
# Outbox dedupe keys that happen to start with a kind's letters: keys, not button data.
DEDUPE_KEYS = ("workflow/review/card.py", "workflow/broadcast/send.py")


def test_every_kind_is_listed_once_and_safe() -> None:
    values = [k.value for k in Kind]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z]{2,4}", v) for v in values)


def test_no_button_data_is_written_by_hand_outside_the_codec() -> None:
    """Workflow and handlers build button data with ``callbacks.data``, never a literal
    ``"kind:…"`` string or f-string naming a kind."""
    kinds = "|".join(k.value for k in Kind)
    literal = re.compile(rf"""[f]?["']({kinds}):[{{\w]""")
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name == "callbacks.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = str(path.relative_to(ROOT))
            if literal.search(line) and "dedupe" not in line and where not in DEDUPE_KEYS:
                found.append(f"{where}:{number}: {line.strip()}")
    assert found == []


@given(st.sampled_from(list(Kind)), st.lists(st.integers(0, 2**63 - 1), max_size=3))
def test_what_is_built_is_read_back(kind: Kind, ids: list[int]) -> None:
    raw = data(kind, *ids)
    decoded = decode(raw, kind, len(ids))
    assert decoded is not None
    assert [decoded.int_field(i) for i in range(len(ids))] == ids


def test_forged_data_is_none_or_refused() -> None:
    assert decode("rv:1:dept0:ok", Kind.HISTORY, 3) is None  # another kind
    assert decode("rv:1:dept0", Kind.REVIEW, 3) is None  # a field short
    assert decode("rv:1:dept0:ok;drop", Kind.REVIEW, 3) is None  # unsafe characters
    assert decode("rv:" + "9" * 62, Kind.REVIEW, 1) is None  # over 64 bytes
    too_big = decode(f"hi:{2**63}", Kind.HISTORY, 1)
    assert too_big is not None and too_big.int_field(0) is None  # beyond the id range
    with pytest.raises(CallbackDataError):
        data(Kind.REVIEW, "a:b")
    assert callbacks.pattern(Kind.REVIEW) == r"^rv(:|$)"
