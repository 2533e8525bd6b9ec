"""The group leader corrects a fact the group has checked, with a reason.

Only the reported facts of windows and halls can be corrected (an accident found not to
be serious, a disputed honour, a hall's on-site service findings …); judged scores and
the survey cannot. The change is validated against the facts schema, written with an
audit event holding the value before and after, and the score sheet follows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Nomination, Review, Staff
from awardbot.documents.text_input import clean
from awardbot.scoring import FactsError, parse_facts
from awardbot.workflow import audit
from awardbot.workflow.evaluation.facts import award_of, facts_problem, stored_facts
from awardbot.workflow.evaluation.view import Reply, Screen, literal, preliminary
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.policy import Permission, require_person
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

CORRECTABLE = {
    "window": ("accidents", "staffing_violations", "recipient_ratings", "case_volume",
               "honours", "reports", "leader_visits"),
    "hall": ("onboarding_rate", "function_zones_missing", "one_window_shortfalls",
             "epidemic_shortfalls", "guide_accuracy", "resumption_shortfalls",
             "utility_windows", "service_findings", "innovations", "media_reports"),
}
DELETE = ("delete", "-")
MISSING = object()


def parse_value(raw: str) -> Any:
    """JSON (numbers, true/false, objects, lists) or else the text itself."""
    if raw.strip().lower() in DELETE:
        return MISSING
    try:
        return _storable(json.loads(raw, parse_float=Decimal))
    except ValueError:
        return raw.strip()


def _storable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {str(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def put(facts: dict[str, Any], parts: list[str], value: Any) -> tuple[dict[str, Any], Any]:
    """A copy of ``facts`` with ``value`` at ``parts``; also the value it replaced."""
    copy = json.loads(json.dumps(facts))
    node: Any = copy
    for index, part in enumerate(parts[:-1]):
        key: Any = int(part) if isinstance(node, list) and part.isdigit() else part
        if isinstance(node, dict) and key not in node:
            node[key] = [] if parts[index + 1].isdigit() or parts[index + 1] == "+" else {}
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            raise Refusal("evaluation.correct.bad_path") from None
    last = parts[-1]
    if isinstance(node, list):
        if last == "+" and value is not MISSING:
            node.append(value)
            return copy, None
        if not last.isdigit() or int(last) >= len(node):
            raise Refusal("evaluation.correct.bad_path")
        before = node[int(last)]
        if value is MISSING:
            del node[int(last)]
        else:
            node[int(last)] = value
        return copy, before
    if not isinstance(node, dict):
        raise Refusal("evaluation.correct.bad_path")
    before = node.get(last)
    if value is MISSING:
        node.pop(last, None)
    else:
        node[last] = value
    return copy, before


def _shown(value: Any) -> Text:
    """A fact's value as the leader typed it (JSON); nothing there says so in words."""
    if value is None:
        return Text("evaluation.correct.empty")
    return literal(json.dumps(value, ensure_ascii=False))


async def leader_of(session: AsyncSession, staff_id: int) -> Staff:
    return await require_person(session, staff_id, Permission.LEAD_EVALUATION,
                                refusal="evaluation.refuse.not_leader")


async def open_row(session: AsyncSession, ref: str) -> Nomination:
    """The nomination by its number, locked, while its facts may still be corrected."""
    row = await session.scalar(select(Nomination).where(Nomination.ref == ref)
                               .options(selectinload(Nomination.round)).with_for_update())
    if row is None or row.state != State.CHECKED:
        raise Refusal("evaluation.correct.not_open", ref=ref)
    return row


@dataclass(frozen=True)
class Applied:
    award: str
    before: Any
    after: Any  # None where the entry was deleted
    reason: str


async def apply(session: AsyncSession, svc: Services, leader: Staff, row: Nomination,
                path: str, value: Any, reason: str, now: datetime) -> Applied:
    """Write ``value`` (or MISSING: delete) at ``path`` of the facts: validated against
    the facts schema, audited with the value before and after and the reason."""
    reason = clean(reason).strip()
    if not reason:
        raise Refusal("evaluation.correct.no_reason")
    award = award_of(row, svc.awards)
    parts = path.split(".")
    if parts[0] not in CORRECTABLE.get(svc.awards.award(award).sheet, ()):
        raise Refusal("evaluation.correct.not_correctable", path=path)
    facts, before = put(dict(row.facts or {}), parts, value)
    row.facts = facts
    try:
        parse_facts(award, stored_facts(award, row, svc.awards), svc.awards)
    except FactsError as error:
        raise Refusal("evaluation.correct.invalid", problem=facts_problem(error)) from None
    row.updated_at = now
    after = None if value is MISSING else value
    await audit.append(session, at=now, actor_id=leader.id, action="facts.corrected",
                       subject_type="nomination", subject_id=row.id,
                       data={"ref": row.ref, "path": path, "before": before,
                             "after": after, "reason": reason})
    session.add(Review(nomination_id=row.id, step="evaluation", actor_id=leader.id,
                       decision="corrected", comment=f"{path}: {reason}", created_at=now))
    await session.flush()
    return Applied(award, before, after, reason)


async def correct(svc: Services, staff_id: int, ref: str, path: str, raw: str,
                  reason: str, now: datetime) -> Reply:
    """The typed shortcut: ``/correct REF PATH VALUE REASON``."""
    async with svc.sessions.begin() as session:
        leader = await leader_of(session, staff_id)
        if not clean(reason).strip():
            raise Refusal("evaluation.correct.no_reason")
        row = await open_row(session, ref)
        done = await apply(session, svc, leader, row, path, parse_value(raw), reason, now)
        text = Text("evaluation.correct.done", {
            "ref": ref, "path": path, "before": _shown(done.before),
            "after": _shown(done.after), "reason": done.reason,
            "sheet": preliminary(svc, done.award, row)})
        return Reply((Screen(text),))
