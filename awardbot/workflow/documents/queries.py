"""Read-only queries that gather a round's documents' inputs from the database.

Each returns the plain frozen value a renderer in ``awardbot/documents`` takes (never a
row), so the caller can hand it to a worker process: the public notice as published
(:func:`notice_data`), the final winners (:func:`winners_data`) and their certificates
(:func:`certificate_batch`, :func:`certificate_for`). Nothing here writes or commits.
Winners are grouped by the award they won — a tier such as 最美政务大厅 is its own group —
in the rule book's order, and ranked within a group as the evaluation ranked them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from awardbot.db.models import Nomination, Notice, Round, Staff, Unit
from awardbot.documents.model import (
    AwardGroup,
    Certificate,
    CertificateBatch,
    DocumentStyle,
    NoticeData,
    RoundLabel,
    SubjectKind,
    Winner,
    WinnersData,
)
from awardbot.documents.texts import Words
from awardbot.scoring import Catalogue as AwardCatalogue
from awardbot.scoring import Period, Rules
from awardbot.workflow.lifecycle import State
from awardbot.workflow.messages import Text
from awardbot.workflow.notice.base import outcome_code
from awardbot.workflow.refusal import Refusal

__all__ = ["Papers", "certificate_batch", "certificate_for", "notice_data",
           "round_label", "winners_data"]


@dataclass(frozen=True)
class Papers:
    """What the queries need besides the session: the rule book and the bureau's words."""

    awards: AwardCatalogue
    rules: Rules
    style: DocumentStyle = field(default_factory=DocumentStyle)
    lang: str = "zh"


def round_label(round_: Round, lang: str = "zh") -> RoundLabel:
    period = Period.parse(round_.period)
    return RoundLabel(Words(lang)(f"family.{round_.family}"), period.year, period.quarter)


async def _round(session: AsyncSession, round_id: int) -> Round:
    found = await session.get(Round, round_id)
    if found is None:
        raise Refusal("documents.refuse.no_round", round=round_id)
    return found


def _refusal(key: str, round_: Round) -> Refusal:
    return Refusal(key, family=Text(f"documents.family.{round_.family}"),
                         period=round_.period)


def _order(awards: AwardCatalogue, family: str) -> list[str]:
    """Outcome codes in the rule book's order (a tiered award by its tiers)."""
    order: list[str] = []
    for code in awards.families[family].awards:
        order += [tier.code for tier in awards.award(code).tiers] + [code]
    return order


def _outcome_name(awards: AwardCatalogue, award: str, outcome: str, lang: str) -> str:
    spec = awards.award(award)
    for tier in spec.tiers:
        if tier.code == outcome:
            return tier.names.get(lang)
    return spec.names.get(lang)


async def _winner(session: AsyncSession, row: Nomination) -> tuple[SubjectKind, Winner]:
    if row.subject_staff_id is not None:
        staff = await session.get_one(Staff, row.subject_staff_id)
        unit = await session.get_one(Unit, staff.unit_id)
        return "person", Winner(staff.name, unit.name)
    if row.subject_unit_id is not None:
        unit = await session.get_one(Unit, row.subject_unit_id)
        parent = await session.get(Unit, unit.parent_id) if unit.parent_id else None
        return "unit", Winner(unit.name, parent.name if parent else "")
    return "person", Winner(row.ref or f"#{row.id}")


def _rank(row: Nomination) -> tuple[int, int]:
    ranking = row.ranking if isinstance(row.ranking, dict) else {}
    return (ranking.get("rank") or 10**6, row.id)


async def _groups(session: AsyncSession, papers: Papers, family: str,
                  rows: Sequence[Nomination]) -> tuple[AwardGroup, ...]:
    grouped: dict[str, list[Nomination]] = defaultdict(list)
    for row in rows:
        grouped[outcome_code(row)].append(row)
    order = _order(papers.awards, family)
    groups = []
    for code in sorted(grouped, key=lambda c: (order.index(c) if c in order else len(order), c)):
        ranked = sorted(grouped[code], key=_rank)
        winners = [await _winner(session, row) for row in ranked]
        award = str(ranked[0].award or code)
        groups.append(AwardGroup(_outcome_name(papers.awards, award, code, papers.lang),
                                 winners[0][0], tuple(w for _, w in winners)))
    return tuple(groups)


async def _nominations(session: AsyncSession, ids: Sequence[int]) -> list[Nomination]:
    return list(await session.scalars(
        select(Nomination).where(Nomination.id.in_(list(ids))).order_by(Nomination.id)))


async def _latest_notice(session: AsyncSession, round_: Round) -> Notice:
    notice = await session.scalar(select(Notice).where(Notice.round_id == round_.id)
                                  .order_by(Notice.id.desc()).limit(1))
    if notice is None:
        raise _refusal("documents.refuse.no_notice", round_)
    return notice


async def notice_data(session: AsyncSession, papers: Papers, round_id: int) -> NoticeData:
    """The round's latest notice as it was published (every nomination on it)."""
    round_ = await _round(session, round_id)
    notice = await _latest_notice(session, round_)
    tz = papers.rules.tz
    published = notice.published_at.astimezone(tz).date()
    rows = await _nominations(session, [int(i) for i in notice.nomination_ids])
    return NoticeData(
        round=round_label(round_, papers.lang),
        groups=await _groups(session, papers, round_.family, rows),
        published_on=published, starts_on=notice.starts_on or published,
        ends_on=notice.ends_on or notice.closes_at.astimezone(tz).date(),
        closes_at=notice.closes_at.astimezone(tz), working_days=papers.rules.notice_working_days,
        style=papers.style, lang=papers.lang)


async def _awarded(session: AsyncSession, round_: Round) -> list[Nomination]:
    rows = list(await session.scalars(
        select(Nomination).where(Nomination.round_id == round_.id,
                                 Nomination.state == State.AWARDED).order_by(Nomination.id)))
    if not rows:
        raise _refusal("documents.refuse.no_winners", round_)
    return rows


async def final_day(session: AsyncSession, papers: Papers, round_: Round) -> date | None:
    """The day the round's list became final: its notice's closing, in local time."""
    notice = await session.scalar(select(Notice).where(Notice.round_id == round_.id,
                                                       Notice.closed_at.is_not(None))
                                  .order_by(Notice.id.desc()).limit(1))
    return notice.closed_at.astimezone(papers.rules.tz).date() \
        if notice is not None and notice.closed_at is not None else None


async def winners_data(session: AsyncSession, papers: Papers, round_id: int,
                       dated: date | None = None) -> WinnersData:
    """The final winners (``awarded``); dated the notice's closing day unless given."""
    round_ = await _round(session, round_id)
    rows = await _awarded(session, round_)
    day = dated or await final_day(session, papers, round_) or rows[-1].updated_at.date()
    return WinnersData(round_label(round_, papers.lang),
                       await _groups(session, papers, round_.family, rows), day,
                       style=papers.style, lang=papers.lang)


async def _certificate(session: AsyncSession, papers: Papers, round_: Round, row: Nomination,
                       issued_on: date) -> Certificate:
    subject, winner = await _winner(session, row)
    award = _outcome_name(papers.awards, str(row.award), outcome_code(row), papers.lang)
    return Certificate(round_label(round_, papers.lang), award, subject, winner.name,
                       winner.unit, issued_on, row.ref or "")


async def certificate_batch(session: AsyncSession, papers: Papers, round_id: int,
                            issued_on: date | None = None) -> CertificateBatch:
    """Every winner's certificate in the winners' list order (award, then rank)."""
    round_ = await _round(session, round_id)
    rows = await _awarded(session, round_)
    day = issued_on or await final_day(session, papers, round_) or rows[-1].updated_at.date()
    order = _order(papers.awards, round_.family)
    rows.sort(key=lambda r: (order.index(outcome_code(r)) if outcome_code(r) in order
                             else len(order), *_rank(r)))
    return CertificateBatch(tuple([await _certificate(session, papers, round_, row, day)
                                   for row in rows]), papers.style, papers.lang)


async def certificate_for(session: AsyncSession, papers: Papers, nomination_id: int,
                          issued_on: date | None = None) -> Certificate | None:
    """One winner's certificate; None unless the nomination is ``awarded``."""
    row = await session.get(Nomination, nomination_id)
    if row is None or row.state != State.AWARDED:
        return None
    round_ = await _round(session, row.round_id)
    day = issued_on or await final_day(session, papers, round_) or row.updated_at.date()
    return await _certificate(session, papers, round_, row, day)
