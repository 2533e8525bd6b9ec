"""满意度测评 (RULES §6): the system-wide satisfaction survey of a round's candidates.

An admin opens it for a round whose awards have a ``satisfaction`` section, with a
deadline; the round's shortlisted candidates are fixed then. Every bound active staff
member is invited (outbox, bulk, deduplicated) and rates each candidate once on the
five-level scale, changeable until the survey closes — never a nomination of their own
(nominee, applicant, or the window/hall they work in). It closes at its deadline
(:func:`close_due_surveys`, run by the scheduler) or when an admin closes it. The
scoring code reads the counts with :func:`survey_tally`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Rating, Round, Survey
from awardbot.scoring.rules import RATING_LEVELS
from awardbot.workflow import audit
from awardbot.workflow.lifecycle import State
from awardbot.workflow.notice_base import (
    SURVEY_SHOW,
    NoticeRefusal,
    NoticeServices,
    bound_staff,
    data,
    has_role,
    local_time,
    say,
)
from awardbot.workflow.outbox import Button, Message, Priority, Text, enqueue_for_staff
from awardbot.workflow.roles import Role

OPEN, CLOSED = "open", "closed"
SECTION = "satisfaction"
CANDIDATE_STATES = (State.SHORTLISTED,)


async def survey_tally(session: AsyncSession, nomination_id: int) -> dict[str, int]:
    """The votes for one candidate per level (every level present): the facts'
    ``satisfaction`` Tally, e.g. ``{"very_satisfied": 7, "satisfied": 3, …}``."""
    rows = await session.execute(
        select(Rating.level, func.count()).where(Rating.nomination_id == nomination_id)
        .group_by(Rating.level))
    counts = dict.fromkeys(RATING_LEVELS, 0)
    for level, count in rows:
        if level in counts:
            counts[level] = int(count)
    return counts


def surveyed_awards(svc: NoticeServices, family: str) -> frozenset[str]:
    """The family's awards whose score sheet has a satisfaction section."""
    codes = svc.awards.families[family].awards if family in svc.awards.families else ()
    return frozenset(code for code in codes
                     if any(s.key == SECTION for s in svc.awards.award(code).sections))


def parse_local(text: str, svc: NoticeServices) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=svc.rules.tz)
        except ValueError:
            continue
    return None


async def admin_command(
    svc: NoticeServices, actor_id: int, args: list[str], now: datetime
) -> Message:
    """``/survey open FAMILY PERIOD YYYY-MM-DD [HH:MM]`` or ``/survey close FAMILY PERIOD``."""
    if len(args) >= 4 and args[0] == "open":
        deadline = parse_local(" ".join(args[3:5]), svc)
        if deadline is None:
            raise NoticeRefusal("survey.admin.bad_time", value=" ".join(args[3:5]))
        return await open_survey(svc, actor_id, args[1], args[2], deadline, now)
    if len(args) == 3 and args[0] == "close":
        return await close_survey(svc, actor_id, args[1], args[2], now)
    raise NoticeRefusal("survey.admin.usage")


async def _round(session: AsyncSession, family: str, period: str) -> Round:
    row = await session.scalar(select(Round).where(Round.family == family,
                                                   Round.period == period))
    if row is None:
        raise NoticeRefusal("survey.admin.no_round", family=family, period=period)
    return row


async def _require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await has_role(session, actor_id, Role.ADMIN):
        raise NoticeRefusal("notice.admin_only")


async def open_survey(
    svc: NoticeServices, actor_id: int, family: str, period: str, deadline: datetime,
    now: datetime,
) -> Message:
    awards = surveyed_awards(svc, family)
    async with svc.sessions.begin() as session:
        await _require_admin(session, actor_id)
        if not awards:
            raise NoticeRefusal("survey.admin.no_section", family=family)
        round_ = await _round(session, family, period)
        if deadline <= now:
            raise NoticeRefusal("survey.admin.past", deadline=local_time(deadline, svc.rules))
        if await session.scalar(select(Survey.id).where(Survey.round_id == round_.id)):
            raise NoticeRefusal("survey.admin.exists", family=family, period=period)
        candidates = list(await session.scalars(
            select(Nomination.id).where(Nomination.round_id == round_.id,
                                        Nomination.state.in_(CANDIDATE_STATES),
                                        Nomination.award.in_(awards))
            .order_by(Nomination.award, Nomination.id)))
        if not candidates:
            raise NoticeRefusal("survey.admin.no_candidates", family=family, period=period)
        survey = Survey(round_id=round_.id, state=OPEN, candidate_ids=candidates,
                        opened_by=actor_id, opened_at=now, deadline=deadline)
        session.add(survey)
        round_.survey_deadline = deadline
        await session.flush()
        await audit.append(session, at=now, actor_id=actor_id, action="survey.opened",
                           subject_type="survey", subject_id=survey.id,
                           data={"round": round_.id, "candidates": candidates,
                                 "deadline": deadline.isoformat()})
        invited = await _invite(session, svc, survey, round_, now)
        return say("survey.admin.opened", family=Text(f"notice.family.{family}"),
                   period=period, count=len(candidates), invited=invited,
                   deadline=local_time(deadline, svc.rules))


async def _invite(session: AsyncSession, svc: NoticeServices, survey: Survey, round_: Round,
                  now: datetime) -> int:
    invite = Message(
        Text("survey.invite", {"family": Text(f"notice.family.{round_.family}"),
                               "period": round_.period, "count": len(survey.candidate_ids),
                               "deadline": local_time(survey.deadline, svc.rules)}),
        ((Button(Text("survey.start_button"), data(SURVEY_SHOW, survey.id, 0)),),))
    invited = 0
    for staff_id in await bound_staff(session):
        invited += await enqueue_for_staff(
            session, staff_id, invite, now=now, priority=Priority.BULK,
            dedupe_key=f"survey:{survey.id}:invite:{staff_id}")
    return invited


async def close_survey(
    svc: NoticeServices, actor_id: int, family: str, period: str, now: datetime
) -> Message:
    async with svc.sessions.begin() as session:
        await _require_admin(session, actor_id)
        round_ = await _round(session, family, period)
        survey = await session.scalar(
            select(Survey).where(Survey.round_id == round_.id).with_for_update())
        if survey is None:
            raise NoticeRefusal("survey.admin.none", family=family, period=period)
        if survey.state == OPEN:
            await _close(session, survey, actor_id, now)
        votes = await session.scalar(
            select(func.count()).select_from(Rating)
            .where(Rating.nomination_id.in_(survey.candidate_ids)))
        return say("survey.admin.closed", family=Text(f"notice.family.{family}"),
                   period=period, votes=votes or 0,
                   closed=local_time(survey.closed_at or now, svc.rules))


async def _close(session: AsyncSession, survey: Survey, actor_id: int | None,
                 now: datetime) -> None:
    survey.state, survey.closed_at, survey.closed_by = CLOSED, now, actor_id
    await audit.append(session, at=now, actor_id=actor_id, action="survey.closed",
                       subject_type="survey", subject_id=survey.id,
                       data={"round": survey.round_id,
                             "by": "admin" if actor_id else "deadline"})


async def close_due_surveys(svc: NoticeServices, now: datetime) -> list[int]:
    """Close every open survey whose deadline has passed (scheduler; idempotent)."""
    async with svc.sessions.begin() as session:
        due = list(await session.scalars(
            select(Survey).where(Survey.state == OPEN, Survey.deadline <= now)
            .order_by(Survey.id).with_for_update()))
        for survey in due:
            await _close(session, survey, None, now)
        return [s.id for s in due]
