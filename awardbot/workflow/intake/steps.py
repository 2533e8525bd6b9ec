"""Dispatch: for the current step, build its prompt and apply a text or a button to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.workflow.intake import gate
from awardbot.workflow.intake import steps_facts as facts
from awardbot.workflow.intake import steps_person as person
from awardbot.workflow.intake.flow import PREVIEW, following
from awardbot.workflow.intake.model import Choice, Draft, Prompt, StepError
from awardbot.workflow.messages import Text

NEXT, STAY = person.NEXT, person.STAY


def evidence_prompt(draft: Draft, step: str) -> Prompt:
    count = len(draft.row.evidence)
    key = "intake.evidence.more" if count else "intake.evidence.ask"
    return Prompt(draft.row.id, step, Text(key, {
        "count": count, "limit": draft.limits.max_evidence,
        "mb": draft.limits.max_file_bytes // (1024 * 1024)}),
        ((Choice(Text("intake.evidence.done"), "done"),),) if count else ())


def evidence_action(draft: Draft, action: str) -> str:
    if action != "done":
        raise StepError("errors.stale_button")
    if not draft.row.evidence:
        raise StepError("intake.evidence.none")
    draft.put(evidence_done=True)
    return NEXT


async def prompt(session: AsyncSession, draft: Draft, step: str, preview: Text) -> Prompt:
    if step == PREVIEW:
        return Prompt(draft.row.id, step, preview, (
            (Choice(Text("intake.preview.submit"), "submit"),),
            (Choice(Text("intake.preview.edit"), "edit"),
             Choice(Text("intake.preview.discard"), "discard")),
        ))
    if step == "unit":
        return await facts.unit_prompt(session, draft, step)
    if step.startswith("q:"):
        return facts.question_prompt(draft, step)
    builders = {
        "subject": person.subject_prompt, "nominee": person.nominee_prompt,
        "award": person.award_prompt, "criteria": person.criteria_prompt,
        "mode": person.mode_prompt, "evidence": evidence_prompt,
    }
    if step in builders:
        return builders[step](draft, step)
    return person.statement_prompt(draft, step)


async def apply_text(session: AsyncSession, draft: Draft, step: str, text: str) -> str:
    if step == "nominee":
        return await _gated(session, draft, step,
                            lambda: person.nominee_text(session, draft, text))
    if step == "statement" or step.startswith("statement:"):
        return person.statement_text(draft, step, text)
    if step.startswith("q:"):
        return facts.question_text(draft, step, text)
    raise StepError("intake.use_buttons" if step != "evidence" else "intake.evidence.expected")


async def _gated(session: AsyncSession, draft: Draft, step: str,
                 act: Callable[[], Awaitable[str]]) -> str:
    """An act that chooses the subject or the award, undone when that path is closed."""
    row = draft.row
    before = (row.answers, row.subject_staff_id, row.subject_unit_id, row.award, row.criteria)
    outcome = await act()
    try:
        await gate.check_choice(session, draft, step)
    except StepError:
        (row.answers, row.subject_staff_id, row.subject_unit_id, row.award,
         row.criteria) = before
        draft.notice = None
        raise
    return outcome


async def _now(outcome: str) -> str:
    return outcome


async def apply_action(session: AsyncSession, draft: Draft, step: str, action: str) -> str:
    if step == "unit":
        return await _gated(session, draft, step,
                            lambda: facts.unit_action(session, draft, action))
    if step.startswith("q:"):
        return facts.question_action(draft, step, action)
    handlers = {
        "subject": person.subject_action, "nominee": person.nominee_action,
        "award": person.award_action, "criteria": person.criteria_action,
        "mode": person.mode_action, "evidence": evidence_action,
    }
    if step not in handlers:
        raise StepError("intake.use_text")
    if step in gate.CHOOSING:
        return await _gated(session, draft, step,
                            lambda: _now(handlers[step](draft, action)))
    return handlers[step](draft, action)


def title(step: str) -> Text:
    """A step's name, for the "edit which part?" buttons."""
    if step.startswith("statement:"):
        return Text("intake.section." + step.split(":", 1)[1])
    if step.startswith("q:"):
        return Text(f"intake.q.{step[2:]}.name")
    return Text(f"intake.stepname.{step}")


def resolve(draft: Draft, step: str, outcome: str) -> str:
    """The step after an act: the same one, the flow's next, or an explicit sub-step."""
    if outcome == STAY:
        return step
    if outcome == NEXT:
        return following(draft, step)
    return outcome
