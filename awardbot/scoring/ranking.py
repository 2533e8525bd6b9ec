"""Ranking a round's nominations per award and cutting at the quota.

Order (best first):

* 三牛奖 (grades): mean grade, then more criteria evidenced, then earlier submission;
* point-scored awards: total, then earlier submission.

Totals compare exactly. Entries whose whole key is equal share a rank; when such a
group straddles a quota or tier line, every entry of it is reported ``tie_at_cut``
instead of being cut arbitrarily (the places it straddles stay undecided). Entries
that are incomplete or flagged for separate handling are ``held_back`` with reasons
and take no place. Within an exactly equal group the listing order is by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from .catalogue import Catalogue, default_catalogue
from .messages import Message
from .rules import SANNIU_AWARDS, Rules

SHORTLISTED = "shortlisted"
TIER = "tier"
NOT_SHORTLISTED = "not_shortlisted"
HELD_BACK = "held_back"
TIE_AT_CUT = "tie_at_cut"



class Candidate(NamedTuple):
    """A nomination ready to rank: exact total ``num/den`` and tie-break values."""

    id: str
    num: int
    den: int
    submitted_at: datetime
    criteria_count: int = 0
    holds: tuple[Message, ...] = ()

    @property
    def total(self) -> Fraction:
        return Fraction(self.num, self.den)


class RankedEntry(NamedTuple):
    rank: int | None  # None when held back
    nomination_id: str
    num: int
    den: int
    criteria_count: int | None  # None for point-scored awards
    submitted_at: datetime
    outcome: str
    tier: str | None = None
    reasons: tuple[Message, ...] = ()

    @property
    def total(self) -> Fraction:
        return Fraction(self.num, self.den)

    @property
    def key(self) -> tuple[Fraction, int | None, datetime]:
        return (self.total, self.criteria_count, self.submitted_at)


@dataclass(frozen=True)
class RankingResult:
    award: str
    quota: int
    entries: tuple[RankedEntry, ...]

    def with_outcome(self, outcome: str) -> tuple[RankedEntry, ...]:
        return tuple(e for e in self.entries if e.outcome == outcome)

    @property
    def ties_at_cut(self) -> tuple[RankedEntry, ...]:
        return self.with_outcome(TIE_AT_CUT)


def _keyed(cands: list[Candidate], by_criteria: bool) -> list[tuple]:
    """Sort by (−float total, −criteria, submitted_at, id), then fix equal-float runs.

    Correctly rounded division is monotone, so candidates with different float totals
    are already in exact order; only runs of equal floats need exact comparison.
    """
    keyed = [(-(c.num / c.den), -c.criteria_count if by_criteria else 0, c.submitted_at, c.id, c)
             for c in cands]
    keyed.sort()  # ids are unique, so the candidate itself is never compared
    start, count = 0, len(keyed)
    for index in range(1, count + 1):
        if index < count and keyed[index][0] == keyed[start][0]:
            continue
        if index - start > 1:
            first = keyed[start][4]
            run = keyed[start:index]
            if any(row[4].num * first.den != first.num * row[4].den for row in run):
                run.sort(key=lambda row: (-row[4].total, *row[1:4]))
                keyed[start:index] = run
        start = index
    return keyed


def _same(a: tuple, b: tuple) -> bool:
    return (a[0] == b[0] and a[1] == b[1] and a[2] == b[2]
            and a[4].num * b[4].den == b[4].num * a[4].den)


def _cuts(award: str, quota: int, rules: Rules, catalogue: Catalogue
          ) -> list[tuple[int, str | None]]:
    """Cumulative cut positions with the tier awarded above each."""
    tiers = catalogue.tier_sizes(award, rules)
    if not tiers:
        return [(quota, None)]
    cuts: list[tuple[int, str | None]] = []
    position = 0
    for tier, size in tiers:
        position += size
        cuts.append((position, tier.code))
    return cuts


def _outcome(start: int, end: int, cuts: list[tuple[int, str | None]]) -> tuple[str, str | None]:
    previous = 0
    for cut, tier in cuts:
        if start < cut < end:
            return TIE_AT_CUT, None
        if previous <= start < cut:
            return (TIER, tier) if tier else (SHORTLISTED, None)
        previous = cut
    return NOT_SHORTLISTED, None


def rank(award: str, candidates: Sequence[Candidate], rules: Rules,
         catalogue: Catalogue | None = None, quota: int | None = None) -> RankingResult:
    """Rank one award's candidates and cut at its quota (or tiers)."""
    catalogue = catalogue or default_catalogue()
    by_criteria = catalogue.award(award).sheet == "grades"
    quota = catalogue.quota(award, rules) if quota is None else quota
    cuts = _cuts(award, quota, rules, catalogue)
    ordered = _keyed([c for c in candidates if not c.holds], by_criteria)
    entries: list[RankedEntry] = []
    append, new = entries.append, tuple.__new__  # hot loop: 100k entries in the benchmark
    last_cut = cuts[-1][0]
    start, count = 0, len(ordered)
    while start < count:
        head = ordered[start]
        end = start + 1
        while end < count and _same(ordered[end], head):
            end += 1
        reasons: tuple[Message, ...] = ()
        if start >= last_cut:
            outcome, tier = NOT_SHORTLISTED, None
        else:
            outcome, tier = _outcome(start, end, cuts)
            if outcome == TIE_AT_CUT:
                reasons = (Message("tie_at_cut"),)
        for row in ordered[start:end]:
            c = row[4]
            append(new(RankedEntry, (  # type: ignore[call-overload]
                start + 1, c.id, c.num, c.den, c.criteria_count if by_criteria else None,
                c.submitted_at, outcome, tier, reasons)))
        start = end
    for c in candidates:
        if c.holds:
            entries.append(RankedEntry(None, c.id, c.num, c.den,
                                       c.criteria_count if by_criteria else None,
                                       c.submitted_at, HELD_BACK, None, c.holds))
    return RankingResult(award, quota, tuple(entries))


def sanniu_quotas(rankable: Mapping[str, int], rules: Rules) -> dict[str, int]:
    """Per-award places; with ``sanniu_move_unused`` spare places go round-robin
    (in catalogue order) to awards with more rankable entries than places."""
    quotas = {award: rules.sanniu_split[award] for award in SANNIU_AWARDS}
    if not rules.sanniu_move_unused:
        return quotas
    spare = sum(max(0, quotas[a] - rankable.get(a, 0)) for a in SANNIU_AWARDS)
    for award in SANNIU_AWARDS:
        quotas[award] = min(quotas[award], rankable.get(award, 0))
    while spare:
        hungry = [a for a in SANNIU_AWARDS if rankable.get(a, 0) > quotas[a]]
        if not hungry:
            break
        for award in hungry[:spare]:
            quotas[award] += 1
            spare -= 1
    return quotas
