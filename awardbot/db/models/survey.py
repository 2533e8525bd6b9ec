"""满意度测评: a round's system-wide satisfaction survey of its shortlisted candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from awardbot.db.models.base import Base


class Survey(Base):
    """One survey per round. ``candidate_ids`` is the list asked about, fixed at opening;
    the votes are :class:`~awardbot.db.models.nomination.Rating` rows."""

    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    candidate_ids: Mapped[list[Any]] = mapped_column(default=list)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime]
    deadline: Mapped[datetime]
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None]
