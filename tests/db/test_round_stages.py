"""A round is a state machine: its stages move by the clock or by acts, every act checks
the stage and refuses with the reason, the moves are audited, and the evaluation opens
with its satisfaction survey — which must close before the evaluation can."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from awardbot.db.engine import SessionFactory
from awardbot.db.models import AuditEvent, Notification, Round, Staff, Survey
from awardbot.scoring import Rules, default_catalogue
from awardbot.storage.evidence_store import LocalEvidenceStore
from awardbot.workflow.evaluation import decision
from awardbot.workflow.evaluation.close import close as close_evaluation
from awardbot.workflow.notice import publish as notice
from awardbot.workflow.notice import survey
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import admin, stages
from awardbot.workflow.rounds.evaluation import open_due, open_now, preview
from awardbot.workflow.rounds.plan import SchedulePlan
from awardbot.workflow.rounds.stages import NEEDS, TRANSITIONS, Act, Stage
from awardbot.workflow.services import Services
from tests.e2e.evaluation_fixtures import add_checked, group_bureau

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
CLOSES = T0 + timedelta(days=10)
LEADERS = CLOSES + timedelta(days=3)
CHECK = CLOSES + timedelta(days=5)
SCORING = CLOSES + timedelta(days=10)
SURVEY = CLOSES + timedelta(days=8)
PLAN = SchedulePlan(enabled=True)


async def _round(sessions: SessionFactory, family: str = "zuimei_staff",
                 period: str = "2026") -> int:
    async with sessions.begin() as session:
        row = Round(family=family, period=period, opens_at=T0, closes_at=CLOSES,
                    leader_deadline=LEADERS, check_deadline=CHECK, scoring_deadline=SCORING,
                    survey_deadline=SURVEY, created_at=T0)
        session.add(row)
        await session.flush()
        return row.id


async def _get(sessions: SessionFactory, round_id: int) -> Round:
    async with sessions() as session:
        return await session.get_one(Round, round_id)


def _svc(sessions: SessionFactory) -> Services:
    return Services(sessions, plan=PLAN)


async def _stage_moves(sessions: SessionFactory) -> list[tuple[str, str, str]]:
    async with sessions() as session:
        rows = await session.scalars(select(AuditEvent).where(AuditEvent.action == "round.stage")
                                     .order_by(AuditEvent.id))
        return [(e.data["from"], e.data["to"], e.data["by"]) for e in rows]


def test_every_act_names_stages_the_lifecycle_has_and_moves_go_forward() -> None:
    assert set(NEEDS) == set(Act)
    order = list(Stage)
    for stage, targets in TRANSITIONS.items():
        for target in targets:  # forward only, but for reopening applications by extending
            assert order.index(target) > order.index(stage) or (stage, target) == (
                Stage.CLOSED, Stage.ACCEPTING)
    assert Stage.FINAL not in TRANSITIONS


async def test_the_clock_closes_applications_and_starts_the_review(
        sessions: SessionFactory) -> None:
    round_id = await _round(sessions)
    row = await _get(sessions, round_id)
    assert stages.effective(row, CLOSES - timedelta(seconds=1)) is Stage.ACCEPTING
    assert stages.accepting(row, CLOSES - timedelta(seconds=1))
    assert stages.effective(row, CLOSES) is Stage.CLOSED and not stages.accepting(row, CLOSES)
    assert stages.effective(row, LEADERS) is Stage.REVIEW
    assert not stages.accepting(row, T0 - timedelta(seconds=1))  # not open yet
    await open_due(_svc(sessions), LEADERS)  # the tick writes the clock's moves down
    assert (await _get(sessions, round_id)).state == "review"
    assert await _stage_moves(sessions) == [("accepting", "closed", "deadline"),
                                            ("closed", "review", "deadline")]


@pytest.mark.parametrize(("act", "at", "why"), [
    (Act.CLOSE_EVALUATION, T0 + timedelta(days=1), "rounds.needs.close_evaluation"),
    (Act.EXTEND, LEADERS, "rounds.needs.extend"),
    (Act.SUBMIT, CLOSES, "rounds.needs.submit"),
    (Act.DECIDE, CHECK, "rounds.needs.decide"),
    (Act.PUBLISH, LEADERS, "rounds.needs.publish"),
    (Act.OPEN_EVALUATION, T0 + timedelta(days=1), "rounds.needs.open_evaluation"),
    (Act.SCORE, CLOSES, "rounds.needs.score"),
])
async def test_acts_outside_their_stage_are_refused_with_the_reason(
        sessions: SessionFactory, act: Act, at: datetime, why: str) -> None:
    row = await _get(sessions, await _round(sessions))
    with pytest.raises(Refusal) as refused:
        stages.require(row, act, at)
    text = refused.value.text
    assert text.key == "rounds.refused" and text.params["why"].key == why
    assert text.params["stage"].key == f"rounds.stage.{stages.effective(row, at).value}"


async def test_extending_reopens_a_just_closed_round_but_not_one_in_review(
        sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    round_id = await _round(sessions)
    with pytest.raises(Refusal) as staff:
        await admin.close_round(sessions, round_id, now=T0, actor_id=ids["P1"])
    assert staff.value.text.key == "policy.refused.manage_rounds"
    await admin.extend_round(sessions, round_id, CLOSES + timedelta(days=2), plan=PLAN,
                             now=CLOSES + timedelta(hours=1), actor_id=ids["AD"])
    row = await _get(sessions, round_id)
    assert row.state == "accepting" and stages.accepting(row, CLOSES + timedelta(hours=2))
    assert await _stage_moves(sessions) == [("accepting", "closed", "deadline"),
                                            ("closed", "accepting", "extended")]
    later = row.leader_deadline
    assert later is not None
    with pytest.raises(Refusal) as past:
        await admin.extend_round(sessions, round_id, later + timedelta(days=9), plan=PLAN,
                                 now=later + timedelta(hours=1), actor_id=ids["AD"])
    assert past.value.text.params["why"].key == "rounds.needs.extend"


async def test_the_evaluation_opens_at_the_check_deadline_with_its_survey(
        sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    annual, quarterly = await _round(sessions), await _round(sessions, "sanniu", "2026Q4")
    async with sessions.begin() as session:  # the group leader has Telegram
        (await session.get_one(Staff, ids["EL"])).telegram_user_id = 5150
    await add_checked(sessions, annual, "ZM-1", "zuimei_staff", applicant=ids["P2"],
                      staff=ids["P2"])
    assert await open_due(_svc(sessions), CHECK - timedelta(seconds=1)) == []
    assert sorted(await open_due(_svc(sessions), CHECK)) == [annual, quarterly]
    assert await open_due(_svc(sessions), CHECK + timedelta(hours=1)) == []  # once
    assert (await _get(sessions, annual)).state == "evaluation"
    async with sessions() as session:
        surveys = list(await session.scalars(select(Survey)))
        keys = list(await session.scalars(select(Notification.dedupe_key)))
    assert [(s.round_id, s.deadline, s.state) for s in surveys] == [(annual, SURVEY, "open")]
    assert surveys[0].candidate_ids != []
    assert any(k and k.startswith(f"round:{annual}:evaluation:") for k in keys)
    moves = await _stage_moves(sessions)
    assert moves.count(("review", "evaluation", "schedule")) == 2


async def test_an_admin_opens_the_evaluation_early_and_only_once(
        sessions: SessionFactory) -> None:
    ids = await group_bureau(sessions)
    round_id = await _round(sessions)
    now = CLOSES + timedelta(hours=2)
    plan = await preview(_svc(sessions), ids["AD"], round_id, now)
    assert (plan.scoring_deadline, plan.survey_deadline) == (SCORING, SURVEY)
    with pytest.raises(Refusal):
        await open_now(_svc(sessions), ids["P1"], round_id, now)
    await open_now(_svc(sessions), ids["AD"], round_id, now)
    with pytest.raises(Refusal) as twice:
        await open_now(_svc(sessions), ids["AD"], round_id, now)
    assert twice.value.text.params["stage"].key == "rounds.stage.evaluation"


def _notice_svc(sessions: SessionFactory, tmp_path: Path) -> Services:
    return Services(sessions=sessions, rules=Rules(), awards=default_catalogue(),
                          store=LocalEvidenceStore(tmp_path / "ev"))


async def test_closing_the_evaluation_waits_for_the_survey_and_then_ranks(
        sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await group_bureau(sessions)
    round_id = await _round(sessions)
    await add_checked(sessions, round_id, "ZM-1", "zuimei_staff", applicant=ids["P2"],
                      staff=ids["P2"])
    ev = Services(sessions, rules=Rules(survey_min_votes=0))
    with pytest.raises(Refusal) as early:  # applications are still open
        await close_evaluation(ev, ids["EL"], round_id, T0 + timedelta(days=1))
    assert early.value.text.params["why"].key == "rounds.needs.close_evaluation"
    now = CLOSES + timedelta(hours=1)
    await open_now(Services(sessions, plan=SchedulePlan(enabled=False)), ids["AD"], round_id,
                   now)
    async with sessions.begin() as session:  # as if the survey had never been opened
        await session.delete(await session.scalar(select(Survey)))
    missing = await close_evaluation(ev, ids["EL"], round_id, now)
    assert missing.screens[0].text.key == "evaluation.close.survey_missing"
    assert missing.screens[0].rows[0][0].fields == ("so", str(round_id))
    svc = _notice_svc(sessions, tmp_path)
    await survey.open_survey(svc, ids["EL"], round_id, SURVEY, now)
    running = await close_evaluation(ev, ids["EL"], round_id, now)
    assert running.screens[0].text.key == "evaluation.close.survey_open"
    assert running.screens[0].rows[0][0].fields == ("sx", str(round_id))
    closed = await survey.close_survey(svc, ids["EL"], round_id, now)
    assert closed.buttons[0][0].callback_data == f"sl:cl:{round_id}"  # the way forward
    await close_evaluation(ev, ids["EL"], round_id, now, anyway=True)
    assert (await _get(sessions, round_id)).state == "ranked"
    again = await close_evaluation(ev, ids["EL"], round_id, now)
    assert again.screens[0].text.key == "evaluation.close.already"


async def test_no_second_decision_and_no_notice_before_the_decision(
        sessions: SessionFactory, tmp_path: Path) -> None:
    ids = await group_bureau(sessions)
    round_id = await _round(sessions)
    now = SCORING
    async with sessions.begin() as session:
        with pytest.raises(Refusal) as early:
            await decision.decidable(session, round_id, now)
    assert early.value.text.params["why"].key == "rounds.needs.decide"
    with pytest.raises(Refusal) as publish:
        await notice.publish(_notice_svc(sessions, tmp_path), ids["AD"], round_id, now)
    assert publish.value.text.params["why"].key == "rounds.needs.publish"
    async with sessions.begin() as session:
        (await session.get_one(Round, round_id)).state = "decided"
    async with sessions.begin() as session:
        with pytest.raises(Refusal) as twice:
            await decision.decidable(session, round_id, now)
    assert twice.value.text.key == "decision.refuse.already"


async def test_once_the_evaluation_closed_nothing_more_is_signed_or_checked(
        sessions: SessionFactory) -> None:
    round_id = await _round(sessions)
    row = await _get(sessions, round_id)
    assert stages.require(row, Act.REVIEW, CHECK) is Stage.REVIEW  # late sign-offs go on
    row.state = "ranked"
    with pytest.raises(Refusal) as refused:
        stages.require(row, Act.REVIEW, SCORING)
    assert refused.value.text.params["why"].key == "rounds.needs.review"
