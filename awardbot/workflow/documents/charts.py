"""Read-only queries behind the charts: a round's ranking per award (as kept at closing,
or provisional while scoring), the admins' overview per unit with who waits longest, and
the survey's ballots per candidate. Each returns the frozen value a chart function in
``awardbot/documents`` takes; nothing here writes or commits. "Now" is a parameter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Rating, Staff, Survey, Unit
from awardbot.documents.charts_model import (
    LEVELS,
    BallotsChartData,
    CandidateBallots,
    OverviewChartData,
    RankedCandidate,
    RankingChartData,
    UnitProgress,
    Waiting,
)
from awardbot.workflow.documents.queries import Papers, _refusal, _round, round_label
from awardbot.workflow.evaluation.export import EVALUATED, kept_rankings
from awardbot.workflow.evaluation.ranking import Entry, entries
from awardbot.workflow.lifecycle import State
from awardbot.workflow.services import Services

STAGE_OF = {State.DRAFT: "drafts", State.SUBMITTED: "submitted", State.RETURNED: "submitted",
            State.DEPT_APPROVED: "approved", State.CHECKED: "checked"}
SCORED = frozenset({State.SCORED, State.SHORTLISTED, State.NOT_SHORTLISTED, State.DECIDED,
                    State.ON_NOTICE, State.AWARDED, State.OBJECTION_UPHELD})
WAITING = (State.SUBMITTED, State.DEPT_APPROVED, State.CHECKED, State.RETURNED)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _candidate(entry: Entry, record: dict[str, Any], svc: Services,
               lang: str) -> RankedCandidate:
    tiers = {t.code: t.names.get(lang) for t in svc.awards.award(entry.award).tiers}
    name = entry.subject.name if entry.row.subject_unit_id is not None else \
        f"{entry.subject.name}（{entry.subject.unit}）"
    return RankedCandidate(
        name=name, rank=record.get("rank"), total=_decimal(record.get("total")),
        total_text=str(record.get("total") or ""),
        outcome=str(record.get("outcome") or "not_shortlisted"),
        tier=tiers.get(record.get("tier") or "", ""),
        reasons=tuple(str(r.get(lang, "")) for r in record.get("reasons", [])))


async def ranking_data(session: AsyncSession, svc: Services, round_id: int,
                       now: datetime, lang: str = "zh") -> list[RankingChartData]:
    """One chart's data per award of the round, in the rule book's order. A round still
    scoring is ranked provisionally (as ``awardbot export round`` does)."""
    round_ = await _round(session, round_id)
    found = await entries(session, svc, round_id, EVALUATED, lock=False)
    kept = kept_rankings(svc, found, now)
    by_award: dict[str, list[Entry]] = defaultdict(list)
    for entry in found:
        by_award[entry.award].append(entry)
    charts = []
    for award in svc.awards.families[round_.family].awards:
        group = sorted(by_award.get(award, []), key=lambda e: (
            kept.get(e.row.id, {}).get("rank") or 10**9, e.row.id))
        if not group:
            continue
        position, cuts = 0, []
        for tier, size in svc.awards.tier_sizes(award, svc.rules):
            position += size
            cuts.append((position, tier.names.get(lang)))
        charts.append(RankingChartData(
            award=svc.awards.award(award).names.get(lang), quota=svc.awards.quota(award, svc.rules),
            candidates=tuple(_candidate(e, kept.get(e.row.id, {}), svc, lang) for e in group),
            cuts=tuple(cuts), lang=lang))
    return charts


async def _unit_of(session: AsyncSession, row: Nomination) -> int:
    if row.subject_unit_id is not None:
        return row.subject_unit_id
    staff_id = row.subject_staff_id or row.applicant_id
    unit_id = await session.scalar(select(Staff.unit_id).where(Staff.id == staff_id))
    return int(unit_id) if unit_id is not None else 0


async def _name(session: AsyncSession, row: Nomination) -> str:
    if row.subject_unit_id is not None:
        return (await session.get_one(Unit, row.subject_unit_id)).name
    if row.subject_staff_id is not None:
        return (await session.get_one(Staff, row.subject_staff_id)).name
    return row.ref or f"#{row.id}"


async def overview_data(session: AsyncSession, papers: Papers, round_id: int, now: datetime,
                        longest: int = 10) -> OverviewChartData:
    """Per unit (the nominee's; the applicant's for a draft without one): drafts,
    submitted, department-approved, checked and scored; the ``longest`` waiting."""
    round_ = await _round(session, round_id)
    rows = list(await session.scalars(select(Nomination).where(
        Nomination.round_id == round_id).order_by(Nomination.id)))
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    units: dict[int, int] = {}
    for row in rows:
        units[row.id] = await _unit_of(session, row)
        stage = "scored" if row.state in SCORED else STAGE_OF.get(State(row.state))
        if stage:
            counts[units[row.id]][stage] += 1
    names = {u.id: u.name for u in await session.scalars(select(Unit).where(
        Unit.id.in_(list(counts) + list(units.values()))))}
    progress = tuple(UnitProgress(names.get(unit_id, "—"), **dict(tally))
                     for unit_id, tally in sorted(counts.items(),
                                                  key=lambda kv: names.get(kv[0], "")))
    tz = papers.rules.tz
    waiting_rows = sorted((r for r in rows if r.state in WAITING), key=lambda r: r.updated_at)
    waiting = tuple([Waiting(await _name(session, r), names.get(units[r.id], "—"), r.state,
                             r.updated_at.astimezone(tz)) for r in waiting_rows[:longest]])
    return OverviewChartData(round_label(round_, papers.lang), progress, waiting,
                             now.astimezone(tz), papers.lang)


async def ballots_data(session: AsyncSession, papers: Papers, round_id: int
                       ) -> BallotsChartData:
    """The survey's candidates (as fixed at opening) with their votes per level."""
    round_ = await _round(session, round_id)
    survey = await session.scalar(select(Survey).where(Survey.round_id == round_id))
    if survey is None:
        raise _refusal("documents.refuse.no_survey", round_)
    ids = [int(i) for i in survey.candidate_ids]
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for nomination_id, level, count in await session.execute(
            select(Rating.nomination_id, Rating.level, func.count())
            .where(Rating.nomination_id.in_(ids))
            .group_by(Rating.nomination_id, Rating.level)):
        votes[nomination_id][level] += count
    rows = {r.id: r for r in await session.scalars(select(Nomination).where(
        Nomination.id.in_(ids)))}
    candidates = []
    for nomination_id in ids:
        row = rows.get(nomination_id)
        if row is None:
            continue
        name = await _name(session, row)
        if row.subject_staff_id is not None:
            unit = await session.get_one(Unit, await _unit_of(session, row))
            name = f"{name}（{unit.name}）"
        tally = votes[nomination_id]
        candidates.append(CandidateBallots(name, tuple(tally[level] for level in LEVELS)))  # type: ignore[arg-type]
    return BallotsChartData(round_label(round_, papers.lang), tuple(candidates),
                            papers.rules.survey_min_votes, papers.lang)
