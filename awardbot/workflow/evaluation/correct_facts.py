"""The facts a group leader may correct, in the intake walkthrough's own words.

A window's or hall's correctable facts (``correct.CORRECTABLE``) as the leader sees them:
each with its name (``intake.q.<key>.name``, or a hall's on-site finding by its score
sheet item), its question (``questions.py``: kind, bounds, options, a list's fields) and
its value shown in words — never a facts-schema code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring.facts import SERVICE_ITEMS
from awardbot.workflow.evaluation.view import literal
from awardbot.workflow.intake.questions import HALL, WINDOW, AnyQuestion, ListQuestion, Question
from awardbot.workflow.messages import Text, names
from awardbot.workflow.refusal import Refusal

FINDING = Question("finding", "whole", high=Decimal(100))


@dataclass(frozen=True)
class Fact:
    path: str  # where it sits in the facts: "case_volume", "service_findings.attitude"
    name: Text
    question: AnyQuestion
    ask: Text | None = None  # the question that asks its new value (not for a list)


def _facts(questions: tuple[AnyQuestion, ...], keep: tuple[str, ...]) -> list[Fact]:
    return [Fact(q.key, Text(f"intake.q.{q.key}.name"), q,
                 None if isinstance(q, ListQuestion) else Text(f"intake.q.{q.key}.ask"))
            for q in questions if q.key.split(".")[0] in keep]


def correctable(sheet: str, awards: AwardCatalogue, keep: tuple[str, ...]) -> list[Fact]:
    """The facts of a ``sheet`` ("window" or "hall") in the order the intake asks them."""
    if sheet == "window":
        return _facts(WINDOW, keep)
    if sheet != "hall":
        return []
    found = _facts(HALL, keep)
    at = next((i for i, f in enumerate(found) if f.path == "utility_windows"), len(found)) + 1
    findings = [Fact(f"service_findings.{item}", Text("evaluation.correct.finding", {"item": i}),
                     FINDING, Text("evaluation.correct.ask_finding", {"item": i}))
                for item in SERVICE_ITEMS
                for i in (names(awards.items[item].zh, awards.items[item].en),)
                ] if "service_findings" in keep else []
    return [*found[:at], *findings, *found[at:]]


def current(facts: dict[str, Any], path: str) -> Any:
    node: Any = facts
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _joined(parts: list[Text], key: str) -> Text:
    if not parts:
        return Text("evaluation.correct.none")
    head = parts[0]
    for part in parts[1:]:
        head = Text(key, {"head": head, "tail": part})
    return head


def shown(question: Question, value: Any) -> Text:
    """A value in words: 是/否, an option's name, the numbers and texts as they are."""
    if question.kind == "multi":
        chosen = [v for v in value if v in question.options] if isinstance(value, list) else []
        return _joined([Text(f"intake.opt.{v}") for v in chosen], "evaluation.correct.and")
    if value is None or value == "":
        return Text("evaluation.correct.empty")
    if question.kind == "yes_no":
        return Text("intake.yes" if value else "intake.no")
    if question.kind == "choice":
        return Text(f"intake.opt.{value}") if value in question.options else literal(value)
    return literal(value)


def line(question: ListQuestion, record: Any) -> Text:
    """One record of a list by its content: its fields' values, one after the other."""
    record = record if isinstance(record, dict) else {}
    parts = []
    for field in question.fields:
        value = record.get(field.key)
        if field.kind == "yes_no":
            parts.append(Text(f"evaluation.correct.flag.{question.key}.{field.key}",
                              {"answer": shown(field, value)}))
        elif value not in (None, "", []):
            parts.append(shown(field, value))
    return _joined(parts, "evaluation.correct.then")


def value_of(fact: Fact, facts: dict[str, Any]) -> Text:
    """What a fact's button says it holds now."""
    value = current(facts, fact.path)
    if isinstance(fact.question, ListQuestion):
        return Text("evaluation.correct.count", {"count": len(value or [])})
    return shown(fact.question, value)


def parse(question: Question, text: str) -> Any:
    """A typed number or text, checked as the intake checks it."""
    text = text.strip()
    if question.kind == "text":
        if not text or len(text) > question.max_chars:
            raise Refusal("intake.q.bad_text", limit=question.max_chars)
        return text
    if question.kind not in ("whole", "decimal"):
        raise Refusal("evaluation.correct.use_buttons")
    low, high = question.low, question.high
    try:
        value = Decimal(text.replace("，", "").replace(",", "").replace("%", ""))
    except InvalidOperation:
        raise Refusal("intake.q.not_a_number", low=low, high=high) from None
    if not value.is_finite():
        raise Refusal("intake.q.not_a_number", low=low, high=high)
    whole = question.kind == "whole"
    if whole and value != value.to_integral_value():
        raise Refusal("intake.q.not_whole", low=low, high=high)
    if not low <= value <= high:
        raise Refusal("intake.q.out_of_range", low=low, high=high)
    if not whole and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise Refusal("intake.q.too_precise")
    return int(value) if whole else str(value)
