"""党组会议讨论确定: an admin records the party group's decision on a round's shortlist.

The meeting confirms the list as it is, or removes and adds entries, each change with a
reason; an addition must be a nomination of that round that was scored. The decision is
recorded at once: every kept or added nomination becomes ``decided``, every removed one
``not_shortlisted``, each with a :class:`Review` (step ``party_group``) and an audit event.
Recording it a second time changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Review, Round, Staff
from awardbot.documents.text_input import clean
from awardbot.workflow import audit
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act, Stage

STEP = "party_group"
ADDABLE = (State.SCORED.value, State.NOT_SHORTLISTED.value)


@dataclass(frozen=True)
class Change:
    op: str  # remove | add
    nomination_id: int
    reason: str


@dataclass(frozen=True)
class Decided:
    kept: list[Nomination]
    removed: list[Nomination]
    added: list[Nomination]


async def round_rows(session: AsyncSession, round_id: int, states: tuple[str, ...],
                     lock: bool = False) -> list[Nomination]:
    query = (select(Nomination).where(Nomination.round_id == round_id,
                                      Nomination.state.in_(states)).order_by(Nomination.id))
    return list(await session.scalars(query.with_for_update() if lock else query))


def check_changes(changes: list[Change], shortlist: dict[int, Nomination],
                  addable: dict[int, Nomination]) -> None:
    for change in changes:
        if not change.reason.strip():
            raise Refusal("decision.refuse.no_reason")
        pool = shortlist if change.op == "remove" else addable
        if change.op not in ("remove", "add") or change.nomination_id not in pool:
            raise Refusal("decision.refuse.bad_change")


async def record(session: AsyncSession, admin: Staff, round_id: int, changes: list[Change],
                 now: datetime) -> Decided:
    """Record the meeting's decision in the caller's transaction (once per round, after the
    evaluation closed; the round moves on to ``decided``)."""
    round_ = await decidable(session, round_id, now, lock=True)
    shortlist = {r.id: r for r in await round_rows(session, round_id,
                                                   (State.SHORTLISTED.value,), lock=True)}
    addable = {r.id: r for r in await round_rows(session, round_id, ADDABLE, lock=True)
               if r.ranking is not None}
    check_changes(changes, shortlist, addable)
    if not shortlist and not any(c.op == "add" for c in changes):
        raise Refusal("decision.refuse.empty")
    reasons = {(c.op, c.nomination_id): clean(c.reason).strip() for c in changes}
    result = Decided([], [], [])
    for nid, row in shortlist.items():
        reason = reasons.get(("remove", nid))
        if reason is None:
            await _move(session, admin, row, (State.DECIDED,), "confirmed", None, now)
            result.kept.append(row)
        else:
            await _move(session, admin, row, (State.NOT_SHORTLISTED,), "removed", reason, now)
            result.removed.append(row)
    for (op, nid), reason in reasons.items():
        if op == "add":
            row = addable[nid]
            path = (State.SHORTLISTED, State.DECIDED) if row.state == State.SCORED \
                else (State.DECIDED,)
            await _move(session, admin, row, path, "added", reason, now)
            result.added.append(row)
    await audit.append(session, at=now, actor_id=admin.id, action="round.decided",
                       subject_type="round", subject_id=round_id, data={
                           "kept": [r.ref for r in result.kept],
                           "removed": [r.ref for r in result.removed],
                           "added": [r.ref for r in result.added]})
    await stages.move(session, round_, Stage.DECIDED, now, actor_id=admin.id,
                      by="party_group", act=Act.DECIDE)
    return result


async def decidable(session: AsyncSession, round_id: int, now: datetime,
                    lock: bool = False) -> Round:
    """The round, if its evaluation closed and no decision was recorded yet."""
    query = select(Round).where(Round.id == round_id)
    round_ = await session.scalar(query.with_for_update() if lock else query)
    if round_ is None:
        raise Refusal("errors.stale_button")
    stage = stages.effective(round_, now)
    if stage in (Stage.DECIDED, Stage.NOTICE, Stage.FINAL):
        raise Refusal("decision.refuse.already")
    stages.require(round_, Act.DECIDE, now)
    return round_


async def _move(session: AsyncSession, admin: Staff, row: Nomination, path: tuple[State, ...],
                decision: str, reason: str | None, now: datetime) -> None:
    before = row.state
    for state in path:
        row.state = check(row.state, state)
    row.updated_at = now
    session.add(Review(nomination_id=row.id, step=STEP, actor_id=admin.id, decision=decision,
                       comment=reason, created_at=now))
    await audit.append(session, at=now, actor_id=admin.id, action=f"decision.{decision}",
                       subject_type="nomination", subject_id=row.id,
                       data={"ref": row.ref, "before": before, "after": row.state,
                             "reason": reason})
