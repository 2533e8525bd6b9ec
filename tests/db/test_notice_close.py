"""Publishing and closing a notice in the database: the period, the state changes, the
audit events, objections holding a nomination back, and closing twice changing nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Notice, Notification, Objection
from awardbot.i18n import Catalogue
from awardbot.scoring import Rules, WorkingCalendar, YearCalendar, default_catalogue
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow.messages import render
from awardbot.workflow.notice import close as notice_close
from awardbot.workflow.notice import publish as notice
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services
from tests.e2e.notice_fixtures import BEFORE_NATIONAL_DAY, bureau, round_with, states, texts_for

CLOSES = datetime(2026, 10, 10, 9, 30, tzinfo=UTC)  # Saturday 10 Oct 17:30 in Shanghai


def services(sessions: SessionFactory, tmp_path: Path, **kw: object) -> Services:
    return Services(sessions=sessions, rules=Rules(), awards=default_catalogue(),
                          store=LocalEvidenceStore(tmp_path / "ev"), **kw)  # type: ignore[arg-type]


async def published(sessions: SessionFactory, tmp_path: Path) -> tuple[
        Services, dict[str, int], list[int]]:
    ids = await bureau(sessions, bound=True)
    nominations = await round_with(sessions, "zuimei_staff", "2026", "decided", [
        ("zuimei_staff", ids["2001"], None, ids["2001"]),
        ("zuimei_staff", ids["2002"], None, ids["3001"]),
        ("zuimei_staff", ids["2003"], None, ids["2003"]),
    ], now=BEFORE_NATIONAL_DAY)
    svc = services(sessions, tmp_path, channel_chat_id=-100)
    async with sessions() as session:
        round_id = (await session.scalars(select(Notice.round_id))).first()
    assert round_id is None
    screen = await notice.publish(svc, ids["A01"], await _round_id(sessions), BEFORE_NATIONAL_DAY)
    assert screen.message is not None
    return svc, ids, nominations


async def _round_id(sessions: SessionFactory) -> int:
    from awardbot.db.models import Round
    async with sessions() as session:
        found = await session.scalar(select(Round.id))
        assert found is not None
        return found


async def _objection(sessions: SessionFactory, notice_id: int, nomination: int, objector: int,
                     state: str) -> int:
    async with sessions.begin() as session:
        row = Objection(notice_id=notice_id, nomination_id=nomination, objector_id=objector,
                        text="情况不属实", state=state, attachments=[],
                        created_at=BEFORE_NATIONAL_DAY, submitted_at=BEFORE_NATIONAL_DAY)
        session.add(row)
        await session.flush()
        return row.id


async def test_publishing_before_national_day_closes_on_the_adjusted_saturday(
        sessions: SessionFactory, tmp_path: Path) -> None:
    svc, ids, nominations = await published(sessions, tmp_path)
    async with sessions() as session:
        row = await session.scalar(select(Notice))
        assert row is not None
        assert (row.starts_on, row.ends_on) == (date(2026, 10, 8), date(2026, 10, 10))
        assert row.closes_at == CLOSES
        assert row.nomination_ids == nominations
        actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["nomination.on_notice"] * 3 + ["notice.published", "round.stage"]
    assert await states(sessions, nominations) == ["on_notice"] * 3
    sent = await texts_for(sessions, "notice.published")
    assert len(sent) == 7 + 1  # every bound staff member and the channel
    with pytest.raises(Refusal) as again:
        await notice.publish(svc, ids["A01"], await _round_id(sessions), BEFORE_NATIONAL_DAY)
    assert again.value.text.key == "notice.publish.already"


async def test_close_upholds_dismisses_and_holds_then_finishes_once(
        sessions: SessionFactory, tmp_path: Path) -> None:
    svc, ids, (liu, zhang, yang) = await published(sessions, tmp_path)
    async with sessions() as session:
        notice_id = await session.scalar(select(Notice.id))
    assert notice_id is not None
    await _objection(sessions, notice_id, liu, ids["3001"], "upheld")
    await _objection(sessions, notice_id, zhang, ids["3002"], "dismissed")
    waiting = await _objection(sessions, notice_id, yang, ids["3002"], "open")

    assert await notice_close.upcoming(svc, BEFORE_NATIONAL_DAY) == [CLOSES]
    assert await notice_close.close_due_notices(svc, CLOSES - timedelta(seconds=1)) == []
    [held] = await notice_close.close_due_notices(svc, CLOSES)
    assert (held.upheld, held.awarded, held.waiting, held.closed) == ([liu], [zhang], [yang],
                                                                      False)
    assert await states(sessions, [liu, zhang, yang]) == ["objection_upheld", "awarded",
                                                          "on_notice"]
    assert len(await texts_for(sessions, "objection.reminder")) == 1  # one supervisor
    [again] = await notice_close.close_due_notices(svc, CLOSES + timedelta(minutes=5))
    assert (again.upheld, again.awarded, again.waiting) == ([], [], [yang])
    assert len(await texts_for(sessions, "objection.reminder")) == 1  # once a day
    assert await texts_for(sessions, "notice.final") == []

    async with sessions.begin() as session:
        row = await session.get_one(Objection, waiting)
        row.state = "dismissed"
    [done] = await notice_close.close_due_notices(svc, CLOSES + timedelta(hours=2))
    assert (done.awarded, done.closed) == ([yang], True)
    assert await notice_close.close_due_notices(svc, CLOSES + timedelta(hours=3)) == []
    assert await notice_close.upcoming(svc, BEFORE_NATIONAL_DAY) == []
    assert await states(sessions, [liu, zhang, yang]) == ["objection_upheld", "awarded",
                                                          "awarded"]
    finals = await texts_for(sessions, "notice.final")
    assert len(finals) == 7 + 1  # every bound staff member and the channel
    catalogue = Catalogue.load()
    shown = render(catalogue, "zh", finals[0].payload["text"])
    assert "张伟" in shown and "杨洋" in shown and "刘芳" not in shown
    assert "王磊" not in shown and "赵敏" not in shown  # the objectors are never named
    async with sessions() as session:
        actions = list(await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        told = await session.scalar(select(func.count()).select_from(Notification).where(
            Notification.dedupe_key.like(f"nomination:{liu}:objection_upheld:%")))
    assert actions[4:] == ["round.stage", "nomination.objection_upheld", "nomination.awarded",
                           "notice.held", "nomination.awarded", "notice.closed", "round.stage"]
    assert told == 1  # 刘芳 applied for herself: told once


async def test_a_year_without_calendar_data_is_refused(sessions: SessionFactory,
                                                       tmp_path: Path) -> None:
    ids = await bureau(sessions)
    await round_with(sessions, "zuimei_staff", "2026", "decided",
                     [("zuimei_staff", ids["2001"], None, ids["2001"])], now=BEFORE_NATIONAL_DAY)
    svc = services(sessions, tmp_path)
    late = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
    with pytest.raises(Refusal) as refused:
        await notice.preview(svc, ids["A01"], await _round_id(sessions), late)
    assert refused.value.text.key == "notice.publish.no_calendar"
    assert refused.value.text.params == {"year": 2027}

    async def loaded(_session: object) -> WorkingCalendar:
        return WorkingCalendar.with_years([YearCalendar(2027, frozenset({date(2027, 1, 1)}),
                                                        frozenset())])

    svc = services(sessions, tmp_path, calendar=loaded)
    screen = await notice.publish(svc, ids["A01"], await _round_id(sessions), late)
    assert screen.message is not None and screen.message.text.params["closes"] == \
        "2027-03-04 17:30"


async def test_only_an_admin_publishes(sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await bureau(sessions)
    await round_with(sessions, "zuimei_staff", "2026", "decided",
                     [("zuimei_staff", ids["2001"], None, ids["2001"])], now=BEFORE_NATIONAL_DAY)
    with pytest.raises(Refusal) as refused:
        await notice.publish(services(sessions, tmp_path), ids["2002"],
                             await _round_id(sessions), BEFORE_NATIONAL_DAY)
    assert refused.value.text.key == "policy.refused.publish"
