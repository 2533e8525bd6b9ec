"""The facts a score sheet is computed from, per award (schema: docs/facts.md).

Plain frozen dataclasses; :mod:`awardbot.scoring.facts_parse` builds them from
JSON-like dicts and reports bad input as :class:`FactsError` with a key path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .rules import RATING_LEVELS

RECUSED = "recused"
ACCIDENT_KINDS = ("fire", "theft", "electric_shock", "other")
HONOUR_ISSUERS = ("other", "line_department", "bureau", "own_department")
ADOPTERS = ("bureau", "kunshan", "suzhou", "provincial")
KEY_WORK_KINDS = ("yijianshi", "yiye_yizheng", "yiwang_tongban", "innovation", "cooperation")
SERVICE_ITEMS = ("efficiency", "procedures", "attitude", "discipline", "facilities")
STAFF_SECTIONS = ("political", "expertise", "image", "achievement")


@dataclass(frozen=True)
class Judged:
    """Evaluation-group members' scores for one judged item.

    ``scores`` pairs each non-recused member with their score, ``None`` when the
    member has not scored yet; ``recused`` members are left out of the mean. The
    summary fields (sum, count, extremes, decimal places of the given scores) are
    derived once at construction so that large rounds rank quickly.
    """

    scores: tuple[tuple[str, Decimal | None], ...] = ()
    recused: tuple[str, ...] = ()
    total: Decimal = field(init=False, compare=False, repr=False)
    given: int = field(init=False, compare=False, repr=False)
    missing: int = field(init=False, compare=False, repr=False)
    lowest: Decimal | None = field(init=False, compare=False, repr=False)
    highest: Decimal | None = field(init=False, compare=False, repr=False)
    places: int = field(init=False, compare=False, repr=False)
    ratio: tuple[int, int] = field(init=False, compare=False, repr=False)  # total, exactly

    def __post_init__(self) -> None:
        values = [v for _, v in self.scores if v is not None]
        total = sum(values, Decimal(0))
        summary = {
            "total": total,
            "ratio": total.as_integer_ratio(),
            "given": len(values),
            "missing": len(self.scores) - len(values),
            "lowest": min(values, default=None),
            "highest": max(values, default=None),
            "places": max((_places(v) for v in values), default=0),
        }
        for name, value in summary.items():
            object.__setattr__(self, name, value)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class Tally:
    """Survey or rating counts per level, in :data:`RATING_LEVELS` order."""

    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    votes: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "votes", sum(self.counts))

    def as_dict(self) -> dict[str, int]:
        return dict(zip(RATING_LEVELS, self.counts, strict=True))


@dataclass(frozen=True)
class GradeFacts:
    """三牛奖: criteria evidenced (1-based numbers) and the group's grades."""

    criteria: tuple[int, ...]
    grades: Judged


@dataclass(frozen=True)
class StaffFacts:
    """最美政务人: four judged sections (in :data:`STAFF_SECTIONS` order) and the survey."""

    sections: tuple[Judged, Judged, Judged, Judged]
    satisfaction: Tally


@dataclass(frozen=True)
class Accident:
    kind: str
    serious: bool = False
    note: str = ""


@dataclass(frozen=True)
class Honour:
    title: str
    level: str  # county | municipal | provincial
    issuer: str = "other"  # other | line_department | bureau | own_department


@dataclass(frozen=True)
class Report:
    """An information report; ``adopted_by`` empty means submitted but not adopted."""

    id: str
    quarter: int
    adopted_by: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LeaderVisit:
    leader: str  # in_charge | principal
    hundred_directors: bool = False  # made under 百名局长驻窗口: does not count


@dataclass(frozen=True)
class KeyWorkItem:
    kind: str
    title: str
    scores: Judged


@dataclass(frozen=True)
class WindowFacts:
    """最美政务窗口."""

    accidents: tuple[Accident, ...] = ()
    staffing_violations: int = 0
    recipient_ratings: Tally = Tally()
    case_volume: int = 0
    honours: tuple[Honour, ...] = ()
    reports: tuple[Report, ...] = ()
    leader_visits: tuple[LeaderVisit, ...] = ()
    key_work: tuple[KeyWorkItem, ...] = ()
    satisfaction: Tally = Tally()


@dataclass(frozen=True)
class Recognition:
    content: str
    level: str


@dataclass(frozen=True)
class HallFacts:
    """Service-hall competition; rates are percentages 0–100."""

    onboarding_rate: Decimal = Decimal(0)
    function_zones_missing: int = 0
    one_window_shortfalls: int = 0
    epidemic_shortfalls: int = 0
    guide_accuracy: Decimal = Decimal(0)
    resumption_shortfalls: int = 0
    utility_windows: frozenset[str] = frozenset()
    service_findings: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    innovations: tuple[Recognition, ...] = ()
    media_reports: tuple[Recognition, ...] = ()
    pilot_reform: Judged = Judged()
    satisfaction: Tally = Tally()


Facts = GradeFacts | StaffFacts | WindowFacts | HallFacts


@dataclass(frozen=True)
class Nomination:
    """One nomination of a round: the envelope around its facts."""

    id: str
    award: str
    submitted_at: datetime
    facts: Facts
