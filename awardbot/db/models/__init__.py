"""Typed SQLAlchemy models for the nouns of DESIGN.md."""

from awardbot.db.models.base import Base
from awardbot.db.models.delivery import (
    AuditEvent,
    Broadcast,
    CalendarYear,
    Notification,
    ReceivedUpdate,
)
from awardbot.db.models.evaluation import EvaluationCursor
from awardbot.db.models.nomination import (
    Evidence,
    Nomination,
    Notice,
    Objection,
    PendingAsk,
    PendingReason,
    Rating,
    Review,
    Round,
    Score,
)
from awardbot.db.models.roster import (
    Delegation,
    Invite,
    MonthlyAssessment,
    Staff,
    StaffRole,
    Unit,
)
from awardbot.db.models.survey import Survey

__all__ = [
    "AuditEvent",
    "Base",
    "Broadcast",
    "CalendarYear",
    "Delegation",
    "EvaluationCursor",
    "Evidence",
    "Invite",
    "MonthlyAssessment",
    "Nomination",
    "Notice",
    "Notification",
    "Objection",
    "PendingAsk",
    "PendingReason",
    "Rating",
    "ReceivedUpdate",
    "Review",
    "Round",
    "Score",
    "Staff",
    "StaffRole",
    "Survey",
    "Unit",
]
