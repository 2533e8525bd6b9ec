"""The member's cards: which nomination comes next, the item prompt, and the reveal.

Cards come in round order, then by nomination; a member never gets a nomination they are
recused from or have finished. Other members' scores appear only in :func:`reveal`,
which the use cases call once the member has scored (or abstained from) the nomination.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Nomination, Round, Score, Staff
from awardbot.scoring import fmt
from awardbot.workflow.evaluation.facts import Judging, row_items, scores_of, subject_of
from awardbot.workflow.evaluation.items import Item, encode_value, picks
from awardbot.workflow.evaluation.members import (
    clear_cursor,
    cursor,
    is_recused,
    members,
    set_cursor,
    subject_unit,
)
from awardbot.workflow.evaluation.view import Act, Screen, card, evidence_media, literal
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.rounds.stages import Stage
from awardbot.workflow.services import Services

PER_ROW = 6


def ask(row: Nomination, items: tuple[Item, ...], index: int) -> Screen:
    """The prompt for one item: type a number or pick one; abstain; later."""
    item = items[index]
    values = [Act(literal(fmt(v)), ("v", str(row.id), str(index), encode_value(v)))
              for v in picks(item)]
    rows = [tuple(values[i:i + PER_ROW]) for i in range(0, len(values), PER_ROW)]
    rows.append((Act(Text("evaluation.button.abstain"), ("ab", str(row.id))),
                 Act(Text("evaluation.button.later"), ("sk", str(row.id)))))
    return Screen(Text("evaluation.ask", {
        "ref": row.ref or "", "item": item.label, "bounds": item.bounds,
        "index": index + 1, "count": len(items)}), tuple(rows))


async def next_screens(session: AsyncSession, svc: Services, staff: Staff,
                       now: datetime, skip: int | None = None) -> tuple[Screen, ...]:
    """The member's next card (set as their cursor), or that nothing is left."""
    here = await cursor(session, staff.id)
    skipped = set(here.data.get("skipped", [])) if here and here.kind == "score" else set()
    if skip is not None:
        skipped.add(skip)
    rows = list(await session.scalars(
        select(Nomination).join(Round, Round.id == Nomination.round_id)
        .where(Nomination.state == State.CHECKED, Round.state == Stage.EVALUATION)
        .options(selectinload(Nomination.round), selectinload(Nomination.evidence))
        .order_by(Nomination.round_id, Nomination.id)))
    given = {(n, s) for n, s in await session.execute(
        select(Score.nomination_id, Score.section).where(Score.evaluator_id == staff.id))}
    waiting: list[tuple[Nomination, tuple[Item, ...], int]] = []
    for row in rows:
        if is_recused(staff.id, staff.unit_id, row, await subject_unit(session, row)):
            continue
        items = row_items(row, svc.rules, svc.awards)
        todo = [i for i, item in enumerate(items) if (row.id, item.key) not in given]
        if todo:
            waiting.append((row, items, todo[0]))
    if not waiting:
        await clear_cursor(session, staff.id)
        return (Screen(Text("evaluation.all_done")),)
    fresh = [w for w in waiting if w[0].id not in skipped] or waiting
    row, items, index = fresh[0]
    await set_cursor(session, staff.id, "score", now, nomination_id=row.id,
                     round_id=row.round_id,
                     data={"skipped": sorted(skipped & {w[0].id for w in waiting})})
    body = await card(session, svc, row, await subject_of(session, row))
    prompt = ask(row, items, index)
    head = Text("evaluation.card.head", {"left": len(waiting)})
    return (Screen(Text("evaluation.card.full", {"head": head, "card": body,
                                                 "ask": prompt.text}), prompt.rows,
                   media=evidence_media(row)),)


async def reveal(session: AsyncSession, row: Nomination, items: tuple[Item, ...],
                 head: Text) -> Screen:
    """Every member's scores on this nomination: shown only to a member who has submitted."""
    group = await members(session)
    scores = (await scores_of(session, [row.id])).get(row.id, {})
    judging = Judging(group, await subject_unit(session, row), scores)
    lines: list[Text] = []
    for member in group:
        for item in items:
            score = scores.get((member.staff_id, item.key))
            if judging.recused(member, row):
                value = Text("evaluation.mark.recused")
            elif score is None:
                value = Text("evaluation.mark.missing")
            elif score.abstained or score.value is None:
                value = Text("evaluation.mark.abstained")
            else:
                value = literal(fmt(score.value))
            lines.append(Text("evaluation.reveal.line", {
                "member": member.name, "item": item.label,
                "value": value}))
    return Screen(Text("evaluation.reveal.head", {"head": head}), (), tuple(lines))
