"""Evidence (佐证材料): photos and documents, checked by content and stored once by hash."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from awardbot.db.models import Evidence, Nomination, Staff
from awardbot.storage.file_check import FileRefusal, check_declared_size, check_file
from awardbot.workflow.intake.drafts import load_draft
from awardbot.workflow.intake.model import StepAnswer
from awardbot.workflow.intake.service import current_prompt
from awardbot.workflow.messages import Text
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services


@dataclass(frozen=True)
class IncomingFile:
    kind: str  # "photo" | "document" — how Telegram carried it, and how to send it on
    file_id: str
    file_unique_id: str
    size: int | None
    file_name: str | None = None
    mime_type: str | None = None
    caption: str | None = None
    media_group_id: str | None = None


def refusal_params(refusal: FileRefusal) -> dict[str, object]:
    """A refused file's sizes, and what it looked like in words ("纯文本", " DOCM 格式")."""
    params: dict[str, object] = {
        k: v for k, v in refusal.params.items() if k in ("limit_mb", "size_mb")}
    detected = refusal.params.get("detected")
    if detected in ("text", "binary"):
        params["detected"] = Text(f"intake.evidence.detected.{detected}")
    elif detected is not None:
        params["detected"] = Text("intake.evidence.detected.format",
                                  {"format": str(detected).upper()})
    return params


def refusal_text(refusal: FileRefusal) -> Text:
    return Text(f"intake.evidence.refused.{refusal.code}", refusal_params(refusal))


async def expecting_file(svc: Services, staff_id: int, incoming: IncomingFile) -> None:
    """Before downloading: is a file wanted now, and is it small enough? Raises if not.

    One quick look; ``add_evidence`` checks everything again in its transaction."""
    async with svc.sessions() as session:
        found = (await session.execute(
            select(Nomination.step, func.count(Evidence.id))
            .join(Staff, Staff.active_nomination_id == Nomination.id)
            .outerjoin(Evidence, Evidence.nomination_id == Nomination.id)
            .where(Staff.id == staff_id).group_by(Nomination.id))).first()
    if found is None:
        raise Refusal("intake.no_draft")
    step, count = found
    if step != "evidence":
        raise Refusal("intake.evidence.not_now")
    if count >= svc.limits.max_evidence:
        raise Refusal("intake.evidence.too_many", limit=svc.limits.max_evidence)
    refusal = check_declared_size(incoming.size, svc.limits.max_file_bytes)
    if refusal is not None:
        raise Refusal(refusal_text(refusal).key, **refusal_text(refusal).params)


async def add_evidence(
    svc: Services, staff_id: int, incoming: IncomingFile, data: bytes, now: datetime
) -> StepAnswer:
    checked = check_file(data, declared_name=incoming.file_name,
                         declared_mime=incoming.mime_type, max_bytes=svc.limits.max_file_bytes)
    if isinstance(checked, FileRefusal):
        text = refusal_text(checked)
        raise Refusal(text.key, **text.params)
    await asyncio.to_thread(svc.evidence.put, data)
    async with svc.sessions.begin() as session:
        draft = await load_draft(session, svc, staff_id, None, now)
        if draft.row.step != "evidence":
            raise Refusal("intake.evidence.not_now")
        if len(draft.row.evidence) >= svc.limits.max_evidence:
            raise Refusal("intake.evidence.too_many", limit=svc.limits.max_evidence)
        draft.row.evidence.append(Evidence(
            kind=incoming.kind, telegram_file_id=incoming.file_id,
            file_unique_id=incoming.file_unique_id, sha256=checked.sha256, size=checked.size,
            mime_type=checked.mime_type, file_name=checked.display_name,
            caption=incoming.caption, media_group_id=incoming.media_group_id, created_at=now))
        draft.row.updated_at = now
        await session.flush()
        return StepAnswer(Text("intake.evidence.received", {"count": len(draft.row.evidence)}),
                     await current_prompt(session, svc, draft))
