"""最美政务窗口 sheet (RULES.md §3)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from ..catalogue import Catalogue
from ..exact import ZERO, fmt
from ..facts import Honour, Report, WindowFacts
from ..messages import Message
from ..points import HONOUR_LEVELS, WindowPoints
from ..rules import Rules
from .base import Line, Sheet, line, section, sheet
from .common import judge, ratings_line, survey_line


def honour_points(honour: Honour, pts: WindowPoints) -> Fraction:
    """Bureau / own department: 0; higher-level line department: one tier lower."""
    if honour.issuer in ("bureau", "own_department"):
        return ZERO
    tier = HONOUR_LEVELS.index(honour.level)
    if honour.issuer == "line_department":
        tier -= 1
    return pts.honour_points[HONOUR_LEVELS[tier]] if tier >= 0 else ZERO


def report_points(reports: Iterable[Report], pts: WindowPoints, rules: Rules) -> Fraction:
    """Each report once at its highest level; not-adopted ones capped per quarter."""
    merged: dict[str, tuple[int, frozenset[str]]] = {}
    for report in reports:
        quarter, adopters = merged.get(report.id, (report.quarter, frozenset()))
        merged[report.id] = (min(quarter, report.quarter), adopters | report.adopted_by)
    external = rules.info_external_points
    adopted, per_quarter = ZERO, [ZERO] * 5
    for quarter, adopters in merged.values():
        levels = [Fraction(external[a]) for a in adopters if a in external]
        if "bureau" in adopters:
            levels.append(pts.info_adopted)
        if levels:
            adopted += max(levels)
        else:
            per_quarter[quarter] += pts.info_not_adopted
    cap = Fraction(rules.info_not_adopted_quarter_cap)
    return adopted + sum((min(q, cap) for q in per_quarter), ZERO)


def _deductions(facts: WindowFacts, pts: WindowPoints, catalogue: Catalogue,
                bases: tuple[Fraction, Fraction]) -> tuple[Line, Line]:
    count = len(facts.accidents)
    serious = sum(1 for a in facts.accidents if a.serious)
    accidents = Message("in_accidents", {"count": count, "serious": serious})
    safety = line("safety", catalogue, accidents,
                  Message("rule_deduct", {"base": bases[0], "per": pts.safety_per_accident}),
                  bases[0] - pts.safety_per_accident * count)
    staffing = line("staffing", catalogue, Message("in_violations", {
        "count": facts.staffing_violations}),
        Message("rule_deduct", {"base": bases[1], "per": pts.staffing_per_violation}),
        bases[1] - pts.staffing_per_violation * facts.staffing_violations)
    return safety, staffing


def _bands_text(pts: WindowPoints) -> str:
    parts = []
    for index, (lower, points) in enumerate(pts.case_volume_bands):
        upper = pts.case_volume_bands[index + 1][0] - 1 if index + 1 < len(
            pts.case_volume_bands) else None
        span = f"{lower}–{upper}" if upper is not None else f"≥{lower}"
        parts.append(f"{span} +{fmt(points)}")
    return "; ".join(parts)


def _bonus_lines(facts: WindowFacts, pts: WindowPoints, rules: Rules, catalogue: Catalogue
                 ) -> tuple[list[Line], list[Message]]:
    counted = [h for h in facts.honours if honour_points(h, pts)]
    visits = [v for v in facts.leader_visits if not v.hundred_directors]
    ids = {r.id for r in facts.reports}
    adopted = {r.id for r in facts.reports if r.adopted_by}
    info_rule = {"adopted": pts.info_adopted, "not_adopted": pts.info_not_adopted,
                 "quarter_cap": rules.info_not_adopted_quarter_cap, "cap": pts.info_cap,
                 **rules.info_external_points}
    lines = [
        line("case_volume", catalogue, Message("in_cases", {"count": facts.case_volume}),
             Message("rule_bands", {"bands": _bands_text(pts)}),
             pts.case_volume(facts.case_volume)),
        line("honours", catalogue, Message("in_honours", {
            "count": len(facts.honours), "counted": len(counted)}),
            Message("rule_honours", {**pts.honour_points, "cap": pts.honours_cap}),
            sum((honour_points(h, pts) for h in facts.honours), ZERO), high=pts.honours_cap),
        line("information", catalogue, Message("in_reports", {
            "count": len(ids), "adopted": len(adopted)}), Message("rule_information", info_rule),
            report_points(facts.reports, pts, rules), high=pts.info_cap),
        line("leaders", catalogue, Message("in_visits", {
            "count": len(facts.leader_visits), "excluded": len(facts.leader_visits) - len(visits)}),
            Message("rule_leaders", {**pts.leader_points, "cap": pts.leaders_cap}),
            sum((pts.leader_points[v.leader] for v in visits), ZERO), high=pts.leaders_cap),
    ]
    key_line, problems = _key_work_line(facts, pts, rules, catalogue)
    return [*lines, key_line], problems


def _key_work_line(facts: WindowFacts, pts: WindowPoints, rules: Rules, catalogue: Catalogue
                   ) -> tuple[Line, list[Message]]:
    low, high = Fraction(rules.key_work_item_min), Fraction(rules.key_work_item_max)
    total, means, problems = ZERO, [], list[Message]()
    for item in facts.key_work:
        names = catalogue.item("key_work")
        result = judge(item.scores, type(names)(f"{names.zh}“{item.title}”",
                                                f"{names.en} '{item.title}'"),
                       low, high, Fraction(rules.judged_step))
        problems.extend(result.problems)
        if result.mean is not None:
            total += result.mean
            means.append(fmt(result.mean))
    input_ = Message("in_key_work", {"count": len(facts.key_work), "means": " + ".join(means)})
    rule = Message("rule_key_work", {"low": low, "high": high, "cap": pts.key_work_cap})
    return line("key_work", catalogue, input_, rule, total, high=pts.key_work_cap), problems


def window_sheet(award: str, facts: WindowFacts, rules: Rules, catalogue: Catalogue) -> Sheet:
    spec = catalogue.award(award)
    pts = spec.points
    assert isinstance(pts, WindowPoints)
    safety, staffing = _deductions(
        facts, pts, catalogue, (spec.section("safety").maximum, spec.section("staffing").maximum))
    bonus, problems = _bonus_lines(facts, pts, rules, catalogue)
    survey, found = survey_line(facts.satisfaction, rules, catalogue)
    problems.extend(found)
    sections = [
        section(spec.section("safety"), [safety], catalogue),
        section(spec.section("staffing"), [staffing], catalogue),
        section(spec.section("recipients"),
                [ratings_line("recipients", facts.recipient_ratings, rules, catalogue)], catalogue),
        section(spec.section("bonus"), bonus, catalogue, incomplete=len(problems) > len(found)),
        section(spec.section("satisfaction"), [survey], catalogue, incomplete=bool(found)),
    ]
    holds = []
    if rules.serious_accident_holds and any(a.serious for a in facts.accidents):
        holds.append(Message("serious_accident"))
    return sheet(award, catalogue, sections, problems, holds)
