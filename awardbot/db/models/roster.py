"""Units, staff, their roles and Telegram bindings, and monthly window assessments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awardbot.db.models.base import Base


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    comprehensive: Mapped[bool] = mapped_column(default=False)
    contact_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", use_alter=True, name="fk_units_contact_staff_id_staff")
    )

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    is_window_staff: Mapped[bool] = mapped_column(default=False)
    service_start: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    telegram_user_id: Mapped[int | None] = mapped_column(unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    bound_at: Mapped[datetime | None]
    blocked_bot_at: Mapped[datetime | None]
    mute_optional: Mapped[bool] = mapped_column(default=False)
    # The draft this person is walking through now; text and files go to its step.
    active_nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nominations.id", use_alter=True, name="fk_staff_active_nomination_id",
                   ondelete="SET NULL")
    )

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    roles: Mapped[list[StaffRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.roles)


class StaffRole(Base):
    """A role from the roster; ``unit_id`` scopes a leader's signing to a unit."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("staff_id", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)


class Invite(Base):
    """A one-time deep-link code that binds a Telegram account to a staff record."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None]


class MonthlyAssessment(Base):
    """One month's window standardisation score for one person (imported)."""

    __tablename__ = "monthly_assessments"
    __table_args__ = (UniqueConstraint("staff_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    score: Mapped[Decimal]


class Delegation(Base):
    """委办: a leader lets a deputy sign for a date range."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime]
