"""满意度测评 (RULES §6): the system-wide satisfaction survey of a round's candidates.

The survey runs **alongside the evaluation**: it opens when the round's evaluation opens
(``rounds/evaluation.py``, by the schedule or an admin), or by an admin or the group leader
during the evaluation, and it must close before the evaluation can close. Its candidates
are the round's nominations that passed the 督查科 check (``checked``) for an award whose
sheet has a satisfaction section — read live while the survey is open, so a nomination
checked later joins the ballot, and fixed when it closes. Every bound active staff member
is invited (outbox, bulk, deduplicated) and rates each candidate once on the five-level
scale, changeable until the survey closes — never a nomination of their own. It closes at
its deadline (:func:`close_due_surveys`, run by the scheduler) or by hand. The scoring code
reads the counts with :func:`survey_tally`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind
from awardbot.db.models import Nomination, Rating, Round, Survey
from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import Rules
from awardbot.scoring.rules import RATING_LEVELS
from awardbot.workflow import audit, policy
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import local_time
from awardbot.workflow.notice.base import SURVEY_SHOW, bound_staff, data, say
from awardbot.workflow.outbox import Priority, enqueue_for_staff
from awardbot.workflow.policy import Permission
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act
from awardbot.workflow.services import Services

OPEN, CLOSED = "open", "closed"
SECTION = "satisfaction"
CANDIDATE_STATES = (State.CHECKED,)


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


def surveyed_awards(awards: AwardCatalogue, family: str) -> frozenset[str]:
    """The family's awards whose score sheet has a satisfaction section."""
    codes = awards.families[family].awards if family in awards.families else ()
    return frozenset(code for code in codes
                     if any(s.key == SECTION for s in awards.award(code).sections))


async def live_candidates(session: AsyncSession, awards: AwardCatalogue,
                          round_: Round) -> list[int]:
    """The round's nominations the survey asks about now, in ballot order."""
    surveyed = surveyed_awards(awards, round_.family)
    if not surveyed:
        return []
    return list(await session.scalars(
        select(Nomination.id).where(Nomination.round_id == round_.id,
                                    Nomination.state.in_(CANDIDATE_STATES),
                                    Nomination.award.in_(surveyed))
        .order_by(Nomination.award, Nomination.id)))


async def candidates(session: AsyncSession, awards: AwardCatalogue, survey: Survey,
                     round_: Round) -> list[int]:
    """Live while the survey is open; the list fixed at closing afterwards."""
    if survey.state == OPEN:
        return await live_candidates(session, awards, round_)
    return [int(i) for i in survey.candidate_ids]


async def of_round(session: AsyncSession, round_id: int, *, lock: bool = False) -> Survey | None:
    query = select(Survey).where(Survey.round_id == round_id)
    return await session.scalar(query.with_for_update() if lock else query)


async def start(session: AsyncSession, awards: AwardCatalogue, rules: Rules, round_: Round,
                deadline: datetime, now: datetime, actor_id: int | None
                ) -> tuple[Survey, int]:
    """Open the round's survey in the caller's transaction and invite everyone (the
    survey and how many were invited)."""
    if not surveyed_awards(awards, round_.family):
        raise Refusal("survey.admin.no_section", family=family_text(round_.family))
    if deadline <= now:
        raise Refusal("survey.admin.past", deadline=local_time(deadline, rules))
    if await of_round(session, round_.id) is not None:
        raise Refusal("survey.admin.exists", **stages.label(round_))
    ids = await live_candidates(session, awards, round_)
    survey = Survey(round_id=round_.id, state=OPEN, candidate_ids=ids, opened_by=actor_id,
                    opened_at=now, deadline=deadline)
    session.add(survey)
    round_.survey_deadline = deadline
    await session.flush()
    await audit.append(session, at=now, actor_id=actor_id, action="survey.opened",
                       subject_type="survey", subject_id=survey.id,
                       data={"round": round_.id, "candidates": ids,
                             "deadline": deadline.isoformat()})
    # Nobody to rate yet (nothing passed the check): nobody is asked to rate nothing.
    invited = await _invite(session, rules, survey, round_, len(ids), now) if ids else 0
    return survey, invited


def family_text(family: str) -> Text:
    return Text(f"notice.family.{family}")


async def _invite(session: AsyncSession, rules: Rules, survey: Survey, round_: Round,
                  count: int, now: datetime) -> int:
    invite = Message(
        Text("survey.invite", {**stages.label(round_), "count": count,
                               "deadline": local_time(survey.deadline, rules)}),
        ((Button(Text("survey.start_button"), data(SURVEY_SHOW, survey.id, 0)),),))
    invited = 0
    for staff_id in await bound_staff(session):
        invited += await enqueue_for_staff(
            session, staff_id, invite, now=now, priority=Priority.BULK,
            dedupe_key=f"survey:{survey.id}:invite:{staff_id}")
    return invited


async def _round_for_survey(session: AsyncSession, round_id: int, now: datetime) -> Round:
    round_ = await session.scalar(select(Round).where(Round.id == round_id).with_for_update())
    if round_ is None:
        raise Refusal("errors.stale_button")
    stages.require(round_, Act.SURVEY, now)
    return round_


async def open_survey(svc: Services, actor_id: int | None, round_id: int,
                      deadline: datetime, now: datetime) -> Message:
    """An admin or the group leader opens the survey of a round in evaluation."""
    async with svc.sessions.begin() as session:
        await policy.require(session, actor_id, Permission.RUN_SURVEY)
        round_ = await _round_for_survey(session, round_id, now)
        if round_.scoring_deadline is not None and deadline > round_.scoring_deadline:
            raise Refusal("survey.admin.after_scoring",
                          scoring=local_time(round_.scoring_deadline, svc.rules))
        survey, invited = await start(session, svc.awards, svc.rules, round_, deadline, now,
                                      actor_id)
        return say("survey.admin.opened", **stages.label(round_),
                   count=len(survey.candidate_ids), invited=invited,
                   deadline=local_time(deadline, svc.rules))


async def close_survey(svc: Services, actor_id: int | None, round_id: int,
                       now: datetime) -> Message:
    async with svc.sessions.begin() as session:
        actor = await policy.require(session, actor_id, Permission.RUN_SURVEY)
        round_ = await session.get(Round, round_id)
        if round_ is None:
            raise Refusal("errors.stale_button")
        survey = await of_round(session, round_id, lock=True)
        if survey is None:
            raise Refusal("survey.admin.none", **stages.label(round_))
        if survey.state == OPEN:
            await close(session, svc.awards, survey, round_, actor_id, now)
        votes = await session.scalar(
            select(func.count()).select_from(Rating)
            .where(Rating.nomination_id.in_(survey.candidate_ids)))
        leads = actor is not None and policy.allows({r.role for r in actor.roles},
                                                    Permission.LEAD_EVALUATION)
        onward = [[Button(Text("evaluation.button.close"), data(Kind.LEAD, "cl", round_id))]] \
            if leads and stages.effective(round_, now) is stages.Stage.EVALUATION else []
        return say("survey.admin.closed", onward, **stages.label(round_), votes=votes or 0,
                   closed=local_time(survey.closed_at or now, svc.rules))


async def close(session: AsyncSession, awards: AwardCatalogue, survey: Survey, round_: Round,
                actor_id: int | None, now: datetime) -> None:
    """Close in the caller's transaction: the candidates asked about are fixed now."""
    survey.candidate_ids = await live_candidates(session, awards, round_)
    survey.state, survey.closed_at, survey.closed_by = CLOSED, now, actor_id
    await audit.append(session, at=now, actor_id=actor_id, action="survey.closed",
                       subject_type="survey", subject_id=survey.id,
                       data={"round": survey.round_id, "candidates": survey.candidate_ids,
                             "by": "admin" if actor_id else "deadline"})


async def close_due_surveys(svc: Services, now: datetime) -> list[int]:
    """Close every open survey whose deadline has passed (scheduler; idempotent)."""
    async with svc.sessions.begin() as session:
        due = list(await session.scalars(
            select(Survey).where(Survey.state == OPEN, Survey.deadline <= now)
            .order_by(Survey.id).with_for_update()))
        for survey in due:
            round_ = await session.get_one(Round, survey.round_id)
            await close(session, svc.awards, survey, round_, None, now)
        return [s.id for s in due]
