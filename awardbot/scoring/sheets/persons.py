"""Sheets of the individual awards: 三牛奖 grades and 最美政务人."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from ..catalogue import Catalogue
from ..facts import STAFF_SECTIONS, GradeFacts, StaffFacts
from ..messages import Message
from ..rules import Rules
from .base import Section, Sheet, section, sheet
from .common import judged_line, survey_line


def grade_sheet(award: str, facts: GradeFacts, rules: Rules, catalogue: Catalogue) -> Sheet:
    """三牛奖: the mean of the group's grades (0–10 by default)."""
    # the grade scale is a setting (rules.grade_min–grade_max), not the catalogue's 10
    spec = replace(catalogue.award(award).section("grade"), maximum=Fraction(rules.grade_max))
    ln, problems = judged_line("grade", facts.grades, catalogue, Fraction(rules.grade_min),
                               Fraction(rules.grade_max), Fraction(rules.judged_step))
    ln = type(ln)(ln.item, ln.names, Message("in_criteria", {
        "criteria": ", ".join(str(c) for c in facts.criteria)}), ln.rule, ln.points, ln.uncut,
        ln.cut)
    sec = section(spec, [ln], catalogue, incomplete=bool(problems))
    return sheet(award, catalogue, [sec], problems, (), len(facts.criteria))


def staff_sheet(award: str, facts: StaffFacts, rules: Rules, catalogue: Catalogue) -> Sheet:
    """最美政务人: four judged sections of 20 and the satisfaction survey."""
    spec = catalogue.award(award)
    sections: list[Section] = []
    problems: list[Message] = []
    step = Fraction(rules.judged_step)
    for key, judged in zip(STAFF_SECTIONS, facts.sections, strict=True):
        sec_spec = spec.section(key)
        ln, found = judged_line("judged", judged, catalogue, Fraction(0), sec_spec.maximum, step)
        sections.append(section(sec_spec, [ln], catalogue, incomplete=bool(found)))
        problems.extend(found)
    ln, found = survey_line(facts.satisfaction, rules, catalogue)
    sections.append(section(spec.section("satisfaction"), [ln], catalogue, bool(found)))
    problems.extend(found)
    return sheet(award, catalogue, sections, problems)
