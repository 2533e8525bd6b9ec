"""Service-hall competition sheet (RULES.md §4).

The proportional items (licence onboarding rate, service-guide accuracy) compare each
hall with the best hall of the round, so :func:`hall_bests` runs over all of a round's
halls first and every :func:`hall_sheet` receives the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..catalogue import Catalogue, Names
from ..exact import ZERO, fmt
from ..facts import SERVICE_ITEMS, HallFacts, Recognition
from ..messages import Message
from ..points import HallPoints
from ..rules import Rules
from .base import Line, Sheet, line, section, sheet
from .common import judge, survey_line


@dataclass(frozen=True)
class HallBests:
    """The best onboarding rate and guide accuracy among a round's halls."""

    onboarding_rate: Decimal = Decimal(0)
    guide_accuracy: Decimal = Decimal(0)


def hall_bests(halls: Iterable[HallFacts]) -> HallBests:
    onboarding, guide = Decimal(0), Decimal(0)
    for hall in halls:
        onboarding = max(onboarding, hall.onboarding_rate)
        guide = max(guide, hall.guide_accuracy)
    return HallBests(onboarding, guide)


def proportional(maximum: Fraction, value: Decimal, best: Decimal) -> Fraction:
    """``maximum × value ÷ best``; 0 when no hall has a positive value."""
    return maximum * Fraction(value) / Fraction(best) if best > 0 else ZERO


def recognition_points(items: Iterable[Recognition], points: Mapping[str, Fraction]
                       ) -> tuple[Fraction, int]:
    """Each content once at its highest level; returns (points, distinct contents)."""
    best: dict[str, Fraction] = {}
    for item in items:
        key = " ".join(item.content.split())
        best[key] = max(best.get(key, ZERO), points[item.level])
    return sum(best.values(), ZERO), len(best)


def _minus(item: str, count: int, maximum: Fraction, per: Fraction, code: str,
           catalogue: Catalogue) -> Line:
    return line(item, catalogue, Message(code, {"count": count}),
                Message("rule_deduct", {"base": maximum, "per": per}), maximum - per * count)


def _prop(item: str, value: Decimal, best: Decimal, maximum: Fraction,
          catalogue: Catalogue) -> Line:
    return line(item, catalogue, Message("in_rate", {"rate": value, "best": best}),
                Message("rule_proportional", {"max": maximum}),
                proportional(maximum, value, best), high=maximum)


def _levels_line(item: str, entries: tuple[Recognition, ...], points: Mapping[str, Fraction],
                 cap: Fraction, catalogue: Catalogue) -> Line:
    total, distinct = recognition_points(entries, points)
    terms = [(catalogue.term(k), fmt(v)) for k, v in points.items()]
    levels = Names("、".join(f"{t.zh} +{v}" for t, v in terms),
                   ", ".join(f"{t.en} +{v}" for t, v in terms))
    return line(item, catalogue, Message("in_recognitions", {
        "count": len(entries), "distinct": distinct}),
        Message("rule_levels", {"levels": levels, "cap": cap}), total, high=cap)


def _names(codes: Iterable[str], catalogue: Catalogue) -> Names:
    """Codes in words, sorted by code: "供电、供水"."""
    terms = [catalogue.term(code) for code in sorted(codes)]
    return Names("、".join(t.zh for t in terms) or "—", ", ".join(t.en for t in terms) or "—")


def _pilot(facts: HallFacts, rules: Rules, catalogue: Catalogue) -> tuple[Line, list[Message]]:
    top = Fraction(rules.pilot_reform_points)
    names = catalogue.item("pilot_reform")
    judged = facts.pilot_reform
    result = judge(judged, names, ZERO, top, allowed=(ZERO, top))
    if not judged.scores:  # no pilot reform claimed: 0, nothing to score
        result = type(result)(ZERO, 0, ())
    ln = line("pilot_reform", catalogue, Message("in_scores", {
        "count": result.valid, "recused": len(judged.recused)}),
        Message("rule_pilot", {"points": top}), result.mean or ZERO, high=top)
    return ln, list(result.problems)


def _lines(facts: HallFacts, bests: HallBests, pts: HallPoints, catalogue: Catalogue
           ) -> dict[str, list[Line]]:
    per = pts.per_shortfall
    return {
        "reform": [
            _prop("onboarding", facts.onboarding_rate, bests.onboarding_rate,
                  pts.onboarding_max, catalogue),
            _minus("functions", facts.function_zones_missing, pts.functions_max, per,
                   "in_missing", catalogue),
            _minus("one_window", facts.one_window_shortfalls, pts.one_window_max, per,
                   "in_shortfalls", catalogue),
        ],
        "key_work": [
            _minus("epidemic", facts.epidemic_shortfalls, pts.epidemic_max, per,
                   "in_shortfalls", catalogue),
            _prop("guide", facts.guide_accuracy, bests.guide_accuracy, pts.guide_max, catalogue),
            _minus("resumption", facts.resumption_shortfalls, pts.resumption_max, per,
                   "in_shortfalls", catalogue),
            line("utilities", catalogue, Message("in_utilities", {
                "count": len(facts.utility_windows),
                "names": _names(facts.utility_windows, catalogue)}),
                Message("rule_each", {"each": pts.utility_each, "cap": pts.utilities_cap}),
                pts.utility_each * len(facts.utility_windows), high=pts.utilities_cap),
        ],
        "service": [
            _minus(key, count, pts.service_item_max, per, "in_findings", catalogue)
            for key, count in zip(SERVICE_ITEMS, facts.service_findings, strict=True)
        ],
        "innovation": [
            _levels_line("innovations", facts.innovations, pts.innovation_points,
                         pts.innovations_cap, catalogue),
            _levels_line("media", facts.media_reports, pts.media_points, pts.media_cap,
                         catalogue),
        ],
    }


def hall_sheet(award: str, facts: HallFacts, bests: HallBests, rules: Rules,
               catalogue: Catalogue) -> Sheet:
    """One hall's sheet; ``bests`` comes from :func:`hall_bests` over the whole round."""
    spec = catalogue.award(award)
    pts = spec.points
    assert isinstance(pts, HallPoints)
    groups = _lines(facts, bests, pts, catalogue)
    pilot, problems = _pilot(facts, rules, catalogue)
    groups["innovation"].append(pilot)
    sections = [section(spec.section(key), lines, catalogue, key == "innovation" and bool(problems))
                for key, lines in groups.items()]
    survey, found = survey_line(facts.satisfaction, rules, catalogue)
    sections.append(section(spec.section("satisfaction"), [survey], catalogue, bool(found)))
    return sheet(award, catalogue, sections, [*problems, *found])
