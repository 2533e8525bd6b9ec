"""Plain values the intake walkthrough speaks in: prompts, choices, replies.

The chat layer renders them from the text catalogue; nothing here knows Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from awardbot.db.models import Nomination, Staff
from awardbot.documents.application_form import FormData
from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import Rules
from awardbot.workflow.messages import Text
from awardbot.workflow.services import Limits

T = TypeVar("T")


def literal(value: object) -> Text:
    """A text shown as is (a person's or unit's name, a number)."""
    return Text("common.literal", {"value": str(value)})


def set_toggle(chosen: set[T], item: T, wanted: str) -> set[T]:
    """A multi-select button: ``wanted`` ("on"/"off") is the state its label offered, so a
    double tap or an update replayed after a crash sets the same state again instead of
    flipping it back; a button from before the state travelled (no ``wanted``) flips."""
    if wanted == "on":
        return chosen | {item}
    if wanted == "off":
        return chosen - {item}
    return chosen ^ {item}


@dataclass(frozen=True)
class Choice:
    label: Text
    action: str  # ASCII, short: it travels in callback data


@dataclass(frozen=True)
class Prompt:
    nomination_id: int
    step: str
    text: Text
    choices: tuple[tuple[Choice, ...], ...] = ()
    edit: bool = False  # replace the message the button was on (multi-select toggles)
    version: int = 0  # the draft's step version; its buttons carry it


@dataclass(frozen=True)
class StepAnswer:
    """What to tell the person after an act: a notice (or an error), then a prompt."""

    notice: Text | None = None
    prompt: Prompt | None = None
    document: bytes | None = None  # e.g. the generated 申报表 after submitting
    document_name: str | None = None
    form: FormData | None = None  # a 申报表 still to generate, once the change is committed
    nomination_id: int | None = None



@dataclass
class Draft:
    """A nomination being walked through, inside the transaction that changes it."""

    row: Nomination
    family: str
    awards: AwardCatalogue
    limits: Limits
    facts_keys: dict[str, Any] = field(default_factory=dict)
    # Held for the act: the session's identity map keeps only what is referenced, and
    # every step reads the applicant again (active draft, subject, form).
    applicant: Staff | None = None
    rules: Rules | None = None  # for eligibility as the subject and the award are chosen
    notice: Text | None = None  # said before the next prompt (e.g. the colleague chosen)

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.row.answers or {})

    def answer(self, key: str, default: Any = None) -> Any:
        return (self.row.answers or {}).get(key, default)

    def put(self, **values: Any) -> None:
        # JSON columns do not track in-place changes: assign a new dict.
        self.row.answers = {**(self.row.answers or {}), **values}

    def put_fact(self, key: str, value: Any) -> None:
        self.row.facts = {**(self.row.facts or {}), key: value}


class StepError(Exception):
    """Bad input for the current step; the person is told and stays on the step."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.text = Text(key, params)
