"""Closing scoring maps the rule book's ranking onto nomination states; the party group's
decision; the workbook export read back — on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from awardbot.bot.cli import export as export_command
from awardbot.bot.cli.errors import OperatorError
from awardbot.bot.settings import DatabaseSettings, Settings
from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Review, Score, Staff
from awardbot.i18n import Catalogue
from awardbot.scoring import Rules
from awardbot.workflow.evaluation.close import close
from awardbot.workflow.evaluation.decision import Change, record
from awardbot.workflow.evaluation.export import export_round
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services
from tests.e2e.evaluation_fixtures import RULES, add_checked, add_round, group_bureau
from tests.factories import add_unit

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def services(sessions: SessionFactory) -> Services:
    return Services(sessions, rules=Rules.from_mapping(RULES))


async def grade(sessions: SessionFactory, nomination: int, by: dict[int, str | None],
                item: str = "grade") -> None:
    async with sessions.begin() as session:
        for member, value in by.items():
            session.add(Score(nomination_id=nomination, evaluator_id=member, section=item,
                              value=None if value is None else Decimal(value),
                              abstained=value is None, created_at=NOW))


async def sanniu(sessions: SessionFactory, ids: dict[str, int],
                 grades: dict[str, str]) -> dict[str, int]:
    round_id = await add_round(sessions, "sanniu", "2026Q4")
    found = {"round": round_id}
    for number, person in enumerate(grades, start=1):
        found[person] = await add_checked(sessions, round_id, f"SN-2026Q4-{number:04d}",
                                          "ruzi_niu", applicant=ids[person], staff=ids[person])
        members = ("E01", "EL") if person == "P1" else ("E01", "E02", "EL")
        await grade(sessions, found[person], {ids[m]: grades[person] for m in members})
    return found


async def states(sessions: SessionFactory) -> dict[str, tuple[str, str | None, int | None]]:
    async with sessions() as session:
        return {r.ref or "": (r.state, r.flagged_reason, (r.ranking or {}).get("rank"))
                for r in await session.scalars(select(Nomination))}


async def test_ranking_outcomes_become_states(sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    found = await sanniu(sessions, ids, {"P1": "9", "P2": "8", "P3": "8", "P4": "5"})
    svc = services(sessions)
    reply = await close(svc, ids["EL"], found["round"], NOW)
    assert reply.toast is not None
    got = await states(sessions)
    assert got["SN-2026Q4-0001"] == ("shortlisted", None, 1)
    for ref in ("SN-2026Q4-0002", "SN-2026Q4-0003"):  # tied across the second place
        state, reason, rank = got[ref]
        assert (state, rank) == ("scored", 2) and reason and "名额线" in reason
    assert got["SN-2026Q4-0004"] == ("not_shortlisted", None, 4)
    again = await close(svc, ids["EL"], found["round"], NOW)
    assert again.toast is not None and again.toast.key == "evaluation.close.already"
    with pytest.raises(Refusal) as refused:
        await close(svc, ids["E01"], found["round"], NOW)
    assert refused.value.text.key == "evaluation.refuse.not_leader"


async def test_held_back_and_hall_tiers(sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    w2 = await add_unit(sessions, "W2", "不动产登记窗口", kind="window")
    round_id = await add_round(sessions, "zuimei_window", "2026")
    held = await add_checked(sessions, round_id, "ZC-2026-0001", "zuimei_window",
                             applicant=ids["P1"], unit=ids["W1"],
                             facts={"accidents": [{"kind": "theft", "serious": True}]})
    clean = await add_checked(sessions, round_id, "ZC-2026-0002", "zuimei_window",
                              applicant=ids["P2"], unit=w2, facts={"case_volume": 12000})
    await close(services(sessions), ids["EL"], round_id, NOW)
    got = await states(sessions)
    assert got["ZC-2026-0001"][0] == "scored" and "严重后果" in (got["ZC-2026-0001"][1] or "")
    assert got["ZC-2026-0001"][2] is None
    assert got["ZC-2026-0002"] == ("shortlisted", None, 1)
    async with sessions() as session:
        row = await session.get_one(Nomination, clean)
        assert row.ranking is not None and row.ranking["sections"]["bonus"] == "1"
        assert (await session.get_one(Nomination, held)).ranking["outcome"] == "held_back"  # type: ignore[index]


async def test_closing_refused_with_gaps_unless_anyway(sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    round_id = await add_round(sessions, "sanniu", "2026Q4")
    nid = await add_checked(sessions, round_id, "SN-2026Q4-0001", "ruzi_niu",
                            applicant=ids["P2"], staff=ids["P2"])
    await grade(sessions, nid, {ids["E01"]: "6", ids["E02"]: None})  # E02 abstained
    svc = services(sessions)
    refused = await close(svc, ids["EL"], round_id, NOW)
    assert refused.screens[0].text.params["count"] == 1 and refused.screens[0].rows
    assert (await states(sessions))["SN-2026Q4-0001"][0] == "checked"
    await close(svc, ids["EL"], round_id, NOW, anyway=True)
    async with sessions() as session:
        row = await session.get_one(Nomination, nid)
        assert row.state == "shortlisted" and row.ranking is not None
        assert row.ranking["total"] == "6"  # EL missing, E02 abstained: neither is a zero


async def test_the_party_group_decision(sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    found = await sanniu(sessions, ids, {"P1": "9", "P2": "8", "P3": "7", "P4": "6"})
    await close(services(sessions), ids["EL"], found["round"], NOW)
    async with sessions.begin() as session:
        admin = await session.get_one(Staff, ids["AD"])
        with pytest.raises(Refusal):  # an addition must have been scored … and listed
            await record(session, admin, found["round"], [Change("add", 999, "x")], NOW)
    async with sessions.begin() as session:
        admin = await session.get_one(Staff, ids["AD"])
        await record(session, admin, found["round"], [
            Change("remove", found["P2"], "材料不实"), Change("add", found["P4"], "群众推荐")],
            NOW)
    got = await states(sessions)
    assert [got[f"SN-2026Q4-000{n}"][0] for n in range(1, 5)] == [
        "decided", "not_shortlisted", "not_shortlisted", "decided"]
    async with sessions.begin() as session:
        admin = await session.get_one(Staff, ids["AD"])
        with pytest.raises(Refusal) as twice:
            await record(session, admin, found["round"], [], NOW)
        assert twice.value.text.key == "decision.refuse.already"
        reviews = {(r.decision, r.comment) for r in await session.scalars(select(Review))}
        assert reviews == {("confirmed", None), ("removed", "材料不实"), ("added", "群众推荐")}


async def test_the_export_reads_back(sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    found = await sanniu(sessions, ids, {"P1": "9", "P2": "8.5", "P3": "7", "P4": "6"})
    svc = services(sessions)
    await close(svc, ids["EL"], found["round"], NOW)
    async with sessions.begin() as session:
        admin = await session.get_one(Staff, ids["AD"])
        await record(session, admin, found["round"],
                     [Change("remove", found["P2"], "材料不实")], NOW)
    name, content = await export_round(svc, Catalogue.load(), found["round"], NOW)
    assert name == "三牛奖-2026Q4.xlsx"
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["孺子牛奖", "评委评分", "党组会议决定"]
    ranking = book["孺子牛奖"]
    rows = [[c.value for c in row] for row in ranking.iter_rows()]
    assert rows[0] == ["名次", "申报编号", "被推荐对象", "单位", "考评小组评分", "总分",
                       "评选结果", "当前状态", "另行处理 / 说明"]
    assert rows[1][:7] == [1, "SN-2026Q4-0001", "刘芳", "综合受理窗口", 9, 9, "入围"]
    assert rows[2][:7] == [2, "SN-2026Q4-0002", "张伟", "审批一科", 8.5, 8.5, "入围"]
    assert rows[2][7] == "未入围" and rows[3][6] == "未入围"
    assert ranking.freeze_panes == "A2" and ranking.print_title_rows == "$1:$1"
    assert ranking.page_setup.orientation == "landscape"
    assert str(ranking.page_setup.paperSize) == ranking.PAPERSIZE_A4  # "9": A4
    assert ranking.column_dimensions["C"].width >= 10 and ranking["A1"].font.bold
    scores = [[c.value for c in row] for row in book["评委评分"].iter_rows()]
    assert scores[0] == ["申报编号", "被推荐对象", "评委", "工号", "评分项目", "分数", "情况"]
    assert ["SN-2026Q4-0001", "刘芳", "李评", "E02", "考评小组评分", None, "回避"] in scores
    assert ["SN-2026Q4-0002", "张伟", "王评", "E01", "考评小组评分", 8.5, "已评"] in scores
    decisions = [[c.value for c in row] for row in book["党组会议决定"].iter_rows()]
    assert decisions[0] == ["申报编号", "被推荐对象", "决定", "理由", "录入人", "时间"]
    assert ["SN-2026Q4-0002", "张伟", "移除", "材料不实", "钱管理", "2026-11-25 10:00"] in decisions
    with pytest.raises(Refusal):
        await export_round(svc, Catalogue.load(), 9999, NOW)


async def test_export_command(sessions: SessionFactory, db_url: str, tmp_path: Path) -> None:
    ids = await group_bureau(sessions)
    found = await sanniu(sessions, ids, {"P1": "9"})
    settings = Settings(database=DatabaseSettings(url=db_url), rules=RULES)
    target = tmp_path / "round.xlsx"

    def args(round_id: str) -> argparse.Namespace:
        return argparse.Namespace(round_id=round_id, xlsx=target, lang="zh")

    assert await export_command.run(args(str(found["round"])), settings,
                                    clock=lambda: NOW) == 0
    assert load_workbook(target).sheetnames[0] == "孺子牛奖"
    for bad in ("abc", "9999"):
        with pytest.raises(OperatorError) as error:
            await export_command.run(args(bad), settings, clock=lambda: NOW)
        assert "\n" not in str(error.value) and str(error.value).startswith("export:")


async def test_a_reason_with_pasted_control_characters_does_not_break_the_export(
        sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    found = await sanniu(sessions, ids, {"P1": "9", "P2": "8.5", "P3": "7", "P4": "6"})
    svc = services(sessions)
    await close(svc, ids["EL"], found["round"], NOW)
    async with sessions.begin() as session:
        admin = await session.get_one(Staff, ids["AD"])
        await record(session, admin, found["round"],
                     [Change("remove", found["P2"], "材料\x07不实\x00")], NOW)
        review = await session.scalar(select(Review).where(Review.decision == "removed"))
        assert review is not None and review.comment == "材料不实"  # cleaned on entry
        review.comment = "材料\x07不实"  # as a row stored before text was cleaned
    _, content = await export_round(svc, Catalogue.load(), found["round"], NOW)
    decisions = [[c.value for c in row]
                 for row in load_workbook(BytesIO(content))["党组会议决定"].iter_rows()]
    assert ["SN-2026Q4-0002", "张伟", "移除", "材料不实", "钱管理", "2026-11-25 10:00"] in decisions
