"""Ranking, quotas, tie-breaks, ties at the cut, held-back nominations."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from _scoring_builders import nomination, tally, window

from awardbot.scoring import (
    HELD_BACK,
    NOT_SHORTLISTED,
    SHORTLISTED,
    TIE_AT_CUT,
    Candidate,
    Rules,
    rank,
    rank_round,
    score_round,
)
from awardbot.scoring.ranking import sanniu_quotas

F = Fraction

T = datetime(2026, 1, 5, tzinfo=UTC)


def _c(nid, total, minutes=0, criteria=0, holds=()):
    total = F(total)
    return Candidate(nid, total.numerator, total.denominator, T + timedelta(minutes=minutes),
                     criteria, holds)


def _ids(result, outcome=None):
    return [e.nomination_id for e in result.entries if outcome is None or e.outcome == outcome]


def test_sanniu_order_grade_then_criteria_then_time():
    cands = [_c("late", 9, 5, 3), _c("early", 9, 1, 3), _c("fewer", 9, 0, 2),
             _c("best", F(91, 10), 9, 1), _c("low", 8, 0, 3)]
    result = rank("ruzi_niu", cands, Rules(), quota=3)
    assert _ids(result) == ["best", "early", "late", "fewer", "low"]
    assert [e.rank for e in result.entries] == [1, 2, 3, 4, 5]
    assert _ids(result, SHORTLISTED) == ["best", "early", "late"]


def test_points_order_total_then_time():
    cands = [_c("b", 80, 2), _c("a", 80, 1), _c("c", F(161, 2), 9)]
    result = rank("zuimei_window", cands, Rules(), quota=2)
    assert _ids(result) == ["c", "a", "b"]
    assert [e.outcome for e in result.entries] == [SHORTLISTED, SHORTLISTED, NOT_SHORTLISTED]
    assert result.entries[0].criteria_count is None


def test_exact_comparison_beyond_float_precision():
    a = F(10**17 + 1, 10**16)
    b = F(10**17, 10**16)
    assert float(a) == float(b)
    result = rank("zuimei_window", [_c("b", b), _c("a", a)], Rules(), quota=1)
    assert _ids(result) == ["a", "b"]
    assert result.entries[1].outcome == NOT_SHORTLISTED


def test_tie_straddling_the_quota_is_reported_not_cut():
    cands = [_c("top", 90), _c("x", 85), _c("y", 85), _c("z", 85), _c("low", 80)]
    result = rank("zuimei_window", cands, Rules(), quota=3)
    assert _ids(result, SHORTLISTED) == ["top"]
    assert _ids(result, TIE_AT_CUT) == ["x", "y", "z"]
    assert {e.rank for e in result.ties_at_cut} == {2}
    assert result.ties_at_cut[0].reasons[0].code == "tie_at_cut"
    assert _ids(result, NOT_SHORTLISTED) == ["low"]


def test_tie_inside_the_quota_is_fine():
    cands = [_c("x", 85), _c("y", 85), _c("low", 80)]
    result = rank("zuimei_window", cands, Rules(), quota=2)
    assert _ids(result, SHORTLISTED) == ["x", "y"]
    assert [e.rank for e in result.entries] == [1, 1, 3]


def test_equal_total_different_time_is_not_a_tie():
    result = rank("zuimei_window", [_c("x", 85, 1), _c("y", 85, 0)], Rules(), quota=1)
    assert _ids(result, SHORTLISTED) == ["y"]
    assert not result.ties_at_cut


def test_held_back_takes_no_place():
    cands = [_c("serious", 99, holds=("why",)), _c("a", 80), _c("b", 70)]
    result = rank("zuimei_window", cands, Rules(), quota=1)
    assert _ids(result, SHORTLISTED) == ["a"]
    held = result.with_outcome(HELD_BACK)[0]
    assert held.nomination_id == "serious"
    assert held.rank is None
    assert held.reasons == ("why",)


def test_serious_accident_is_held_back_in_a_round():
    noms = [nomination("ok", "zuimei_window", window()),
            nomination("bad", "zuimei_window",
                       window(accidents=[{"kind": "fire", "serious": True}]))]
    for rankings in (score_round(noms).rankings, rank_round(noms)):
        entries = {e.nomination_id: e for e in rankings["zuimei_window"].entries}
        assert entries["ok"].outcome == SHORTLISTED
        assert entries["bad"].outcome == HELD_BACK
        assert entries["bad"].reasons[0].code == "serious_accident"


def test_quota_from_rules_and_sanniu_split():
    noms = [nomination(f"n{i}", "ruzi_niu", {"criteria": [1], "grades": {"a": 10 - i}}, i)
            for i in range(5)]
    rules = Rules.from_mapping({"sanniu_split": {"ruzi_niu": 2, "tuohuang_niu": 44,
                                                 "laohuang_niu": 44}})
    result = score_round(noms, rules).rankings["ruzi_niu"]
    assert result.quota == 2
    assert _ids(result, SHORTLISTED) == ["n0", "n1"]


def test_sanniu_unused_places_stay_unless_configured():
    counts = {"ruzi_niu": 10, "tuohuang_niu": 50, "laohuang_niu": 45}
    assert sanniu_quotas(counts, Rules()) == {
        "ruzi_niu": 30, "tuohuang_niu": 30, "laohuang_niu": 30}
    moved = sanniu_quotas(counts, Rules(sanniu_move_unused=True))
    assert moved == {"ruzi_niu": 10, "tuohuang_niu": 40, "laohuang_niu": 40}
    assert sum(moved.values()) == 90
    few = sanniu_quotas({"ruzi_niu": 1, "tuohuang_niu": 2, "laohuang_niu": 3},
                        Rules(sanniu_move_unused=True))
    assert few == {"ruzi_niu": 1, "tuohuang_niu": 2, "laohuang_niu": 3}


def test_move_unused_in_a_round():
    noms = [nomination(f"r{i}", "ruzi_niu", {"criteria": [1], "grades": {"a": 5}}, i)
            for i in range(2)]
    noms += [nomination(f"t{i}", "tuohuang_niu", {"criteria": [1], "grades": {"a": 5}}, i)
             for i in range(40)]
    rules = Rules(sanniu_move_unused=True)
    rankings = score_round(noms, rules).rankings
    assert rankings["tuohuang_niu"].quota == 40
    assert len(rankings["tuohuang_niu"].with_outcome(SHORTLISTED)) == 40
    assert score_round(noms).rankings["tuohuang_niu"].quota == 30


def test_fast_ranking_equals_full_ranking():
    noms = [nomination(f"w{i}", "zuimei_window",
                       window(case_volume=1000 * i, staffing_violations=i % 3,
                              recipient_ratings={"satisfied": i, "very_satisfied": 3},
                              satisfaction=tally(10 + i)), i % 4) for i in range(30)]
    full = score_round(noms).rankings["zuimei_window"]
    fast = rank_round(noms)["zuimei_window"]
    assert [(e.nomination_id, e.total, e.outcome, e.rank) for e in full.entries] == [
        (e.nomination_id, e.total, e.outcome, e.rank) for e in fast.entries]


def test_fast_round_equals_full_round_on_benchmark_facts():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_scoring.py"
    spec = importlib.util.spec_from_file_location("bench_scoring", path)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    noms = bench.nominations(1500, seed=7)
    full, fast = score_round(noms).rankings, rank_round(noms)
    assert set(full) == set(fast)
    for award, ranking in full.items():
        assert [(e.nomination_id, e.total, e.rank, e.outcome, e.tier, e.reasons)
                for e in ranking.entries] == [
            (e.nomination_id, e.total, e.rank, e.outcome, e.tier, e.reasons)
            for e in fast[award].entries]
