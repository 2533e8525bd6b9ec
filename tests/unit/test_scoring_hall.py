"""Service-hall competition: RULES.md §4 item by item, proportional items over a round."""

from fractions import Fraction

import pytest
from _scoring_builders import hall, line_points, nomination, sheet

from awardbot.scoring import (
    HELD_BACK,
    NOT_SHORTLISTED,
    TIE_AT_CUT,
    TIER,
    Rules,
    hall_bests,
    parse_facts,
    score_round,
    score_sheet,
)

F = Fraction

H = "hall"


def test_proportional_items_use_the_best_hall_of_the_round():
    a = nomination("a", H, hall(onboarding_rate=80, guide_accuracy=90))
    b = nomination("b", H, hall(onboarding_rate=96, guide_accuracy=99))
    result = score_round([a, b])
    assert line_points(result.sheets["a"], "onboarding") == F(5 * 80, 96)
    assert line_points(result.sheets["b"], "onboarding") == 5
    assert line_points(result.sheets["a"], "guide") == F(5 * 90, 99)
    assert line_points(result.sheets["b"], "guide") == 5
    bests = hall_bests([a.facts, b.facts])
    assert score_sheet(H, a.facts, Rules(), bests=bests).total == result.sheets["a"].total


def test_proportional_with_all_zero_rates_is_zero():
    s = sheet(H, hall(onboarding_rate=0, guide_accuracy=0))
    assert line_points(s, "onboarding") == line_points(s, "guide") == 0


@pytest.mark.parametrize(("key", "item", "count", "points", "cut"), [
    ("function_zones_missing", "functions", 0, 5, None),
    ("function_zones_missing", "functions", 2, 3, None),
    ("function_zones_missing", "functions", 7, 0, "floor"),
    ("one_window_shortfalls", "one_window", 3, 7, None),
    ("one_window_shortfalls", "one_window", 11, 0, "floor"),
    ("epidemic_shortfalls", "epidemic", 1, 4, None),
    ("epidemic_shortfalls", "epidemic", 6, 0, "floor"),
    ("resumption_shortfalls", "resumption", 5, 0, None),
])
def test_minus_one_per_shortfall_with_floor(key, item, count, points, cut):
    s = sheet(H, hall(**{key: count}))
    assert line_points(s, item) == points
    assert next(ln for sec in s.sections for ln in sec.lines if ln.item == item).cut == cut


@pytest.mark.parametrize(("utilities", "points"), [
    ([], 0), (["water"], 1), (["water", "power", "gas", "telecom"], 4),
    (["water", "water"], 1), (list("abcdefg"), 5),
])
def test_utilities_plus_one_each_cap_5(utilities, points):
    assert line_points(sheet(H, hall(utility_windows=utilities)), "utilities") == points


@pytest.mark.parametrize(("findings", "section"), [
    ({}, 25), ({"attitude": 1}, 24), ({"discipline": 7}, 20),
    (dict.fromkeys(("efficiency", "procedures", "attitude", "discipline", "facilities"), 2), 15),
])
def test_service_minus_one_per_finding(findings, section):
    assert sheet(H, hall(service_findings=findings)).section("service").points == section


def _rec(content, level):
    return {"content": content, "level": level}


@pytest.mark.parametrize(("items", "points"), [
    ([_rec("a", "national")], 2), ([_rec("a", "provincial")], 1),
    ([_rec("a", "city")], F(1, 2)),
    ([_rec("a", "city"), _rec("a", "national")], 2),  # same content once, highest level
    ([_rec("a b", "provincial"), _rec("a  b", "national")], 2),  # whitespace-insensitive
    ([_rec(x, "national") for x in "abc"], 5),  # cap 5
])
def test_innovations(items, points):
    assert line_points(sheet(H, hall(innovations=items)), "innovations") == points


@pytest.mark.parametrize(("items", "points"), [
    ([_rec("a", "national")], 2), ([_rec("a", "provincial"), _rec("a", "national")], 2),
    ([_rec("a", "provincial"), _rec("b", "provincial")], 2),
    ([_rec(x, "national") for x in "abc"], 5),
])
def test_media_reports(items, points):
    assert line_points(sheet(H, hall(media_reports=items)), "media") == points


@pytest.mark.parametrize(("scores", "points", "problem"), [
    ({}, 0, None), ({"m1": 5, "m2": 5}, 5, None), ({"m1": 5, "m2": 0}, F(5, 2), None),
    ({"m1": 5, "m2": 0, "m3": 0}, F(5, 3), None), ({"m1": 3}, 0, "score_not_allowed"),
    ({"m1": 5, "m2": None}, 5, "score_missing"),
])
def test_pilot_reform_zero_or_five(scores, points, problem):
    s = sheet(H, hall(pilot_reform=scores))
    assert line_points(s, "pilot_reform") == points
    assert [p.code for p in s.problems] == ([problem] if problem else [])


def test_section_maxima_and_total():
    s = sheet(H, hall(utility_windows=list("abcde"), innovations=[_rec("x", "national")] * 1,
                      pilot_reform={"m1": 5}))
    assert [sec.points for sec in s.sections] == [20, 20, 25, 7, 20]
    assert s.total == 92


def _halls(n, same_from=None):
    """Distinct totals (or exactly equal from ``same_from`` on), all submitted at once."""
    out = []
    for i in range(n):
        rate = 100 - (i if same_from is None or i < same_from else same_from)
        out.append(nomination(f"h{i:02d}", H, hall(onboarding_rate=rate), minutes=0))
    return out


def test_hall_tiers_8_then_16():
    ranking = score_round(_halls(30)).rankings[H]
    outcomes = [(e.outcome, e.tier) for e in ranking.entries]
    assert outcomes[:8] == [(TIER, "zuimei_hall")] * 8
    assert outcomes[8:24] == [(TIER, "youxiu_hall")] * 16
    assert outcomes[24:] == [(NOT_SHORTLISTED, None)] * 6
    custom = score_round(_halls(30), Rules(most_beautiful_quota=5)).rankings[H]
    assert sum(1 for e in custom.entries if e.tier == "zuimei_hall") == 5
    assert sum(1 for e in custom.entries if e.tier == "youxiu_hall") == 19


def test_tie_straddling_the_tier_line_is_reported():
    halls = _halls(12, same_from=6)  # h06..h11 tie exactly (same totals and same time)
    ranking = score_round(halls).rankings[H]
    by_id = {e.nomination_id: e for e in ranking.entries}
    assert [by_id[f"h{i:02d}"].tier for i in range(6)] == ["zuimei_hall"] * 6
    assert {by_id[f"h{i:02d}"].outcome for i in range(6, 12)} == {TIE_AT_CUT}
    assert {by_id[f"h{i:02d}"].rank for i in range(6, 12)} == {7}


def test_incomplete_hall_is_held_back():
    halls = [*_halls(3), nomination("late", H, hall(satisfaction={"satisfied": 2}))]
    ranking = score_round(halls).rankings[H]
    held = ranking.with_outcome(HELD_BACK)
    assert [e.nomination_id for e in held] == ["late"]
    assert held[0].rank is None
    assert held[0].reasons[0].code == "survey_incomplete"


def test_parse_rejects_rates_out_of_range():
    with pytest.raises(Exception, match=r"^onboarding_rate: must be a number between 0 and 100"):
        parse_facts(H, hall(onboarding_rate=101))
