"""The ``[notice]`` settings section and the services the notice, objection and survey
features run with.

Wiring (``bot/settings.py`` and ``bot/app.py``)::

    notice: NoticeSettings = NoticeSettings()          # a field of Settings
    app.bot_data.notice = notice_services(settings, deps.intake, calendar=working_calendar)

``channel_chat_id`` is the channel (or group) that also receives each published notice
and the final result; the bot must be an admin there. Leave it out to post nowhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # the settings load in every command; the workflow only in the bot's
    from awardbot.workflow.intake.service import IntakeServices
    from awardbot.workflow.notice_base import CalendarSource, NoticeServices


class NoticeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel_chat_id: int | None = None
    objection_max_chars: int = Field(default=2000, ge=50, le=4000)
    objection_max_files: int = Field(default=10, ge=0, le=50)


def notice_services(
    settings: NoticeSettings, intake: IntakeServices, *,
    calendar: CalendarSource | None = None,
) -> NoticeServices:
    """Built from the intake's sessions, rules, award catalogue and evidence store; the
    calendar is the package's alone unless ``calendar`` says otherwise."""
    from awardbot.workflow.notice_base import NoticeLimits, NoticeServices, package_calendar

    return NoticeServices(
        sessions=intake.sessions, rules=intake.rules, awards=intake.awards, store=intake.store,
        calendar=calendar or package_calendar, channel_chat_id=settings.channel_chat_id,
        limits=NoticeLimits(objection_max_chars=settings.objection_max_chars,
                            objection_max_files=settings.objection_max_files,
                            max_file_bytes=intake.limits.max_file_bytes),
    )
