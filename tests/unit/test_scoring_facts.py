"""Facts parsing: bad facts raise FactsError naming the key path."""

import pytest
from _scoring_builders import hall, window

from awardbot.scoring import FactsError, parse_facts, parse_nomination


@pytest.mark.parametrize(("award", "data", "message"), [
    ("zuimei_window", window(honours=[{"title": "a", "level": "county"}] * 2
                             + [{"title": "c", "level": "national"}]),
     "honours[2].level: must be one of county, municipal, provincial"),
    ("zuimei_window", window(case_volume=-1), "case_volume: must be a whole number ≥ 0"),
    ("zuimei_window", window(case_volume=1.5), "case_volume: must be a whole number"),
    ("zuimei_window", window(casevolume=1), "casevolume: unknown key"),
    ("zuimei_window", window(accidents=[{"kind": "flood"}]), "accidents[0].kind: must be one of"),
    ("zuimei_window", window(accidents=[{"kind": "fire", "serious": "yes"}]),
     "accidents[0].serious: must be true or false"),
    ("zuimei_window", window(reports=[{"id": "a", "quarter": 5}]),
     "reports[0].quarter: must be a whole number between 1 and 4"),
    ("zuimei_window", window(reports=[{"id": "a", "quarter": 1, "adopted_by": ["cctv"]}]),
     "reports[0].adopted_by[0]: must be one of bureau, kunshan, suzhou, provincial"),
    ("zuimei_window", window(leader_visits=[{}]), "leader_visits[0].leader: missing"),
    ("zuimei_window", window(key_work=[{"kind": "yijianshi", "title": "t",
                                        "scores": {"m1": "two"}}]),
     'key_work[0].scores.m1: must be a number, null (not scored yet) or "recused"'),
    ("zuimei_window", window(satisfaction={"happy": 3}), "satisfaction.happy: unknown key"),
    ("zuimei_window", window(recipient_ratings={"satisfied": -2}),
     "recipient_ratings.satisfied: must be a whole number ≥ 0"),
    ("zuimei_window", [], "must be an object"),
    ("ruzi_niu", {"criteria": [], "grades": {}}, "criteria: an application cites at least one"),
    ("ruzi_niu", {"criteria": [4], "grades": {}},
     "criteria[0]: must be a whole number between 1 and 3"),
    ("ruzi_niu", {"criteria": [1]}, "grades: missing"),
    ("zuimei_staff", {"sections": {"political": {}}}, "sections.expertise: missing"),
    ("hall", hall(service_findings={"speed": 1}), "service_findings.speed: unknown key"),
    ("hall", hall(innovations=[{"content": "x", "level": "county"}]),
     "innovations[0].level: must be one of national, provincial, city"),
    ("hall", hall(media_reports=[{"content": "x", "level": "city"}]),
     "media_reports[0].level: must be one of national, provincial"),
    ("hall", {"guide_accuracy": 1}, "onboarding_rate: missing"),
])
def test_facts_errors_name_the_key_path(award, data, message):
    with pytest.raises(FactsError) as info:
        parse_facts(award, data)
    assert str(info.value).startswith(message)


def test_unknown_award():
    with pytest.raises(FactsError, match=r"^award: must be one of"):
        parse_facts("best_dog", {})


@pytest.mark.parametrize(("data", "message"), [
    ({"id": "a", "award": "hall", "submitted_at": "2026-10-09T10:00:00", "facts": hall()},
     "submitted_at: must be an ISO 8601 time with an offset"),
    ({"id": "a", "award": "nope", "submitted_at": "x", "facts": {}}, "award: must be one of"),
    ({"id": "a", "award": "hall", "submitted_at": "2026-10-09T10:00:00+08:00",
      "facts": hall(onboarding_rate="x")}, "facts.onboarding_rate: must be a number"),
    ({"award": "hall"}, "id: missing"),
])
def test_nomination_envelope_errors(data, message):
    with pytest.raises(FactsError) as info:
        parse_nomination(data)
    assert str(info.value).startswith(message)


def test_judged_scores_accept_null_and_recused():
    facts = parse_facts("ruzi_niu", {"criteria": [1, 2], "grades": {
        "a": 9, "b": None, "c": "recused"}})
    assert facts.grades.scores[1] == ("b", None)
    assert facts.grades.recused == ("c",)
