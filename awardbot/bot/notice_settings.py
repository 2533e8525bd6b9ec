"""The ``[notice]`` settings section: where notices also go, and how long an objection may be.

``channel_chat_id`` is the channel (or group) that also receives each published notice
and the final result; the bot must be an admin there. Leave it out to post nowhere.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class NoticeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel_chat_id: int | None = None
    objection_max_chars: int = Field(default=2000, ge=50, le=4000)
    objection_max_files: int = Field(default=10, ge=0, le=50)

