"""三牛奖 grades and 最美政务人 sections: judged means and their problems."""

from fractions import Fraction

import pytest
from _scoring_builders import sheet, tally

from awardbot.scoring import Rules

F = Fraction

J = {"m1": 18, "m2": 18, "m3": 18, "m4": 19}


def _staff(**over):
    sections = {k: dict(J) for k in ("political", "expertise", "image", "achievement")}
    sections.update(over)
    return {"sections": sections, "satisfaction": tally(10)}


def test_staff_sections_exact_means():
    s = sheet("zuimei_staff", _staff())
    assert [sec.points for sec in s.sections] == [F(73, 4)] * 4 + [20]
    assert s.total == 93
    assert "18.25" in s.render("zh")


@pytest.mark.parametrize(("scores", "code", "mean"), [
    ({"m1": 18, "m2": None}, "score_missing", 18),
    ({"m1": 18, "m2": 21}, "score_out_of_range", 18),
    ({"m1": 18, "m2": -1}, "score_out_of_range", 18),
    ({"m1": 18, "m2": 17.25}, "score_off_step", 18),
    ({"m1": "recused"}, "no_scores", 0),
])
def test_staff_problems(scores, code, mean):
    s = sheet("zuimei_staff", _staff(image=scores))
    assert [p.code for p in s.problems] == [code]
    assert s.section("image").incomplete
    assert s.section("image").points == mean
    assert not s.rankable


def test_recused_members_are_left_out():
    s = sheet("zuimei_staff", _staff(political={"m1": 20, "m2": "recused", "m3": 19}))
    assert s.section("political").points == F(39, 2)


def test_problem_messages_render_both_languages():
    s = sheet("zuimei_staff", _staff(image={"m1": 21}))
    assert s.problems[0].render("zh") == "考评小组评分：m1 的评分 21 超出 0–20"
    assert s.problems[0].render("en") == "evaluation-group score: score 21 from m1 outside 0–20"


def test_grades_mean_and_criteria():
    s = sheet("ruzi_niu", {"criteria": [3, 1, 1], "grades": {"a": 9, "b": 10, "c": 9}})
    assert s.total == F(28, 3)
    assert s.criteria_count == 2
    assert s.section("grade").maximum == 10


@pytest.mark.parametrize(("grades", "code"), [
    ({"a": 11}, "score_out_of_range"), ({"a": -0.1}, "score_out_of_range"),
    ({"a": None}, "score_missing"), ({"a": 9.55}, "score_off_step"),
])
def test_grade_problems(grades, code):
    assert [p.code for p in sheet("tuohuang_niu", {"criteria": [1], "grades": grades}).problems] \
        == [code]


def test_grade_scale_is_configurable():
    s = sheet("laohuang_niu", {"criteria": [2], "grades": {"a": 95}},
              Rules(grade_max=100, judged_step=1))
    assert s.total == 95
    assert s.complete
