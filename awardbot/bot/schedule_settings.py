"""The ``[schedule]`` settings section: when rounds open, their deadlines, the reminders.

Add to :class:`awardbot.bot.settings.Settings` as ``schedule: ScheduleSettings =
ScheduleSettings()``. :meth:`ScheduleSettings.plan` turns it into the plain
:class:`~awardbot.workflow.rounds.plan.SchedulePlan` the workflow layer uses.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from awardbot.scoring import Rules, default_catalogue
from awardbot.workflow.rounds.plan import (
    AnnualPlan,
    Offsets,
    QuarterlyPlan,
    ReminderPolicy,
    SchedulePlan,
)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _families(value: list[str], cycle: str) -> list[str]:
    catalogue = default_catalogue()
    for family in value:
        if family not in catalogue.families:
            raise ValueError(f"unknown family {family!r}; use {', '.join(catalogue.families)}")
        if catalogue.families[family].cycle != cycle:
            raise ValueError(f"{family} is {catalogue.families[family].cycle}, not {cycle}")
    return value


class DeadlineSettings(_Section):
    application_working_days: int = Field(default=10, ge=1, le=60)
    leader_working_days: int = Field(default=3, ge=0, le=60)
    check_working_days: int = Field(default=5, ge=0, le=90)
    scoring_working_days: int = Field(default=8, ge=0, le=120)
    survey_working_days: int = Field(default=7, ge=0, le=120)

    @model_validator(mode="after")
    def _survey_during_evaluation(self) -> DeadlineSettings:
        # RULES §6: the survey runs alongside the evaluation and closes before it does.
        if not self.check_working_days < self.survey_working_days <= self.scoring_working_days:
            raise ValueError("survey_working_days must be after check_working_days and not "
                             "after scoring_working_days (the survey closes before scoring)")
        return self

    def offsets(self) -> Offsets:
        return Offsets(self.application_working_days, self.leader_working_days,
                       self.check_working_days, self.scoring_working_days,
                       self.survey_working_days)


class QuarterlySettings(DeadlineSettings):
    enabled: bool = True
    families: list[str] = Field(default_factory=lambda: ["sanniu"])
    opens: Literal["next_quarter_working_day", "last_month_day"] = "next_quarter_working_day"
    open_working_day: int = Field(default=3, ge=1, le=40)
    open_day: int = Field(default=20, ge=1, le=31)

    @field_validator("families")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _families(value, "quarterly")


class AnnualSettings(DeadlineSettings):
    enabled: bool = True
    families: list[str] = Field(
        default_factory=lambda: ["zuimei_staff", "zuimei_window", "hall"])
    opens_on: str = Field(default="12-01", pattern=r"^\d{2}-\d{2}$")
    year_offset: int = Field(default=0, ge=0, le=1)
    application_working_days: int = Field(default=15, ge=1, le=60)

    @field_validator("families")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _families(value, "annual")

    @field_validator("opens_on")
    @classmethod
    def _month_day(cls, value: str) -> str:
        month, day = (int(x) for x in value.split("-"))
        if not 1 <= month <= 12 or not 1 <= day <= 28:
            raise ValueError("must be MM-DD with a day of 1–28 (every year has it)")
        return value


class ReminderSettings(_Section):
    before_deadline_working_days: list[int] = Field(default_factory=lambda: [3, 1])
    leader_after_working_hours: float = Field(default=8, gt=0, le=400)
    leader_repeat_working_hours: float = Field(default=8, gt=0, le=400)
    escalate_after_working_hours: float = Field(default=16, gt=0, le=800)
    scoring_before_working_days: list[int] = Field(default_factory=lambda: [2, 0])
    min_interval_hours: float = Field(default=4, ge=0, le=720)
    send_at: time = time(9, 0)

    @field_validator("before_deadline_working_days", "scoring_before_working_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(n < 0 or n > 30 for n in value):
            raise ValueError("each must be 0–30 working days")
        return sorted(set(value), reverse=True)

    @model_validator(mode="after")
    def _order(self) -> ReminderSettings:
        if self.escalate_after_working_hours < self.leader_after_working_hours:
            raise ValueError("escalate_after_working_hours must not be before "
                             "leader_after_working_hours")
        return self


class ScheduleSettings(_Section):
    enabled: bool = False
    tick_minutes: float = Field(default=5, gt=0, le=1440)
    office_start: time = time(9, 0)
    create_ahead_days: int = Field(default=7, ge=0, le=60)
    calendar_warning_days: int = Field(default=60, ge=1, le=365)
    calendar_warning_repeat_days: int = Field(default=7, ge=1, le=365)
    evaluation_opens: Literal["check_deadline", "admin"] = "check_deadline"
    quarterly: QuarterlySettings = QuarterlySettings()
    annual: AnnualSettings = AnnualSettings()
    reminders: ReminderSettings = ReminderSettings()

    def plan(self, rules: Rules) -> SchedulePlan:
        """The plain plan; the time zone and end of office hours come from ``[rules]``."""
        q, a, r = self.quarterly, self.annual, self.reminders
        month, day = (int(x) for x in a.opens_on.split("-"))
        return SchedulePlan(
            enabled=self.enabled,
            quarterly=QuarterlyPlan(tuple(q.families), q.opens, q.open_working_day,
                                    q.open_day, q.offsets()) if q.enabled else None,
            annual=AnnualPlan(tuple(a.families), month, day, a.year_offset, a.offsets())
            if a.enabled else None,
            reminders=ReminderPolicy(
                tuple(r.before_deadline_working_days), r.leader_after_working_hours,
                r.leader_repeat_working_hours, r.escalate_after_working_hours,
                tuple(r.scoring_before_working_days), timedelta(hours=r.min_interval_hours),
                r.send_at),
            timezone=rules.timezone, office_start=self.office_start,
            office_end=rules.office_hours_end, create_ahead=timedelta(days=self.create_ahead_days),
            calendar_warning_days=self.calendar_warning_days,
            calendar_warning_repeat_days=self.calendar_warning_repeat_days,
            auto_evaluation=self.evaluation_opens == "check_deadline",
        )
