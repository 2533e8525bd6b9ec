"""Fast totals of the collective awards (windows and halls); see :mod:`.fast`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .catalogue import Award
from .facts import HallFacts, WindowFacts
from .fast import Plan, Ratio, WindowPlan, _cap, mean_k, tally_k
from .points import HallPoints
from .sheets.hall import HallBests


def _honours(facts: WindowFacts, wp: WindowPlan) -> int:
    table = wp.honour_table
    total = 0
    for honour in facts.honours:
        total += table[honour.issuer][honour.level]
    return min(total, wp.honours_cap)


def _information(facts: WindowFacts, wp: WindowPlan) -> int:
    """Mirror of sheets.window.report_points in scaled integers (-1: not adopted)."""
    reports = facts.reports
    if not reports:
        return 0
    levels = wp.report_levels
    best: dict[str, int] = {}
    quarter_of: dict[str, int] = {}
    for report in reports:
        points = -1
        for adopter in report.adopted_by:
            value = levels.get(adopter, -1)
            if value > points:
                points = value
        rid = report.id
        if rid in best:
            best[rid] = max(best[rid], points)
            quarter_of[rid] = min(quarter_of[rid], report.quarter)
        else:
            best[rid], quarter_of[rid] = points, report.quarter
    _, not_adopted, quarter_cap, cap = wp.info
    total, per_quarter = 0, [0, 0, 0, 0, 0]
    for rid, points in best.items():
        if points >= 0:
            total += points
        else:
            per_quarter[quarter_of[rid]] += not_adopted
    for amount in per_quarter:
        total += amount if amount < quarter_cap else quarter_cap
    return total if total < cap else cap


def _key_work(facts: WindowFacts, wp: WindowPlan, plan: Plan) -> Ratio | None:
    kn, kd = 0, 1
    for item in facts.key_work:
        m = mean_k(item.scores, wp.key_low, wp.key_high, plan.step, plan.k, plan.step_places)
        if m is None:
            return None
        kn, kd = kn * m[1] + m[0] * kd, kd * m[1]
    return _cap(kn, kd, wp.key_work_cap)


def _fixed_bonus(facts: WindowFacts, wp: WindowPlan) -> int:
    cases, case = facts.case_volume, 0
    for lower, points in wp.bands:
        if cases >= lower:
            case = points
    leaders = 0
    for visit in facts.leader_visits:
        if not visit.hundred_directors:
            leaders += wp.leaders[visit.leader]
    return case + _honours(facts, wp) + _information(facts, wp) + min(leaders, wp.leaders_cap)


def window_total(facts: WindowFacts, wp: WindowPlan, plan: Plan) -> Ratio | None:
    if facts.satisfaction.votes < plan.survey_min:
        return None
    accidents = facts.accidents
    if accidents and plan.rules.serious_accident_holds and any(a.serious for a in accidents):
        return None
    key_work = _key_work(facts, wp, plan) if facts.key_work else (0, 1)
    if key_work is None:
        return None
    kn, kd = key_work
    fixed = max(0, wp.safety[0] - wp.safety[1] * len(accidents))
    fixed += max(0, wp.staffing[0] - wp.staffing[1] * facts.staffing_violations)
    bn, bd = _cap(_fixed_bonus(facts, wp) * kd + kn, kd, wp.bonus_max)
    rn, rd = tally_k(facts.recipient_ratings, plan, wp.recipients_max)
    sn, sd = tally_k(facts.satisfaction, plan, wp.satisfaction_max)
    if bd == 1:
        return (fixed + bn) * rd * sd + rn * sd + sn * rd, rd * sd
    den = bd * rd * sd
    return fixed * den + bn * rd * sd + rn * bd * sd + sn * bd * rd, den


@dataclass(frozen=True)
class HallPlan:
    pts: dict[str, int]
    innovation: dict[str, int]
    media: dict[str, int]
    sections: dict[str, int]
    pilot: Decimal

    @classmethod
    def build(cls, spec: Award, plan: Plan) -> HallPlan:
        pts = spec.points
        assert isinstance(pts, HallPoints)
        scalars = {n: plan.int_k(v) for n, v in vars(pts).items() if not isinstance(v, dict)}
        return cls(scalars, {lv: plan.int_k(p) for lv, p in pts.innovation_points.items()},
                   {lv: plan.int_k(p) for lv, p in pts.media_points.items()},
                   {s.key: plan.int_k(s.maximum) for s in spec.sections},
                   plan.rules.pilot_reform_points)


def _prop(maximum: int, value: Decimal, best: Decimal) -> Ratio:
    if best <= 0:
        return 0, 1
    a, b = value.as_integer_ratio()
    c, d = best.as_integer_ratio()
    return _cap(maximum * a * d, b * c, maximum)


def _levels(items: tuple, points: dict[str, int], cap: int) -> int:
    best: dict[str, int] = {}
    for item in items:
        key = " ".join(item.content.split())
        best[key] = max(best.get(key, 0), points[item.level])
    return min(sum(best.values()), cap)


def hall_total(facts: HallFacts, hp: HallPlan, bests: HallBests, plan: Plan) -> Ratio | None:
    if facts.satisfaction.votes < plan.survey_min:
        return None
    p, per = hp.pts, hp.pts["per_shortfall"]
    pilot = (0, 1)
    if facts.pilot_reform.scores:
        top = hp.pilot
        if any(v is None or (v != 0 and v != top) for _, v in facts.pilot_reform.scores):
            return None
        pilot = mean_k(facts.pilot_reform, Decimal(0), top, None, plan.k)  # type: ignore[assignment]
    on_n, on_d = _prop(p["onboarding_max"], facts.onboarding_rate, bests.onboarding_rate)
    gu_n, gu_d = _prop(p["guide_max"], facts.guide_accuracy, bests.guide_accuracy)
    reform = _cap(on_n + on_d * (max(0, p["functions_max"] - per * facts.function_zones_missing)
                                 + max(0, p["one_window_max"] - per * facts.one_window_shortfalls)),
                  on_d, hp.sections["reform"])
    fixed_kw = (max(0, p["epidemic_max"] - per * facts.epidemic_shortfalls)
                + max(0, p["resumption_max"] - per * facts.resumption_shortfalls)
                + min(p["utility_each"] * len(facts.utility_windows), p["utilities_cap"]))
    key_work = _cap(gu_n + gu_d * fixed_kw, gu_d, hp.sections["key_work"])
    service = min(sum(max(0, p["service_item_max"] - per * f) for f in facts.service_findings),
                  hp.sections["service"])
    inno = (_levels(facts.innovations, hp.innovation, p["innovations_cap"])
            + _levels(facts.media_reports, hp.media, p["media_cap"]))
    innovation = _cap(inno * pilot[1] + pilot[0], pilot[1], hp.sections["innovation"])
    sn, sd = tally_k(facts.satisfaction, plan, hp.sections["satisfaction"])
    parts = (reform, key_work, (service, 1), innovation, (sn, sd))
    num, den = 0, 1
    for n, d in parts:
        num, den = num * d + n * den, den * d
    return num, den
