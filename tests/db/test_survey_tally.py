"""The survey in the database: who is a candidate, who is invited, one vote per person
per candidate (changed in place, also when pressed twice at once), the tally the score
sheet reads, and closing at the deadline once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Rating, Round, Survey
from awardbot.scoring import Rules, default_catalogue, parse_facts, score_sheet
from awardbot.workflow import survey, survey_ballot
from awardbot.workflow.evidence_store import LocalEvidenceStore
from awardbot.workflow.notice_base import NoticeRefusal, NoticeServices
from tests.e2e.notice_fixtures import bureau, round_with, texts_for
from tests.factories import NOW

DEADLINE = NOW + timedelta(days=10)


def services(sessions: SessionFactory, tmp_path: Path) -> NoticeServices:
    return NoticeServices(sessions=sessions, rules=Rules(), awards=default_catalogue(),
                          store=LocalEvidenceStore(tmp_path / "ev"))


async def _halls(sessions: SessionFactory) -> tuple[dict[str, int], list[int]]:
    ids = await bureau(sessions, bound=True)
    nominations = await round_with(sessions, "hall", "2026", "shortlisted", [
        ("hall", None, ids["unit:hall"], ids["2001"]),
        ("hall", None, ids["unit:window"], ids["2002"]),
    ], now=NOW)
    await round_with(sessions, "zuimei_window", "2026", "scored", [
        ("zuimei_window", None, ids["unit:window"], ids["2002"])], now=NOW)
    return ids, nominations


async def test_open_invites_every_bound_person_once_and_fixes_the_candidates(
        sessions: SessionFactory, tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, window) = await _halls(sessions)
    message = await survey.open_survey(svc, ids["A01"], "hall", "2026", DEADLINE, NOW)
    assert message.text.params["count"] == 2 and message.text.params["invited"] == 7
    assert len(await texts_for(sessions, "survey.invite")) == 7
    async with sessions() as session:
        row = await session.scalar(select(Survey))
        round_ = await session.scalar(select(Round).where(Round.family == "hall"))
    assert row is not None and round_ is not None
    assert row.candidate_ids == [hall, window] and round_.survey_deadline == DEADLINE
    with pytest.raises(NoticeRefusal) as twice:
        await survey.open_survey(svc, ids["A01"], "hall", "2026", DEADLINE, NOW)
    assert twice.value.text.key == "survey.admin.exists"
    assert len(await texts_for(sessions, "survey.invite")) == 7
    with pytest.raises(NoticeRefusal) as none:  # scored, not yet shortlisted
        await survey.open_survey(svc, ids["A01"], "zuimei_window", "2026", DEADLINE, NOW)
    assert none.value.text.key == "survey.admin.no_candidates"
    with pytest.raises(NoticeRefusal) as past:
        await survey.open_survey(svc, ids["A01"], "zuimei_window", "2026", NOW, NOW)
    assert past.value.text.key == "survey.admin.past"


async def test_staff_of_a_nominated_window_do_not_rate_it(sessions: SessionFactory,
                                                          tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, window) = await _halls(sessions)
    await survey.open_survey(svc, ids["A01"], "hall", "2026", DEADLINE, NOW)
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    with pytest.raises(NoticeRefusal) as own:  # 杨洋 works in the window
        await survey_ballot.vote(svc, ids["2003"], survey_id, window, "satisfied", NOW)
    assert own.value.text.key == "survey.own"
    screen = await survey_ballot.vote(svc, ids["2003"], survey_id, hall, "satisfied", NOW)
    assert screen.message is not None
    assert screen.message.text.key == "survey.ballot"
    assert screen.message.text.params["total"] == 1


async def test_one_vote_per_person_even_when_pressed_at_once(sessions: SessionFactory,
                                                             tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, _) = await _halls(sessions)
    await survey.open_survey(svc, ids["A01"], "hall", "2026", DEADLINE, NOW)
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    await asyncio.gather(*(
        survey_ballot.vote(svc, ids["3001"], survey_id, hall, level, NOW)
        for level in ("very_satisfied", "average", "satisfied")))
    for staff_no in ("A01", "D01", "3002"):
        await survey_ballot.vote(svc, ids[staff_no], survey_id, hall, "very_satisfied", NOW)
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Rating).where(
            Rating.voter_id == ids["3001"])) == 1
        tally = await survey.survey_tally(session, hall)
    assert sum(tally.values()) == 4 and tally["very_satisfied"] >= 3
    facts = parse_facts("hall", {"onboarding_rate": 100, "guide_accuracy": 100,
                                 "satisfaction": tally})
    assert score_sheet("hall", facts, Rules()).section("satisfaction").incomplete
    assert not score_sheet("hall", facts, Rules(survey_min_votes=4)).section(
        "satisfaction").incomplete


async def test_closing_at_the_deadline_happens_once(sessions: SessionFactory,
                                                    tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, _) = await _halls(sessions)
    await survey.open_survey(svc, ids["A01"], "hall", "2026", DEADLINE, NOW)
    assert await survey.close_due_surveys(svc, DEADLINE - timedelta(seconds=1)) == []
    assert len(await survey.close_due_surveys(svc, DEADLINE)) == 1
    assert await survey.close_due_surveys(svc, DEADLINE) == []
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    with pytest.raises(NoticeRefusal) as late:
        await survey_ballot.vote(svc, ids["3001"], survey_id, hall, "satisfied",
                                 DEADLINE - timedelta(minutes=5))  # closed is closed
    assert late.value.text.key == "survey.closed"
    async with sessions() as session:
        assert await survey.survey_tally(session, hall) == dict.fromkeys(
            ("very_satisfied", "satisfied", "fairly_satisfied", "average", "dissatisfied"), 0)
