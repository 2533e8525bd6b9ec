"""最美政务窗口: one parametrised case per rule line of RULES.md §3."""

import dataclasses
from fractions import Fraction

import pytest
from _scoring_builders import line_points, sheet, tally, window

from awardbot.scoring import Rules, default_catalogue, parse_facts, score_sheet
from awardbot.scoring.points import WindowPoints

F = Fraction

W = "zuimei_window"


@pytest.mark.parametrize(("cases", "points"), [
    (0, F(0)), (1499, F(0)), (1500, F(3, 10)), (4999, F(3, 10)), (5000, F(1, 2)),
    (9999, F(1, 2)), (10000, F(1)), (250000, F(1)),
])
def test_case_volume_bands(cases, points):
    assert line_points(sheet(W, window(case_volume=cases)), "case_volume") == points


@pytest.mark.parametrize(("accidents", "points", "cut"), [
    (0, 20, None), (1, 10, None), (2, 0, None), (3, 0, "floor"),
])
def test_safety_minus_10_per_accident_floor_0(accidents, points, cut):
    s = sheet(W, window(accidents=[{"kind": "fire"}] * accidents))
    assert s.section("safety").points == points
    assert s.section("safety").lines[0].cut == cut
    assert not s.holds


def test_serious_accident_costs_points_and_holds_back():
    s = sheet(W, window(accidents=[{"kind": "electric_shock", "serious": True}]))
    assert s.section("safety").points == 10
    assert [m.code for m in s.holds] == ["serious_accident"]
    assert s.complete
    assert not s.rankable
    assert "另行处理" in s.holds[0].render("zh")
    relaxed = sheet(W, window(accidents=[{"kind": "fire", "serious": True}]),
                    Rules(serious_accident_holds=False))
    assert relaxed.rankable


@pytest.mark.parametrize(("violations", "points"), [(0, 20), (1, 16), (4, 4), (5, 0), (9, 0)])
def test_staffing_minus_4_per_person_violation_floor_0(violations, points):
    assert sheet(W, window(staffing_violations=violations)).section("staffing").points == points


@pytest.mark.parametrize(("level", "points"), [
    ("very_satisfied", 20), ("satisfied", 18), ("fairly_satisfied", 15), ("average", 10),
    ("dissatisfied", 0),
])
def test_ratings_mapping(level, points):
    assert sheet(W, window(recipient_ratings={level: 3})).section("recipients").points == points


def test_recipient_ratings_mean_is_exact():
    s = sheet(W, window(recipient_ratings={"very_satisfied": 1, "satisfied": 2}))
    assert s.section("recipients").points == F(56, 3)
    s = sheet(W, window(recipient_ratings={"satisfied": 3, "fairly_satisfied": 1}))
    assert s.section("recipients").points == F(69, 4)  # 17.25
    assert sheet(W, window()).section("recipients").points == 0  # no ratings collected


def _honour(level, issuer="other"):
    return {"title": "t", "level": level, "issuer": issuer}


@pytest.mark.parametrize(("honours", "points", "cut"), [
    ([_honour("county")], 1, None),
    ([_honour("municipal")], 3, None),
    ([_honour("provincial")], 5, None),
    ([_honour("provincial", "line_department")], 3, None),
    ([_honour("municipal", "line_department")], 1, None),
    ([_honour("county", "line_department")], 0, None),
    ([_honour("provincial", "bureau")], 0, None),
    ([_honour("municipal", "own_department")], 0, None),
    ([_honour("municipal"), _honour("county")], 4, None),
    ([_honour("municipal"), _honour("municipal")], 5, "cap"),
    ([_honour("provincial")] * 3, 5, "cap"),
])
def test_honours_levels_downgrade_exclusions_cap(honours, points, cut):
    s = sheet(W, window(honours=honours))
    assert line_points(s, "honours") == points
    assert s.section("bonus").lines[1].cut == cut


def _report(rid, quarter=1, *adopted):
    return {"id": rid, "quarter": quarter, "adopted_by": list(adopted)}


@pytest.mark.parametrize(("reports", "points"), [
    ([_report("a", 1, "bureau")], F(1, 2)),
    ([_report("a", 1)], F(1, 10)),
    ([_report(str(i), 1) for i in range(5)], F(1, 2)),
    ([_report(str(i), 1) for i in range(6)], F(1, 2)),  # quarterly cap 0.5
    ([_report(str(i), 1 + i % 2) for i in range(12)], F(1)),  # 0.5 in each of two quarters
    ([_report("a", 1, "kunshan")], F(1)),
    ([_report("a", 1, "suzhou")], F(3, 2)),
    ([_report("a", 1, "provincial")], F(2)),
    ([_report("a", 1, "bureau", "suzhou")], F(3, 2)),  # same report once, highest level
    ([_report("a", 1, "kunshan"), _report("a", 2, "provincial")], F(2)),  # same id merged
    ([_report("a", 1), _report("a", 1, "bureau")], F(1, 2)),  # later adopted: not also 0.1
    ([_report("a", 1, "provincial"), _report("b", 1, "suzhou")], F(5, 2)),
    ([_report(x, 1, "provincial") for x in "abc"], F(5, 2)),  # cap 2.5
])
def test_information(reports, points):
    assert line_points(sheet(W, window(reports=reports)), "information") == points


def test_information_quarter_cap_follows_rules():
    reports = [_report(str(i), 1) for i in range(10)]
    s = sheet(W, window(reports=reports), Rules(info_not_adopted_quarter_cap=1))
    assert line_points(s, "information") == 1


@pytest.mark.parametrize(("visits", "points"), [
    ([{"leader": "in_charge"}], F(1, 2)),
    ([{"leader": "principal"}], F(1)),
    ([{"leader": "principal", "hundred_directors": True}], F(0)),
    ([{"leader": "in_charge"}, {"leader": "principal"}], F(3, 2)),
    ([{"leader": "principal"}] * 3, F(3, 2)),  # cap 1.5
    ([{"leader": "in_charge", "hundred_directors": True}] * 4 + [{"leader": "in_charge"}],
     F(1, 2)),
])
def test_leader_visits(visits, points):
    assert line_points(sheet(W, window(leader_visits=visits)), "leaders") == points


def _kw(*scores):
    return {"kind": "yijianshi", "title": "t",
            "scores": {f"m{i}": s for i, s in enumerate(scores)}}


@pytest.mark.parametrize(("items", "points"), [
    ([_kw(1, 2)], F(3, 2)),
    ([_kw(2, 2, "recused")], F(2)),
    ([_kw(1.5, 2, 2)], F(11, 6)),
    ([_kw(2, 2)] * 5, F(10)),
    ([_kw(2, 2)] * 6, F(10)),  # cap 10
])
def test_key_work(items, points):
    assert line_points(sheet(W, window(key_work=items)), "key_work") == points


@pytest.mark.parametrize(("scores", "code"), [
    ((2, None), "score_missing"), ((2, 2.5), "score_out_of_range"),
    ((0.5,), "score_out_of_range"), ((1.55,), "score_off_step"), (("recused",), "no_scores"),
])
def test_key_work_problems_are_reported_not_zeroed(scores, code):
    s = sheet(W, window(key_work=[_kw(*scores)]))
    assert code in [p.code for p in s.problems]
    assert not s.complete
    assert s.section("bonus").incomplete


def test_bonus_section_cap_20():
    s = sheet(W, window(case_volume=10000, honours=[_honour("provincial")] * 2,
                        reports=[_report(x, 1, "provincial") for x in "abc"],
                        leader_visits=[{"leader": "principal"}] * 2, key_work=[_kw(2)] * 6))
    bonus = s.section("bonus")
    assert sum(ln.points for ln in bonus.lines[:5]) == 20
    assert bonus.points == 20


def test_bonus_cap_line_when_items_exceed_20():
    # with the regulation's caps the five items sum to at most 20; a catalogue with a
    # larger key-work cap shows the section-cap line
    cat = default_catalogue()
    pts = cat.award(W).points
    assert isinstance(pts, WindowPoints)
    bigger = dataclasses.replace(pts, key_work_cap=F(15))
    award = dataclasses.replace(cat.award(W), points=bigger)
    cat2 = dataclasses.replace(cat, awards={**cat.awards, W: award})
    facts = parse_facts(W, window(case_volume=10000, honours=[_honour("provincial")],
                                  key_work=[_kw(2)] * 8))
    s = score_sheet(W, facts, Rules(), cat2)
    bonus = s.section("bonus")
    assert bonus.points == 20
    assert bonus.lines[-1].item == "cap"
    assert bonus.lines[-1].points == -1  # 1 + 5 + 15 = 21


def test_satisfaction_survey_minimum_votes():
    s = sheet(W, {"satisfaction": tally(9)})
    assert [p.code for p in s.problems] == ["survey_incomplete"]
    assert s.section("satisfaction").incomplete
    assert "9 票" in s.problems[0].render("zh")
    assert sheet(W, {"satisfaction": tally(10)}).complete
    assert sheet(W, {"satisfaction": tally(9)}, Rules(survey_min_votes=5)).complete


def test_full_sheet_total_render_and_json():
    s = sheet(W, window(
        accidents=[{"kind": "theft"}], staffing_violations=1,
        recipient_ratings={"very_satisfied": 3, "satisfied": 1},
        case_volume=5230, honours=[_honour("provincial"), _honour("municipal", "line_department")],
        reports=[_report("a", 2, "bureau", "suzhou"), _report("b", 3)],
        leader_visits=[{"leader": "principal"}, {"leader": "in_charge", "hundred_directors": True}],
        key_work=[_kw(2, 1.5)], satisfaction={"very_satisfied": 10, "satisfied": 2}))
    # 10 + 16 + 19.5 + (0.5 + 5 + 1.6 + 1 + 1.75) + (236/12)
    assert s.total == F(10 + 16) + F(39, 2) + F(197, 20) + F(59, 3)
    assert s.total == sum(sec.points for sec in s.sections)
    text = s.render("zh")
    assert "最美政务窗口" in text
    assert "合计：" in text
    assert "封顶" in text
    assert "Total: " in s.render("en")
    data = s.to_dict()
    assert data["total"] == "75.02"
    assert data["exact_total"] == str(s.total)
    assert [x["key"] for x in data["sections"]] == [
        "safety", "staffing", "recipients", "bonus", "satisfaction"]
