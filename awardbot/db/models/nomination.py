"""Rounds, nominations and everything hung on them: evidence, reviews, scores, votes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awardbot.db.models.base import Base


class Round(Base):
    """One award family's competition for one period (``2026Q4`` or ``2026``)."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("family", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="accepting")  # rounds.stages
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    leader_deadline: Mapped[datetime | None]
    check_deadline: Mapped[datetime | None]
    scoring_deadline: Mapped[datetime | None]
    survey_deadline: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Nomination(Base):
    """申报: one application for one award, by an applicant, about a person or a unit.

    A draft keeps its walkthrough step and answers here, written with each answer,
    so a restart loses nothing.
    """

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(32), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    award: Mapped[str | None] = mapped_column(String(32))
    subject_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    subject_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    step: Mapped[str | None] = mapped_column(String(48))
    criteria: Mapped[list[Any]] = mapped_column(default=list)
    statement: Mapped[str | None] = mapped_column(Text)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    flagged_reason: Mapped[str | None] = mapped_column(Text)
    # The evaluation group's result when scoring closed: rank, outcome, tier, the sheet.
    ranking: Mapped[dict[str, Any] | None]
    form_sha256: Mapped[str | None] = mapped_column(String(64))  # the generated 申报表
    form_file_id: Mapped[str | None] = mapped_column(String(256))  # once sent, its file_id
    returned_from: Mapped[str | None] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="nomination", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class Evidence(Base):
    """佐证材料: a photo or document, stored once by content hash."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nominations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    telegram_file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    mime_type: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str | None] = mapped_column(String(255))
    caption: Mapped[str | None] = mapped_column(Text)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]

    nomination: Mapped[Nomination] = relationship(back_populates="evidence")


class Review(Base):
    """One reviewer's act on a nomination: sign, check, return, reject, decide."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    step: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Score(Base):
    """An evaluation-group member's score for one section (or the 三牛 grade)."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("nomination_id", "evaluator_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    section: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal | None]
    abstained: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class Rating(Base):
    """A satisfaction-survey vote (很满意 … 不满意) by one staff member for one candidate."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("nomination_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    level: Mapped[str] = mapped_column(String(24))
    updated_at: Mapped[datetime]


class Notice(Base):
    """公示: a decided list on public notice for three working days.

    ``state``: ``open`` until ``closes_at``; ``closing`` while unresolved objections hold
    some nominations back; ``closed`` once every nomination on it is final.
    """

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    published_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16), default="accepting")  # rounds.stages
    starts_on: Mapped[date | None]  # the first and last full working day of the notice
    ends_on: Mapped[date | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    nomination_ids: Mapped[list[Any]] = mapped_column(default=list)  # what was published
    closed_at: Mapped[datetime | None]


class Objection(Base):
    """异议 raised during a notice; the objector is visible to the supervision section only.

    ``state``: ``draft`` while the objector writes it (``step`` says where they are),
    ``open`` once submitted, then ``upheld`` or ``dismissed`` with a reason; ``lapsed``
    for a draft never submitted before the notice closed. A supervisor's pressed
    decision waits in ``pending_decision`` until they send the required reason.
    """

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    objector_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="accepting")  # rounds.stages
    step: Mapped[str | None] = mapped_column(String(16))
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    pending_decision: Mapped[str | None] = mapped_column(String(16))
    pending_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class PendingReason(Base):
    """A reviewer pressed Return or Reject; their next text is the reason it needs.

    One per reviewer (the key): a new press replaces the old one.
    """

    __tablename__ = "pending_reasons"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class PendingAsk(Base):
    """A question put to one person that their next step answers: a round's new deadline
    (typed as a reply), or a "确定…？" before an act that cannot be undone.

    One per person, kind and subject. Answering, going back or /cancel deletes it, so an
    old confirm button (pressed twice, or after going back) finds nothing and acts no more.
    """

    __tablename__ = "pending_asks"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None]
    message_id: Mapped[int | None]
    created_at: Mapped[datetime]
