"""Property tests: bounds, sums, monotone bonus inputs, fast path = full sheet."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awardbot.scoring import (
    FastScorer,
    HallBests,
    Rules,
    default_catalogue,
    hall_bests,
    score_sheet,
)
from awardbot.scoring.facts import (
    ACCIDENT_KINDS,
    ADOPTERS,
    HONOUR_ISSUERS,
    KEY_WORK_KINDS,
    Accident,
    GradeFacts,
    HallFacts,
    Honour,
    Judged,
    KeyWorkItem,
    LeaderVisit,
    Recognition,
    Report,
    StaffFacts,
    Tally,
    WindowFacts,
)
from awardbot.scoring.points import HONOUR_LEVELS, INNOVATION_LEVELS, MEDIA_LEVELS

RULES = Rules()
CAT = default_catalogue()
NO_HALLS = HallBests()
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

tenths = st.integers(min_value=-5, max_value=215).map(lambda n: Decimal(n) / 10)
members = st.sampled_from(["m1", "m2", "m3", "m4", "m5"])


def judged(values=tenths):
    return st.builds(
        lambda scores, recused: Judged(tuple(scores.items()), tuple(recused)),
        st.dictionaries(members, st.one_of(st.none(), values) | values, max_size=5),
        st.lists(st.sampled_from(["r1", "r2"]), max_size=2, unique=True),
    )


valid_judged = lambda low, high: st.builds(  # noqa: E731
    lambda scores: Judged(tuple(scores.items())),
    st.dictionaries(members, st.integers(low * 10, high * 10).map(lambda n: Decimal(n) / 10),
                    min_size=1, max_size=5))

tallies = st.builds(lambda c: Tally(tuple(c)),
                    st.lists(st.integers(0, 40), min_size=5, max_size=5))
honours = st.builds(Honour, st.just("t"), st.sampled_from(HONOUR_LEVELS),
                    st.sampled_from(HONOUR_ISSUERS))
reports = st.builds(Report, st.sampled_from(list("abcdefgh")), st.integers(1, 4),
                    st.frozensets(st.sampled_from(ADOPTERS), max_size=3))
visits = st.builds(LeaderVisit, st.sampled_from(["in_charge", "principal"]), st.booleans())
key_work = st.builds(KeyWorkItem, st.sampled_from(KEY_WORK_KINDS), st.just("k"),
                     judged(st.sampled_from([Decimal(v) for v in
                                             ("0.5", "1", "1.2", "1.5", "2", "2.5", "1.25")])))

windows = st.builds(
    WindowFacts,
    accidents=st.lists(st.builds(Accident, st.sampled_from(ACCIDENT_KINDS), st.booleans()),
                       max_size=3).map(tuple),
    staffing_violations=st.integers(0, 8), recipient_ratings=tallies,
    case_volume=st.integers(0, 20000), honours=st.lists(honours, max_size=5).map(tuple),
    reports=st.lists(reports, max_size=10).map(tuple),
    leader_visits=st.lists(visits, max_size=5).map(tuple),
    key_work=st.lists(key_work, max_size=7).map(tuple), satisfaction=tallies,
)
rates = st.integers(0, 1000).map(lambda n: Decimal(n) / 10)
recs = lambda levels: st.lists(st.builds(  # noqa: E731
    Recognition, st.sampled_from(["a", "b", "c", "a "]), st.sampled_from(levels)),
    max_size=5).map(tuple)
halls = st.builds(
    HallFacts, onboarding_rate=rates, function_zones_missing=st.integers(0, 7),
    one_window_shortfalls=st.integers(0, 12), epidemic_shortfalls=st.integers(0, 7),
    guide_accuracy=rates, resumption_shortfalls=st.integers(0, 7),
    utility_windows=st.frozensets(st.sampled_from(list("abcdefg"))),
    service_findings=st.lists(st.integers(0, 7), min_size=5, max_size=5).map(tuple),
    innovations=recs(INNOVATION_LEVELS), media_reports=recs(MEDIA_LEVELS),
    pilot_reform=judged(st.sampled_from([Decimal(0), Decimal(5), Decimal(3)])),
    satisfaction=tallies,
)
staffs = st.builds(StaffFacts, st.tuples(judged(), judged(), judged(), judged()), tallies)
grades = st.builds(GradeFacts, st.just((1,)), judged())


def _check_bounds(sheet, maximum_total=100):
    for sec in sheet.sections:
        assert 0 <= sec.points <= sec.maximum
        assert sec.points == sum(ln.points for ln in sec.lines)
    assert 0 <= sheet.total <= maximum_total
    assert sheet.total == sum(ln.points for sec in sheet.sections for ln in sec.lines)


def _check_fast(award, facts, sheet, bests=NO_HALLS):
    scorer = FastScorer(RULES, CAT, bests)
    result = scorer.total(award, facts)
    if sheet.rankable:
        assert result is not None
        assert Fraction(result[0], result[1] * scorer.plan.k) == sheet.total
    else:
        assert result is None


@SETTINGS
@given(windows)
def test_window_sheet_properties(facts):
    sheet = score_sheet("zuimei_window", facts, RULES)
    _check_bounds(sheet)
    _check_fast("zuimei_window", facts, sheet)


@SETTINGS
@given(st.lists(halls, min_size=1, max_size=4))
def test_hall_sheet_properties(round_halls):
    bests = hall_bests(round_halls)
    for facts in round_halls:
        sheet = score_sheet("hall", facts, RULES, bests=bests)
        _check_bounds(sheet)
        _check_fast("hall", facts, sheet, bests)


@SETTINGS
@given(staffs)
def test_staff_sheet_properties(facts):
    sheet = score_sheet("zuimei_staff", facts, RULES)
    _check_bounds(sheet)
    _check_fast("zuimei_staff", facts, sheet)


@SETTINGS
@given(grades)
def test_grade_sheet_properties(facts):
    sheet = score_sheet("ruzi_niu", facts, RULES)
    _check_bounds(sheet, maximum_total=10)
    _check_fast("ruzi_niu", facts, sheet)


def _bonus(facts):
    return score_sheet("zuimei_window", facts, RULES).section("bonus").points


@SETTINGS
@given(windows, st.integers(0, 20000), honours, reports, visits,
       st.builds(KeyWorkItem, st.sampled_from(KEY_WORK_KINDS), st.just("k"),
                 valid_judged(1, 2)))
def test_bonus_inputs_are_monotone(facts, more_cases, honour, report, visit, item):
    base = _bonus(facts)
    assert _bonus(replace(facts, case_volume=facts.case_volume + more_cases)) >= base
    assert _bonus(replace(facts, honours=(*facts.honours, honour))) >= base
    fresh = replace(report, id="new-" + report.id)
    assert _bonus(replace(facts, reports=(*facts.reports, fresh))) >= base
    assert _bonus(replace(facts, leader_visits=(*facts.leader_visits, visit))) >= base
    assert _bonus(replace(facts, key_work=(*facts.key_work, item))) >= base


@SETTINGS
@given(windows, st.integers(1, 3))
def test_more_deductions_never_raise_the_total(facts, extra):
    sheet = score_sheet("zuimei_window", facts, RULES)
    worse = replace(facts, staffing_violations=facts.staffing_violations + extra,
                    accidents=(*facts.accidents, Accident("theft")))
    assert score_sheet("zuimei_window", worse, RULES).total <= sheet.total
