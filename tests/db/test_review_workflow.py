"""The review use cases on both databases: racing leaders, routing with nobody to sign,
reasons owed, cards closed or skipped, the 申报表 attached, delegations ending, who may
see a timeline."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awardbot.bot.app import build_services
from awardbot.bot.settings import Settings, StorageSettings
from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Nomination, Notification, Review, Unit
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import decisions as review
from awardbot.workflow.review import delegation, history
from awardbot.workflow.review import queue as review_queue
from awardbot.workflow.review.card import load
from awardbot.workflow.rounds.opening import open_round
from awardbot.workflow.services import Services
from tests.factories import NOW, add_staff, add_unit


@pytest.fixture
def svc(sessions: SessionFactory, tmp_path: Path) -> Services:
    return build_services(Settings(storage=StorageSettings(evidence_dir=tmp_path)), sessions)


async def _bureau(sessions: SessionFactory) -> dict[str, int]:
    centre = await add_unit(sessions, "ZX", "政务服务中心", kind="section")
    window = await add_unit(sessions, "CK1", "综合受理窗口")
    lonely = await add_unit(sessions, "CK9", "无领导窗口")
    async with sessions.begin() as session:
        (await session.get_one(Unit, window)).parent_id = centre
    ids = {"window": window, "lonely": lonely, "centre": centre}
    for key, no, name, unit, roles, tg in (
        ("chen", "L01", "陈静", window, ("leader",), 101),
        ("wang", "L02", "王强", window, ("leader",), 102),
        ("zhou", "L09", "周主任", centre, ("leader",), 109),
        ("liu", "2001", "刘芳", window, (), 201),
        ("solo", "2009", "钱多", lonely, (), 209),
        ("zhao", "S01", "赵敏", centre, ("supervision",), 301),
        ("admin", "A01", "管理员", centre, ("admin",), None),
        ("other", "X01", "路人甲", lonely, (), None),
    ):
        ids[key] = await add_staff(sessions, no, name, unit, roles=roles, telegram_user_id=tg)
    return ids


async def _submitted(sessions: SessionFactory, svc: Services, applicant: int,
                     ref: str = "SN-2026Q4-0001") -> int:
    async with sessions.begin() as session:
        round_id = await session.scalar(select(func.min(Nomination.round_id)))
    if round_id is None:
        view = await open_round(sessions, family="sanniu", period="2026Q4",
                                opens_at=NOW - timedelta(days=1),
                                closes_at=NOW + timedelta(days=20), now=NOW)
        round_id = view.id
    async with sessions.begin() as session:
        row = Nomination(round_id=round_id, award="ruzi_niu", subject_staff_id=applicant,
                         applicant_id=applicant, state="submitted", criteria=[1],
                         statement="坚持延时服务。", answers={}, facts={}, ref=ref,
                         created_at=NOW, updated_at=NOW, submitted_at=NOW,
                         form_sha256="f" * 64)
        session.add(row)
        await session.flush()
        loaded = await load(session, row.id, lock=False)
        assert loaded is not None
        await review.on_submitted(session, svc, loaded, NOW)
        return row.id


async def _count(sessions: SessionFactory, model: type, **where: object) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(await session.scalar(query) or 0)


async def test_leaders_pressing_at_once_sign_once(sessions: SessionFactory,
                                                  svc: Services) -> None:
    ids = await _bureau(sessions)
    nomination = await _submitted(sessions, svc, ids["liu"])
    outcomes = await asyncio.gather(*(
        review.press(svc, ids[who], nomination, "d0", action, NOW)
        for who in ("chen", "wang", "chen", "wang") for action in ("ok",)))
    assert sum(o.changed for o in outcomes) == 1
    assert await _count(sessions, Review, nomination_id=nomination) == 1
    assert await _count(sessions, AuditEvent, action="review.approved") == 1
    losers = [o for o in outcomes if not o.changed]
    assert all(o.closed is not None and o.notice.key == "review.closed" for o in losers)
    async with sessions() as session:
        assert (await session.get_one(Nomination, nomination)).state == "dept_approved"
        checks = await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.dedupe_key.like(f"rv:card:{nomination}:c1:%")))
        assert checks == 1  # 赵敏's card, once


async def test_a_return_and_an_approval_racing(sessions: SessionFactory,
                                               svc: Services) -> None:
    ids = await _bureau(sessions)
    nomination = await _submitted(sessions, svc, ids["liu"])
    asked = await review.press(svc, ids["chen"], nomination, "d0", "ret", NOW)
    assert asked.ask_reason
    await review.press(svc, ids["wang"], nomination, "d0", "ok", NOW)
    late = await review.give_reason(svc, ids["chen"], "请补充材料", NOW)
    assert late is not None
    assert not late.changed
    assert late.notice.params["decision"].key == "review.decision.approve"
    assert await review.give_reason(svc, ids["chen"], "again", NOW) is None  # nothing owed


async def test_nobody_to_sign_goes_straight_to_supervision(sessions: SessionFactory,
                                                           svc: Services) -> None:
    ids = await _bureau(sessions)
    nomination = await _submitted(sessions, svc, ids["solo"])
    async with sessions() as session:
        assert (await session.get_one(Nomination, nomination)).state == "dept_approved"
        chats = list(await session.scalars(select(Notification.chat_id).where(
            Notification.dedupe_key.like(f"rv:card:{nomination}:%"))))
    assert chats == [301]
    assert await _count(sessions, AuditEvent, action="review.no_leader") == 1
    with pytest.raises(Refusal):
        await review.press(svc, ids["chen"], nomination, "c0", "ok", NOW)
    done = await review.press(svc, ids["zhao"], nomination, "c0", "ok", NOW)
    assert done.changed


async def test_cards_closed_skipped_and_given_the_form(sessions: SessionFactory,
                                                       svc: Services) -> None:
    ids = await _bureau(sessions)
    nomination = await _submitted(sessions, svc, ids["liu"])
    assert await review_queue.record_form(sessions, ids["liu"], b"not this form", "F0") is False
    async with sessions.begin() as session:
        row = await session.get_one(Nomination, nomination)
        row.form_sha256 = __import__("hashlib").sha256(b"form").hexdigest()
        cards = list(await session.scalars(select(Notification).where(
            Notification.dedupe_key.like(f"rv:card:{nomination}:d0:%")).order_by(
                Notification.chat_id)))
        assert [c.chat_id for c in cards] == [101, 102]
        cards[0].state, cards[0].message_id = "sent", 77
    assert await review_queue.record_form(sessions, ids["liu"], b"form", "FORM-ID") is True
    outcome = await review.press(svc, ids["chen"], nomination, "d0", "ok", NOW)
    assert [(c.chat_id, c.message_id) for c in outcome.cards] == [(101, 77)]
    async with sessions() as session:
        waiting = await session.scalar(select(Notification).where(
            Notification.dedupe_key == f"rv:card:{nomination}:d0:{ids['wang']}"))
        assert waiting is not None
        assert waiting.state == "skipped"
        assert waiting.payload["media"][-1] == {"kind": "document", "file_id": "FORM-ID"}
        check = await session.scalar(select(Notification).where(
            Notification.dedupe_key.like(f"rv:card:{nomination}:c1:%")))
        assert check is not None
        assert check.payload["media"][-1] == {"kind": "document", "file_id": "FORM-ID"}


async def test_a_delegation_ends_and_its_deputy_may_no_longer_sign(
    sessions: SessionFactory, svc: Services,
) -> None:
    ids = await _bureau(sessions)
    await delegation.delegate(sessions, ids["chen"], ["2009", "2026-11-25", "2026-11-26"], NOW)
    nomination = await _submitted(sessions, svc, ids["liu"])
    later = NOW + timedelta(days=3)
    with pytest.raises(Refusal):
        await review.press(svc, ids["solo"], nomination, "d0", "ok", later)
    last_minutes = NOW + timedelta(days=1, hours=13, minutes=50)  # 11-26 23:50 in Shanghai
    asked = await review.press(svc, ids["solo"], nomination, "d0", "rej", last_minutes)
    assert asked.ask_reason
    gone = await review.give_reason(svc, ids["solo"], "不符合条件",
                                    last_minutes + timedelta(minutes=15))
    assert gone is not None
    assert gone.notice.key == "review.not_yours"
    assert await _count(sessions, Review) == 0
    with pytest.raises(Refusal):
        await delegation.delegate(sessions, ids["liu"], ["2009", "2026-11-25", "2026-11-26"], NOW)


@pytest.mark.parametrize(("who", "allowed"), [
    ("liu", True), ("chen", True), ("zhou", True), ("zhao", True), ("admin", True),
    ("other", False), ("solo", False)])
async def test_who_may_see_a_timeline(sessions: SessionFactory, svc: Services,
                                      who: str, allowed: bool) -> None:
    ids = await _bureau(sessions)
    await _submitted(sessions, svc, ids["liu"])
    if allowed:
        found = await history.timeline(svc, ids[who], ref="sn-2026q4-0001", now=NOW)
        assert [e.params["what"].key for e in found.entries] == []  # submitted outside intake
    else:
        with pytest.raises(Refusal):
            await history.timeline(svc, ids[who], ref="SN-2026Q4-0001", now=NOW)


async def test_the_nominee_hears_too_and_a_forgotten_reason_lapses(
    sessions: SessionFactory, svc: Services,
) -> None:
    ids = await _bureau(sessions)
    nomination = await _submitted(sessions, svc, ids["liu"])
    async with sessions.begin() as session:
        row = await session.get_one(Nomination, nomination)
        row.applicant_id = ids["solo"]  # a colleague applied for 刘芳
    asked = await review.press(svc, ids["chen"], nomination, "d0", "ret", NOW)
    assert asked.ask_reason
    lapsed = NOW + review.REASON_WAIT + timedelta(seconds=1)
    assert await review.give_reason(svc, ids["chen"], "写给别处的话", lapsed) is None
    assert await review.give_reason(svc, ids["chen"], "again", lapsed) is None
    await review.press(svc, ids["chen"], nomination, "d0", "ret", NOW)
    done = await review.give_reason(svc, ids["chen"], "请补充材料", NOW)
    assert done is not None
    assert done.changed
    async with sessions() as session:
        notes = {n.staff_id: n.payload for n in await session.scalars(
            select(Notification).where(Notification.dedupe_key.like(f"rv:note:{nomination}:%")))}
    assert notes[ids["solo"]]["text"]["$text"] == "review.note.return"
    assert notes[ids["solo"]]["buttons"][0][0]["data"] == f"dr:{nomination}:resume"
    assert notes[ids["liu"]]["text"]["$text"] == "review.note.return_nominee"
    assert notes[ids["liu"]]["buttons"] == []
    assert notes[ids["liu"]]["text"]["params"]["reason"] == "请补充材料"
