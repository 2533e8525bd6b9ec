from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from awardbot.scoring import Month, Period, PersonRecord, Rules, check_person, check_unit
from awardbot.scoring.eligibility import anniversary, window_average

F = Fraction
D = Decimal

Q4 = Period.parse("2026Q4")
Y = Period.parse("2026")
WINDOW = PersonRecord(is_window_staff=True, unit_kind="window", service_start=date(2020, 1, 1))


def _months(*scores, year=2026, first=10):
    return [(Month(year, first + i), D(str(s))) for i, s in enumerate(scores)]


def test_period_parse():
    assert (Q4.start, Q4.end, len(Q4.months)) == (date(2026, 10, 1), date(2026, 12, 31), 3)
    assert (Y.start, Y.end, len(Y.months), Y.cycle) == (date(2026, 1, 1), date(2026, 12, 31),
                                                         12, "annual")
    assert Period.parse("2026q1").end == date(2026, 3, 31)
    assert str(Q4) == "2026Q4"
    with pytest.raises(ValueError, match="2026Q4"):
        Period.parse("2026Q5")


def test_window_gate_below_threshold_message():
    result = check_person("ruzi_niu", WINDOW, _months(85, 90), Q4, Rules())
    assert not result.ok
    assert result.reasons[0].render("zh") == "窗口考核月均 87.5 分，未达 90 分"
    assert result.reasons[0].render("en") == "window assessment monthly average 87.5, below 90"
    assert result.reasons[0].code == "window_gate_below"


def test_window_gate_counts_only_the_period_months():
    scores = _months(60, 60, first=7) + _months(90, 91, 92)
    assert check_person("ruzi_niu", WINDOW, scores, Q4, Rules()).ok
    assert not check_person("ruzi_niu", WINDOW, scores, Period.parse("2026Q3"), Rules()).ok


@pytest.mark.parametrize(("scores", "ok"), [((90, 90, 90), True), ((89.9, 90, 90), False),
                                            ((100, 80), True)])
def test_window_gate_threshold_inclusive(scores, ok):
    assert check_person("tuohuang_niu", WINDOW, _months(*scores), Q4, Rules()).ok is ok


def test_not_assessed_is_not_eligible():
    result = check_person("ruzi_niu", WINDOW, [], Q4, Rules())
    assert not result.ok
    assert result.reasons[0].code == "window_gate_not_assessed"
    assert "2026Q4" in result.reasons[0].render("en")


def test_non_window_staff_not_subject():
    person = PersonRecord(False, "section", date(2020, 1, 1))
    result = check_person("ruzi_niu", person, [], Q4, Rules())
    assert result.ok
    assert result.notes[0].code == "window_gate_exempt"


@pytest.mark.parametrize(("start", "closing", "ok"), [
    (date(2025, 12, 31), date(2026, 12, 31), True),   # exactly one year: inclusive
    (date(2026, 1, 1), date(2026, 12, 31), False),
    (date(2024, 2, 29), date(2025, 2, 28), True),
    (date(2024, 2, 29), date(2025, 2, 27), False),
])
def test_service_years(start, closing, ok):
    person = PersonRecord(False, "section", start)
    result = check_person("zuimei_staff", person, [], Y, Rules(), closing=closing)
    assert result.ok is ok
    if not ok:
        assert result.reasons[0].code == "service_too_short"
        assert "1 年" in result.reasons[0].render("zh")


def test_service_start_unknown_and_default_closing():
    result = check_person("zuimei_staff", PersonRecord(False, "bureau"), [], Y, Rules())
    assert [r.code for r in result.reasons] == ["service_start_unknown"]
    recent = PersonRecord(False, "bureau", date(2026, 6, 1))
    assert not check_person("zuimei_staff", recent, [], Y, Rules()).ok
    assert not check_person("zuimei_staff", recent, [], Y, Rules(min_service_years=1)).ok
    assert check_person("zuimei_staff", recent, [], Y, Rules(min_service_years=0)).ok


def test_sanniu_has_no_service_requirement():
    new = PersonRecord(False, "institution", date(2026, 11, 1))
    assert check_person("laohuang_niu", new, [], Q4, Rules()).ok


@pytest.mark.parametrize(("award", "kind", "ok"), [
    ("ruzi_niu", "window", True), ("ruzi_niu", "subcentre", True),
    ("ruzi_niu", "bureau", False), ("ruzi_niu", "hall", False),
    ("zuimei_staff", "bureau", True), ("zuimei_staff", "hall", True),
])
def test_unit_kinds_for_person_awards(award, kind, ok):
    person = PersonRecord(False, kind, date(2000, 1, 1))
    result = check_person(award, person, [], Y, Rules())
    assert result.ok is ok
    if not ok:
        assert result.reasons[0].code == "unit_kind_not_eligible"


def test_window_average_weighted_by_assessed_months():
    # a: 12 months at 92, b: joined in October, 3 months at 84 → (1104 + 252) / 15 = 90.4
    staff = {"a": _months(*[92] * 12, first=1), "b": _months(84, 84, 84)}
    assert window_average(staff, Y) == F(1356, 15)
    assert check_unit("zuimei_window", "window", Y, Rules(), staff).ok
    staff["b"] = _months(80, 80, 80)  # (1104 + 240) / 15 = 89.6
    result = check_unit("zuimei_window", "window", Y, Rules(), staff)
    assert not result.ok
    assert result.reasons[0].render("en") == (
        "window staff-weighted monthly average 89.6, below 90")


def test_window_average_messages():
    staff = {"a": _months(*[92] * 12, first=1), "b": _months(*[80] * 12, first=1)}
    result = check_unit("zuimei_window", "window", Y, Rules(), staff)
    assert not result.ok
    assert result.reasons[0].render("zh") == "窗口人员加权月均 86 分，未达 90 分"
    empty = check_unit("zuimei_window", "window", Y, Rules(), {"a": []})
    assert empty.reasons[0].code == "window_not_assessed"


def test_unit_kinds_for_collective_awards():
    assert check_unit("hall", "hall", Y, Rules()).ok
    assert check_unit("hall", "subcentre", Y, Rules()).ok
    assert [r.code for r in check_unit("hall", "window", Y, Rules()).reasons] == [
        "unit_kind_not_eligible"]
    assert [r.code for r in check_unit("ruzi_niu", "window", Y, Rules()).reasons] == [
        "subject_mismatch"]


def test_anniversary():
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
