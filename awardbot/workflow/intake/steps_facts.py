"""Steps of the unit awards: which unit, then the score-sheet facts, question by question.

Step names: ``q:<key>`` asks a question (for a list question: "any?"), and
``q:<key>:<index>:<field>`` asks one field of one record; ``q:<key>:more`` offers
"add another / done".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Unit
from awardbot.workflow.intake.model import (
    Choice,
    Draft,
    Prompt,
    StepError,
    literal,
    set_toggle,
)
from awardbot.workflow.intake.questions import ListQuestion, Question, find
from awardbot.workflow.messages import Text

NEXT = "next"
STAY = "stay"
UNIT_KINDS = {"zuimei_window": ("window",), "hall": ("hall", "subcentre")}


async def contact_units(session: AsyncSession, staff_id: int, family: str) -> list[Unit]:
    rows = await session.scalars(
        select(Unit).where(Unit.contact_staff_id == staff_id,
                           Unit.kind.in_(UNIT_KINDS.get(family, ()))).order_by(Unit.code))
    return list(rows)


async def unit_prompt(session: AsyncSession, draft: Draft, step: str) -> Prompt:
    units = await contact_units(session, draft.row.applicant_id, draft.family)
    choices = tuple((Choice(literal(u.name), f"unit.{u.id}"),) for u in units)
    return Prompt(draft.row.id, step, Text("intake.unit.ask"), choices)


async def unit_action(session: AsyncSession, draft: Draft, action: str) -> str:
    units = {u.id for u in await contact_units(session, draft.row.applicant_id, draft.family)}
    picked = action.removeprefix("unit.")
    if not picked.isdigit() or int(picked) not in units:
        raise StepError("errors.stale_button")
    draft.row.subject_unit_id = int(picked)
    return NEXT


def _parts(step: str) -> tuple[str, int | None, str | None]:
    parts = step.split(":")
    if len(parts) == 3 and parts[2] == "more":
        return parts[1], None, "more"
    if len(parts) == 4 and parts[2].isdigit():
        return parts[1], int(parts[2]), parts[3]
    return parts[1], None, None


def _field(question: ListQuestion, name: str) -> Question:
    return next(f for f in question.fields if f.key == name)


def question_prompt(draft: Draft, step: str) -> Prompt:
    key, index, sub = _parts(step)
    question = find(draft.family, key)
    if isinstance(question, ListQuestion):
        if sub is None:
            return _ask(draft, step, Text(f"intake.q.{key}.any"), _yes_no())
        if sub == "more":
            count = len(draft.row.facts.get(key, []))
            return _ask(draft, step, Text("intake.q.more", {"count": count}), [[
                Choice(Text("intake.q.add_another"), "add"),
                Choice(Text("intake.q.done"), "done")]])
        field = _field(question, sub)
        question_text = Text(f"intake.q.{key}.f_{sub}", {"n": (index or 0) + 1})
        return _ask(draft, step, question_text, _choices(draft, field, key, index),
                    edit=field.kind == "multi")
    return _ask(draft, step, Text(f"intake.q.{key}.ask"), _choices(draft, question, key, None),
                edit=question.kind == "multi")


def _ask(draft: Draft, step: str, text: Text, choices: Any, edit: bool = False) -> Prompt:
    return Prompt(draft.row.id, step, text, tuple(tuple(row) for row in choices), edit)


def _yes_no() -> list[list[Choice]]:
    return [[Choice(Text("intake.yes"), "yes"), Choice(Text("intake.no"), "no")]]


def _choices(draft: Draft, q: Question, key: str, index: int | None) -> list[list[Choice]]:
    if q.kind == "yes_no":
        return _yes_no()
    if q.kind == "choice":
        return [[Choice(Text(f"intake.opt.{o}"), f"opt.{o}")] for o in q.options]
    if q.kind == "multi":
        chosen = set(_current(draft, key, index, q.key) or [])
        rows = [[Choice(Text("intake.toggle_on" if o in chosen else "intake.toggle_off",
                             {"label": Text(f"intake.opt.{o}")}),
                        f"opt.{o}.{'off' if o in chosen else 'on'}")] for o in q.options]
        return [*rows, [Choice(Text("intake.next"), "done")]]
    return []


def _current(draft: Draft, key: str, index: int | None, name: str) -> Any:
    if index is None:
        return draft.row.facts.get(key)
    records = draft.row.facts.get(key, [])
    return records[index].get(name) if index < len(records) else None


def _parse(q: Question, text: str) -> Any:
    text = text.strip()
    if q.kind == "text":
        if not text or len(text) > q.max_chars:
            raise StepError("intake.q.bad_text", limit=q.max_chars)
        return text
    if q.kind not in ("whole", "decimal"):
        raise StepError("intake.q.use_buttons")
    try:
        value = Decimal(text.replace("，", "").replace(",", "").replace("%", ""))
    except InvalidOperation:
        raise StepError("intake.q.not_a_number", low=q.low, high=q.high) from None
    whole = q.kind == "whole"
    if (whole and value != value.to_integral_value()) or not q.low <= value <= q.high:
        raise StepError("intake.q.out_of_range" if not whole or value == int(value)
                        else "intake.q.not_whole", low=q.low, high=q.high)
    if not whole and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise StepError("intake.q.too_precise")
    return int(value) if whole else str(value)


def _store(draft: Draft, key: str, index: int | None, q: Question, value: Any) -> None:
    if index is None:
        if q.group is not None:
            level = q.key.split(".", 1)[1]
            draft.put_fact(q.group, {**draft.row.facts.get(q.group, {}), level: value})
        else:
            draft.put_fact(key, value)
        return
    records = [dict(r) for r in draft.row.facts.get(key, [])]
    while len(records) <= index:
        records.append({})
    records[index][q.key] = value
    draft.put_fact(key, records)


def _answered(draft: Draft, key: str) -> str:
    draft.put(answered=sorted({*draft.answer("answered", []), key}))
    return NEXT


def _after_field(draft: Draft, question: ListQuestion, index: int, name: str) -> str:
    names = [f.key for f in question.fields]
    position = names.index(name)
    if position + 1 < len(names):
        return f"q:{question.key}:{index}:{names[position + 1]}"
    return f"q:{question.key}:more"


def question_text(draft: Draft, step: str, text: str) -> str:
    key, index, sub = _parts(step)
    question = find(draft.family, key)
    if isinstance(question, ListQuestion):
        if sub in (None, "more"):
            raise StepError("intake.q.use_buttons")
        assert index is not None
        _store(draft, key, index, _field(question, sub), _parse(_field(question, sub), text))
        return _after_field(draft, question, index, sub)
    _store(draft, question.key if question.group else key, None, question,
           _parse(question, text))
    return _answered(draft, key)


def question_action(draft: Draft, step: str, action: str) -> str:
    key, index, sub = _parts(step)
    question = find(draft.family, key)
    if isinstance(question, ListQuestion):
        return _list_action(draft, question, index, sub, action)
    return _single_action(draft, question, key, None, action) or _answered(draft, key)


def _list_action(draft: Draft, q: ListQuestion, index: int | None, sub: str | None,
                 action: str) -> str:
    records = draft.row.facts.get(q.key, [])
    if sub is None or sub == "more":
        if action in ("no", "done"):
            if sub is None:
                draft.put_fact(q.key, [])
            return _answered(draft, q.key)
        if action not in ("yes", "add"):
            raise StepError("errors.stale_button")
        if sub is None:
            draft.put_fact(q.key, [])
            records = []
        if len(records) >= q.max_items:
            raise StepError("intake.q.too_many", limit=q.max_items)
        return f"q:{q.key}:{len(records)}:{q.fields[0].key}"
    assert index is not None
    field = _field(q, sub)
    return _single_action(draft, field, q.key, index, action) or _after_field(
        draft, q, index, sub)


def _single_action(draft: Draft, q: Question, key: str, index: int | None,
                   action: str) -> str | None:
    """Apply a button; ``STAY`` for a multi-select toggle, None when the answer is complete."""
    if q.kind == "yes_no" and action in ("yes", "no"):
        _store(draft, key, index, q, action == "yes")
        return None
    option = action.removeprefix("opt.")
    if q.kind == "choice" and option in q.options:
        _store(draft, key, index, q, option)
        return None
    option, _, wanted = option.partition(".") if q.kind == "multi" else (option, "", "")
    if q.kind == "multi" and option in q.options:
        chosen = set_toggle(set(_current(draft, key, index, q.key) or []), option, wanted)
        _store(draft, key, index, q, sorted(chosen))
        return STAY
    if q.kind == "multi" and action == "done":
        if _current(draft, key, index, q.key) is None:
            _store(draft, key, index, q, [])
        return None
    raise StepError("intake.q.use_buttons" if q.kind in ("whole", "decimal", "text")
                    else "errors.stale_button")
