"""The ``[schedule]`` section: defaults, validation naming the key, the plan it makes."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from pydantic import ValidationError

from awardbot.bot.schedule_settings import ScheduleSettings
from awardbot.scoring import Rules


def test_defaults_make_the_documented_plan() -> None:
    plan = ScheduleSettings().plan(Rules.from_mapping({"office_hours_end": "18:00"}))
    assert plan.enabled is False
    assert plan.quarterly is not None and plan.quarterly.families == ("sanniu",)
    assert plan.annual is not None and plan.annual.offsets.application == 15
    assert plan.office_end == time(18) and plan.timezone == "Asia/Shanghai"
    assert plan.reminders.min_interval == timedelta(hours=4)
    assert plan.reminders.before_deadline_working_days == (3, 1)


@pytest.mark.parametrize(("data", "where"), [
    ({"quarterly": {"families": ["hall"]}}, "quarterly.families"),
    ({"annual": {"families": ["nope"]}}, "annual.families"),
    ({"annual": {"opens_on": "02-30"}}, "annual.opens_on"),
    ({"reminders": {"before_deadline_working_days": [-1]}},
     "reminders.before_deadline_working_days"),
    ({"reminders": {"escalate_after_working_hours": 4}}, "reminders"),
    ({"quarterly": {"opens": "whenever"}}, "quarterly.opens"),
    ({"tick": 5}, "tick"),
])
def test_bad_values_name_the_key(data: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleSettings.model_validate(data)
    assert ".".join(str(p) for p in caught.value.errors()[0]["loc"]) == where


def test_a_part_can_be_switched_off() -> None:
    plan = ScheduleSettings.model_validate(
        {"enabled": True, "annual": {"enabled": False}}).plan(Rules())
    assert plan.enabled and plan.annual is None and plan.offsets_for("hall") is None
