from dataclasses import fields
from datetime import time
from decimal import Decimal

import pytest

from awardbot.scoring import Rules, RulesError, default_catalogue
from awardbot.scoring.rules import _READERS


def test_defaults_are_the_documented_decisions():
    r = Rules()
    assert dict(r.sanniu_split) == {"ruzi_niu": 30, "tuohuang_niu": 30, "laohuang_niu": 30}
    assert (r.sanniu_total, r.sanniu_move_unused) == (90, False)
    assert (r.zuimei_staff_quota, r.zuimei_window_quota, r.hall_total) == (80, 12, 24)
    assert r.most_beautiful_quota == 8
    assert (r.grade_min, r.grade_max) == (0, 10)
    assert dict(r.info_external_points) == {
        "kunshan": 1, "suzhou": Decimal("1.5"), "provincial": 2}
    assert r.info_not_adopted_quarter_cap == Decimal("0.5")
    assert list(r.rating_points.values()) == [20, 18, 15, 10, 0]
    assert r.survey_min_votes == 10
    assert r.office_hours_end == time(17, 30)
    assert r.timezone == "Asia/Shanghai"
    assert r.window_gate_threshold == r.window_unit_threshold == 90
    assert r.min_service_years == 1


def test_every_field_has_a_reader():
    assert {f.name for f in fields(Rules)} == set(_READERS)


def test_from_mapping_overrides_and_merges_tables():
    r = Rules.from_mapping({
        "sanniu_total": 100, "sanniu_split": {"ruzi_niu": 40},
        "info_external_points": {"suzhou": 1.25}, "office_hours_end": "18:00",
        "sanniu_move_unused": True,
    })
    assert dict(r.sanniu_split) == {"ruzi_niu": 40, "tuohuang_niu": 30, "laohuang_niu": 30}
    assert r.info_external_points["suzhou"] == Decimal("1.25")
    assert r.info_external_points["kunshan"] == 1
    assert r.office_hours_end == time(18, 0)
    assert r.sanniu_move_unused


@pytest.mark.parametrize(("data", "message"), [
    ({"sanniu_split": {"ruzi_niu": -1}}, "rules.sanniu_split.ruzi_niu: must be a whole number ≥ 0"),
    ({"sanniu_split": {"ruzi_niu": 1.5}}, "rules.sanniu_split.ruzi_niu: must be a whole number"),
    ({"sanniu_split": {"niu": 1}}, "rules.sanniu_split.niu: unknown key"),
    ({"sanniu_split": {"ruzi_niu": 40}}, "rules.sanniu_split: the sanniu split sums to 100"),
    ({"sanniu_total": 80}, "rules.sanniu_total: the sanniu split sums to 90"),
    ({"bogus": 1}, "rules.bogus: unknown setting"),
    ({"survey_min_votes": "10"}, "rules.survey_min_votes: must be a whole number"),
    ({"survey_min_votes": True}, "rules.survey_min_votes: must be a whole number"),
    ({"window_gate_threshold": 101}, "rules.window_gate_threshold: must be a number between"),
    ({"most_beautiful_quota": 25}, "rules.most_beautiful_quota: must not exceed hall_total"),
    ({"grade_max": 0}, "rules.grade_max: must be greater than grade_min"),
    ({"office_hours_end": "5pm"}, "rules.office_hours_end: must be a time"),
    ({"office_hours_end": "25:00"}, "rules.office_hours_end: must be a time"),
    ({"timezone": "Mars/Olympus"}, "rules.timezone: unknown time zone"),
    ({"judged_step": 0.3}, "rules.judged_step: must divide 1"),
    ({"sanniu_move_unused": "yes"}, "rules.sanniu_move_unused: must be true or false"),
    ({"rating_points": {"very_satisfied": 25}},
     "rules.rating_points.very_satisfied: must be a number"),
    ({"key_work_item_min": 3}, "rules.key_work_item_max: must not be below"),
])
def test_from_mapping_errors_name_the_key_path(data, message):
    with pytest.raises(RulesError) as info:
        Rules.from_mapping(data)
    assert str(info.value).startswith(message)


def test_not_a_table():
    with pytest.raises(RulesError, match=r"^rules: must be a table"):
        Rules.from_mapping([])  # type: ignore[arg-type]


def test_catalogue_awards_and_quotas():
    cat = default_catalogue()
    assert set(cat.families) == {"sanniu", "zuimei_staff", "zuimei_window", "hall"}
    assert cat.families["sanniu"].awards == ("ruzi_niu", "tuohuang_niu", "laohuang_niu")
    r = Rules()
    assert [cat.quota(a, r) for a in ("ruzi_niu", "zuimei_staff", "zuimei_window", "hall")] == [
        30, 80, 12, 24]
    assert [(t.code, n) for t, n in cat.tier_sizes("hall", r)] == [
        ("zuimei_hall", 8), ("youxiu_hall", 16)]
    assert cat.award("ruzi_niu").names.zh == "孺子牛奖"
    assert len(cat.award("laohuang_niu").criteria) == 3
    assert all(c.zh and c.en for a in cat.awards.values() for c in a.criteria)
    assert cat.award("hall").unit_kinds == {"hall", "subcentre"}
    assert cat.cycle("ruzi_niu") == "quarterly"
    assert cat.cycle("hall") == "annual"
    assert sum(s.maximum for s in cat.award("zuimei_window").sections) == 100
    assert sum(s.maximum for s in cat.award("hall").sections) == 100
    assert sum(s.maximum for s in cat.award("zuimei_staff").sections) == 100


def test_a_config_written_before_the_award_rename_still_reads():
    old = Rules.from_mapping({"sanniu_split": {"ruzi_niu": 40, "tuohuang_niu": 20,
                                               "lao_huangniu": 30}})
    assert dict(old.sanniu_split) == {"ruzi_niu": 40, "tuohuang_niu": 20, "laohuang_niu": 30}
    with pytest.raises(RulesError) as both:
        Rules.from_mapping({"sanniu_split": {"lao_huangniu": 30, "laohuang_niu": 30}})
    assert "rules.sanniu_split.lao_huangniu" in str(both.value)
