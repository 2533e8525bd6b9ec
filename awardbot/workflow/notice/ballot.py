"""A voter's ballot card: one candidate at a time, the five levels as buttons, their
progress ("3 / 12 rated"); each press records the vote and moves to the next unrated
candidate, edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.conflicts import insert_or_update
from awardbot.db.models import Nomination, Rating, Round, Staff, Survey
from awardbot.scoring.rules import RATING_LEVELS
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import local_time, subject_name
from awardbot.workflow.notice.base import (
    SURVEY_SHOW,
    SURVEY_VOTE,
    Response,
    award_text,
    data,
    is_own,
    outcome_code,
)
from awardbot.workflow.notice.survey import OPEN, candidates
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

LEVEL_ROWS = (RATING_LEVELS[:3], RATING_LEVELS[3:])


@dataclass
class Ballot:
    survey: Survey
    round_: Round
    candidates: list[Nomination]  # the ones this voter may rate, in survey order
    mine: dict[int, str]  # nomination id -> the voter's level
    asked: list[int]  # every candidate of the survey, the voter's own included

    @property
    def rated(self) -> int:
        return sum(1 for c in self.candidates if c.id in self.mine)

    def next_unrated(self, after: int) -> int:
        count = len(self.candidates)
        for step in range(1, count + 1):
            position = (after + step) % count
            if self.candidates[position].id not in self.mine:
                return position
        return after


async def _ballot(session: AsyncSession, svc: Services, survey_id: int,
                  voter_id: int) -> Ballot:
    survey = await session.get(Survey, survey_id)
    if survey is None:
        raise Refusal("errors.stale_button")
    round_ = await session.get_one(Round, survey.round_id)
    ids = await candidates(session, svc.awards, survey, round_)
    voter = await session.get_one(Staff, voter_id)
    rows = {n.id: n for n in await session.scalars(
        select(Nomination).where(Nomination.id.in_(ids)))}
    mine_ = [rows[i] for i in ids if i in rows and not is_own(rows[i], voter_id, voter.unit_id)]
    votes = await session.execute(
        select(Rating.nomination_id, Rating.level).where(
            Rating.voter_id == voter_id, Rating.nomination_id.in_(ids)))
    mine: dict[int, str] = {row[0]: row[1] for row in votes}
    return Ballot(survey, round_, mine_, mine, ids)


def is_open(survey: Survey, now: datetime) -> bool:
    return survey.state == OPEN and now < survey.deadline


async def card(session: AsyncSession, svc: Services, ballot: Ballot,
               position: int, now: datetime) -> Message:
    survey, count = ballot.survey, len(ballot.candidates)
    head = {"family": Text(f"notice.family.{ballot.round_.family}"),
            "period": ballot.round_.period, "rated": ballot.rated, "total": count,
            "deadline": local_time(survey.deadline, svc.rules)}
    if not count:
        return Message(Text("survey.ballot_empty", head))
    if not is_open(survey, now):
        return Message(Text("survey.ballot_closed", head))
    position = max(0, min(position, count - 1))
    nomination = ballot.candidates[position]
    chosen = ballot.mine.get(nomination.id)
    done = "survey.all_done" if ballot.rated == count else "survey.not_done"
    text = Text("survey.ballot", {
        **head, "position": position + 1, "subject": await subject_name(session, nomination),
        "award": award_text(outcome_code(nomination)),
        "mine": Text(f"survey.level.{chosen}" if chosen else "survey.unrated"),
        "done": Text(done, head)})
    rows = [tuple(Button(Text("survey.chosen" if level == chosen else "survey.choice",
                              {"level": Text(f"survey.level.{level}")}),
                         data(SURVEY_VOTE, survey.id, nomination.id, level))
                  for level in levels) for levels in LEVEL_ROWS]
    nav = []
    if position > 0:
        nav.append(Button(Text("survey.previous"), data(SURVEY_SHOW, survey.id, position - 1)))
    if position < count - 1:
        nav.append(Button(Text("survey.next"), data(SURVEY_SHOW, survey.id, position + 1)))
    return Message(text, (*rows, *((tuple(nav),) if nav else ())))


async def show(svc: Services, voter_id: int, survey_id: int, position: int,
               now: datetime) -> Response:
    async with svc.sessions() as session:
        ballot = await _ballot(session, svc, survey_id, voter_id)
        return Response(await card(session, svc, ballot, position, now), edit=True)


async def vote(svc: Services, voter_id: int, survey_id: int, nomination_id: int,
               level: str, now: datetime) -> Response:
    """Record (or change) a vote; the card moves on to the next unrated candidate."""
    if level not in RATING_LEVELS:
        raise Refusal("errors.stale_button")
    async with svc.sessions.begin() as session:
        ballot = await _ballot(session, svc, survey_id, voter_id)
        if not is_open(ballot.survey, now):
            raise Refusal("survey.closed",
                                closed=local_time(ballot.survey.closed_at
                                                  or ballot.survey.deadline, svc.rules))
        ids = [c.id for c in ballot.candidates]
        if nomination_id not in ids:
            own = nomination_id in ballot.asked
            raise Refusal("survey.own" if own else "errors.stale_button")
        await _upsert(session, nomination_id, voter_id, level, now)
        changed = nomination_id in ballot.mine and ballot.mine[nomination_id] != level
        ballot.mine[nomination_id] = level
        position = ballot.next_unrated(ids.index(nomination_id))
        toast = Text("survey.changed" if changed else "survey.recorded",
                     {"level": Text(f"survey.level.{level}")})
        return Response(await card(session, svc, ballot, position, now), edit=True, toast=toast)


async def _upsert(session: AsyncSession, nomination_id: int, voter_id: int, level: str,
                  now: datetime) -> None:
    await session.execute(insert_or_update(
        session, Rating,
        {"nomination_id": nomination_id, "voter_id": voter_id, "level": level,
         "updated_at": now},
        ["nomination_id", "voter_id"], {"level": level, "updated_at": now}))


async def my_ballots(svc: Services, voter_id: int, now: datetime) -> list[Message]:
    """/survey for a voter: a card for each survey open now (first unrated candidate)."""
    async with svc.sessions() as session:
        ids = list(await session.scalars(
            select(Survey.id).where(Survey.state == OPEN, Survey.deadline > now)
            .order_by(Survey.id)))
        cards = []
        for survey_id in ids:
            ballot = await _ballot(session, svc, survey_id, voter_id)
            if not ballot.asked:
                continue  # a survey nobody is a candidate in yet
            first = ballot.next_unrated(-1) if ballot.candidates else 0
            cards.append(await card(session, svc, ballot, first, now))
        if not cards:
            raise Refusal("survey.none_open")
        return cards
