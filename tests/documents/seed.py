"""A bureau with a 三牛奖 round whose notice was published and has closed, and a hall
round still on notice: the database state the documents are made from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round, Unit
from awardbot.scoring import Rules, default_catalogue
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow.notice import close as notice_close
from awardbot.workflow.notice import publish as notice
from awardbot.workflow.services import Services
from tests.e2e.notice_fixtures import BEFORE_NATIONAL_DAY, bureau, round_with

CLOSES = datetime(2026, 10, 10, 9, 30, tzinfo=UTC)  # Saturday 10 Oct 17:30 in Shanghai


async def _round_id(sessions: SessionFactory, family: str) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Round.id).where(Round.family == family))
        assert found is not None
        return found


async def seeded(sessions: SessionFactory, tmp_path: Path) -> dict[str, int]:
    """Ids by staff number, ``unit:<key>``, and ``round:sanniu`` / ``round:hall``."""
    ids = await bureau(sessions, bound=True)
    async with sessions.begin() as session:
        hall = await session.get_one(Unit, ids["unit:hall"])
        hall.parent_id = ids["unit:office"]
    sanniu = await round_with(sessions, "sanniu", "2026Q3", "decided", [
        ("ruzi_niu", ids["2001"], None, ids["2001"]),
        ("ruzi_niu", ids["2002"], None, ids["2002"]),
        ("laohuang_niu", ids["3001"], None, ids["3001"]),
    ], now=BEFORE_NATIONAL_DAY, ranking={1: {"rank": 2}, 2: {"rank": 1}, 3: {"rank": 1}})
    ids.update({f"n{i}": n for i, n in enumerate(sanniu, start=1)})
    ids["round:sanniu"] = await _round_id(sessions, "sanniu")
    svc = Services(sessions=sessions, rules=Rules(), awards=default_catalogue(),
                         store=LocalEvidenceStore(tmp_path / "evidence"))
    await notice.publish(svc, ids["A01"], ids["round:sanniu"], BEFORE_NATIONAL_DAY)
    await notice_close.close_due_notices(svc, CLOSES)
    await round_with(sessions, "hall", "2026", "decided", [
        ("hall", None, ids["unit:hall"], ids["A01"]),
        ("hall", None, ids["unit:window"], ids["A01"]),
    ], now=BEFORE_NATIONAL_DAY, ranking={1: {"rank": 1, "tier": "zuimei_hall"},
                                         2: {"rank": 9, "tier": "youxiu_hall"}})
    ids["round:hall"] = await _round_id(sessions, "hall")
    await notice.publish(svc, ids["A01"], ids["round:hall"], BEFORE_NATIONAL_DAY)
    return ids
