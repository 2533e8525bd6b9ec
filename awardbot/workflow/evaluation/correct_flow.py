"""/correct by buttons: the group leader picks a window or hall, a fact, for a list the
line (or adds one), gives the new value and the reason, and confirms before → after.

The correction under way is the leader's evaluation cursor (kind ``correct``): its
``data`` holds the fact, line and field chosen, the new value and the reason, written with
each answer. Confirming takes the cursor and applies the change through
:func:`correct.apply` in the same transaction, so a second press finds nothing to apply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import EvaluationCursor, Nomination
from awardbot.documents.text_input import clean
from awardbot.workflow.evaluation import correct_screens as screens
from awardbot.workflow.evaluation.correct import CORRECTABLE, MISSING, apply, leader_of, open_row
from awardbot.workflow.evaluation.correct_facts import Fact, correctable, current, parse
from awardbot.workflow.evaluation.facts import award_of, subject_of
from awardbot.workflow.evaluation.members import clear_cursor, cursor, set_cursor
from awardbot.workflow.evaluation.view import Reply, Screen, award_names, preliminary
from awardbot.workflow.intake.questions import ListQuestion, Question
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services

KIND = "correct"
STALE = "errors.stale_button"


def _sheet(svc: Services, row: Nomination) -> str:
    return svc.awards.award(award_of(row, svc.awards)).sheet


async def candidates(svc: Services, staff_id: int) -> Reply:
    """Bare ``/correct``: the windows and halls whose facts may be corrected now."""
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        rows = await session.scalars(select(Nomination).where(
            Nomination.state == State.CHECKED.value).options(selectinload(Nomination.round))
            .order_by(Nomination.ref))
        found = [(row, (await subject_of(session, row)).name) for row in rows
                 if _sheet(svc, row) in CORRECTABLE]
        return Reply((screens.candidates(found),))


async def _here(session: AsyncSession, staff_id: int, nid: int) -> EvaluationCursor:
    here = await cursor(session, staff_id)
    if here is None or here.kind != KIND or here.nomination_id != nid:
        raise Refusal(STALE)
    return here


async def _row(session: AsyncSession, nid: int) -> Nomination:
    ref = await session.scalar(select(Nomination.ref).where(Nomination.id == nid))
    if ref is None:
        raise Refusal(STALE)
    return await open_row(session, ref)


def _facts(svc: Services, row: Nomination) -> list[Fact]:
    return correctable(sheet := _sheet(svc, row), svc.awards, CORRECTABLE.get(sheet, ()))


def _fact(svc: Services, row: Nomination, data: dict[str, Any]) -> Fact:
    found = _facts(svc, row)
    index = data.get("fact")
    if not isinstance(index, int) or not 0 <= index < len(found):
        raise Refusal(STALE)
    return found[index]


def _field(fact: Fact, data: dict[str, Any]) -> Question:
    """The question whose answer the correction waits for."""
    if isinstance(fact.question, ListQuestion):
        return fact.question.fields[int(data.get("field") or 0)]
    return fact.question


async def _head(session: AsyncSession, svc: Services, row: Nomination) -> dict[str, Any]:
    return {"ref": row.ref or "", "name": (await subject_of(session, row)).name,
            "award": award_names(svc, award_of(row, svc.awards))}


async def pick(svc: Services, staff_id: int, nid: int, now: datetime) -> Reply:
    """A window or hall chosen: its facts, each with what it holds now."""
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        row = await _row(session, nid)
        await set_cursor(session, staff_id, KIND, now, nomination_id=row.id,
                         data={"step": "fact"})
        return Reply((screens.facts(await _head(session, svc, row), row, _facts(svc, row)),))


async def choose_fact(svc: Services, staff_id: int, nid: int, index: int,
                      now: datetime) -> Reply:
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        here, row = await _here(session, staff_id, nid), await _row(session, nid)
        data: dict[str, Any] = {"fact": index}
        fact = _fact(svc, row, data)
        data["step"] = "line" if isinstance(fact.question, ListQuestion) else "value"
        here.data, here.updated_at = data, now
        return Reply((_ask(row, fact, data),))


def _ask(row: Nomination, fact: Fact, data: dict[str, Any]) -> Screen:
    """The screen for the step the correction is at."""
    facts = dict(row.facts or {})
    if data["step"] == "line":
        assert isinstance(fact.question, ListQuestion)
        return screens.lines(row.id, fact, current(facts, fact.path) or [])
    if data["step"] == "field":
        assert isinstance(fact.question, ListQuestion)
        return screens.fields(row.id, fact, int(data["line"]),
                              current(facts, f"{fact.path}.{data['line']}"))
    if data["step"] == "reason":
        return Screen(Text("evaluation.correct.ask_reason"))
    question = _field(fact, data)
    if not isinstance(fact.question, ListQuestion):
        before = current(facts, fact.path)
        return screens.value(row.id, fact.name, question, fact.ask, before, data)
    n = int(data["line"]) + 1 if data["line"] != "+" else len(current(facts, fact.path) or []) + 1
    ask = Text(f"intake.q.{fact.question.key}.f_{question.key}", {"n": n})
    if data["line"] == "+":
        return screens.value(row.id, None, question, ask, None, data)
    before = current(facts, f"{fact.path}.{data['line']}.{question.key}")
    return screens.value(row.id, screens.field_name(fact, question), question, ask, before, data)


async def choose_line(svc: Services, staff_id: int, nid: int, token: str,
                      now: datetime) -> Reply:
    """A list's line (to correct one of its fields or delete it) or "add one"."""
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        here, row = await _here(session, staff_id, nid), await _row(session, nid)
        fact = _fact(svc, row, here.data)
        lines = current(dict(row.facts or {}), fact.path) or []
        if here.data.get("step") != "line" or not (
                token == "a" or (token.isdigit() and int(token) < len(lines))):
            raise Refusal(STALE)
        data: dict[str, Any] = {"fact": here.data["fact"], "line": "+"}
        data.update({"step": "value", "field": 0, "record": {}} if token == "a"
                    else {"step": "field", "line": int(token)})
        here.data, here.updated_at = data, now
        return Reply((_ask(row, fact, data),))


async def choose_field(svc: Services, staff_id: int, nid: int, token: str,
                       now: datetime) -> Reply:
    """One field of the line chosen, or "delete this line"."""
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        here, row = await _here(session, staff_id, nid), await _row(session, nid)
        fact = _fact(svc, row, here.data)
        assert isinstance(fact.question, ListQuestion)
        count = len(fact.question.fields)
        if here.data.get("step") != "field" or not (
                token == "d" or (token.isdigit() and int(token) < count)):
            raise Refusal(STALE)
        data = {**here.data, "step": "value", "field": int(token) if token != "d" else None}
        if token == "d":
            data.update(step="reason", delete=True)
        here.data, here.updated_at = data, now
        return Reply((_ask(row, fact, data),))


async def _answer(session: AsyncSession, svc: Services, here: EvaluationCursor,
                  row: Nomination, value: Any, now: datetime) -> Reply:
    """A new value given: the next field of a line being added, or the reason."""
    fact = _fact(svc, row, here.data)
    data = {**here.data, "toggled": None}
    if data.get("line") == "+":
        assert isinstance(fact.question, ListQuestion)
        record = {**data.get("record", {}), _field(fact, data).key: value}
        data["record"] = record
        if int(data["field"]) + 1 < len(fact.question.fields):
            data["field"] = int(data["field"]) + 1
        else:
            data["step"] = "reason"
    else:
        data.update(step="reason", value=value)
    here.data, here.updated_at = data, now
    return Reply((_ask(row, fact, data),))


async def press_value(svc: Services, staff_id: int, nid: int, token: str,
                      now: datetime) -> Reply:
    """是/否, an option, a multiple choice toggled (``t<n>``) or done (``ok``)."""
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        here, row = await _here(session, staff_id, nid), await _row(session, nid)
        if here.data.get("step") != "value":
            raise Refusal(STALE)
        fact = _fact(svc, row, here.data)
        question = _field(fact, here.data)
        options = question.options
        if question.kind == "yes_no" and token in ("y", "n"):
            return await _answer(session, svc, here, row, token == "y", now)
        if question.kind == "choice" and token.isdigit() and int(token) < len(options):
            return await _answer(session, svc, here, row, options[int(token)], now)
        if question.kind != "multi":
            raise Refusal(STALE)
        chosen = list(screens.toggled(row, fact, here.data))
        if token == "ok":
            return await _answer(session, svc, here, row,
                                 [o for o in options if o in chosen], now)
        if not (token.startswith("t") and token[1:].isdigit() and int(token[1:]) < len(options)):
            raise Refusal(STALE)
        option = options[int(token[1:])]
        chosen = [o for o in chosen if o != option] if option in chosen else [*chosen, option]
        here.data, here.updated_at = {**here.data, "toggled": chosen}, now
        return Reply((_ask(row, fact, here.data),))


async def typed(session: AsyncSession, svc: Services, staff_id: int,
                here: EvaluationCursor, text: str, now: datetime) -> Reply:
    """Typed text while a correction waits: a number or text value, or the reason."""
    await leader_of(session, staff_id)
    try:
        row = await _row(session, here.nomination_id or 0)
    except Refusal as refusal:  # scoring closed meanwhile: nothing is waiting any more
        await clear_cursor(session, staff_id)
        return Reply((Screen(refusal.text),))
    step = here.data.get("step")
    if step == "reason":
        reason = clean(text).strip()
        if not reason:
            return Reply((Screen(Text("evaluation.correct.no_reason")),))
        here.data, here.updated_at = {**here.data, "step": "confirm", "reason": reason[:500]}, now
        return Reply((await _confirmation(session, svc, row, here.data),))
    if step != "value":
        return Reply((Screen(Text("evaluation.correct.use_buttons")),))
    fact = _fact(svc, row, here.data)
    try:
        value = parse(_field(fact, here.data), text)
    except Refusal as refusal:
        again = _ask(row, fact, here.data)
        return Reply((Screen(refusal.text, again.rows, (again.text,)),))
    return await _answer(session, svc, here, row, value, now)


def _change(svc: Services, row: Nomination, data: dict[str, Any]) -> tuple[str, Any, Any]:
    """The path, the value to write there, and (before, after) shown in words."""
    fact = _fact(svc, row, data)
    facts = dict(row.facts or {})
    if not isinstance(fact.question, ListQuestion):
        return fact.path, data["value"], screens.change(fact.name, fact.question,
                                                        current(facts, fact.path), data["value"])
    if data.get("line") == "+":
        return f"{fact.path}.+", data["record"], screens.added(fact, data["record"])
    at = f"{fact.path}.{data['line']}"
    if data.get("delete"):
        return at, MISSING, screens.deleted(fact, int(data["line"]), current(facts, at))
    question = _field(fact, data)
    return f"{at}.{question.key}", data["value"], screens.change(
        screens.line_field(fact, int(data["line"]), question), question,
        current(facts, f"{at}.{question.key}"), data["value"])


async def _confirmation(session: AsyncSession, svc: Services, row: Nomination,
                        data: dict[str, Any]) -> Screen:
    what, before, after = _change(svc, row, data)[2]
    return Screen(Text("evaluation.correct.confirm", {
        **await _head(session, svc, row), "what": what, "before": before, "after": after,
        "reason": data["reason"]}), screens.confirm_row(row.id))


async def confirm(svc: Services, staff_id: int, nid: int, now: datetime) -> Reply:
    """Apply the correction once: the cursor is taken in the same transaction."""
    async with svc.sessions.begin() as session:
        leader = await leader_of(session, staff_id)
        here = await cursor(session, staff_id)
        if here is None or here.kind != KIND or here.nomination_id != nid \
                or here.data.get("step") != "confirm":
            raise Refusal("errors.confirm_spent")
        row = await _row(session, nid)
        path, value, (what, before, after) = _change(svc, row, here.data)
        done = await apply(session, svc, leader, row, path, value, here.data["reason"], now)
        await clear_cursor(session, staff_id)
        return Reply((Screen(Text("evaluation.correct.done_named", {
            **await _head(session, svc, row), "what": what, "before": before, "after": after,
            "reason": done.reason, "sheet": preliminary(svc, done.award, row)})),),
            toast=Text("evaluation.correct.toast"))


async def cancel(svc: Services, staff_id: int, nid: int) -> Reply:
    async with svc.sessions.begin() as session:
        await leader_of(session, staff_id)
        await _here(session, staff_id, nid)
        await clear_cursor(session, staff_id)
        return Reply((Screen(Text("evaluation.correct.cancelled")),))
