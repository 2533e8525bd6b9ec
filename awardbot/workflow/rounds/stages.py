"""A round's lifecycle, written in one place like the nomination's (``lifecycle.py``).

``accepting → closed → review → evaluation → ranked → decided → notice → final``:
accepting applications; applications closed (the department leaders still sign); in review
(the leaders' deadline passed: the supervision section finishes its check); in evaluation
(the group scores, the satisfaction survey runs beside it); evaluation closed and ranked;
the party group's decision recorded; on public notice; final once the notice closed.

Two moves follow the clock alone and are seen at once by :func:`effective` (and written,
with their audit events, by :func:`catch_up`): the application deadline closes applications,
the leaders' deadline starts the review. Every other move is an act — an admin's, the
group leader's, the schedule's — made through :func:`move`, which checks the move is one the
lifecycle has and audits it. Each act names what it needs in :data:`NEEDS`, and
:func:`require` refuses, with the round's stage and the reason, when the round is elsewhere.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Round
from awardbot.workflow import audit
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal


class Stage(StrEnum):
    ACCEPTING = "accepting"
    CLOSED = "closed"  # applications closed
    REVIEW = "review"
    EVALUATION = "evaluation"
    RANKED = "ranked"  # evaluation closed
    DECIDED = "decided"
    NOTICE = "notice"
    FINAL = "final"


TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.ACCEPTING: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset({Stage.ACCEPTING, Stage.REVIEW, Stage.EVALUATION}),  # ← extended
    Stage.REVIEW: frozenset({Stage.EVALUATION}),
    Stage.EVALUATION: frozenset({Stage.RANKED}),
    Stage.RANKED: frozenset({Stage.DECIDED}),
    Stage.DECIDED: frozenset({Stage.NOTICE}),
    Stage.NOTICE: frozenset({Stage.FINAL}),
}


class Act(StrEnum):
    """What people and the schedule do to or within a round."""

    SUBMIT = "submit"
    REVIEW = "review"  # a leader's sign-off or 督查科's check
    EXTEND = "extend"
    CLOSE_APPLICATIONS = "close_applications"
    OPEN_EVALUATION = "open_evaluation"
    SCORE = "score"
    SURVEY = "survey"  # open, close or vote in the satisfaction survey
    CLOSE_EVALUATION = "close_evaluation"
    DECIDE = "decide"
    PUBLISH = "publish"


NEEDS: dict[Act, frozenset[Stage]] = {
    Act.SUBMIT: frozenset({Stage.ACCEPTING}),
    # Reviews go on while the group scores (a nomination checked late joins the evaluation);
    # once the evaluation closed, the places are given.
    Act.REVIEW: frozenset({Stage.ACCEPTING, Stage.CLOSED, Stage.REVIEW, Stage.EVALUATION}),
    Act.EXTEND: frozenset({Stage.ACCEPTING, Stage.CLOSED}),
    Act.CLOSE_APPLICATIONS: frozenset({Stage.ACCEPTING}),
    Act.OPEN_EVALUATION: frozenset({Stage.CLOSED, Stage.REVIEW}),
    Act.SCORE: frozenset({Stage.EVALUATION}),
    Act.SURVEY: frozenset({Stage.EVALUATION}),
    Act.CLOSE_EVALUATION: frozenset({Stage.EVALUATION}),
    Act.DECIDE: frozenset({Stage.RANKED}),
    Act.PUBLISH: frozenset({Stage.DECIDED}),
}


def stored(round_: Round) -> Stage:
    return Stage(round_.state)


def effective(round_: Round, now: datetime) -> Stage:
    """The stage the round is in at ``now``: the stored one, moved on by its deadlines."""
    stage = stored(round_)
    if stage is Stage.ACCEPTING and now >= round_.closes_at:
        stage = Stage.CLOSED
    if stage is Stage.CLOSED and round_.leader_deadline is not None and (
            now >= round_.leader_deadline):
        stage = Stage.REVIEW
    return stage


def accepting(round_: Round, now: datetime) -> bool:
    """Whether a submission may go into the round at ``now`` (opened, deadline ahead)."""
    return effective(round_, now) is Stage.ACCEPTING and round_.opens_at <= now


def label(round_: Round) -> dict[str, Any]:
    """The round's name as texts take it: ``{family}`` and ``{period}``."""
    return {"family": Text(f"notice.family.{round_.family}"), "period": round_.period}


def stage_text(stage: Stage) -> Text:
    return Text(f"rounds.stage.{stage.value}")


def refusal(round_: Round, act: Act, stage: Stage) -> Refusal:
    return Refusal("rounds.refused", **label(round_), stage=stage_text(stage),
                   why=Text(f"rounds.needs.{act.value}"))


def require(round_: Round, act: Act, now: datetime) -> Stage:
    """The round's stage, if ``act`` may happen in it; a :class:`Refusal` saying why not."""
    stage = effective(round_, now)
    if stage not in NEEDS[act]:
        raise refusal(round_, act, stage)
    return stage


async def catch_up(session: AsyncSession, round_: Round, now: datetime) -> Stage:
    """Write down the moves the clock made (each audited, "by": "deadline")."""
    while (stage := effective(round_, now)) is not stored(round_):
        step = Stage.CLOSED if stored(round_) is Stage.ACCEPTING else Stage.REVIEW
        await _record(session, round_, step, now, actor_id=None, by="deadline")
    return stage


async def move(session: AsyncSession, round_: Round, to: Stage, now: datetime, *,
               actor_id: int | None, by: str, act: Act | None = None) -> None:
    """Move the round to ``to`` (after the clock's own moves), or refuse if it cannot go there."""
    current = await catch_up(session, round_, now)
    if to not in TRANSITIONS.get(current, frozenset()):
        raise refusal(round_, act, current) if act else Refusal(
            "rounds.refused", **label(round_), stage=stage_text(current),
            why=Text("rounds.needs.move", {"to": stage_text(to)}))
    await _record(session, round_, to, now, actor_id=actor_id, by=by)


async def _record(session: AsyncSession, round_: Round, to: Stage, now: datetime, *,
                  actor_id: int | None, by: str) -> None:
    before, round_.state = round_.state, to.value
    await audit.append(session, at=now, actor_id=actor_id, action="round.stage",
                       subject_type="round", subject_id=round_.id,
                       data={"from": before, "to": to.value, "by": by})
