"""The rule book's words for codes agree with the chat's, and a sheet or a reason shown in
Chinese carries no code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from awardbot.i18n import Catalogue
from awardbot.scoring import Rules, parse_facts, score_sheet
from awardbot.scoring.catalogue import default_catalogue
from awardbot.scoring.eligibility import PersonRecord, check_person
from awardbot.scoring.period import Period
from awardbot.scoring.sheets import render_text
from tests.e2e.codes import codes_in

OPTIONS = ("water", "power", "gas", "telecom", "cable_tv", "national", "provincial", "city")


@pytest.mark.parametrize("code", OPTIONS)
def test_a_term_reads_as_the_intake_option_does(code: str) -> None:
    term, chat = default_catalogue().term(code), Catalogue.load()
    assert (term.zh, term.en) == (chat.text("zh", f"intake.opt.{code}"),
                                  chat.text("en", f"intake.opt.{code}"))


def test_a_hall_sheet_names_windows_and_levels_in_words() -> None:
    facts = parse_facts("hall", {
        "onboarding_rate": Decimal("95"), "guide_accuracy": Decimal("98"),
        "utility_windows": ["water", "power"],
        "innovations": [{"content": "一件事改革", "level": "national"}]})
    text = render_text(score_sheet("hall", facts, Rules()), "zh")
    assert "水电气讯等窗口：2 个：供电、供水" in text
    assert "国家级 +2、省（部）级及以上 +1、市级 +0.5" in text
    assert codes_in(text) == []


def test_a_unit_kind_refused_is_named_in_words() -> None:
    person = PersonRecord(unit_kind="hall", is_window_staff=False,
                          service_start=date(2010, 1, 1))
    verdict = check_person("ruzi_niu", person, [], Period.parse("2026Q4"), Rules())
    assert verdict.render("zh") == "大厅类单位不在本奖项申报范围内"
