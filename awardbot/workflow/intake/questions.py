"""The score-sheet facts a window or a hall reports, asked one question at a time.

Questions are data: each names its key in the facts schema (docs/facts.md), its kind and
its bounds. A list question (honours, reports …) asks "any?" and then each field of each
record, with "add another / done" between records. Texts are catalogue keys
``intake.q.<key>`` (and ``intake.opt.<option>`` for options).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

RATING_LEVELS = ("very_satisfied", "satisfied", "fairly_satisfied", "average", "dissatisfied")


@dataclass(frozen=True)
class Question:
    key: str
    kind: str  # whole | decimal | choice | multi | yes_no | text
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(10_000_000)
    options: tuple[str, ...] = ()
    max_chars: int = 200
    group: str | None = None  # facts written under facts[group][key] (e.g. a tally)


@dataclass(frozen=True)
class ListQuestion:
    key: str
    fields: tuple[Question, ...]
    max_items: int = 30


AnyQuestion = Question | ListQuestion

_TALLY = tuple(
    Question(f"recipient_ratings.{level}", "whole", high=Decimal(10_000_000),
             group="recipient_ratings")
    for level in RATING_LEVELS
)

WINDOW: tuple[AnyQuestion, ...] = (
    ListQuestion("accidents", (
        Question("kind", "choice", options=("fire", "theft", "electric_shock", "other")),
        Question("serious", "yes_no"),
    )),
    Question("staffing_violations", "whole", high=Decimal(1000)),
    *_TALLY,
    Question("case_volume", "whole"),
    ListQuestion("honours", (
        Question("title", "text"),
        Question("level", "choice", options=("county", "municipal", "provincial")),
        Question("issuer", "choice",
                 options=("other", "line_department", "bureau", "own_department")),
    )),
    ListQuestion("reports", (
        Question("title", "text"),
        Question("quarter", "whole", low=Decimal(1), high=Decimal(4)),
        Question("adopted_by", "multi", options=("bureau", "kunshan", "suzhou", "provincial")),
    ), max_items=100),
    ListQuestion("leader_visits", (
        Question("leader", "choice", options=("in_charge", "principal")),
        Question("hundred_directors", "yes_no"),
    )),
    ListQuestion("key_work", (
        Question("kind", "choice", options=(
            "yijianshi", "yiye_yizheng", "yiwang_tongban", "innovation", "cooperation")),
        Question("title", "text"),
    )),
)

HALL: tuple[AnyQuestion, ...] = (
    Question("onboarding_rate", "decimal", high=Decimal(100)),
    Question("function_zones_missing", "whole", high=Decimal(5)),
    Question("one_window_shortfalls", "whole", high=Decimal(10)),
    Question("epidemic_shortfalls", "whole", high=Decimal(5)),
    Question("guide_accuracy", "decimal", high=Decimal(100)),
    Question("resumption_shortfalls", "whole", high=Decimal(5)),
    Question("utility_windows", "multi", options=("water", "power", "gas", "telecom", "cable_tv")),
    ListQuestion("innovations", (
        Question("content", "text"),
        Question("level", "choice", options=("national", "provincial", "city")),
    )),
    ListQuestion("media_reports", (
        Question("content", "text"),
        Question("level", "choice", options=("national", "provincial")),
    )),
)

QUESTIONNAIRES: dict[str, tuple[AnyQuestion, ...]] = {"zuimei_window": WINDOW, "hall": HALL}


def find(family: str, key: str) -> AnyQuestion:
    for question in QUESTIONNAIRES[family]:
        if question.key == key:
            return question
    raise KeyError(key)
