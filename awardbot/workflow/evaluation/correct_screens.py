"""The screens of /correct by buttons: candidates, facts, lines, fields, values, confirm.

Buttons carry ``kc`` (a nomination) · ``kf`` (a fact) · ``kl`` (a line, ``a`` adds one) ·
``kg`` (a field, ``d`` deletes the line) · ``kv`` (a value: ``y``/``n``, an option's
number, ``t<n>`` toggles a multiple choice, ``ok`` ends it) · ``ky`` confirm · ``kn``
cancel — each with the nomination's id first.
"""

from __future__ import annotations

from typing import Any

from awardbot.db.models import Nomination
from awardbot.workflow.evaluation.correct_facts import Fact, current, line, shown, value_of
from awardbot.workflow.evaluation.view import Act, Screen
from awardbot.workflow.intake.questions import ListQuestion, Question
from awardbot.workflow.messages import Text

Shown = tuple[Text, Text, Text]  # what changes, before, after


def candidates(found: list[tuple[Nomination, str]]) -> Screen:
    if not found:
        return Screen(Text("evaluation.correct.nothing"))
    return Screen(Text("evaluation.correct.choose"), tuple(
        (Act(Text("evaluation.correct.button.candidate", {"ref": row.ref or "", "name": name}),
             ("kc", str(row.id))),) for row, name in found))


def facts(head: dict[str, Any], row: Nomination, found: list[Fact]) -> Screen:
    stored = dict(row.facts or {})
    return Screen(Text("evaluation.correct.choose_fact", head), tuple(
        (Act(Text("evaluation.correct.button.fact", {
            "name": fact.name, "value": value_of(fact, stored)}),
            ("kf", str(row.id), str(index))),) for index, fact in enumerate(found)))


def lines(nid: int, fact: Fact, records: list[Any]) -> Screen:
    assert isinstance(fact.question, ListQuestion)
    rows = [(Act(Text("evaluation.correct.button.line", {
        "n": n, "content": line(fact.question, record)}), ("kl", str(nid), str(n - 1))),)
        for n, record in enumerate(records, 1)]
    rows.append((Act(Text("evaluation.correct.button.add"), ("kl", str(nid), "a")),))
    key = "evaluation.correct.choose_line" if records else "evaluation.correct.no_lines"
    return Screen(Text(key, {"fact": fact.name}), tuple(rows))


def field_name(fact: Fact, question: Question) -> Text:
    assert isinstance(fact.question, ListQuestion)
    return Text(f"evaluation.correct.field.{fact.question.key}.{question.key}")


def fields(nid: int, fact: Fact, index: int, record: Any) -> Screen:
    assert isinstance(fact.question, ListQuestion)
    record = record if isinstance(record, dict) else {}
    rows = [(Act(Text("evaluation.correct.button.fact", {
        "name": field_name(fact, q), "value": shown(q, record.get(q.key))}),
        ("kg", str(nid), str(k))),) for k, q in enumerate(fact.question.fields)]
    rows.append((Act(Text("evaluation.correct.button.delete"), ("kg", str(nid), "d")),))
    return Screen(Text("evaluation.correct.choose_field", {
        "fact": fact.name, "n": index + 1, "content": line(fact.question, record)}), tuple(rows))


def toggled(row: Nomination, fact: Fact, data: dict[str, Any]) -> list[str]:
    """The options of a multiple choice ticked so far (at first, those held now)."""
    if data.get("toggled") is not None:
        return list(data["toggled"])
    if data.get("line") == "+":
        return []
    path = fact.path if not isinstance(fact.question, ListQuestion) else \
        f"{fact.path}.{data['line']}.{fact.question.fields[int(data['field'])].key}"
    held = current(dict(row.facts or {}), path)
    return [str(v) for v in held] if isinstance(held, list) else []


def _buttons(nid: int, question: Question, ticked: list[str]) -> tuple[tuple[Act, ...], ...]:
    if question.kind == "yes_no":
        return ((Act(Text("intake.yes"), ("kv", str(nid), "y")),
                 Act(Text("intake.no"), ("kv", str(nid), "n"))),)
    if question.kind == "choice":
        return tuple((Act(Text(f"intake.opt.{o}"), ("kv", str(nid), str(i))),)
                     for i, o in enumerate(question.options))
    if question.kind == "multi":
        return (*((Act(Text("intake.toggle_on" if o in ticked else "intake.toggle_off",
                            {"label": Text(f"intake.opt.{o}")}), ("kv", str(nid), f"t{i}")),)
                  for i, o in enumerate(question.options)),
                (Act(Text("intake.next"), ("kv", str(nid), "ok")),))
    return ()


def value(nid: int, name: Text | None, question: Question, ask: Text | None, before: Any,
          data: dict[str, Any]) -> Screen:
    """Ask the new value: buttons for 是/否 and choices, typed for numbers and texts."""
    ticked = list(data.get("toggled") or []) if question.kind == "multi" else []
    if question.kind == "multi" and data.get("toggled") is None and isinstance(before, list):
        ticked = [str(v) for v in before]
    asked = ask or Text("evaluation.correct.use_buttons")
    text = asked if name is None else Text("evaluation.correct.ask_value", {
        "what": name, "current": shown(question, before), "question": asked})
    return Screen(text, _buttons(nid, question, ticked))


def change(name: Text, question: Question, before: Any, after: Any) -> Shown:
    return name, shown(question, before), shown(question, after)


def line_field(fact: Fact, index: int, question: Question) -> Text:
    return Text("evaluation.correct.line_field", {
        "fact": fact.name, "n": index + 1, "field": field_name(fact, question)})


def added(fact: Fact, record: dict[str, Any]) -> Shown:
    assert isinstance(fact.question, ListQuestion)
    return (Text("evaluation.correct.line_new", {"fact": fact.name}),
            Text("evaluation.correct.none"), line(fact.question, record))


def deleted(fact: Fact, index: int, record: Any) -> Shown:
    assert isinstance(fact.question, ListQuestion)
    return (Text("evaluation.correct.line_whole", {"fact": fact.name, "n": index + 1}),
            line(fact.question, record), Text("evaluation.correct.deleted"))


def confirm_row(nid: int) -> tuple[tuple[Act, ...], ...]:
    return ((Act(Text("evaluation.correct.button.confirm"), ("ky", str(nid))),
             Act(Text("evaluation.correct.button.cancel"), ("kn", str(nid)))),)

