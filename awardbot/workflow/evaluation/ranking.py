"""A round as the evaluation group sees it: every nomination with its items, the group's
scores and gaps, and the round scored and ranked by the rule book."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from awardbot.db.models import Nomination, Round
from awardbot.scoring import (
    FactsError,
    RankedEntry,
    RoundResult,
    Sheet,
    fmt,
    fraction_text,
    parse_facts,
    score_round,
)
from awardbot.scoring import Nomination as Scored
from awardbot.workflow.evaluation.facts import (
    Judging,
    Subject,
    award_of,
    facts_problem,
    scores_of,
    scoring_facts,
    subject_of,
    tallies_of,
)
from awardbot.workflow.evaluation.items import Item, items_for
from awardbot.workflow.evaluation.members import Member, members, subject_unit
from awardbot.workflow.refusal import Refusal
from awardbot.workflow.services import Services


@dataclass(frozen=True)
class Entry:
    row: Nomination
    award: str
    items: tuple[Item, ...]
    judging: Judging
    subject: Subject
    tally: dict[str, int]

    @property
    def ref(self) -> str:
        return self.row.ref or str(self.row.id)

    def gaps(self) -> list[tuple[Member, Item]]:
        return self.judging.gaps(self.row, self.items)


async def load_round(session: AsyncSession, round_id: int, lock: bool = False) -> Round:
    query = select(Round).where(Round.id == round_id)
    found = await session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise Refusal("errors.stale_button")
    return found


async def entries(session: AsyncSession, svc: Services, round_id: int,
                  states: Iterable[str], omit_missing: bool = False,
                  lock: bool = True) -> list[Entry]:
    query = (select(Nomination).where(Nomination.round_id == round_id,
                                      Nomination.state.in_(list(states)))
             .options(selectinload(Nomination.round)).order_by(Nomination.id))
    rows = list(await session.scalars(query.with_for_update() if lock else query))
    group = await members(session)
    scores = await scores_of(session, [r.id for r in rows])
    tallies = await tallies_of(session, [r.id for r in rows])
    found = []
    for row in rows:
        award = award_of(row, svc.awards)
        judging = Judging(group, await subject_unit(session, row), scores.get(row.id, {}),
                          omit_missing)
        found.append(Entry(row, award, items_for(award, dict(row.facts or {}), svc.rules,
                                                 svc.awards),
                           judging, await subject_of(session, row), tallies.get(row.id, {})))
    return found


def rank(svc: Services, found: Sequence[Entry]) -> RoundResult:
    """Score and rank with the rule book; facts it cannot read are the leader's to correct."""
    scored = []
    for entry in found:
        facts = scoring_facts(entry.award, entry.row, entry.judging, entry.tally, svc.awards)
        try:
            parsed = parse_facts(entry.award, facts, svc.awards)
        except FactsError as error:
            raise Refusal("evaluation.refuse.bad_facts", ref=entry.ref,
                                    problem=facts_problem(error)) from None
        when = entry.row.submitted_at or entry.row.created_at
        scored.append(Scored(str(entry.row.id), entry.award, when, parsed))
    return score_round(scored, svc.rules, svc.awards)


def ranking_record(entry: RankedEntry, sheet: Sheet, closed_at: datetime) -> dict[str, Any]:
    """What is kept on the nomination when scoring closes (read by the export)."""
    return {
        "rank": entry.rank, "outcome": entry.outcome, "tier": entry.tier,
        "total": fmt(sheet.total), "exact_total": fraction_text(sheet.total),
        "sections": {s.key: fmt(s.points) for s in sheet.sections},
        "reasons": [{"zh": m.render("zh"), "en": m.render("en")} for m in entry.reasons],
        "closed_at": closed_at.isoformat(),
    }
