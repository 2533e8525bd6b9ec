"""公示: publishing a round's decided list for three full working days (RULES §5).

An admin picks a round with decided nominations, sees the notice as everyone will, and
confirms. Publishing computes the period with the official working-day calendar (a
year without data is refused, never guessed), writes the :class:`Notice`, moves the
nominations to ``on_notice``, records the audit events and queues the broadcast to
every bound staff member (and the configured channel) — all in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notice, Round
from awardbot.scoring import CalendarUnavailable, NoticePeriod
from awardbot.workflow import audit, policy
from awardbot.workflow.lifecycle import State, check
from awardbot.workflow.messages import Button, Message, Text
from awardbot.workflow.naming import local_time, subject_name
from awardbot.workflow.notice.base import (
    OBJECT_START,
    PUBLISH_DO,
    PUBLISH_PICK,
    Response,
    award_text,
    bound_staff,
    data,
    joined,
    outcome_code,
    say,
)
from awardbot.workflow.outbox import Priority, enqueue, enqueue_for_staff
from awardbot.workflow.policy import Permission
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.rounds import stages
from awardbot.workflow.rounds.stages import Act, Stage
from awardbot.workflow.services import Services

OPEN, CLOSING, CLOSED = "open", "closing", "closed"
LIVE_NOTICE = (OPEN, CLOSING)


def award_order(svc: Services, family: str) -> list[str]:
    """Outcome codes in the rule book's order (a tiered award by its tiers)."""
    order: list[str] = []
    for code in svc.awards.families[family].awards:
        order += [t.code for t in svc.awards.award(code).tiers] + [code]
    return order


async def winners(session: AsyncSession, svc: Services, family: str,
                  rows: Sequence[Nomination]) -> Any:
    """The list by award (a line per winner), ready to be a text parameter."""
    grouped: dict[str, list[Nomination]] = defaultdict(list)
    for row in rows:
        grouped[outcome_code(row)].append(row)
    order = award_order(svc, family)
    blocks = []
    for code in sorted(grouped, key=lambda c: (order.index(c) if c in order else len(order), c)):
        ranked = sorted(grouped[code], key=lambda r: ((r.ranking or {}).get("rank") or 10**6,
                                                      r.id))
        lines = [Text("notice.winner", {"n": i, "subject": await subject_name(session, r)})
                 for i, r in enumerate(ranked, start=1)]
        blocks.append(Text("notice.award_block", {"award": award_text(code),
                                                  "count": len(ranked), "winners": joined(lines)}))
    return joined(blocks) if blocks else Text("notice.nobody")


def period_params(period: NoticePeriod, svc: Services) -> dict[str, Any]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(),
            "closes": local_time(period.closes_at, svc.rules)}


async def _admin_round(session: AsyncSession, actor_id: int, round_id: int, now: datetime,
                       lock: bool = False) -> tuple[Round, list[Nomination]]:
    """The round and its decided list, if it may go on notice now (after the decision, once)."""
    await policy.require(session, actor_id, Permission.PUBLISH)
    by_id = select(Round).where(Round.id == round_id)
    round_ = await session.scalar(by_id.with_for_update() if lock else by_id)
    if round_ is None:
        raise Refusal("errors.stale_button")
    label = {"family": Text(f"notice.family.{round_.family}"), "period": round_.period}
    if stages.effective(round_, now) in (Stage.NOTICE, Stage.FINAL):
        raise Refusal("notice.publish.already", **label)
    stages.require(round_, Act.PUBLISH, now)
    query = select(Nomination).where(Nomination.round_id == round_id,
                                     Nomination.state == State.DECIDED).order_by(Nomination.id)
    rows = list(await session.scalars(query.with_for_update() if lock else query))
    if not rows:
        raise Refusal("notice.publish.nothing_decided", **label)
    return round_, rows


async def _period(session: AsyncSession, svc: Services, now: datetime) -> NoticePeriod:
    calendar = await svc.calendar(session)
    try:
        return calendar.notice_period(now, svc.rules)
    except CalendarUnavailable as missing:
        raise Refusal("notice.publish.no_calendar", year=missing.year) from None


async def notice_message(session: AsyncSession, svc: Services, round_: Round,
                         rows: Sequence[Nomination], period: NoticePeriod,
                         notice_id: int | None) -> Message:
    text = Text("notice.published", {
        "family": Text(f"notice.family.{round_.family}"), "period": round_.period,
        "winners": await winners(session, svc, round_.family, rows), **period_params(period, svc)})
    if notice_id is None:
        return Message(text)
    return Message(text, ((Button(Text("notice.object_button"),
                                  data(OBJECT_START, notice_id)),),))


async def publishable(svc: Services, actor_id: int) -> Message:
    """/publish: the rounds with a decided list not yet on notice, as buttons."""
    async with svc.sessions() as session:
        await policy.require(session, actor_id, Permission.PUBLISH)
        rounds = list(await session.scalars(
            select(Round).where(Round.state == Stage.DECIDED).order_by(Round.id)))
        if not rounds:
            return say("notice.publish.none")
        return say("notice.publish.pick", [
            [Button(Text("notice.publish.round", {"family": Text(f"notice.family.{r.family}"),
                                                  "period": r.period}),
                    data(PUBLISH_PICK, r.id))] for r in rounds])


async def preview(svc: Services, actor_id: int, round_id: int, now: datetime) -> Response:
    """The notice as it will read if published now, with Confirm / Cancel."""
    async with svc.sessions() as session:
        round_, rows = await _admin_round(session, actor_id, round_id, now)
        period = await _period(session, svc, now)
        body = await notice_message(session, svc, round_, rows, period, None)
        return Response(Message(
            Text("notice.publish.preview", {"notice": body.text, "count": len(rows)}),
            ((Button(Text("notice.publish.confirm"), data(PUBLISH_DO, round_id, "go")),
              Button(Text("notice.publish.cancel"), data(PUBLISH_DO, round_id, "no"))),)),
            edit=True)


async def publish(svc: Services, actor_id: int, round_id: int, now: datetime) -> Response:
    async with svc.sessions.begin() as session:
        round_, rows = await _admin_round(session, actor_id, round_id, now, lock=True)
        period = await _period(session, svc, now)
        notice = Notice(round_id=round_id, published_at=now, closes_at=period.closes_at,
                        state=OPEN, starts_on=period.start, ends_on=period.end,
                        published_by=actor_id, nomination_ids=[r.id for r in rows])
        session.add(notice)
        await session.flush()
        for row in rows:
            row.state, row.updated_at = check(row.state, State.ON_NOTICE), now
            await audit.append(session, at=now, actor_id=actor_id,
                               action="nomination.on_notice", subject_type="nomination",
                               subject_id=row.id, data={"notice": notice.id})
        await audit.append(session, at=now, actor_id=actor_id, action="notice.published",
                           subject_type="notice", subject_id=notice.id,
                           data={"round": round_id, "nominations": notice.nomination_ids,
                                 "closes_at": period.closes_at.isoformat()})
        await stages.move(session, round_, Stage.NOTICE, now, actor_id=actor_id,
                          by="admin", act=Act.PUBLISH)
        message = await notice_message(session, svc, round_, rows, period, notice.id)
        sent = await broadcast(session, svc, message, f"notice:{notice.id}:published", now)
        return Response(say("notice.publish.done", count=len(rows), invited=sent,
                          **period_params(period, svc)), edit=True)


async def broadcast(session: AsyncSession, svc: Services, message: Message, key: str,
                    now: datetime) -> int:
    """To every bound staff member and the channel (bulk, deduplicated by ``key``)."""
    sent = 0
    for staff_id in await bound_staff(session):
        sent += await enqueue_for_staff(session, staff_id, message, now=now,
                                        priority=Priority.BULK, dedupe_key=f"{key}:{staff_id}")
    if svc.channel_chat_id is not None:
        # A channel has no buttons to press: objections go through the bot.
        await enqueue(session, chat_id=svc.channel_chat_id, message=Message(message.text),
                      now=now, priority=Priority.BULK, dedupe_key=f"{key}:channel")
    return sent


def cancelled() -> Response:
    return Response(say("notice.publish.cancelled"), edit=True)
