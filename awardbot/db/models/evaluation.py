"""Where an evaluation-group member or an admin is in a chat flow, so typed text finds it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from awardbot.db.models.base import Base


class EvaluationCursor(Base):
    """One per person: the card being scored, or the party-group decision being recorded.

    ``data`` keeps the flow's unfinished answers (staged decision changes, the change
    waiting for its reason), written in the same transaction as each answer.
    """

    __tablename__ = "evaluation_cursors"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))  # score | decide
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
