"""Scoring a whole round: every sheet (halls compared with each other), then ranking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .catalogue import Catalogue, default_catalogue
from .errors import FactsError
from .facts import Facts, GradeFacts, HallFacts, Nomination, StaffFacts, WindowFacts
from .ranking import Candidate, RankingResult, rank, sanniu_quotas
from .rules import SANNIU_AWARDS, Rules
from .sheets import HallBests, Sheet, grade_sheet, hall_bests, hall_sheet, staff_sheet
from .sheets import window_sheet as _window_sheet


def score_sheet(award: str, facts: Facts, rules: Rules | None = None,
                catalogue: Catalogue | None = None, bests: HallBests | None = None) -> Sheet:
    """The score sheet of one nomination.

    For the hall competition pass ``bests`` from :func:`hall_bests` over the round's
    halls; without it the hall is compared with itself only.
    """
    rules = rules or Rules()
    catalogue = catalogue or default_catalogue()
    kind = catalogue.award(award).sheet
    if kind == "grades" and isinstance(facts, GradeFacts):
        return grade_sheet(award, facts, rules, catalogue)
    if kind == "staff" and isinstance(facts, StaffFacts):
        return staff_sheet(award, facts, rules, catalogue)
    if kind == "window" and isinstance(facts, WindowFacts):
        return _window_sheet(award, facts, rules, catalogue)
    if kind == "hall" and isinstance(facts, HallFacts):
        return hall_sheet(award, facts, bests or hall_bests([facts]), rules, catalogue)
    raise FactsError("facts", f"these are not {award} facts ({type(facts).__name__})")


def candidate(nomination: Nomination, sheet: Sheet) -> Candidate:
    """Sheet problems and holds become held-back reasons."""
    total = sheet.total
    return Candidate(nomination.id, total.numerator, total.denominator, nomination.submitted_at,
                     sheet.criteria_count, (*sheet.problems, *sheet.holds))


@dataclass(frozen=True)
class RoundResult:
    sheets: Mapping[str, Sheet]
    rankings: Mapping[str, RankingResult]


def check_unique(nominations: Sequence[Nomination]) -> None:
    if len({n.id for n in nominations}) == len(nominations):
        return
    seen: set[str] = set()
    for nomination in nominations:
        if nomination.id in seen:
            raise FactsError("id", f"duplicate nomination id {nomination.id!r}")
        seen.add(nomination.id)


def round_quotas(candidates: Mapping[str, Sequence[Candidate]], rules: Rules,
                 catalogue: Catalogue) -> dict[str, int]:
    """Each award's places; sanniu places may move between its awards (config)."""
    rankable = {a: sum(1 for c in cs if not c.holds) for a, cs in candidates.items()}
    quotas = {a: catalogue.quota(a, rules) for a in candidates}
    if any(a in SANNIU_AWARDS for a in candidates):
        moved = sanniu_quotas(rankable, rules)
        quotas.update({a: q for a, q in moved.items() if a in candidates})
    return quotas


def rank_all(candidates: Mapping[str, Sequence[Candidate]], rules: Rules,
             catalogue: Catalogue) -> dict[str, RankingResult]:
    quotas = round_quotas(candidates, rules, catalogue)
    return {award: rank(award, cands, rules, catalogue, quotas[award])
            for award, cands in candidates.items()}


def score_round(nominations: Sequence[Nomination], rules: Rules | None = None,
                catalogue: Catalogue | None = None) -> RoundResult:
    """Every nomination's sheet and each award's ranking."""
    rules = rules or Rules()
    catalogue = catalogue or default_catalogue()
    check_unique(nominations)
    bests = hall_bests(n.facts for n in nominations if isinstance(n.facts, HallFacts))
    sheets: dict[str, Sheet] = {}
    grouped: dict[str, list[Candidate]] = defaultdict(list)
    for nomination in nominations:
        sheet = score_sheet(nomination.award, nomination.facts, rules, catalogue, bests)
        sheets[nomination.id] = sheet
        grouped[nomination.award].append(candidate(nomination, sheet))
    return RoundResult(sheets, rank_all(grouped, rules, catalogue))
