"""The rule book as code: award catalogue, eligibility, score sheets, ranking and quotas,
and the working-day calendar. Pure: standard library and ``chinese_calendar`` only."""

from __future__ import annotations

from .catalogue import Award, Catalogue, Names, default_catalogue, parse_catalogue
from .eligibility import Eligibility, PersonRecord, check_person, check_unit, window_average
from .errors import (
    CalendarError,
    CalendarUnavailable,
    CatalogueError,
    FactsError,
    RulesError,
    ScoringError,
)
from .exact import fmt, fraction_text
from .facts import (
    Facts,
    GradeFacts,
    HallFacts,
    Judged,
    Nomination,
    StaffFacts,
    Tally,
    WindowFacts,
)
from .facts_parse import parse_facts, parse_nomination
from .fast_round import FastScorer, rank_round
from .messages import Message, Reason
from .period import Month, Period
from .ranking import (
    HELD_BACK,
    NOT_SHORTLISTED,
    SHORTLISTED,
    TIE_AT_CUT,
    TIER,
    Candidate,
    RankedEntry,
    RankingResult,
    rank,
)
from .round import RoundResult, candidate, score_round, score_sheet
from .rules import Rules
from .sheets import HallBests, Line, Section, Sheet, hall_bests
from .workdays import (
    NoticePeriod,
    WorkingCalendar,
    YearCalendar,
    notice_period,
    parse_year_calendar,
)

__all__ = [
    "HELD_BACK", "NOT_SHORTLISTED", "SHORTLISTED", "TIER", "TIE_AT_CUT",
    "Award", "CalendarError", "CalendarUnavailable", "Candidate", "Catalogue",
    "CatalogueError", "Eligibility", "Facts", "FactsError", "FastScorer", "GradeFacts",
    "HallBests", "HallFacts", "Judged", "Line", "Message", "Month", "Names", "Nomination",
    "NoticePeriod", "Period", "PersonRecord", "RankedEntry", "RankingResult", "Reason",
    "RoundResult", "Rules", "RulesError", "ScoringError", "Section", "Sheet", "StaffFacts",
    "Tally", "WindowFacts", "WorkingCalendar", "YearCalendar", "candidate", "check_person",
    "check_unit", "default_catalogue", "fmt", "fraction_text", "hall_bests", "notice_period",
    "parse_catalogue", "parse_facts", "parse_nomination", "parse_year_calendar", "rank",
    "rank_round", "score_round", "score_sheet", "window_average",
]
