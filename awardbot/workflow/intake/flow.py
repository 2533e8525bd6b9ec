"""Which steps a family's walkthrough has, which are done, and which comes next."""

from __future__ import annotations

from awardbot.workflow.intake.model import Draft
from awardbot.workflow.intake.questions import QUESTIONNAIRES

STAFF_SECTIONS = ("political", "expertise", "image", "achievement")
PREVIEW = "preview"


def flow(draft: Draft) -> list[str]:
    family = draft.family
    if family in QUESTIONNAIRES:
        questions = [f"q:{q.key}" for q in QUESTIONNAIRES[family]]
        return ["unit", *questions, "evidence", PREVIEW]
    steps = ["subject"]
    if draft.answer("for") == "colleague":
        steps.append("nominee")
    if family == "sanniu":
        steps += ["award", "criteria", "statement"]
    else:
        steps.append("mode")
        if draft.answer("mode") == "sections":
            steps += [f"statement:{s}" for s in STAFF_SECTIONS]
        else:
            steps.append("statement")
    return [*steps, "evidence", PREVIEW]


def top(step: str) -> str:
    """The flow step a sub-step belongs to (``q:honours:0:level`` → ``q:honours``)."""
    return ":".join(step.split(":")[:2]) if step.startswith("q:") else step


def is_done(draft: Draft, step: str) -> bool:
    row = draft.row
    checks = {
        "subject": lambda: draft.answer("for") is not None,
        "nominee": lambda: row.subject_staff_id is not None,
        "award": lambda: row.award is not None,
        "criteria": lambda: bool(row.criteria),
        "statement": lambda: bool(row.statement),
        "mode": lambda: draft.answer("mode") is not None,
        "unit": lambda: row.subject_unit_id is not None,
        "evidence": lambda: bool(draft.answer("evidence_done")) and bool(row.evidence),
        PREVIEW: lambda: False,
    }
    if step in checks:
        return checks[step]()
    if step.startswith("statement:"):
        return bool(draft.answer("statements", {}).get(step.split(":", 1)[1]))
    if step.startswith("q:"):
        return step[2:] in draft.answer("answered", [])
    return False


def following(draft: Draft, current: str) -> str:
    """The next step not yet done after ``current``; from an edit, back to the preview."""
    steps = flow(draft)
    here = steps.index(top(current)) if top(current) in steps else -1
    for step in steps[here + 1:]:
        if not is_done(draft, step):
            return step
    if draft.answer("editing"):
        missing = [s for s in steps if not is_done(draft, s)]
        return missing[0]
    return PREVIEW


def missing_steps(draft: Draft) -> list[str]:
    return [s for s in flow(draft) if s != PREVIEW and not is_done(draft, s)]
