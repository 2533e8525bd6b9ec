"""The review card a leader or the supervision section acts on, and its buttons' data.

A card names the step and the *cycle* it belongs to: the number of review acts the
nomination had when the card was sent. The act that closes a cycle is therefore review
number ``cycle`` (0-based), which is how a stale card learns who decided it and when.
Callback data follows ``awardbot/callbacks.py``'s grammar (``rv:<id>:<stage>:<action>``);
it is built here because workflow writes the cards into the outbox.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.callbacks import Kind, data
from awardbot.db.models import Nomination, Review, Staff
from awardbot.workflow.intake.model import Draft
from awardbot.workflow.intake.preview import (
    award_names,
    details_text,
    preliminary_sheet,
)
from awardbot.workflow.messages import Button, Media, Message, Text, names
from awardbot.workflow.naming import local_time, subject_label
from awardbot.workflow.services import Services

KIND, HISTORY = Kind.REVIEW, Kind.HISTORY
DEPT, CHECK = "d", "c"  # department sign-off, supervision check
STEP_NAMES = {DEPT: "dept", CHECK: "check"}
APPROVE, RETURN, REJECT, CANCEL = "ok", "ret", "rej", "x"
ACTIONS = {DEPT: (APPROVE, RETURN, REJECT), CHECK: (APPROVE, RETURN)}
_STAGE = re.compile(r"^([dc])(\d{1,6})$")




def stage(step: str, cycle: int) -> str:
    return f"{step}{cycle}"


def parse_stage(value: str) -> tuple[str, int] | None:
    match = _STAGE.match(value)
    return (match.group(1), int(match.group(2))) if match else None


def card_data(nomination_id: int, stage_: str, action: str) -> str:
    return data(KIND, nomination_id, stage_, action)


def history_data(nomination_id: int) -> str:
    return data(HISTORY, nomination_id)


def card_key(nomination_id: int, stage_: str, staff_id: int) -> str:
    return f"{card_prefix(nomination_id, stage_)}{staff_id}"


def card_prefix(nomination_id: int, stage_: str | None = None) -> str:
    """The dedupe-key prefix of a nomination's cards (of one stage, when given)."""
    base = f"rv:card:{nomination_id}:"
    return f"{base}{stage_}:" if stage_ else base


async def cycle_of(session: AsyncSession, nomination_id: int) -> int:
    count = await session.scalar(select(func.count()).select_from(Review).where(
        Review.nomination_id == nomination_id))
    return int(count or 0)


async def load(session: AsyncSession, nomination_id: int, *, lock: bool) -> Nomination | None:
    """The nomination with its evidence and round; locked for the transaction when asked.

    SQLite has no row locks: a no-op write first takes the database's write lock, so two
    reviewers pressing at once run one after the other and the second sees the first's
    result (a read before the write would fail on commit instead of waiting).
    """
    if lock and session.bind is not None and session.bind.dialect.name == "sqlite":
        await session.execute(update(Nomination).where(Nomination.id == nomination_id)
                              .values(version=Nomination.version))
    query = (select(Nomination).where(Nomination.id == nomination_id)
             .options(selectinload(Nomination.evidence), selectinload(Nomination.round))
             .execution_options(populate_existing=True))
    return await session.scalar(query.with_for_update(of=Nomination) if lock else query)


async def card(session: AsyncSession, svc: Services, row: Nomination,
               stage_: str) -> Message:
    step = stage_[0]
    draft = Draft(row, row.round.family, svc.awards, svc.limits)
    applicant = await session.get_one(Staff, row.applicant_id)
    sheet = preliminary_sheet(draft, svc.rules)
    revised = await session.scalar(select(func.count()).select_from(Review).where(
        Review.nomination_id == row.id, Review.decision == "return"))
    text = Text("review.card.body", {
        "title": Text(f"review.card.title_{step}"),
        "again": Text("review.card.revised") if revised else "",
        "ref": row.ref or "", "award": award_names(draft),
        "subject": await subject_label(session, row), "applicant": applicant.name,
        "details": details_text(draft, "review.card"),
        "evidence": len(row.evidence),
        "sheet": Text("review.card.sheet", {"sheet": names(*sheet)}) if sheet else "",
    })
    actions = tuple(Button(Text(f"review.button.{step}_{a}"), card_data(row.id, stage_, a))
                    for a in ACTIONS[step])
    history = (Button(Text("review.button.history"), history_data(row.id)),)
    media = [Media("photo" if e.kind == "photo" else "document", e.telegram_file_id)
             for e in row.evidence]
    if row.form_file_id:
        media.append(Media("document", row.form_file_id))
    return Message(text, (actions, history), tuple(media))


def closed_text(row: Nomination, decision: str, actor: Text, at: datetime) -> Text:
    """What a decided card says once its buttons are gone."""
    return Text("review.closed", {"ref": row.ref or "", "actor": actor, "at": local_time(at),
                                  "decision": Text(f"review.decision.{decision}")})
