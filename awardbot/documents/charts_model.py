"""What the charts are drawn from (plain frozen values), and what they give back.

Every chart function returns a :class:`Chart`: the PNG and a text summary of the same
data, to send beside the picture for screen readers and for people who prefer text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from awardbot.documents.model import RoundLabel

RANKED_OUTCOMES = ("shortlisted", "tier", "not_shortlisted", "tie_at_cut")
HELD_BACK = "held_back"
LEVELS = ("very_satisfied", "satisfied", "fairly_satisfied", "average", "dissatisfied")


@dataclass(frozen=True)
class Chart:
    png: bytes
    summary: str


@dataclass(frozen=True)
class RankedCandidate:
    name: str
    """Display name: a person with their unit, or the window or hall."""
    rank: int | None
    total: Decimal | None
    total_text: str
    """The total as shown elsewhere (at most two decimals, e.g. 18.25)."""
    outcome: str
    """shortlisted, tier, not_shortlisted, tie_at_cut or held_back (scoring/ranking.py)."""
    tier: str = ""
    """The tier's display name when ``outcome`` is ``tier`` (最美政务大厅 …)."""
    reasons: tuple[str, ...] = ()
    """Why it is held back, display-ready."""


@dataclass(frozen=True)
class RankingChartData:
    """One award's ranking: candidates in rank order, held-back ones anywhere."""

    award: str
    quota: int
    candidates: tuple[RankedCandidate, ...]
    cuts: tuple[tuple[int, str], ...] = ()
    """Lines drawn after that many places, with the tier above them ("" for the quota
    line); empty draws one line after ``quota``."""
    lang: str = "zh"


@dataclass(frozen=True)
class UnitProgress:
    unit: str
    drafts: int = 0
    submitted: int = 0
    approved: int = 0
    checked: int = 0
    scored: int = 0


@dataclass(frozen=True)
class Waiting:
    """A nomination waiting for someone's act, since its last change."""

    name: str
    unit: str
    state: str
    """submitted, dept_approved, checked or returned"""
    since: datetime


@dataclass(frozen=True)
class OverviewChartData:
    round: RoundLabel
    units: tuple[UnitProgress, ...]
    waiting: tuple[Waiting, ...]
    """Longest waiting first; the chart shows the first five."""
    as_of: datetime
    """"Now", in the bureau's time zone."""
    lang: str = "zh"


@dataclass(frozen=True)
class CandidateBallots:
    name: str
    counts: tuple[int, int, int, int, int]
    """Votes per level, in ``LEVELS`` order (很满意 … 不满意)."""

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class BallotsChartData:
    round: RoundLabel
    candidates: tuple[CandidateBallots, ...]
    minimum: int
    """Votes needed before the section counts (rules.survey_min_votes)."""
    lang: str = "zh"
