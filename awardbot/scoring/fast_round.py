"""Ranking a round from fast totals (no explanation lines); same results as the sheets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from .catalogue import Award, Catalogue, default_catalogue
from .errors import FactsError
from .facts import Facts, GradeFacts, HallFacts, Nomination, StaffFacts, WindowFacts
from .fast import Plan, Ratio, StaffPlan, WindowPlan, grade_total, staff_total
from .fast_units import HallPlan, hall_total, window_total
from .ranking import Candidate, RankingResult
from .round import candidate, check_unique, rank_all, score_sheet
from .rules import Rules
from .sheets import HallBests, hall_bests


class FastScorer:
    """Exact totals for many nominations of one round, without building sheets."""

    def __init__(self, rules: Rules, catalogue: Catalogue, bests: HallBests) -> None:
        self.rules, self.catalogue, self.bests = rules, catalogue, bests
        plan = self.plan = Plan.build(rules, catalogue)
        self._scorers: dict[str, Callable[[Any], Ratio | None]] = {}
        self._kinds = {code: _FACTS_OF[spec.sheet] for code, spec in catalogue.awards.items()}
        for code, spec in catalogue.awards.items():
            self._scorers[code] = self._scorer(spec, plan)

    def _scorer(self, spec: Award, plan: Plan) -> Callable[[Any], Ratio | None]:
        if spec.sheet == "window":
            wp = WindowPlan.build(spec, plan)
            return lambda facts: window_total(facts, wp, plan)
        if spec.sheet == "staff":
            sp = StaffPlan.build(spec, plan)
            return lambda facts: staff_total(facts, sp, plan)
        if spec.sheet == "hall":
            hp = HallPlan.build(spec, plan)
            return lambda facts: hall_total(facts, hp, self.bests, plan)
        return lambda facts: grade_total(facts, plan)

    def total(self, award: str, facts: Facts) -> Ratio | None:
        """``k × total`` as a ratio, or None when not rankable."""
        if type(facts) is not _FACTS_OF[self.catalogue.awards[award].sheet]:
            raise FactsError("facts", f"these are not {award} facts ({type(facts).__name__})")
        return self._scorers[award](facts)

    def candidates(self, nominations: Sequence[Nomination]) -> dict[str, list[Candidate]]:
        """Candidates per award; full sheets only for those held back (to say why)."""
        grouped: dict[str, list[Candidate]] = defaultdict(list)
        k, new = self.plan.k, tuple.__new__  # hot loop: skip NamedTuple.__new__
        scorers, kinds = self._scorers, self._kinds
        for nomination in nominations:
            facts, award = nomination.facts, nomination.award
            if type(facts) is not kinds[award]:
                self.total(award, facts)  # raises the FactsError
            result = scorers[award](facts)
            if result is None:
                sheet = score_sheet(nomination.award, facts, self.rules, self.catalogue,
                                    self.bests)
                cand = candidate(nomination, sheet)
            else:
                criteria = len(facts.criteria) if type(facts) is GradeFacts else 0
                cand = new(Candidate, (nomination.id, result[0], result[1] * k,  # type: ignore[call-overload]
                                       nomination.submitted_at, criteria, ()))
            grouped[nomination.award].append(cand)
        return grouped


_FACTS_OF: dict[str, type] = {
    "grades": GradeFacts, "staff": StaffFacts, "window": WindowFacts, "hall": HallFacts,
}


def rank_round(nominations: Sequence[Nomination], rules: Rules | None = None,
               catalogue: Catalogue | None = None) -> dict[str, RankingResult]:
    """Rank every award of a round (fast: sheets are built only for held-back ones)."""
    rules = rules or Rules()
    catalogue = catalogue or default_catalogue()
    check_unique(nominations)
    bests = hall_bests(n.facts for n in nominations if type(n.facts) is HallFacts)
    grouped = FastScorer(rules, catalogue, bests).candidates(nominations)
    return rank_all(grouped, rules, catalogue)
