"""The survey in the database: who is a candidate (the nominations that passed the check, a
later-checked one joining while it runs), who is invited, one vote per person per candidate
(changed in place, also when pressed twice at once), the tally the score sheet reads, and
closing at the deadline once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import Nomination, Rating, Round, Survey
from awardbot.scoring import Rules, default_catalogue, parse_facts, score_sheet
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow.notice import ballot as survey_ballot
from awardbot.workflow.notice import survey
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services
from tests.e2e.notice_fixtures import bureau, round_with, texts_for
from tests.factories import NOW

DEADLINE = NOW + timedelta(days=10)


def services(sessions: SessionFactory, tmp_path: Path) -> Services:
    return Services(sessions=sessions, rules=Rules(), awards=default_catalogue(),
                          store=LocalEvidenceStore(tmp_path / "ev"))


async def _halls(sessions: SessionFactory) -> tuple[dict[str, int], list[int]]:
    """A hall round in evaluation with two checked halls; a window round still in review."""
    ids = await bureau(sessions, bound=True)
    nominations = await round_with(sessions, "hall", "2026", "checked", [
        ("hall", None, ids["unit:hall"], ids["2001"]),
        ("hall", None, ids["unit:window"], ids["2002"]),
    ], now=NOW)
    await round_with(sessions, "zuimei_window", "2026", "dept_approved", [
        ("zuimei_window", None, ids["unit:window"], ids["2002"])], now=NOW)
    return ids, nominations


async def _round(sessions: SessionFactory, family: str) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Round.id).where(Round.family == family))
    assert found is not None
    return found


async def test_open_invites_every_bound_person_once_and_fixes_the_candidates(
        sessions: SessionFactory, tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, window) = await _halls(sessions)
    halls = await _round(sessions, "hall")
    message = await survey.open_survey(svc, ids["A01"], halls, DEADLINE, NOW)
    assert message.text.params["count"] == 2 and message.text.params["invited"] == 7
    assert len(await texts_for(sessions, "survey.invite")) == 7
    async with sessions() as session:
        row = await session.scalar(select(Survey))
        round_ = await session.get(Round, halls)
    assert row is not None and round_ is not None
    assert row.candidate_ids == [hall, window] and round_.survey_deadline == DEADLINE
    with pytest.raises(Refusal) as twice:
        await survey.open_survey(svc, ids["A01"], halls, DEADLINE, NOW)
    assert twice.value.text.key == "survey.admin.exists"
    assert len(await texts_for(sessions, "survey.invite")) == 7
    windows = await _round(sessions, "zuimei_window")
    with pytest.raises(Refusal) as early:  # still in review: the survey waits
        await survey.open_survey(svc, ids["A01"], windows, DEADLINE, NOW)
    assert early.value.text.key == "rounds.refused"
    assert early.value.text.params["why"].key == "rounds.needs.survey"
    with pytest.raises(Refusal) as staff:
        await survey.open_survey(svc, ids["2001"], windows, DEADLINE, NOW)
    assert staff.value.text.key == "policy.refused.run_survey"


async def test_a_nomination_checked_later_joins_and_closing_fixes_the_list(
        sessions: SessionFactory, tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, window) = await _halls(sessions)
    halls = await _round(sessions, "hall")
    with pytest.raises(Refusal) as past:
        await survey.open_survey(svc, ids["A01"], halls, NOW, NOW)
    assert past.value.text.key == "survey.admin.past"
    await survey.open_survey(svc, ids["A01"], halls, DEADLINE, NOW)
    (late,) = await round_with(sessions, "hall", "2026", "checked", [
        ("hall", None, ids["unit:section"], ids["3001"])], now=NOW, round_id=halls)
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    screen = await survey_ballot.show(svc, ids["D01"], survey_id, 2, NOW)
    assert screen.message is not None and screen.message.text.params["total"] == 3
    await survey.close_survey(svc, ids["A01"], halls, NOW + timedelta(days=1))
    async with sessions.begin() as session:
        (await session.get_one(Nomination, late)).state = "rejected"
        row = await session.scalar(select(Survey))
    assert row is not None and row.candidate_ids == [hall, window, late]


async def test_staff_of_a_nominated_window_do_not_rate_it(sessions: SessionFactory,
                                                          tmp_path: Path) -> None:
    svc = services(sessions, tmp_path)
    ids, (hall, window) = await _halls(sessions)
    await survey.open_survey(svc, ids["A01"], await _round(sessions, "hall"), DEADLINE,
                             NOW)
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    with pytest.raises(Refusal) as own:  # 杨洋 works in the window
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
    await survey.open_survey(svc, ids["A01"], await _round(sessions, "hall"), DEADLINE,
                             NOW)
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
    await survey.open_survey(svc, ids["A01"], await _round(sessions, "hall"), DEADLINE,
                             NOW)
    assert await survey.close_due_surveys(svc, DEADLINE - timedelta(seconds=1)) == []
    assert len(await survey.close_due_surveys(svc, DEADLINE)) == 1
    assert await survey.close_due_surveys(svc, DEADLINE) == []
    async with sessions() as session:
        survey_id = await session.scalar(select(Survey.id))
    assert survey_id is not None
    with pytest.raises(Refusal) as late:
        await survey_ballot.vote(svc, ids["3001"], survey_id, hall, "satisfied",
                                 DEADLINE - timedelta(minutes=5))  # closed is closed
    assert late.value.text.key == "survey.closed"
    async with sessions() as session:
        assert await survey.survey_tally(session, hall) == dict.fromkeys(
            ("very_satisfied", "satisfied", "fairly_satisfied", "average", "dissatisfied"), 0)
