"""The documents' inputs gathered from the database: the notice as published, the final
winners by award and tier, the certificates, and refusals for what does not exist yet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Round
from awardbot.documents.model import DocumentStyle, Winner
from awardbot.scoring import Rules, default_catalogue
from awardbot.workflow.documents.queries import (
    Papers,
    certificate_batch,
    certificate_for,
    notice_data,
    winners_data,
)
from awardbot.workflow.refusal import Refusal
from tests.documents.seed import seeded
from tests.e2e.notice_fixtures import BEFORE_NATIONAL_DAY, round_with

PAPERS = Papers(default_catalogue(), Rules(), DocumentStyle(bureau_name="昆山市行政审批局"))
pytestmark = pytest.mark.db


async def test_the_notice_as_published(sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    async with sessions() as session:
        data = await notice_data(session, PAPERS, ids["round:sanniu"])
    assert (data.round.family, data.round.year, data.round.quarter) == ("三牛奖", 2026, 3)
    assert (data.published_on, data.starts_on, data.ends_on) == (
        date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 10))
    assert data.closes_at.replace(tzinfo=None) == datetime(2026, 10, 10, 17, 30)
    assert data.closes_at.utcoffset() is not None and data.working_days == 3
    assert [(g.award, g.subject) for g in data.groups] == [("孺子牛奖", "person"),
                                                           ("老黄牛奖", "person")]
    window = "综合受理窗口"
    assert data.groups[0].winners == (Winner("张伟", window), Winner("刘芳", window))
    assert data.groups[1].winners == (Winner("王磊", "审批一科"),)
    assert data.style.bureau_name == "昆山市行政审批局"


async def test_tiers_are_groups_and_units_name_their_parent(sessions: SessionFactory,
                                                            tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    async with sessions() as session:
        data = await notice_data(session, PAPERS, ids["round:hall"])
    assert data.round.family == "最美政务大厅、优秀政务大厅"
    assert [(g.award, g.subject, g.winners) for g in data.groups] == [
        ("最美政务大厅", "unit", (Winner("周庄分中心大厅", "办公室"),)),
        ("优秀政务大厅", "unit", (Winner("综合受理窗口", ""),))]


async def test_winners_and_certificates_of_a_final_round(sessions: SessionFactory,
                                                         tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    async with sessions() as session:
        final = await winners_data(session, PAPERS, ids["round:sanniu"])
        batch = await certificate_batch(session, PAPERS, ids["round:sanniu"])
        one = await certificate_for(session, PAPERS, ids["n3"], issued_on=date(2026, 10, 12))
        not_yet = await certificate_for(session, Papers(default_catalogue(), Rules()),
                                        ids["n1"] + 100)
    assert final.dated == date(2026, 10, 10)  # the notice closed that day
    assert [w.name for g in final.groups for w in g.winners] == ["张伟", "刘芳", "王磊"]
    assert [(c.name, c.award, c.number) for c in batch.certificates] == [
        ("张伟", "孺子牛奖", "SA-2026Q3-0002"), ("刘芳", "孺子牛奖", "SA-2026Q3-0001"),
        ("王磊", "老黄牛奖", "SA-2026Q3-0003")]
    assert {c.issued_on for c in batch.certificates} == {date(2026, 10, 10)}
    assert one is not None and (one.name, one.unit, one.issued_on) == (
        "王磊", "审批一科", date(2026, 10, 12))
    assert not_yet is None


async def test_refusals_name_what_is_missing(sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await seeded(sessions, tmp_path)
    await round_with(sessions, "zuimei_staff", "2026", "decided",
                     [("zuimei_staff", ids["2003"], None, ids["2003"])], now=BEFORE_NATIONAL_DAY)
    async with sessions() as session:
        staff_round = await session.scalar(select(Round.id).where(Round.family == "zuimei_staff"))
        assert staff_round is not None
        with pytest.raises(Refusal) as no_notice:
            await notice_data(session, PAPERS, staff_round)
        with pytest.raises(Refusal) as no_round:
            await notice_data(session, PAPERS, 999)
        with pytest.raises(Refusal) as no_winners:
            await certificate_batch(session, PAPERS, ids["round:hall"])  # still on notice
    assert no_round.value.text.key == "documents.refuse.no_round"
    assert no_notice.value.text.key == "documents.refuse.no_notice"
    assert no_winners.value.text.key == "documents.refuse.no_winners"
