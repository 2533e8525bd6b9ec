"""The judged items of a nomination, and reading a member's score for one of them.

Which items an award has is data from the rule book: the 三牛 grade, the four judged
sections of 最美政务人, one item per key-work entry of a window, a hall's pilot reform.
Bounds and the step come from :class:`~awardbot.scoring.Rules` and the catalogue.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import Rules, fmt
from awardbot.scoring.facts import STAFF_SECTIONS
from awardbot.workflow.messages import Text, names

GRADE, PILOT, KEY_WORK = "grade", "pilot_reform", "key_work"
MAX_PICKS = 11


@dataclass(frozen=True)
class Item:
    key: str  # Score.section: grade | political … | key_work.0 | pilot_reform
    label: Any  # a Text or names(...)
    low: Decimal
    high: Decimal
    allowed: tuple[Decimal, ...] = ()  # when only these values may be given

    @property
    def bounds(self) -> str:
        if self.allowed:
            return " / ".join(fmt(v) for v in self.allowed)
        return f"{fmt(self.low)}–{fmt(self.high)}"


class EntryError(ValueError):
    """A typed score that cannot be taken; ``text`` says why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.text = Text(key, params)


def items_for(award: str, facts: dict[str, Any], rules: Rules,
              catalogue: AwardCatalogue) -> tuple[Item, ...]:
    spec = catalogue.award(award)
    if spec.sheet == "grades":
        grade = spec.section(GRADE).names
        return (Item(GRADE, names(grade.zh, grade.en), rules.grade_min, rules.grade_max),)
    if spec.sheet == "staff":
        return tuple(
            Item(key, names(spec.section(key).names.zh, spec.section(key).names.en),
                 Decimal(0), Decimal(spec.section(key).maximum.numerator)
                 / Decimal(spec.section(key).maximum.denominator))
            for key in STAFF_SECTIONS)
    if spec.sheet == "window":
        return tuple(
            Item(f"{KEY_WORK}.{i}", Text("evaluation.item.key_work", {
                "kind": Text(f"intake.opt.{work.get('kind', 'innovation')}"),
                "title": str(work.get("title", ""))}),
                rules.key_work_item_min, rules.key_work_item_max)
            for i, work in enumerate(facts.get(KEY_WORK, [])))
    pilot = catalogue.item(PILOT)
    return (Item(PILOT, names(pilot.zh, pilot.en), Decimal(0), rules.pilot_reform_points,
                 (Decimal(0), rules.pilot_reform_points)),)


def check_value(item: Item, value: Decimal, rules: Rules) -> Decimal:
    """``value`` if it is a score ``item`` accepts; else :class:`EntryError`."""
    if item.allowed:
        if value not in item.allowed:
            raise EntryError("evaluation.error.not_allowed", allowed=item.bounds)
        return value
    if not item.low <= value <= item.high:
        raise EntryError("evaluation.error.out_of_range", bounds=item.bounds)
    # Quantized to the step's scale: what is stored has the section's precision (a value
    # like 1e-999999999 is in range but not a score; its remainder underflows to zero).
    try:
        quantized = value.quantize(rules.judged_step)
    except InvalidOperation:
        raise EntryError("evaluation.error.too_precise", step=fmt(rules.judged_step)) from None
    if quantized != value or quantized % rules.judged_step:
        raise EntryError("evaluation.error.too_precise", step=fmt(rules.judged_step))
    return quantized


def parse_value(item: Item, text: str, rules: Rules) -> Decimal:
    """A typed score: digits (full-width too), at most the judged step's precision."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("。", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise EntryError("evaluation.error.not_number", bounds=item.bounds) from None
    if not value.is_finite():
        raise EntryError("evaluation.error.not_number", bounds=item.bounds)
    return check_value(item, value, rules)


def picks(item: Item) -> tuple[Decimal, ...]:
    """Values offered as buttons: the allowed ones, halves on short ranges, else integers
    (the top of a long range, where most scores fall)."""
    if item.allowed:
        return item.allowed
    span = item.high - item.low
    step = Decimal("0.5") if span <= 2 else Decimal(1)
    values: list[Decimal] = []
    value = item.high
    while value >= item.low and len(values) < MAX_PICKS:
        values.append(value)
        value -= step
    return tuple(reversed(values))


def encode_value(value: Decimal) -> str:
    """A score as it travels in callback data (``8.5``)."""
    return fmt(value, places=4)
