"""Opening a round's evaluation: the group starts scoring and, for the awards whose sheet has
a satisfaction section, the survey opens beside it (RULES §6).

It opens by itself when the round's check deadline passes (``[schedule]
evaluation_opens = "check_deadline"``, :func:`open_due`, run by the scheduler's tick), or when
an admin confirms it from ``/rounds`` (:func:`preview`, then :func:`open_now`). Either way the
round moves to ``evaluation`` (audited), its scoring and survey deadlines are set, the
evaluation group is told, and everyone is invited to the survey — in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Round
from awardbot.scoring import CalendarUnavailable, WorkingCalendar
from awardbot.workflow import policy
from awardbot.workflow.evaluation.members import members
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Message, Text
from awardbot.workflow.naming import local_time
from awardbot.workflow.notice import survey
from awardbot.workflow.outbox import Priority, enqueue_for_staff
from awardbot.workflow.policy import Permission
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.admin import round_for_update
from awardbot.workflow.rounds.calendar import working_calendar
from awardbot.workflow.rounds.plan import Offsets
from awardbot.workflow.rounds.stages import Act, Stage
from awardbot.workflow.services import Services

log = logging.getLogger(__name__)
IN_REVIEW = (State.SUBMITTED, State.DEPT_APPROVED, State.RETURNED)



@dataclass(frozen=True)
class EvaluationPlan:
    """What opening the evaluation would do, for the admin to confirm."""

    round_id: int
    label: dict[str, object]
    scoring_deadline: datetime
    survey_deadline: datetime | None  # None: no award of the family is surveyed
    checked: int
    in_review: int


def deadlines(round_: Round, svc: Services, calendar: WorkingCalendar,
              now: datetime) -> tuple[datetime, datetime | None]:
    """The round's own deadlines when still ahead; else as many working days from today as
    the plan gives the evaluation after the check (the survey never after scoring)."""
    offsets = svc.plan.offsets_for(round_.family) or Offsets()
    today = svc.plan.day_of(now)

    def ahead(days: int) -> datetime:
        return svc.plan.local(calendar.add_working_days(today, max(days, 1)),
                              svc.plan.office_end)

    scoring = round_.scoring_deadline
    if scoring is None or scoring <= now:
        scoring = ahead(offsets.scoring - offsets.check)
    if not survey.surveyed_awards(svc.awards, round_.family):
        return scoring, None
    wanted = round_.survey_deadline
    if wanted is None or wanted <= now or wanted > scoring:
        wanted = min(ahead(offsets.survey - offsets.check), scoring)
    return scoring, wanted


async def _counts(session: AsyncSession, round_id: int) -> tuple[int, int]:
    rows = dict((await session.execute(
        select(Nomination.state, func.count()).where(Nomination.round_id == round_id)
        .group_by(Nomination.state))).all())
    return int(rows.get(State.CHECKED, 0)), sum(int(rows.get(s, 0)) for s in IN_REVIEW)


async def preview(svc: Services, actor_id: int | None, round_id: int,
                  now: datetime) -> EvaluationPlan:
    async with svc.sessions() as session:
        await policy.require(session, actor_id, Permission.MANAGE_ROUNDS)
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise Refusal("schedule.rounds.gone")
        stages.require(round_, Act.OPEN_EVALUATION, now)
        scoring, surveyed = await _deadlines(session, round_, svc, now)
        checked, in_review = await _counts(session, round_id)
        return EvaluationPlan(round_id, stages.label(round_), scoring, surveyed, checked,
                              in_review)


async def _deadlines(session: AsyncSession, round_: Round, svc: Services,
                     now: datetime) -> tuple[datetime, datetime | None]:
    try:
        return deadlines(round_, svc, await working_calendar(session), now)
    except CalendarUnavailable as exc:
        raise Refusal("schedule.rounds.no_calendar", year=exc.year) from None


async def open_now(svc: Services, actor_id: int | None, round_id: int,
                   now: datetime) -> EvaluationPlan:
    """An admin opens the evaluation (and the survey) of a round whose applications closed."""
    async with svc.sessions.begin() as session:
        await policy.require(session, actor_id, Permission.MANAGE_ROUNDS)
        round_ = await round_for_update(session, round_id)
        stages.require(round_, Act.OPEN_EVALUATION, now)
        return await _open(session, svc, round_, now, actor_id, by="admin")


async def _open(session: AsyncSession, svc: Services, round_: Round, now: datetime,
                actor_id: int | None, by: str) -> EvaluationPlan:
    scoring, surveyed = await _deadlines(session, round_, svc, now)
    await stages.move(session, round_, Stage.EVALUATION, now, actor_id=actor_id, by=by,
                      act=Act.OPEN_EVALUATION)
    round_.scoring_deadline = scoring
    if surveyed is not None:
        await survey.start(session, svc.awards, svc.rules, round_, surveyed, now, actor_id)
    checked, in_review = await _counts(session, round_.id)
    if checked:
        await _tell_group(session, svc, round_, checked, scoring, now)
    return EvaluationPlan(round_.id, stages.label(round_), scoring, surveyed, checked,
                          in_review)


async def _tell_group(session: AsyncSession, svc: Services, round_: Round, count: int,
                      scoring: datetime, now: datetime) -> None:
    message = Message(Text("rounds.evaluation.to_group", {
        **stages.label(round_), "count": count, "deadline": local_time(scoring, svc.rules)}))
    for member in await members(session):
        if member.telegram_user_id is not None:
            await enqueue_for_staff(session, member.staff_id, message, now=now,
                                    priority=Priority.REMINDER,
                                    dedupe_key=f"round:{round_.id}:evaluation:{member.staff_id}")


async def open_due(svc: Services, now: datetime) -> list[int]:
    """The scheduler's part: write the clock's moves of every live round down, and open the
    evaluation of each round whose check deadline has passed (when the plan says so)."""
    opened: list[int] = []
    async with svc.sessions() as session:
        ids = list(await session.scalars(select(Round.id).where(
            Round.state.in_((Stage.ACCEPTING, Stage.CLOSED, Stage.REVIEW))).order_by(Round.id)))
    for round_id in ids:  # one transaction per round: a failure holds back only that round
        try:
            async with svc.sessions.begin() as session:
                round_ = await round_for_update(session, round_id)
                stage = await stages.catch_up(session, round_, now)
                due = round_.check_deadline is not None and now >= round_.check_deadline
                if svc.plan.enabled and svc.plan.auto_evaluation and due and (
                        stage in stages.NEEDS[Act.OPEN_EVALUATION]):
                    await _open(session, svc, round_, now, None, by="schedule")
                    opened.append(round_id)
        except Refusal as refusal:  # e.g. no calendar yet: the admins are warned, retried
            log.warning("round %s: evaluation not opened: %s", round_id, refusal.text.key)
    return opened
