"""Totals without explanation lines, for ranking large rounds quickly.

Every function here returns the same exact total as the full sheet (checked by the
unit tests) as an unreduced ``(numerator, denominator)`` pair, or ``None`` when the
nomination is not rankable (incomplete or held back) — the caller then builds the
full sheet to learn why. Fixed points are integers scaled by ``k`` (the least common
denominator of every configured point value); means enter as exact ratios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm

from .catalogue import Award, Catalogue
from .facts import HONOUR_ISSUERS, STAFF_SECTIONS, GradeFacts, Honour, Judged, StaffFacts, Tally
from .points import HONOUR_LEVELS, WindowPoints
from .rules import RATING_LEVELS, Rules
from .sheets.window import honour_points

Ratio = tuple[int, int]


def _values(rules: Rules, catalogue: Catalogue) -> Iterable[Fraction]:
    for spec in catalogue.awards.values():
        yield from (s.maximum for s in spec.sections)
        for value in vars(spec.points).values() if spec.points else ():
            if isinstance(value, Fraction):
                yield value
            elif isinstance(value, dict):
                yield from value.values()
            elif isinstance(value, tuple):
                yield from (points for _, points in value)
    yield from map(Fraction, (*rules.rating_points.values(), *rules.info_external_points.values(),
                              rules.info_not_adopted_quarter_cap, rules.pilot_reform_points))


@dataclass(frozen=True)
class Plan:
    """Everything the fast path needs, precomputed once per rules and catalogue."""

    k: int
    rules: Rules
    ratings: tuple[int, ...]
    survey_min: int
    step: Decimal
    step_places: int | None  # p when step is 10^-p

    @classmethod
    def build(cls, rules: Rules, catalogue: Catalogue) -> Plan:
        k = lcm(*(v.denominator for v in _values(rules, catalogue)))
        ratings = tuple(int(Fraction(rules.rating_points[lv]) * k) for lv in RATING_LEVELS)
        step = rules.judged_step
        exponent = step.normalize().as_tuple().exponent
        places = -exponent if step.normalize() == Decimal(1).scaleb(exponent) else None  # type: ignore[arg-type,operator]
        return cls(k, rules, ratings, rules.survey_min_votes, step, places)

    def int_k(self, value: Fraction | Decimal | int) -> int:
        return int(Fraction(value) * self.k)


def mean_k(judged: Judged, low: Decimal, high: Decimal, step: Decimal | None, k: int,
           step_places: int | None = None) -> Ratio | None:
    """k × the mean of valid scores, or None when any score is missing or invalid.

    ``step_places`` = p when ``step`` is 10^-p: then "on step" is "at most p places".
    """
    count = judged.given
    if judged.missing or not count or judged.lowest < low or judged.highest > high:  # type: ignore[operator]
        return None
    if step is not None and (step_places is None or judged.places > step_places) and any(
        v % step for _, v in judged.scores  # type: ignore[operator]
    ):
        return None
    p, q = judged.ratio
    return p * k, q * count


def tally_k(tally: Tally, plan: Plan, maximum: int) -> Ratio:
    votes = tally.votes
    if not votes:
        return 0, 1
    a, b, c, d, e = tally.counts
    r = plan.ratings
    num = a * r[0] + b * r[1] + c * r[2] + d * r[3] + e * r[4]
    return (maximum, 1) if num > maximum * votes else (num, votes)


def _cap(n: int, d: int, cap: int) -> Ratio:
    return (cap, 1) if n > cap * d else (n, d)


def grade_total(facts: GradeFacts, plan: Plan) -> Ratio | None:
    rules = plan.rules
    return mean_k(facts.grades, rules.grade_min, rules.grade_max, plan.step, plan.k,
                  plan.step_places)


@dataclass(frozen=True)
class StaffPlan:
    maxima: tuple[Decimal, ...]  # the judged sections, in STAFF_SECTIONS order
    satisfaction_max: int

    @classmethod
    def build(cls, spec: Award, plan: Plan) -> StaffPlan:
        maxima = tuple(spec.section(key).maximum for key in STAFF_SECTIONS)
        return cls(tuple(Decimal(m.numerator) / m.denominator for m in maxima),
                   plan.int_k(spec.section("satisfaction").maximum))


_ZERO = Decimal(0)


def staff_total(facts: StaffFacts, sp: StaffPlan, plan: Plan) -> Ratio | None:
    if facts.satisfaction.votes < plan.survey_min:
        return None
    k, step = plan.k, plan.step
    n, d = tally_k(facts.satisfaction, plan, sp.satisfaction_max)
    for judged, top in zip(facts.sections, sp.maxima, strict=True):
        m = mean_k(judged, _ZERO, top, step, k, plan.step_places)
        if m is None:
            return None
        if m[1] == d:
            n += m[0]
        else:
            n, d = n * m[1] + m[0] * d, d * m[1]
    return n, d


def _honour_table(pts: WindowPoints, k: Callable[[Fraction], int]) -> dict[str, dict[str, int]]:
    return {
        issuer: {level: k(honour_points(Honour("", level, issuer), pts)) for level in HONOUR_LEVELS}
        for issuer in HONOUR_ISSUERS
    }


@dataclass(frozen=True)
class WindowPlan:
    safety: tuple[int, int]
    staffing: tuple[int, int]
    bands: tuple[tuple[int, int], ...]
    honour_table: dict[str, dict[str, int]]  # issuer -> level -> points
    honours_cap: int
    info: tuple[int, int, int, int]  # adopted, not adopted, quarter cap, cap
    leaders: dict[str, int]
    leaders_cap: int
    key_work_cap: int
    recipients_max: int
    bonus_max: int
    satisfaction_max: int
    key_low: Decimal
    key_high: Decimal
    report_levels: dict[str, int]

    @classmethod
    def build(cls, spec: Award, plan: Plan) -> WindowPlan:
        pts, k, rules = spec.points, plan.int_k, plan.rules
        assert isinstance(pts, WindowPoints)
        sec = {s.key: k(s.maximum) for s in spec.sections}
        return cls(
            (sec["safety"], k(pts.safety_per_accident)),
            (sec["staffing"], k(pts.staffing_per_violation)),
            tuple((lower, k(p)) for lower, p in pts.case_volume_bands),
            _honour_table(pts, k), k(pts.honours_cap),
            (k(pts.info_adopted), k(pts.info_not_adopted),
             k(rules.info_not_adopted_quarter_cap), k(pts.info_cap)),
            {lv: k(p) for lv, p in pts.leader_points.items()}, k(pts.leaders_cap),
            k(pts.key_work_cap), sec["recipients"], sec["bonus"], sec["satisfaction"],
            rules.key_work_item_min, rules.key_work_item_max,
            {"bureau": k(pts.info_adopted),
             **{a: k(p) for a, p in rules.info_external_points.items()}},
        )
