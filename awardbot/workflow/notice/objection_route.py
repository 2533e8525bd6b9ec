"""Where a plain text goes when the person is not in an application walkthrough.

The application walkthrough keeps first claim on text and files; otherwise a text is a
supervisor's reason for a pending decision, or the body of the objection being
written. ``None`` means "not ours": the chat layer hands the message to the
walkthrough, which answers as it always does.
"""

from __future__ import annotations

from datetime import datetime

from awardbot.workflow.notice import objection, objection_review
from awardbot.workflow.notice.base import Response
from awardbot.workflow.services import Services


async def route_text(svc: Services, staff_id: int, text: str,
                     now: datetime) -> Response | None:
    async with svc.sessions.begin() as session:
        if await objection.in_walkthrough(session, staff_id):
            return None
        pending = await objection_review.pending_for(session, staff_id)
        if pending is not None:
            return await objection_review.give_reason(session, pending, staff_id, text, now)
        draft = await objection.current_draft(session, staff_id)
        if draft is None:
            return None
        if draft.step == objection.WRITING:
            return await objection.write_text(session, svc, draft, text, now)
        return objection.nudge(draft)
