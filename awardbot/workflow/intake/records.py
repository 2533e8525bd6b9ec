"""What a person has: open rounds they can apply to, their drafts and their nominations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awardbot.db.models import Nomination, Staff
from awardbot.workflow.intake.drafts import load_draft
from awardbot.workflow.intake.eligibility import PersonFacts, person_facts
from awardbot.workflow.intake.model import StepAnswer
from awardbot.workflow.intake.service import current_prompt
from awardbot.workflow.intake.steps_facts import contact_units
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text, names
from awardbot.workflow.naming import SHANGHAI, local_time, subject_label
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.opening import open_now
from awardbot.workflow.services import Services


@dataclass(frozen=True)
class AwardOption:
    code: str
    name: dict[str, object]
    ok: bool
    reason: dict[str, object] | None


@dataclass(frozen=True)
class OpenRound:
    round_id: int
    family: dict[str, object]
    period: str
    deadline: str
    can_apply: bool
    options: tuple[AwardOption, ...]
    # Nothing open to the person themselves: the round is offered for nominating a colleague.
    colleague_only: bool = False


async def open_rounds(svc: Services, staff_id: int, now: datetime) -> list[OpenRound]:
    """Open rounds, each with the awards and whether this person may be nominated."""
    out = []
    async with svc.sessions() as session:
        facts: PersonFacts | None = None
        for round_ in await open_now(session, now):
            family = svc.awards.families[round_.family]
            options = []
            for code in family.awards:
                award = svc.awards.awards[code]
                if award.subject == "person":
                    closing = round_.closes_at.astimezone(SHANGHAI).date()
                    facts = facts or await person_facts(session, staff_id)
                    verdict = facts.check(code, round_.period, closing, svc.rules, svc.awards)
                    ok, why = verdict.ok, names(verdict.render("zh"), verdict.render("en"))
                else:
                    units = await contact_units(session, staff_id, round_.family)
                    ok, why = bool(units), Text("apply.not_contact").to_json()
                options.append(AwardOption(code, names(award.names.zh, award.names.en),
                                           ok, None if ok else why))
            person_family = any(svc.awards.awards[c].subject == "person" for c in family.awards)
            any_ok = any(o.ok for o in options)
            out.append(OpenRound(
                round_.id, names(family.names.zh, family.names.en), round_.period,
                local_time(round_.closes_at), person_family or any_ok, tuple(options),
                colleague_only=person_family and not any_ok))
    return out


@dataclass(frozen=True)
class NominationLine:
    id: int
    head: Text  # reference number (or "draft") and award
    subject: str | Text
    state: str
    updated: str
    open: bool  # the round still accepts changes


def _head(svc: Services, row: Nomination) -> Text:
    """"SN-…｜最美政务人" or "草稿｜三牛·（尚未选择）": the family once when it is the award."""
    family = svc.awards.families[row.round.family]
    award = svc.awards.awards.get(row.award or "")
    if award is None and len(family.awards) == 1:
        award = svc.awards.awards[family.awards[0]]
    title: Text | dict[str, object] = names(family.names.zh, family.names.en)
    if award is None or award.names != family.names:
        title = Text("mine.title", {"family": title, "award": names(award.names.zh, award.names.en)
                                    if award else Text("common.unchosen")})
    if row.ref:
        return Text("mine.head", {"ref": row.ref, "title": title})
    return Text("mine.draft_head", {"title": title})


async def mine(svc: Services, staff_id: int, now: datetime, *,
               drafts: bool) -> list[NominationLine]:
    states = [State.DRAFT, State.RETURNED] if drafts else [
        s for s in State if s not in (State.DRAFT, State.DISCARDED)]
    async with svc.sessions() as session:
        rows = (await session.scalars(
            select(Nomination).where(Nomination.applicant_id == staff_id,
                                     Nomination.state.in_([s.value for s in states]))
            .options(selectinload(Nomination.round)).order_by(Nomination.updated_at.desc())
        )).all()
        lines = []
        for row in rows:
            lines.append(NominationLine(
                row.id, _head(svc, row), await subject_label(session, row), row.state,
                local_time(row.updated_at), stages.accepting(row.round, now)))
        return lines


async def resume(svc: Services, staff_id: int, nomination_id: int, now: datetime) -> StepAnswer:
    async with svc.sessions.begin() as session:
        draft = await load_draft(session, svc, staff_id, nomination_id, now)
        (await session.get_one(Staff, staff_id)).active_nomination_id = draft.row.id
        if draft.row.state == State.RETURNED and draft.row.step is None:
            draft.row.step = "preview"
            draft.put(v=int(draft.answer("v", 0)) + 1)
        return StepAnswer(Text("intake.resumed"), await current_prompt(session, svc, draft))


async def pause(svc: Services, staff_id: int) -> bool:
    """/cancel: leave the walkthrough; the draft keeps every answer."""
    async with svc.sessions.begin() as session:
        staff = await session.get_one(Staff, staff_id)
        had = staff.active_nomination_id is not None
        staff.active_nomination_id = None
        return had


async def active_step(svc: Services, staff_id: int) -> str | None:
    async with svc.sessions() as session:
        staff = await session.get_one(Staff, staff_id)
        if staff.active_nomination_id is None:
            return None
        row = await session.get(Nomination, staff.active_nomination_id)
        return row.step if row is not None else None
