"""Refusing a path as it is chosen, not at Submit: the subject's eligibility for the award
and an application already made for the same subject and award in the round.

Checked when the subject (oneself, a colleague, a unit) or the award is picked, so nobody
fills in a whole application that cannot be submitted; Submit checks the same again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination
from awardbot.scoring import Eligibility
from awardbot.workflow.intake.eligibility import person_facts, unit_eligibility
from awardbot.workflow.intake.model import Draft, StepError
from awardbot.workflow.lifecycle import LIVE
from awardbot.workflow.messages import Text, names
from awardbot.workflow.naming import SHANGHAI, subject_label

# The steps that choose the subject or the award, and what the person can do instead.
CHOOSING = {"subject": "self", "nominee": "colleague", "award": "award", "unit": "unit"}


async def verdict(session: AsyncSession, draft: Draft, award: str) -> dict[str, Any] | None:
    """Why the draft's subject may not be nominated for ``award`` (both languages), or None."""
    return (await verdicts(session, draft, [award]))[award]


async def verdicts(session: AsyncSession, draft: Draft,
                   awards: list[str]) -> dict[str, dict[str, Any] | None]:
    """:func:`verdict` for several awards, the person's facts read once (this runs inside
    a walkthrough's transaction: every query there holds up everyone's next answer)."""
    row, round_ = draft.row, draft.row.round
    assert draft.rules is not None
    found: dict[str, Eligibility] = {}
    if row.subject_unit_id is not None:
        for award in awards:
            found[award] = await unit_eligibility(session, row.subject_unit_id, award,
                                                  round_.period, draft.rules, draft.awards)
    else:
        assert row.subject_staff_id is not None
        closing = round_.closes_at.astimezone(SHANGHAI).date()
        facts = await person_facts(session, row.subject_staff_id)
        found = {award: facts.check(award, round_.period, closing, draft.rules, draft.awards)
                 for award in awards}
    return {award: None if result.ok else names(result.render("zh"), result.render("en"))
            for award, result in found.items()}


async def twin(session: AsyncSession, draft: Draft, award: str) -> str | None:
    """The reference of a live application for the same subject and award in this round."""
    return (await twins(session, draft)).get(award)


async def twins(session: AsyncSession, draft: Draft) -> dict[str, str]:
    """Award → the reference of a live application for the same subject in this round."""
    row = draft.row
    found = await session.execute(select(Nomination.award, Nomination.ref).where(
        Nomination.round_id == row.round_id, Nomination.id != row.id,
        Nomination.state.in_([s.value for s in LIVE]),
        (Nomination.subject_staff_id == row.subject_staff_id) if row.subject_staff_id
        else (Nomination.subject_unit_id == row.subject_unit_id)))
    return {str(award): ref or "" for award, ref in found if award is not None}


def _award_name(draft: Draft, code: str) -> dict[str, Any]:
    award = draft.awards.awards[code]
    return names(award.names.zh, award.names.en)


async def check_choice(session: AsyncSession, draft: Draft, step: str) -> None:
    """After ``step`` chose a subject or an award: a :class:`StepError` (said in the chat,
    with what to do instead) when no award is open to that subject any more."""
    row = draft.row
    if step not in CHOOSING or (row.subject_staff_id is None and row.subject_unit_id is None):
        return
    awards = [row.award] if row.award else list(draft.awards.families[draft.family].awards)
    why: list[Text] = []
    # Read without flushing the choice just made: a flush would take SQLite's write lock
    # now and hold it through these reads, and every other person's answer waits for it.
    with session.no_autoflush:
        refusals, made = await verdicts(session, draft, awards), await twins(session, draft)
    closed: dict[str, Any] = {}
    for code in awards:
        refused: Any = refusals[code]
        if refused is None and made.get(code) is not None:
            refused = Text("intake.gate.duplicate", {"ref": made[code]}).to_json()
        if refused is not None:
            closed[code] = refused
            why.append(Text("intake.gate.line", {"award": _award_name(draft, code),
                                                 "reason": refused}))
    if len(closed) < len(awards):  # a path is open
        if step != "award":  # the award question offers only the open ones, and says why
            draft.put(closed_awards=closed)
        return
    kind = CHOOSING[step]
    if step == "subject" and row.subject_staff_id != row.applicant_id:
        kind = "colleague"
    raise StepError("intake.gate.closed", who=await subject_label(session, row),
                    why=Text(f"intake.gate.lines.{len(why)}",
                             {f"l{i}": line for i, line in enumerate(why)}),
                    instead=Text(f"intake.gate.instead.{kind}"))
