"""Who may be nominated: the window-assessment gate, service years, unit kinds.

Each check adds a :class:`~awardbot.scoring.messages.Message`: failed checks go to
``reasons`` (and make ``ok`` false), passed or not-applicable checks to ``notes``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .catalogue import SUBJECT_NAMES, Award, Catalogue, default_catalogue
from .messages import Message
from .period import Month, Period
from .rules import Rules

Assessment = tuple[Month | date, Decimal]


@dataclass(frozen=True)
class PersonRecord:
    """What eligibility needs to know about a staff member."""

    is_window_staff: bool
    unit_kind: str
    service_start: date | None = None


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    reasons: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()

    def render(self, lang: str = "zh") -> str:
        return "\n".join(m.render(lang) for m in self.reasons or self.notes)


class _Checks:
    def __init__(self) -> None:
        self.reasons: list[Message] = []
        self.notes: list[Message] = []

    def add(self, passed: bool, message: Message) -> None:
        (self.notes if passed else self.reasons).append(message)

    def result(self) -> Eligibility:
        return Eligibility(not self.reasons, tuple(self.reasons), tuple(self.notes))


def _in_period(assessments: Iterable[Assessment], period: Period) -> dict[Month, Fraction]:
    scores: dict[Month, Fraction] = {}
    for when, score in assessments:
        month = when if isinstance(when, Month) else Month.of(when)
        if period.contains(month):
            scores[month] = Fraction(score)
    return scores


def anniversary(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February falls back to the month's last day."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return date(year, start.month, day)


def _unit_kind(checks: _Checks, spec: Award, unit_kind: str, catalogue: Catalogue) -> None:
    if unit_kind not in spec.unit_kinds:
        checks.add(False, Message("unit_kind_not_eligible",
                                  {"unit_kind": catalogue.term(unit_kind)}))


def _window_gate(checks: _Checks, person: PersonRecord, scores: Mapping[Month, Fraction],
                 period: Period, rules: Rules) -> None:
    if not person.is_window_staff:
        checks.add(True, Message("window_gate_exempt"))
        return
    if not scores:
        checks.add(False, Message("window_gate_not_assessed", {"period": str(period)}))
        return
    average = sum(scores.values(), Fraction(0)) / len(scores)
    threshold = rules.window_gate_threshold
    code = "window_gate_passed" if average >= threshold else "window_gate_below"
    checks.add(average >= threshold, Message(code, {"average": average, "threshold": threshold}))


def _service(checks: _Checks, start: date | None, closing: date, rules: Rules) -> None:
    if start is None:
        checks.add(False, Message("service_start_unknown"))
        return
    years = rules.min_service_years
    params = {"years": years, "closing": closing.isoformat(), "start": start.isoformat()}
    passed = anniversary(start, years) <= closing
    checks.add(passed, Message("service_passed" if passed else "service_too_short", params))


def check_person(
    award: str,
    person: PersonRecord,
    assessments: Sequence[Assessment],
    period: Period,
    rules: Rules,
    closing: date | None = None,
    catalogue: Catalogue | None = None,
) -> Eligibility:
    """May ``person`` be nominated for ``award`` in ``period``?

    ``assessments`` are the person's monthly window-assessment scores (any months;
    only those in ``period`` count). ``closing`` is the round's closing date, needed
    for awards with a service-years requirement (defaults to the period's end).
    """
    catalogue = catalogue or default_catalogue()
    spec = catalogue.award(award)
    checks = _Checks()
    if spec.subject != "person":
        checks.add(False, Message("subject_mismatch", {"expected": SUBJECT_NAMES[spec.subject]}))
    _unit_kind(checks, spec, person.unit_kind, catalogue)
    if spec.window_gate:
        _window_gate(checks, person, _in_period(assessments, period), period, rules)
    if spec.min_service:
        _service(checks, person.service_start, closing or period.end, rules)
    return checks.result()


def window_average(
    staff_assessments: Mapping[str, Sequence[Assessment]], period: Period
) -> Fraction | None:
    """Staff-weighted monthly average: each person's mean weighted by their months."""
    weighted = Fraction(0)
    months = 0
    for assessments in staff_assessments.values():
        scores = _in_period(assessments, period)
        if scores:
            person_mean = sum(scores.values(), Fraction(0)) / len(scores)
            weighted += person_mean * len(scores)
            months += len(scores)
    return weighted / months if months else None


def check_unit(
    award: str,
    unit_kind: str,
    period: Period,
    rules: Rules,
    staff_assessments: Mapping[str, Sequence[Assessment]] | None = None,
    catalogue: Catalogue | None = None,
) -> Eligibility:
    """May a unit (a window or a hall) be nominated for ``award`` in ``period``?

    For a window award, ``staff_assessments`` maps each staff member of the window to
    their monthly window-assessment scores.
    """
    catalogue = catalogue or default_catalogue()
    spec = catalogue.award(award)
    checks = _Checks()
    if spec.subject == "person":
        checks.add(False, Message("subject_mismatch", {"expected": SUBJECT_NAMES[spec.subject]}))
    _unit_kind(checks, spec, unit_kind, catalogue)
    if spec.window_gate and spec.subject == "window":
        average = window_average(staff_assessments or {}, period)
        threshold = rules.window_unit_threshold
        if average is None:
            checks.add(False, Message("window_not_assessed", {"period": str(period)}))
        else:
            code = "window_average_passed" if average >= threshold else "window_average_below"
            checks.add(average >= threshold,
                       Message(code, {"average": average, "threshold": threshold}))
    return checks.result()
