"""The group leader's view of scoring: progress per round and member, and reminders.

A nomination counts as scored by all when every non-recused member has entered (or
abstained from) every judged item. A reminder goes to each member with work left, at
most once per member, round and day (Asia/Shanghai), through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Rating, Round
from awardbot.workflow import audit
from awardbot.workflow.evaluation.members import Member
from awardbot.workflow.evaluation.ranking import Entry, entries, load_round
from awardbot.workflow.evaluation.view import Act, Reply, Screen
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Message, Text, names
from awardbot.workflow.naming import local_time
from awardbot.workflow.notice import survey
from awardbot.workflow.outbox import Priority, enqueue_for_staff
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

LEADER_ONLY = "evaluation.refuse.not_leader"


@dataclass(frozen=True)
class MemberProgress:
    member: Member
    done: int
    due: int
    recused: int

    @property
    def left(self) -> int:
        return self.due - self.done


def tally(found: list[Entry], group: list[Member]) -> tuple[int, list[MemberProgress]]:
    complete = sum(1 for e in found if not e.gaps())
    rows = []
    for member in group:
        mine = [e for e in found if not e.judging.recused(member, e.row)]
        left = {e.row.id for e in mine for m, _ in e.gaps() if m.staff_id == member.staff_id}
        rows.append(MemberProgress(member, len(mine) - len(left), len(mine),
                                   len(found) - len(mine)))
    return complete, rows


async def progress(svc: Services, staff_id: int) -> Reply:
    async with svc.sessions.begin() as session:
        await require_person(session, staff_id, Permission.LEAD_EVALUATION, refusal=LEADER_ONLY)
        round_ids = list(await session.scalars(select(Round.id).where(
            Round.state == Stage.EVALUATION).order_by(Round.id)))
        if not round_ids:
            return Reply((Screen(Text("evaluation.progress.nothing")),))
        screens = []
        for round_id in round_ids:
            round_ = await load_round(session, round_id)
            found = await entries(session, svc, round_id, (State.CHECKED,), lock=False)
            if not found:
                continue  # nothing to score in it (yet)
            group = list(found[0].judging.members) if found else []
            complete, rows = tally(found, group)
            family = svc.awards.families[round_.family].names
            lines = tuple(Text("evaluation.progress.member", {
                "member": p.member.name, "done": p.done, "due": p.due, "recused": p.recused})
                for p in rows) + await ballots(session, svc, round_, found)
            acts = ((Act(Text("evaluation.button.remind"), ("rm", str(round_id))),
                     Act(Text("evaluation.button.close"), ("cl", str(round_id)))),
                    (Act(Text("papers.menu.rk"), ("ch", str(round_id))),))
            screens.append(Screen(Text("evaluation.progress.round", {
                "family": names(family.zh, family.en), "period": round_.period,
                "complete": complete, "total": len(found)}), acts, lines))
        return Reply(tuple(screens) or (Screen(Text("evaluation.progress.nothing")),))


async def ballots(session: AsyncSession, svc: Services, round_: Round,
                  found: list[Entry]) -> tuple[Text, ...]:
    """The survey beside the scoring: its state and each candidate's ballots so far."""
    if not survey.surveyed_awards(svc.awards, round_.family):
        return ()
    found_survey = await survey.of_round(session, round_.id)
    if found_survey is None:
        return (Text("evaluation.progress.survey_none"),)
    counts = dict((await session.execute(
        select(Rating.nomination_id, func.count()).where(
            Rating.nomination_id.in_([e.row.id for e in found]))
        .group_by(Rating.nomination_id))).all())
    head = Text(f"evaluation.progress.survey_{found_survey.state}", {
        "deadline": local_time(found_survey.closed_at or found_survey.deadline, svc.rules),
        "minimum": svc.rules.survey_min_votes})
    return (head, *(Text("evaluation.progress.ballots", {
        "ref": e.ref, "subject": e.subject.name, "votes": int(counts.get(e.row.id, 0))})
        for e in found if e.award in survey.surveyed_awards(svc.awards, round_.family)))


async def remind(svc: Services, staff_id: int, round_id: int, now: datetime) -> Reply:
    async with svc.sessions.begin() as session:
        leader = await require_person(session, staff_id, Permission.LEAD_EVALUATION,
                                      refusal=LEADER_ONLY)
        round_ = await load_round(session, round_id)
        found = await entries(session, svc, round_id, (State.CHECKED,))
        group = list(found[0].judging.members) if found else []
        _, rows = tally(found, group)
        day = now.astimezone(svc.rules.tz).date().isoformat()
        family = svc.awards.families[round_.family].names
        sent, skipped, unbound = [], 0, 0
        for row in (p for p in rows if p.left):
            if row.member.telegram_user_id is None:
                unbound += 1
                continue
            message = Message(Text("evaluation.remind.notice", {
                "family": names(family.zh, family.en), "period": round_.period,
                "count": row.left}))
            if await enqueue_for_staff(session, row.member.staff_id, message, now=now,
                                       dedupe_key=f"eval-remind:{round_id}:"
                                                  f"{row.member.staff_id}:{day}",
                                       priority=Priority.REMINDER):
                sent.append(row.member.staff_no)
            else:
                skipped += 1
        if sent:
            await audit.append(session, at=now, actor_id=leader.id, action="scoring.reminded",
                               subject_type="round", subject_id=round_id,
                               data={"members": sent})
        key = "evaluation.remind.done" if sent or skipped or unbound else "evaluation.remind.none"
        text = Text(key, {"sent": len(sent), "skipped": skipped, "unbound": unbound})
        return Reply((Screen(text),), toast=text)

