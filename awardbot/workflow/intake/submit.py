"""Submitting a draft (with its 申报表), discarding it, and withdrawing a submission."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.callbacks import Kind, data
from awardbot.db.models import Nomination, Review, Round, Staff, Unit
from awardbot.documents.application_form import FormData, build_form
from awardbot.scoring import Rules, fmt
from awardbot.workflow import asks, audit, outbox
from awardbot.workflow.intake import gate
from awardbot.workflow.intake.drafts import load_draft
from awardbot.workflow.intake.flow import STAFF_SECTIONS, missing_steps
from awardbot.workflow.intake.model import Draft, StepAnswer
from awardbot.workflow.intake.preview import award_names, sheet_for
from awardbot.workflow.intake.steps import title
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import SHANGHAI
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.review import decisions as review
from awardbot.workflow.services import Services

DISCARD, WITHDRAW = "discard", "withdraw"  # kinds of the questions asked before either
PREFIX = {"sanniu": "SN", "zuimei_staff": "ZR", "zuimei_window": "ZC", "hall": "DT"}

log = logging.getLogger(__name__)


async def _refuse_if_incomplete(session: AsyncSession, svc: Services, draft: Draft) -> None:
    """The last check, though the walkthrough refused these paths as they were chosen
    (gate.py): the roster, the scores or another application may have changed since."""
    missing = missing_steps(draft)
    if missing:
        raise Refusal("intake.submit.incomplete", step=title(missing[0]))
    award = draft.row.award or draft.awards.families[draft.family].awards[0]
    reason = await gate.verdict(session, draft, award)
    if reason is not None:
        raise Refusal("intake.submit.ineligible", reason=reason)
    twin = await gate.twin(session, draft, award)
    if twin is not None:
        raise Refusal("intake.submit.duplicate", ref=twin)


async def _next_ref(session: AsyncSession, draft: Draft) -> str:
    # Lock the round so two submissions at once cannot take the same number (PostgreSQL;
    # SQLite has one writer anyway).
    await session.execute(select(Round.id).where(Round.id == draft.row.round_id)
                          .with_for_update())
    count = await session.scalar(select(func.count()).select_from(Nomination).where(
        Nomination.round_id == draft.row.round_id, Nomination.ref.is_not(None)))
    return f"{PREFIX[draft.family]}-{draft.row.round.period}-{(count or 0) + 1:04d}"


async def submit(session: AsyncSession, svc: Services, draft: Draft, now: datetime) -> StepAnswer:
    await _refuse_if_incomplete(session, svc, draft)
    row = draft.row
    resubmission = row.state == State.RETURNED
    target = State(row.returned_from) if resubmission and row.returned_from else State.SUBMITTED
    row.state = check(row.state, target)
    row.award = row.award or draft.awards.families[draft.family].awards[0]
    row.ref = row.ref or await _next_ref(session, draft)
    row.submitted_at, row.updated_at, row.step = now, now, None
    sheet = sheet_for(draft, svc.rules)
    holds = sheet.holds if sheet else ()
    row.flagged_reason = "; ".join(m.render("zh") for m in holds) or None
    # The 申报表 is generated after the commit (it is the slow part); until then, none.
    row.form_sha256, row.form_file_id = None, None
    (await session.get_one(Staff, row.applicant_id)).active_nomination_id = None
    await _notify(session, svc, draft, now)
    form = await form_data(session, draft, now, svc.rules)
    # Last: on PostgreSQL appending takes the chain's lock until the commit.
    await audit.append(session, at=now, actor_id=row.applicant_id,
                       action="nomination.resubmitted" if resubmission else "nomination.submitted",
                       subject_type="nomination", subject_id=row.id,
                       data={"ref": row.ref, "award": row.award, "state": row.state})
    return StepAnswer(Text("intake.submit.receipt", {
        "ref": row.ref, "award": award_names(draft), "next": _goes_to(row, resubmission)}),
        document_name=f"{row.ref}.docx", form=form, nomination_id=row.id)


def _goes_to(row: Nomination, resubmission: bool) -> Text:
    """Where the submission waits now that it is routed: a leader's sign-off, or 督查科 (a
    unit without a leader, or a return by 督查科 answered)."""
    if row.state == State.SUBMITTED:
        return Text("intake.submit.next.leader")
    return Text("intake.submit.next.back_to_check" if resubmission
                else "intake.submit.next.check")


async def _notify(session: AsyncSession, svc: Services, draft: Draft,
                  now: datetime) -> None:
    row = draft.row
    params = {"ref": row.ref, "award": award_names(draft)}
    # The review card (sign-off, or the check after a return by 督查科) replaces a plain note.
    await review.on_submitted(session, svc, row, now)
    if row.subject_staff_id and row.subject_staff_id != row.applicant_id:
        applicant = await session.get_one(Staff, row.applicant_id)
        decline = Button(Text("intake.nominee.decline_button"),
                         data(Kind.NOMINEE, row.id, "decline"))
        await outbox.enqueue_for_staff(
            session, row.subject_staff_id,
            Message(Text("intake.notify.nominee", {**params, "applicant": applicant.name}),
                    ((decline,),)),
            now=now, dedupe_key=f"nominated:{row.id}")


async def form_data(
    session: AsyncSession, draft: Draft, now: datetime, rules: Rules
) -> FormData:
    row = draft.row
    applicant = await session.get_one(Staff, row.applicant_id)
    if row.subject_unit_id is not None:
        unit = await session.get_one(Unit, row.subject_unit_id)
        nominee, nominee_unit, kind = unit.name, unit.name, unit.kind
    else:
        staff = await session.get_one(Staff, row.subject_staff_id)
        nominee, nominee_unit = staff.name, (await session.get_one(Unit, staff.unit_id)).name
        kind = "person"
    award = draft.awards.awards[row.award or ""]
    family = draft.awards.families[draft.family]
    criteria = [award.criteria[n - 1].zh for n in row.criteria or []
                if 0 < n <= len(award.criteria)]
    statements = draft.answer("statements", {})
    statement = ([(draft.awards.awards[award.code].sections[i].names.zh, statements.get(s, ""))
                  for i, s in enumerate(STAFF_SECTIONS)]
                 if draft.answer("mode") == "sections" else [("", row.statement or "")])
    evidence = [(i, e.kind, e.caption or e.file_name or e.mime_type)
                for i, e in enumerate(row.evidence, start=1)]
    sheet = sheet_for(draft, rules)
    lines = [(line.names.zh, line.input.render("zh"), fmt(line.points))
             for section in (sheet.sections if sheet else ()) for line in section.lines]
    return FormData(
        reference=row.ref or "", round_label=f"{row.round.period} {family.names.zh}",
        award_name=award.names.zh, nominee_name=nominee, nominee_unit=nominee_unit,
        subject_kind="window" if kind == "window" else "hall" if kind in ("hall", "subcentre")
        else "person",
        submitted_on=now.astimezone(SHANGHAI).date(), criteria=criteria,
        statement=statement, evidence=evidence,
        applicant_name=applicant.name if applicant.name != nominee else None,
        score_lines=lines)


async def discard(session: AsyncSession, draft: Draft, now: datetime) -> StepAnswer:
    row = draft.row
    if row.state != State.DRAFT:
        raise Refusal("intake.not_editable", ref=row.ref or "")
    row.state, row.step, row.updated_at = State.DISCARDED, None, now
    staff = await session.get_one(Staff, row.applicant_id)
    if staff.active_nomination_id == row.id:
        staff.active_nomination_id = None
    return StepAnswer(Text("intake.discarded"))


async def _withdrawable(session: AsyncSession, staff_id: int, nomination_id: int,
                        now: datetime) -> Nomination:
    row = await session.scalar(select(Nomination).where(Nomination.id == nomination_id)
                               .with_for_update())
    if row is None or row.applicant_id != staff_id:
        raise Refusal("errors.stale_button")
    acted = await session.scalar(select(func.count()).select_from(Review).where(
        Review.nomination_id == row.id, Review.created_at >= (row.submitted_at or now)))
    if row.state not in (State.SUBMITTED, State.RETURNED) or acted:
        raise Refusal("intake.withdraw.too_late", ref=row.ref or "")
    return row


async def ask_withdraw(svc: Services, staff_id: int, nomination_id: int, now: datetime) -> Text:
    """Withdrawing cannot be undone: ask first (the confirm is single-use)."""
    async with svc.sessions.begin() as session:
        row = await _withdrawable(session, staff_id, nomination_id, now)
        await asks.put(session, staff_id, WITHDRAW, row.id, now)
        return Text("intake.withdraw.ask", {"ref": row.ref or ""})


async def withdraw(svc: Services, staff_id: int, nomination_id: int, now: datetime) -> Text:
    """Until the next reviewer acts, the applicant may take a submission back."""
    async with svc.sessions.begin() as session:
        row = await _withdrawable(session, staff_id, nomination_id, now)
        row.state, row.updated_at = check(row.state, State.WITHDRAWN), now
        await audit.append(session, at=now, actor_id=staff_id, action="nomination.withdrawn",
                           subject_type="nomination", subject_id=row.id, data={"ref": row.ref})
        return Text("intake.withdrawn", {"ref": row.ref or ""})


async def ask_discard(svc: Services, staff_id: int, nomination_id: int, now: datetime) -> Text:
    """Deleting a draft cannot be undone: ask first (the confirm is single-use)."""
    async with svc.sessions.begin() as session:
        draft = await load_draft(session, svc, staff_id, nomination_id, now)
        if draft.row.state != State.DRAFT:
            raise Refusal("intake.not_editable", ref=draft.row.ref or "")
        await asks.put(session, staff_id, DISCARD, draft.row.id, now)
        return Text("intake.discard_ask")


async def discard_by_id(svc: Services, staff_id: int, nomination_id: int,
                        now: datetime) -> StepAnswer:
    async with svc.sessions.begin() as session:
        draft = await load_draft(session, svc, staff_id, nomination_id, now)
        return await discard(session, draft, now)


async def store_form(svc: Services, form: FormData, nomination_id: int) -> bytes:
    """After the submission is committed: generate the 申报表, store it, and record it.

    A build that fails in the worker process is tried once more in a thread (a worker that
    died takes its pool with it); a second failure is the caller's to tell the person of.
    """
    try:
        if svc.form_builder is None:
            raise RuntimeError("no worker process")
        content = await svc.form_builder(form)
    except Exception:
        log.warning("the application form of %s failed in the worker; trying again",
                    form.reference,
                    exc_info=svc.form_builder is not None)
        content = await asyncio.to_thread(build_form, form)
    stored = await asyncio.to_thread(svc.evidence.put, content)
    async with svc.sessions.begin() as session:
        row = await session.get_one(Nomination, nomination_id)
        row.form_sha256 = stored.sha256
    return content
