"""The charts' inputs gathered from the database: the overview per unit with who waits
longest, the survey's ballots per candidate, and the ranking per award."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Rating, Survey
from awardbot.documents.charts_model import CandidateBallots, UnitProgress
from awardbot.scoring import Rules, default_catalogue
from awardbot.workflow.documents.charts import ballots_data, overview_data, ranking_data
from awardbot.workflow.documents.queries import Papers
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services
from tests.documents.seed import seeded

NOW = datetime(2026, 10, 20, 7, 0, tzinfo=UTC)
PAPERS = Papers(default_catalogue(), Rules())
pytestmark = pytest.mark.db


async def _add(sessions: SessionFactory, round_id: int, subject: int, state: str,
               changed: datetime, award: str = "tuohuang_niu") -> int:
    async with sessions.begin() as session:
        row = Nomination(round_id=round_id, award=award, subject_staff_id=subject,
                         applicant_id=subject, state=state, created_at=changed,
                         updated_at=changed)
        session.add(row)
        await session.flush()
        return row.id


async def test_overview_counts_per_unit_and_the_longest_waiting(sessions: SessionFactory,
                                                                tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    round_id = ids["round:sanniu"]
    await _add(sessions, round_id, ids["2003"], "draft", NOW - timedelta(days=9))
    await _add(sessions, round_id, ids["3002"], "submitted", NOW - timedelta(days=4, hours=3))
    await _add(sessions, round_id, ids["2003"], "dept_approved", NOW - timedelta(hours=20),
               award="laohuang_niu")
    async with sessions() as session:
        data = await overview_data(session, PAPERS, round_id, NOW)
    assert data.units == (UnitProgress("审批一科", submitted=1, scored=1),
                          UnitProgress("综合受理窗口", drafts=1, approved=1, scored=2))
    assert [(w.name, w.state) for w in data.waiting] == [("赵敏", "submitted"),
                                                         ("杨洋", "dept_approved")]
    assert data.as_of.utcoffset() == timedelta(hours=8)
    assert data.waiting[0].since == NOW - timedelta(days=4, hours=3)


async def test_ballots_per_candidate_by_level(sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    async with sessions() as session:
        with pytest.raises(Refusal) as none:
            await ballots_data(session, PAPERS, ids["round:sanniu"])
    assert none.value.text.key == "documents.refuse.no_survey"
    async with sessions.begin() as session:
        session.add(Survey(round_id=ids["round:sanniu"], candidate_ids=[ids["n2"], ids["n1"]],
                           opened_at=NOW, deadline=NOW + timedelta(days=3)))
        for voter, level in ((ids["3001"], "very_satisfied"), (ids["3002"], "very_satisfied"),
                             (ids["2003"], "average")):
            session.add(Rating(nomination_id=ids["n2"], voter_id=voter, level=level,
                               updated_at=NOW))
    async with sessions() as session:
        data = await ballots_data(session, PAPERS, ids["round:sanniu"])
    assert data.candidates == (CandidateBallots("张伟（综合受理窗口）", (2, 0, 0, 1, 0)),
                               CandidateBallots("刘芳（综合受理窗口）", (0, 0, 0, 0, 0)))
    assert data.minimum == 10


async def test_ranking_per_award_in_rank_order(sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    svc = Services(sessions)
    async with sessions() as session:
        charts = await ranking_data(session, svc, ids["round:sanniu"], NOW)
    assert [(c.award, c.quota) for c in charts] == [("孺子牛奖", 30), ("老黄牛奖", 30)]
    assert [(c.name, c.rank) for c in charts[0].candidates] == [
        ("张伟（综合受理窗口）", 1), ("刘芳（综合受理窗口）", 2)]
